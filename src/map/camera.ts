import type * as maplibregl from 'maplibre-gl';
import type { BoundingBox } from '../coverage';
import { fitPadding, type ScreenInsets } from './fit-padding';
import type { MapCamera } from './map-types';

/** The camera a map starts with: `camera`, or the whole of Chengdu. */
export function initialCamera(camera: MapCamera | null): { center: [number, number]; zoom: number } {
  return { center: camera ? [camera.longitude, camera.latitude] : [104.1, 30.66], zoom: camera?.zoom ?? 11 };
}

/** Where a map looks now. */
export function cameraOf(map: maplibregl.Map): MapCamera {
  const center = map.getCenter();
  return { longitude: center.lng, latitude: center.lat, zoom: map.getZoom() };
}

/** Whether the user asked for reduced motion (no animated camera moves then). */
export function prefersReducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

/**
 * Zooms a map to `[west, south, east, north]` clear of the screen space its panels cover (`insets`),
 * animated unless the user prefers reduced motion.
 */
export function fitBoundsClear(
  map: maplibregl.Map,
  bbox: BoundingBox,
  insets: ScreenInsets,
  options: { animate?: boolean; maxZoom?: number } = {},
): void {
  const container = map.getContainer();
  map.fitBounds(
    [
      [bbox[0], bbox[1]],
      [bbox[2], bbox[3]],
    ],
    {
      padding: fitPadding(insets, container.clientWidth, container.clientHeight),
      animate: options.animate ?? !prefersReducedMotion(),
      duration: 600,
      maxZoom: options.maxZoom ?? 16,
    },
  );
}

/**
 * Pans a map to the centre of `[west, south, east, north]` when the box is not wholly on screen (the
 * zoom stays); quickly eased unless the user prefers reduced motion.
 */
export function panIntoView(map: maplibregl.Map, box: BoundingBox): void {
  const container = map.getContainer();
  const corners = [map.project([box[0], box[1]]), map.project([box[2], box[3]])];
  const onScreen = corners.every(
    ({ x, y }) => x >= 0 && y >= 0 && x <= container.clientWidth && y <= container.clientHeight,
  );
  if (onScreen) return;
  map.easeTo({
    center: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2],
    duration: prefersReducedMotion() ? 0 : 400,
  });
}
