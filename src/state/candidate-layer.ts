import type { FeatureCollection, Position } from 'geojson';
import type { BoundingBox, Grid } from '../coverage';
import { InputError as FileError } from '../coverage/input-error';

/**
 * A candidate layer for "suggest N sites", imported by the planner: points (each becomes a square
 * pocket park centred on it) or polygons (each parcel is a site when it reaches the rules' park area).
 * The collection is kept as read, so a feature's index is its position in the file and a message from
 * the worker about "feature N" names the file's feature N.
 */
export interface CandidateLayer {
  fileName: string;
  collection: FeatureCollection;
  /** Point positions (each part of a MultiPoint counts). */
  points: number;
  /** Polygon and MultiPolygon features. */
  polygons: number;
  /** Features without a geometry (left out). */
  skipped: number;
  /** Features wholly outside the study area (kept, but they cannot bring anyone within reach). */
  outside: number;
}

/** The grid's extent `[west, south, east, north]`. */
export function gridBounds(grid: Grid): BoundingBox {
  return [
    grid.west,
    grid.south,
    grid.west + grid.columns * grid.longitudeStep,
    grid.south + grid.rows * grid.latitudeStep,
  ];
}

function featureBounds(coordinates: unknown, fail: (problem: string) => never): BoundingBox {
  const box: BoundingBox = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (value: unknown): void => {
    if (!Array.isArray(value)) fail('the coordinates are not arrays of positions');
    if (typeof value[0] === 'number' || value.length === 0) {
      if (value.length === 0) return;
      const [x, y] = value as Position;
      if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(y) > 90 || Math.abs(x) > 180)
        fail(`coordinate [${value.slice(0, 2).join(', ')}] is not a longitude/latitude`);
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
      return;
    }
    for (const item of value) walk(item);
  };
  walk(coordinates);
  return box;
}

/**
 * Checks a read layer as a candidate layer. Throws a FileError naming the file, the feature (its index in
 * the file, from `sourceIndex` when the reader dropped some) and the problem: a geometry that is neither
 * point nor polygon, a coordinate that is not longitude/latitude, no usable feature, or (given the study
 * area) no candidate inside it.
 */
export function checkCandidateLayer(
  collection: FeatureCollection,
  fileName: string,
  studyArea: BoundingBox | null,
  sourceIndex?: readonly number[],
): CandidateLayer {
  const layer: CandidateLayer = { fileName, collection, points: 0, polygons: 0, skipped: 0, outside: 0 };
  collection.features.forEach((feature, index) => {
    const fileIndex = sourceIndex?.[index] ?? index;
    const fail = (problem: string): never => {
      throw new FileError(fileName, fileIndex, problem);
    };
    const geometry = feature?.geometry;
    if (!geometry) {
      layer.skipped++;
      return;
    }
    if (
      geometry.type !== 'Point' &&
      geometry.type !== 'MultiPoint' &&
      geometry.type !== 'Polygon' &&
      geometry.type !== 'MultiPolygon'
    ) {
      fail(
        `geometry is ${geometry.type}; candidates must be points (Point, MultiPoint) or polygons (Polygon, MultiPolygon)`,
      );
    }
    const box = featureBounds((geometry as { coordinates: unknown }).coordinates, fail);
    if (!(box[0] <= box[2])) {
      layer.skipped++;
      return;
    }
    if (geometry.type === 'Point') layer.points++;
    else if (geometry.type === 'MultiPoint') layer.points += geometry.coordinates.length;
    else layer.polygons++;
    if (studyArea && (box[2] < studyArea[0] || box[0] > studyArea[2] || box[3] < studyArea[1] || box[1] > studyArea[3]))
      layer.outside++;
  });
  if (collection.features.length === 0) throw new FileError(fileName, null, 'the file has no features');
  const usable = collection.features.length - layer.skipped;
  if (usable === 0) throw new FileError(fileName, null, 'no feature has a geometry');
  if (studyArea && layer.outside === usable) {
    const area = studyArea.map((value) => value.toFixed(4)).join(', ');
    throw new FileError(
      fileName,
      null,
      `no candidate lies within the study area (${area}); is the layer in another coordinate system, or in GCJ-02?`,
    );
  }
  return layer;
}

/**
 * A worker error about the candidate layer (`candidates: feature 3: …`, from the engine's InputError)
 * rephrased to name the file instead; other messages are returned as they are.
 */
export function candidateErrorMessage(message: string, fileName: string): string {
  return message.startsWith('candidates: ') ? `${fileName}: ${message.slice('candidates: '.length)}` : message;
}

/** Where suggested sites may go: the grid's non-residential land, or the planner's imported layer. */
export type CandidateSource = 'land' | 'layer';

/** Format of `SavedCandidateLayer`; a record of another format is ignored (and replaced on the next load). */
export const candidateRecordFormat = 1;

/**
 * The imported candidate layer as saved in IndexedDB (one record, replaced by each new load): its features
 * as GeoJSON, its file name, the count of features outside the study area when it was checked, and the
 * source chosen for suggestions.
 */
export interface SavedCandidateLayer {
  format: typeof candidateRecordFormat;
  fileName: string;
  collection: FeatureCollection;
  outside: number;
  source: CandidateSource;
  savedAtMs: number;
}

/** The record saved for a checked layer and the chosen source. */
export function candidateRecord(
  layer: CandidateLayer,
  source: CandidateSource,
  savedAtMs = Date.now(),
): SavedCandidateLayer {
  return {
    format: candidateRecordFormat,
    fileName: layer.fileName,
    collection: layer.collection,
    outside: layer.outside,
    source,
    savedAtMs,
  };
}

/**
 * The layer and source of a saved record, or an Error saying why the record cannot be used (another format,
 * a missing field, features that fail `checkCandidateLayer`). The counts of points, polygons and skipped
 * features are derived again from the features, so a record cannot disagree with what it holds; the count
 * outside the study area is the saved one (the study area is not known yet at start-up).
 */
export function restoreCandidateRecord(record: unknown): { layer: CandidateLayer; source: CandidateSource } | Error {
  if (typeof record !== 'object' || record === null) return new Error('the record is not an object');
  const saved = record as Partial<Record<keyof SavedCandidateLayer, unknown>>;
  if (saved.format !== candidateRecordFormat) return new Error(`unknown record format ${String(saved.format)}`);
  if (typeof saved.fileName !== 'string' || saved.fileName === '') return new Error('the record has no file name');
  if (saved.source !== 'land' && saved.source !== 'layer') return new Error(`unknown source ${String(saved.source)}`);
  const collection = saved.collection as Partial<FeatureCollection> | null | undefined;
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features))
    return new Error('the record holds no FeatureCollection');
  let layer: CandidateLayer;
  try {
    // No study area: the grid may not be computed yet, and the layer was checked against it when imported.
    layer = checkCandidateLayer(collection as FeatureCollection, saved.fileName, null);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const usable = collection.features.length - layer.skipped;
  const outside = saved.outside;
  layer.outside =
    Number.isInteger(outside) && (outside as number) >= 0 && (outside as number) < usable ? (outside as number) : 0;
  return { layer, source: saved.source };
}
