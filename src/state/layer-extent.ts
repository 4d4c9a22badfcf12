import type { FeatureCollection, Position } from 'geojson';
import type { BoundingBox } from '../coverage/grid';
import { type ImportRole, importRoles } from './import-layers';
import type { DataSet } from './load-data';

/**
 * Where an imported layer lies relative to the layers it is measured against (the communities and the
 * residential land): wholly inside, partly (with the share of its features inside), or elsewhere (with
 * the distance between the two extents).
 */
export type ExtentCheck =
  | { status: 'inside' }
  | { status: 'partial'; shareInside: number; featuresInside: number; features: number }
  | { status: 'outside'; distanceKm: number }
  /** Nothing to compare with (no reference layer, or a layer without coordinates). */
  | { status: 'unknown' };

/** Earth radius of the spherical distance, in km. */
const EARTH_KM = 6371.0088;

/** `[west, south, east, north]` of one feature's coordinates, or null without any. */
export function featureBounds(geometry: FeatureCollection['features'][number]['geometry']): BoundingBox | null {
  const box: BoundingBox = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number') {
      const [x, y] = value as Position;
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      if (x < box[0]) box[0] = x;
      if (y < box[1]) box[1] = y;
      if (x > box[2]) box[2] = x;
      if (y > box[3]) box[3] = y;
      return;
    }
    for (const item of value) visit(item);
  };
  if (!geometry) return null;
  if (geometry.type === 'GeometryCollection') {
    const parts = geometry.geometries.map(featureBounds).filter((part): part is BoundingBox => part !== null);
    return parts.length === 0 ? null : union(parts);
  }
  visit(geometry.coordinates);
  return box[0] <= box[2] ? box : null;
}

/** The extent of every feature of the collections, or null when they hold no coordinates. */
export function layersBounds(collections: (FeatureCollection | null | undefined)[]): BoundingBox | null {
  const boxes: BoundingBox[] = [];
  for (const collection of collections) {
    for (const feature of collection?.features ?? []) {
      const box = featureBounds(feature.geometry);
      if (box) boxes.push(box);
    }
  }
  return boxes.length === 0 ? null : union(boxes);
}

function union(boxes: BoundingBox[]): BoundingBox {
  // A loop, not Math.min(...boxes): spreading 140,000 features' boxes overflows the call stack.
  const united: BoundingBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const box of boxes) {
    united[0] = Math.min(united[0], box[0]);
    united[1] = Math.min(united[1], box[1]);
    united[2] = Math.max(united[2], box[2]);
    united[3] = Math.max(united[3], box[3]);
  }
  return united;
}

