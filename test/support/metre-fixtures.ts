import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../../src/coverage';

/**
 * Hand-made GeoJSON in metres east and north of a point near Chengdu (30.66°N, 104.1°E), scaled by the
 * WGS84 radii there: what the CLI tests draw their communities, parks and greenways with.
 */
export const latitude0 = 30.66;
export const longitude0 = 104.1;

/** `[lng, lat]` of the point `x` metres east and `y` metres north of the origin. */
export const at = (x: number, y: number) => [
  longitude0 + x / metersPerDegreeLongitude(latitude0),
  latitude0 + y / metersPerDegreeLatitude(latitude0),
];

/** The rings of a `w` × `h` metre rectangle with its south-west corner at (x, y). */
export const rectangle = (x: number, y: number, w: number, h: number) => [
  [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h), at(x, y)],
];

/** A Polygon feature. */
export const polygon = (coordinates: number[][][], properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Polygon', coordinates },
});

/** A FeatureCollection. */
export const collection = (features: unknown[]) => ({ type: 'FeatureCollection', features });
