import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { CoverageModel } from './coverage';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from './geodesy';
import { signedArea } from './geometry';
import { InputError } from './input-error';
import type { GreenKind } from './rules';

/**
 * The sites "suggest N sites" proposes (see `suggest.ts`): their kind and size under the rules, and
 * their shapes: a square around a point, or a candidate parcel as drawn.
 */

/** What a site is made of: kind and target area from the rules. */
export interface SiteSpec {
  kind: GreenKind;
  /** The rules' minimum area (the larger of the criteria that accept the kind), rounded up to a whole m². */
  areaSquareMeters: number;
  /** Side of the square site in metres (rounded up to 0.1 m so that its geodesic area reaches the target). */
  sideMeters: number;
}

/** The kind and size of a suggested site under `rules` (override the area with `areaSquareMeters`). */
export function siteSpec(model: Pick<CoverageModel, 'rules'>, areaSquareMeters?: number): SiteSpec {
  const { rules } = model;
  const main = rules.park ?? rules.green!;
  const kind: GreenKind = main.kinds.includes('pocket_park')
    ? 'pocket_park'
    : (main.kinds.find((k) => k !== 'greenway') ?? 'pocket_park');
  let area = areaSquareMeters ?? 0;
  if (areaSquareMeters === undefined) {
    for (const criterion of [rules.green, rules.park]) {
      if (criterion?.kinds.includes(kind)) area = Math.max(area, criterion.minimumAreaSquareMeters);
    }
    area = Math.ceil(area) || 1000;
  }
  if (!(area > 0 && Number.isFinite(area))) throw new RangeError(`site area ${area} m² must be a positive number`);
  return { kind, areaSquareMeters: area, sideMeters: Math.ceil(Math.sqrt(area) * 10) / 10 };
}

function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/**
 * A square of `sideMeters` centred on a point, counter-clockwise, coordinates rounded to 7 decimals (as
 * GeoJSON export writes them, so the file reproduces the site exactly).
 */
export function squareSite(longitude: number, latitude: number, sideMeters: number, kind: GreenKind): Feature<Polygon> {
  const halfLongitude = sideMeters / 2 / metersPerDegreeLongitude(latitude);
  const halfLatitude = sideMeters / 2 / metersPerDegreeLatitude(latitude);
  const west = round7(longitude - halfLongitude);
  const east = round7(longitude + halfLongitude);
  const south = round7(latitude - halfLatitude);
  const north = round7(latitude + halfLatitude);
  return boxFeature(west, south, east, north, { kind });
}

/** An axis-aligned box `[west, south, east, north]` as a counter-clockwise Polygon feature. */
export function boxFeature(
  west: number,
  south: number,
  east: number,
  north: number,
  properties: Record<string, unknown>,
): Feature<Polygon> {
  return {
    type: 'Feature',
    properties,
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [west, south],
          [east, south],
          [east, north],
          [west, north],
          [west, south],
        ],
      ],
    },
  };
}

/** A candidate parcel as a site: coordinates rounded to 7 decimals, exterior rings counter-clockwise, holes clockwise. */
export function parcelSite(
  geometry: Polygon | MultiPolygon,
  kind: GreenKind,
  index: number,
): Feature<Polygon | MultiPolygon> {
  const ring = (positions: Position[], outer: boolean): Position[] => {
    if (!Array.isArray(positions))
      throw InputError.inLayer('candidates', index, 'a ring is not an array of positions', 'coordinates');
    const rounded = positions.map((position) => {
      if (!Number.isFinite(position?.[0]) || !Number.isFinite(position?.[1])) {
        throw InputError.inLayer('candidates', index, 'a coordinate is not a pair of finite numbers', 'coordinates');
      }
      return [round7(position[0]), round7(position[1])];
    });
    return signedArea(rounded) > 0 === outer ? rounded : rounded.reverse();
  };
  const polygon = (rings: Position[][]) => rings.map((positions, r) => ring(positions, r === 0));
  return {
    type: 'Feature',
    properties: { kind },
    geometry:
      geometry.type === 'Polygon'
        ? { type: 'Polygon', coordinates: polygon(geometry.coordinates) }
        : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(polygon) },
  };
}