function intersects(a: BoundingBox, b: BoundingBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** Great-circle distance in km between two positions in degrees (haversine). */
export function greatCircleKm(a: Position, b: Position): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Shortest distance in km between two extents (0 when they meet). */
export function extentDistanceKm(a: BoundingBox, b: BoundingBox): number {
  if (intersects(a, b)) return 0;
  // Per axis, the facing edges (or a shared value where the ranges overlap) are the closest points of
  // two rectangles; on the sphere this is exact enough for "how far away" (a city is far smaller).
  const closest = (lowA: number, highA: number, lowB: number, highB: number): [number, number] => {
    if (highA < lowB) return [highA, lowB];
    if (highB < lowA) return [lowA, highB];
    const shared = Math.max(lowA, lowB);
    return [shared, shared];
  };
  const [xA, xB] = closest(a[0], a[2], b[0], b[2]);
  const [yA, yB] = closest(a[1], a[3], b[1], b[3]);
  return greatCircleKm([xA, yA], [xB, yB]);
}

/** The reference extent grown by `meters` on every side (a service radius reaches across its edge). */
export function grownBounds(box: BoundingBox, meters: number): BoundingBox {
  const dy = meters / 111_320;
  const dx = dy / Math.max(0.05, Math.cos((((box[1] + box[3]) / 2) * Math.PI) / 180));
  return [box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy];
}

/**
 * Checks a layer against the reference layers (communities and residential land, or for those the
 * other one) before it is used. A feature counts as inside when its extent meets the reference extent
 * grown by `marginMeters` (a park just outside still serves the homes at the edge).
 */
export function checkLayerExtent(
  layer: FeatureCollection,
  reference: (FeatureCollection | null | undefined)[],
  marginMeters = 2000,
): ExtentCheck {
  const referenceBox = layersBounds(reference);
  const layerBox = layersBounds([layer]);
  if (!referenceBox || !layerBox) return { status: 'unknown' };
  const area = grownBounds(referenceBox, marginMeters);
  // Count the features that meet the area, so a national layer with one town inside says so; the
  // distance of a layer elsewhere is its nearest feature's (its extent may straddle the area).
  let features = 0;
  let featuresInside = 0;
  let nearestKm = Infinity;
  for (const feature of layer.features) {
    const box = featureBounds(feature.geometry);
    if (!box) continue;
    features++;
    if (intersects(box, area)) featuresInside++;
    else nearestKm = Math.min(nearestKm, extentDistanceKm(box, referenceBox));
  }
  // Features around the area but none in it: the nearest one's distance is the honest figure.
  if (featuresInside === 0) return { status: 'outside', distanceKm: nearestKm };
  if (featuresInside === features) return { status: 'inside' };
  return { status: 'partial', shareInside: featuresInside / features, featuresInside, features };
}

/** What an imported layer's extent is compared with. */
export type ExtentReference = 'communities' | 'residential' | 'greenLayers';

/** The layers of the import roles (a data set has no population layer of its own). */
type EngineLayers = Omit<Pick<DataSet, ImportRole>, 'population'> & Partial<Pick<DataSet, 'population'>>;

/**
 * Compares a confirmed layer with the layers it will be measured against: green layers and residential
 * land with the communities (and residential land), communities with the residential land (or, without
 * one, the green layers).
 */
export function checkAgainstStudyArea(
  role: ImportRole,
  layer: FeatureCollection,
  data: EngineLayers,
): { check: ExtentCheck; reference: ExtentReference } {
  const [reference, collections]: [ExtentReference, (FeatureCollection | null)[]] =
    role === 'communities'
      ? data.residential
        ? ['residential', [data.residential]]
        : ['greenLayers', [data.greenspaces, data.greenways]]
      : role === 'residential'
        ? ['communities', [data.communities]]
        : ['communities', [data.communities, data.residential]];
  return { check: checkLayerExtent(layer, collections), reference };
}

/**
 * The layers of the other roles that do not meet `layer` (those of the old study area), emptied: what
 * "use it and remove the layers lying elsewhere" replaces when a planner moves to a new area.
 */
export function layersElsewhere(role: ImportRole, layer: FeatureCollection, data: EngineLayers): Partial<EngineLayers> {
  const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
  const patch: Partial<EngineLayers> = {};
  for (const other of importRoles) {
    const current = data[other];
    if (other === role || !current) continue;
    if (checkLayerExtent(current, [layer]).status !== 'outside') continue;
    if (other === 'residential' || other === 'population') patch[other] = null;
    else patch[other] = empty;
  }
  return patch;
}

/**
 * Why a layer cannot be used on a flat grid, or null: a ring that jumps more than 180° of longitude
 * between two vertices crosses the antimeridian (its grid would span the globe the wrong way round), and
 * a layer wider than 180° or taller than 90° spans most of the globe. No cell size fits either.
 */
export function globeSpanProblem(
  layer: FeatureCollection,
): { code: 'antimeridian' | 'globe'; featureIndex: number | null; detail: string } | null {
  for (let index = 0; index < layer.features.length; index++) {
    let crossing = false;
    const visit = (value: unknown): void => {
      if (crossing || !Array.isArray(value) || value.length === 0) return;
      if (Array.isArray(value[0]) && typeof value[0][0] === 'number') {
        // A ring or line: consecutive vertices more than half the globe apart.
        for (let i = 1; i < value.length; i++) {
          if (Math.abs((value[i] as Position)[0] - (value[i - 1] as Position)[0]) > 180) {
            crossing = true;
            return;
          }
        }
        return;
      }
      for (const item of value) visit(item);
    };
    const geometry = layer.features[index].geometry;
    if (geometry && geometry.type !== 'GeometryCollection') visit(geometry.coordinates);
    if (crossing)
      return {
        code: 'antimeridian',
        featureIndex: index,
        detail: 'crosses the antimeridian (180° longitude): split it at 180° or move it to one side',
      };
  }
  const box = layersBounds([layer]);
  if (box && (box[2] - box[0] > 180 || box[3] - box[1] > 90)) {
    const width = Math.round(box[2] - box[0]);
    return {
      code: 'globe',
      featureIndex: null,
      detail: `spans ${width}° of longitude and ${Math.round(box[3] - box[1])}° of latitude, most of the globe: no grid of cells fits`,
    };
  }
  return null;
}
