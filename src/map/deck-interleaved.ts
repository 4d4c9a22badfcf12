import type * as maplibregl from 'maplibre-gl';

/**
 * Lets @deck.gl/mapbox 9.4 draw interleaved on MapLibre 6. In that mode it sizes its viewport's near
 * and far planes by `map.transform.height` (the map's height in CSS pixels), and MapLibre 6 removed
 * the internal `map.transform`; everything else it reads from it is used only with terrain (never
 * here) or when MapLibre does not pass `nearZ`/`farZ` to custom layers (MapLibre 6 does). So the map
 * gets a `transform` with that one figure, from the public API (the canvas's CSS height), as
 * @deck.gl/maplibre does.
 */
export function exposeTransformHeight(map: maplibregl.Map): void {
  if ('transform' in map) return;
  Object.defineProperty(map, 'transform', {
    configurable: true,
    get: () => ({ height: map.getCanvas().clientHeight }),
  });
}
