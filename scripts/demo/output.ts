/**
 * Output: metres → WGS84 [lng, lat] around the demo centre, RFC 7946 winding (exterior rings
 * counter-clockwise, holes clockwise), 7 decimals (≈ 1 cm), consecutive duplicates dropped.
 */
import type { Feature, FeatureCollection, LineString, Point, Polygon, Position } from 'geojson';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../../src/coverage/geodesy';
import { type Poly, type Pt, type Ring, signedArea } from './geometry';
import { demoCenter } from './types';

const latitudeScale = metersPerDegreeLatitude(demoCenter[1]);

/** A local point as WGS84 [lng, lat], 7 decimals. */
export function toLngLat([x, y]: Pt): Position {
  const lat = demoCenter[1] + y / latitudeScale;
  const lng = demoCenter[0] + x / metersPerDegreeLongitude(lat);
  return [round7(lng), round7(lat)];
}

function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** A ring in WGS84, closed, oriented counter-clockwise or clockwise, without repeated points. */
export function wgs84Ring(ring: Ring, counterClockwise: boolean): Position[] {
  const oriented = signedArea(ring) > 0 === counterClockwise ? ring : [...ring].reverse();
  const out: Position[] = [];
  for (const p of oriented) {
    const q = toLngLat(p);
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  if (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  out.push(out[0]);
  return out;
}

/** A polygon feature (outer ring counter-clockwise, holes clockwise). */
export function feature<P>(poly: Poly, properties: P): Feature<Polygon, P> {
  return {
    type: 'Feature',
    properties,
    geometry: { type: 'Polygon', coordinates: poly.map((ring, k) => wgs84Ring(ring, k === 0)) },
  };
}

/** A LineString feature, without repeated points. */
export function lineFeature<P>(path: Pt[], properties: P): Feature<LineString, P> {
  const coordinates: Position[] = [];
  for (const p of path) {
    const q = toLngLat(p);
    const last = coordinates[coordinates.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) coordinates.push(q);
  }
  return { type: 'Feature', properties, geometry: { type: 'LineString', coordinates } };
}

/** A Point feature. */
export function pointFeature<P>(p: Pt, properties: P): Feature<Point, P> {
  return { type: 'Feature', properties, geometry: { type: 'Point', coordinates: toLngLat(p) } };
}

/** A FeatureCollection of the features. */
export function collection<G extends Polygon | LineString | Point, P>(
  features: Feature<G, P>[],
): FeatureCollection<G, P> {
  return { type: 'FeatureCollection', features };
}
