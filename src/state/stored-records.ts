import type { Feature } from 'geojson';
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

const GEOMETRY_TYPES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);

/** A GeoJSON Feature with a known geometry type and array coordinates (or null geometry). */
export function isFeature(value: unknown): value is Feature {
  if (!isObject(value) || value.type !== 'Feature') return false;
  const geometry = value.geometry;
  if (geometry === null) return true;
  if (!isObject(geometry) || typeof geometry.type !== 'string' || !GEOMETRY_TYPES.has(geometry.type)) return false;
  return geometry.type === 'GeometryCollection'
    ? Array.isArray(geometry.geometries)
    : Array.isArray(geometry.coordinates);
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

/** A saved imported layer as it can be used, or null (unknown role, no feature list, bad features). */
export function checkStoredLayer(value: unknown): StoredLayer | null {
  if (!isObject(value) || !importRoles.includes(value.role as StoredLayer['role'])) return null;
  const collection = value.collection;
  if (!isObject(collection) || !Array.isArray(collection.features)) return null;
  if (!collection.features.every(isFeature)) return null;
  return {
    ...(value as unknown as StoredLayer),
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
