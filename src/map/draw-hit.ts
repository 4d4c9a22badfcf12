import type { Position } from 'geojson';
import type { DrawFeature } from './draw-editor';

/** Hit testing of scenario features in screen space (pixels), topmost first. */

function pointInRing(x: number, y: number, ring: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function segmentDistance(px: number, py: number, a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / length));
  return Math.hypot(px - (a[0] + t * dx), py - (a[1] + t * dy));
}

/**
 * The key of the feature under a screen point (the last one drawn first): inside a polygon's outer
 * ring, or within `tolerance` pixels of a line or an edge; null when none is.
 */
export function featureAtPixel(
  features: DrawFeature[],
  pixel: [number, number],
  project: (longitude: number, latitude: number) => [number, number],
  tolerance: number,
): string | null {
  for (let i = features.length - 1; i >= 0; i--) {
    const geometry = features[i].feature.geometry;
    if (!geometry) continue;
    const projected = (ring: Position[]) => ring.map(([x, y]) => project(x, y));
    const lines: Position[][] =
      geometry.type === 'LineString'
        ? [geometry.coordinates]
        : geometry.type === 'MultiLineString'
          ? geometry.coordinates
          : geometry.type === 'Polygon'
            ? geometry.coordinates
            : geometry.type === 'MultiPolygon'
              ? geometry.coordinates.flat()
              : [];
    const polygons: Position[][] =
      geometry.type === 'Polygon'
        ? [geometry.coordinates[0]]
        : geometry.type === 'MultiPolygon'
          ? geometry.coordinates.map((polygon) => polygon[0])
          : [];
    if (polygons.some((ring) => pointInRing(pixel[0], pixel[1], projected(ring)))) return features[i].key;
    for (const line of lines) {
      const points = projected(line);
      for (let k = 1; k < points.length; k++) {
        if (segmentDistance(pixel[0], pixel[1], points[k - 1], points[k]) <= tolerance) return features[i].key;
      }
    }
  }
  return null;
}
