import { area } from '@turf/area';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import type { BoundingBox } from './grid';
import { InputError } from './input-error';
import { ringExteriorSides } from './ring-sides';
import { type GreenKind, normalizeKind } from './rules';

/**
 * A green feature flattened for the engine: typed arrays of `[lng, lat]` pairs, an integer id and the
 * two facts the rules look at (kind and area).
 */
export interface GreenFeature {
  id: number;
  kind: GreenKind;
  /** Geodesic area in m² (0 for greenways). */
  areaSquareMeters: number;
  bbox: BoundingBox;
  /** Every polyline whose distance matters: greenway parts, and every ring of an area (closed). */
  paths: Float64Array[];
  /** Area features only: each polygon's rings (outer first), for the "inside is 0 m" fill. */
  polygons: Float64Array[][];
  /** Per path, the side its distance can matter on (`ring-sides.ts`); absent or 0: both sides. */
  pathSides?: Int8Array;
  name: string | null;
}

/** Throws an InputError unless `value` is a FeatureCollection. */
export function assertFeatureCollection(value: unknown, layer: string): asserts value is FeatureCollection {
  const candidate = value as FeatureCollection | null;
  if (typeof candidate !== 'object' || candidate === null || candidate.type !== 'FeatureCollection') {
    throw InputError.inLayer(layer, null, 'is not a GeoJSON FeatureCollection');
  }
  if (!Array.isArray(candidate.features)) throw InputError.inLayer(layer, null, 'has no "features" array');
}

/** Flat `[lng, lat, …]` copy of a list of positions; checks every number. Returns null for a degenerate list. */
function flatten(positions: Position[], layer: string, featureIndex: number, closeRing: boolean): Float64Array {
  if (!Array.isArray(positions))
    throw InputError.inLayer(layer, featureIndex, 'coordinates are not an array of positions', 'coordinates');
  const close =
    closeRing &&
    positions.length > 0 &&
    (positions[0][0] !== positions[positions.length - 1][0] || positions[0][1] !== positions[positions.length - 1][1]);
  const out = new Float64Array((positions.length + (close ? 1 : 0)) * 2);
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i];
    const lng = position?.[0];
    const lat = position?.[1];
    if (typeof lng !== 'number' || typeof lat !== 'number' || !Number.isFinite(lng) || !Number.isFinite(lat)) {
      throw InputError.inLayer(layer, featureIndex, `coordinate ${i} is not a pair of finite numbers`, 'coordinates');
    }
    if (lng < -180 || lng > 180 || lat < -90 || lat > 90) {
      throw InputError.inLayer(
        layer,
        featureIndex,
        `coordinate ${i} [${lng}, ${lat}] is not longitude/latitude (projected data? convert it to WGS84 first)`,
        'coordinates',
      );
    }
    out[i * 2] = lng;
    out[i * 2 + 1] = lat;
  }
  if (close) {
    out[out.length - 2] = out[0];
    out[out.length - 1] = out[1];
  }
  return out;
}

/** Polygons of a Polygon/MultiPolygon as flat closed rings, or null for another geometry type. */
export function polygonRings(geometry: Geometry, layer: string, featureIndex: number): Float64Array[][] | null {
  const parts: Position[][][] =
    geometry.type === 'Polygon'
      ? [(geometry as Polygon).coordinates]
      : geometry.type === 'MultiPolygon'
        ? (geometry as MultiPolygon).coordinates
        : (null as never);
  if (!parts) return null;
  if (!Array.isArray(parts))
    throw InputError.inLayer(layer, featureIndex, 'coordinates are not an array', 'coordinates');
  const polygons: Float64Array[][] = [];
  for (const rings of parts) {
    if (!Array.isArray(rings))
      throw InputError.inLayer(layer, featureIndex, 'polygon coordinates are not an array of rings', 'coordinates');
    const flat = rings.map((ring) => flatten(ring, layer, featureIndex, true));
    if (flat.length === 0) continue;
    for (const ring of flat) {
      if (ring.length < 8)
        throw InputError.inLayer(layer, featureIndex, 'a polygon ring has fewer than 4 positions', 'geometry');
    }
    polygons.push(flat);
  }
  return polygons;
}

function boundingBoxOf(paths: Float64Array[]): BoundingBox {
  const bbox: BoundingBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const path of paths) {
    for (let i = 0; i < path.length; i += 2) {
      if (path[i] < bbox[0]) bbox[0] = path[i];
      if (path[i] > bbox[2]) bbox[2] = path[i];
      if (path[i + 1] < bbox[1]) bbox[1] = path[i + 1];
      if (path[i + 1] > bbox[3]) bbox[3] = path[i + 1];
    }
  }
  return bbox;
}

function featureName(feature: Feature): string | null {
  const name = feature.properties?.name;
  return typeof name === 'string' ? name : typeof name === 'number' ? String(name) : null;
}

/**
 * One green feature from GeoJSON: a greenway (`layer` 'greenways', LineString/MultiLineString) or a
 * green area (Polygon/MultiPolygon with a `kind`). Returns null for a null or empty geometry (which
 * callers count as skipped); throws an InputError for anything the engine cannot use.
 */
export function prepareGreenFeature(
  feature: Feature,
  id: number,
  layer: 'greenways' | 'greenspaces',
  featureIndex: number,
): GreenFeature | null {
  if (typeof feature !== 'object' || feature === null || feature.type !== 'Feature') {
    throw InputError.inLayer(layer, featureIndex, 'is not a GeoJSON Feature', 'geometry');
  }
  const geometry = feature.geometry;
  if (geometry === null || geometry === undefined) return null;
  if (layer === 'greenways') {
    let lines: Position[][];
    if (geometry.type === 'LineString') lines = [geometry.coordinates];
    else if (geometry.type === 'MultiLineString') lines = geometry.coordinates;
    else
      throw InputError.inLayer(
        layer,
        featureIndex,
        `geometry is ${geometry.type}; greenways must be LineString or MultiLineString`,
        'geometry',
      );
    if (!Array.isArray(lines))
      throw InputError.inLayer(layer, featureIndex, 'coordinates are not an array', 'coordinates');
    const paths = lines.map((line) => flatten(line, layer, featureIndex, false)).filter((path) => path.length >= 2);
    if (paths.length === 0) return null;
    return {
      id,
      kind: 'greenway',
      areaSquareMeters: 0,
      bbox: boundingBoxOf(paths),
      paths,
      polygons: [],
      name: featureName(feature),
    };
  }
  const polygons = polygonRings(geometry, layer, featureIndex);
  if (polygons === null) {
    throw InputError.inLayer(
      layer,
      featureIndex,
      `geometry is ${geometry.type}; green spaces must be Polygon or MultiPolygon`,
      'geometry',
    );
  }
  if (polygons.length === 0) return null;
  const kind = normalizeKind(feature.properties?.kind);
  if (kind === null || kind === 'greenway') {
    throw InputError.inLayer(
      layer,
      featureIndex,
      `kind ${JSON.stringify(feature.properties?.kind)} is not park, pocket_park, micro_green or green_space (公园, 小游园, 微绿地, 绿地)`,
      'attribute',
    );
  }
  const paths = polygons.flat();
  return {
    id,
    kind,
    areaSquareMeters: area(geometry),
    bbox: boundingBoxOf(paths),
    paths,
    polygons,
    pathSides: ringExteriorSides(polygons),
    name: featureName(feature),
  };
}

/** Bounding box of every coordinate of the polygons. */
export function polygonsBoundingBox(polygons: Float64Array[][]): BoundingBox {
  return boundingBoxOf(polygons.flat());
}
