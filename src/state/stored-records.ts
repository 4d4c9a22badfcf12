import type { Feature } from 'geojson';
import { MAX_COLLECTION_NESTING, POSITION_DEPTH } from '../io/geojson-format';
import { greenKindOf, normalizeGreenKinds } from '../io/osm';
import { importRoles } from './import-layers';
import type { StoredLayer } from './persist-layers';
import type { SavedScenario, ScenarioFeature } from './scenario-db';

/**
 * Records read back from IndexedDB are data from an earlier version, another tab or a damaged disk:
 * each is checked before use. A bad record is skipped (and counted, so the planner is told), a bad
 * feature inside a good scenario is dropped; nothing here throws.
 */

/** Records that passed and how many were skipped. */
export interface CheckedRecords<T> {
  records: T[];
  skipped: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `depth` levels of arrays down to positions of at least two finite numbers. */
function isCoordinates(value: unknown, depth: number): boolean {
  if (!Array.isArray(value)) return false;
  if (depth === 0) return value.length >= 2 && Number.isFinite(value[0]) && Number.isFinite(value[1]);
  return value.every((item) => isCoordinates(item, depth - 1));
}

function isGeometry(value: unknown, nesting = 0): boolean {
  if (!isObject(value) || typeof value.type !== 'string') return false;
  if (value.type === 'GeometryCollection') {
    return (
      nesting < MAX_COLLECTION_NESTING &&
      Array.isArray(value.geometries) &&
      value.geometries.every((part) => isGeometry(part, nesting + 1))
    );
  }
  const depth = POSITION_DEPTH[value.type];
  return depth !== undefined && isCoordinates(value.coordinates, depth);
}

/**
 * A GeoJSON Feature as the app uses it: a known geometry type whose coordinates nest as the type says,
 * down to finite numbers (or a null geometry), and properties that are an object or absent. A ring of
 * numbers or a string of properties would otherwise fail in the engine, the map or the labels at every
 * start, far from the record that caused it.
 */
export function isFeature(value: unknown): value is Feature {
  if (!isObject(value) || value.type !== 'Feature') return false;
  const properties = value.properties;
  if (properties !== undefined && properties !== null && !isObject(properties)) return false;
  return value.geometry === null || isGeometry(value.geometry);
}

function scenarioFeature(value: unknown): ScenarioFeature | null {
  if (!isObject(value) || typeof value.key !== 'string') return null;
  if (value.layer !== 'greenspaces' && value.layer !== 'greenways') return null;
  return isFeature(value.feature) ? (value as unknown as ScenarioFeature) : null;
}

/** A saved scenario as it can be used, or null (not an object, no id or name, features not a list). */
export function checkScenario(value: unknown): SavedScenario | null {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.name !== 'string') return null;
  if (typeof value.dataPath !== 'string' || !Array.isArray(value.features)) return null;
  // A string or object in place of the list would become "features" one character or key each.
  const features = value.features
    .map(scenarioFeature)
    .filter((feature): feature is ScenarioFeature => feature !== null);
  return {
    id: value.id,
    name: value.name,
    dataPath: value.dataPath,
    features,
    figures: isObject(value.figures) ? (value.figures as unknown as SavedScenario['figures']) : null,
    updatedAt: typeof value.updatedAt === 'number' ? value.updatedAt : 0,
  };
}

/** The usable scenarios of a store's records, and how many were skipped. */
export function checkScenarios(values: unknown): CheckedRecords<SavedScenario> {
  const list = Array.isArray(values) ? values : [];
  const records = list.map(checkScenario).filter((record): record is SavedScenario => record !== null);
  return { records, skipped: list.length - records.length };
}

/** The geometry types a saved layer of each role holds: it was validated for its role when imported. */
const ROLE_GEOMETRY: Record<StoredLayer['role'], readonly string[]> = {
  communities: ['Polygon', 'MultiPolygon'],
  residential: ['Polygon', 'MultiPolygon'],
  greenspaces: ['Polygon', 'MultiPolygon'],
  greenways: ['LineString', 'MultiLineString'],
  population: ['Point', 'MultiPoint', 'Polygon', 'MultiPolygon'],
};

/**
 * A feature the engine takes for `role` as it was saved: its role's geometry (or none) and, for a green
 * space, a kind of the alias/OSM table (the import normalised it; an older version may have kept
 * `playground`). Anything else failed the computation at every start ("kind 5 is not park…", "geometry
 * is Polygon; greenways must be…") until the planner reset to the demo.
 */
function fitsRole(feature: Feature, role: StoredLayer['role']): boolean {
  if (feature.geometry !== null && !ROLE_GEOMETRY[role].includes(feature.geometry.type)) return false;
  const kind = feature.properties?.kind;
  return role !== 'greenspaces' || kind === undefined || kind === null || kind === '' || greenKindOf(kind) !== null;
}

/** A saved imported layer as it can be used, or null (unknown role, no feature list, bad features). */
export function checkStoredLayer(value: unknown): StoredLayer | null {
  if (!isObject(value) || !importRoles.includes(value.role as StoredLayer['role'])) return null;
  const role = value.role as StoredLayer['role'];
  const collection = value.collection;
  if (!isObject(collection) || !Array.isArray(collection.features)) return null;
  if (!collection.features.every((feature) => isFeature(feature) && fitsRole(feature, role))) return null;
  const layer = value as unknown as StoredLayer;
  // Kinds an older version kept as they were (`playground`) go through the one table now.
  const features =
    role === 'greenspaces' ? normalizeGreenKinds(layer.collection.features).features : layer.collection.features;
  return {
    ...layer,
    collection: { ...layer.collection, features },
    source: typeof value.source === 'string' ? value.source : String(value.role),
    featureCount: collection.features.length,
  };
}

/** The usable saved layers, and how many were skipped. */
export function checkStoredLayers(values: unknown): CheckedRecords<StoredLayer> {
  const list = Array.isArray(values) ? values : [];
  const records = list.map(checkStoredLayer).filter((record): record is StoredLayer => record !== null);
  return { records, skipped: list.length - records.length };
}
