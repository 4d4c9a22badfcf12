import type { Feature, FeatureCollection, Position } from 'geojson';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../../src/coverage';

/**
 * Hand-made fixtures in metres: a local frame at Chengdu (30.66°N, 104.1°E) where `at(x, y)` is x metres east
 * and y metres north of the origin, scaled by the WGS84 radii at the origin's latitude.
 */
export const latitude = 30.66;
export const longitude = 104.1;
export const kx = metersPerDegreeLongitude(latitude);
export const ky = metersPerDegreeLatitude(latitude);
export const at = (x: number, y: number): Position => [longitude + x / kx, latitude + y / ky];
/** A closed counter-clockwise ring of the rectangle x…x + w, y…y + h (metres). */
export const rectangle = (x: number, y: number, w: number, h: number): Position[] => [
  at(x, y),
  at(x + w, y),
  at(x + w, y + h),
  at(x, y + h),
  at(x, y),
];
export const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
