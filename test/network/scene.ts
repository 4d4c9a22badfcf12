import type { Feature, FeatureCollection } from 'geojson';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../../src/coverage/geodesy';

/** A local metric frame around `[lng0, lat0]` for building test scenes in metres. */
export function frame(lng0 = 104.1, lat0 = 30.66) {
  const kx = metersPerDegreeLongitude(lat0);
  const ky = metersPerDegreeLatitude(lat0);
  const at = (x: number, y: number): [number, number] => [lng0 + x / kx, lat0 + y / ky];
  const line = (points: [number, number][], properties: Record<string, unknown> = {}): Feature => ({
    type: 'Feature',
    properties,
    geometry: { type: 'LineString', coordinates: points.map(([x, y]) => at(x, y)) },
  });
  const rect = (x: number, y: number, w: number, h: number, properties: Record<string, unknown> = {}): Feature => ({
    type: 'Feature',
    properties,
    geometry: {
      type: 'Polygon',
      coordinates: [[at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h), at(x, y)]],
    },
  });
  const point = (x: number, y: number, properties: Record<string, unknown> = {}): Feature => ({
    type: 'Feature',
    properties,
    geometry: { type: 'Point', coordinates: at(x, y) },
  });
  /** A square of `side` metres centred on `(x, y)`: a residential cell's worth of land. */
  const square = (x: number, y: number, side: number, properties: Record<string, unknown> = {}) =>
    rect(x - side / 2, y - side / 2, side, side, properties);
  return { at, line, rect, point, square, kx, ky };
}

export function collection(features: Feature[]): FeatureCollection {
  return { type: 'FeatureCollection', features };
}
