import * as flatbuffers from 'flatbuffers';
import type { ColumnMeta } from 'flatgeobuf/lib/mjs/column-meta.js';
import { Column } from 'flatgeobuf/lib/mjs/flat-geobuf/column.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { Crs } from 'flatgeobuf/lib/mjs/flat-geobuf/crs.js';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { calcTreeSize } from 'flatgeobuf/lib/mjs/packedrtree.js';
import type { Feature, FeatureCollection } from 'geojson';
import { FeatureEncoder, type FeatureStore } from './flatgeobuf-encoder';
import { MAGIC_BYTES, MAGIC_LENGTH_BYTES, MAX_COLUMNS } from './flatgeobuf-format';
import { DEFAULT_INDEX_NODE_SIZE, hilbertOrder, writePackedRTree } from './flatgeobuf-index';

/**
 * FlatGeobuf writing (see `flatgeobuf-format.ts` for the driver as a whole): the columns (declared or
 * inferred), the header, and the file assembled from the encoded features (`flatgeobuf-encoder.ts`) and
 * the spatial index (`flatgeobuf-index.ts`), whole or in pieces.
 */

const WGS84_EPSG_CODE = 4326;

/** Options of {@link writeFlatGeobuf}. */
export interface FlatGeobufWriteOptions {
  /** Layer name stored in the header (what GDAL/QGIS show). Default "features". */
  layerName?: string;
  /** Free text stored in the header's description. */
  description?: string;
  /** Text (e.g. JSON) stored in the header's metadata field (GDAL shows it as layer metadata). */
  metadata?: string;
  /**
   * Write a packed Hilbert R-tree (default true). With the index, features are stored in Hilbert order,
   * as GDAL does, so they come back in a different order; pass false to keep the input order.
   */
  spatialIndex?: boolean;
  /**
   * Told about each feature left out because FlatGeobuf readers cannot take it: a null geometry (the npm
   * reader crashes on it) or a geometry with no coordinates (it has no bounding box for the index).
   */
  onSkippedFeature?: (featureIndex: number, reason: 'null geometry' | 'empty geometry') => void;
  /**
   * The columns, in order, instead of inferring them from all features. This is what lets a large layer
   * stream: with `columns`, an iterable input (e.g. a generator) is read once, feature by feature, and only
   * the encoded bytes are kept. Each value must fit its column: `boolean`; `int` a 32-bit integer; `long` a
   * safe integer; `double` any number; `string` a string, or a number/boolean written as text; `json`
   * anything JSON.stringify takes. null, missing, NaN and ±Infinity are nulls. A property that is not a
   * column is an Error (so nothing is dropped silently).
   */
  columns?: readonly FlatGeobufColumn[];
}

/** A column of {@link FlatGeobufWriteOptions.columns}: FlatGeobuf Bool, Int, Long, Double, String or Json. */
export interface FlatGeobufColumn {
  name: string;
  type: 'boolean' | 'int' | 'long' | 'double' | 'string' | 'json';
}

/**
 * Encodes features as FlatGeobuf (EPSG:4326, with a packed Hilbert R-tree unless `spatialIndex: false`).
 * `input` is a FeatureCollection or any iterable of features (an array, a generator). Columns are
 * `options.columns` when given; otherwise the union of all features' property keys, in first-seen order,
 * typed from all values: booleans → Bool, integers → Int (Long beyond 32 bits), other numbers → Double,
 * strings → String, objects/arrays → Json; a key mixing numbers/booleans with strings becomes String (values
 * written as text) and one mixing in objects becomes Json. Inferring reads the features twice, so a
 * one-shot iterable is collected into an array first; with `options.columns` the input is read once,
 * feature by feature, and only the encoded bytes are kept (stream a large layer that way). Missing, null,
 * NaN and ±Infinity values are written as FlatGeobuf nulls (the property is omitted). Positions are
 * written 2D. Features with a null or empty geometry are left out (see `onSkippedFeature`); no features
 * give a valid file with no features. Throws an Error for a non-finite coordinate, an unknown geometry type,
 * and (with `options.columns`) a bad column list, a value that does not fit its column or a property that
 * is not a column.
 */
export function writeFlatGeobuf(
  input: FeatureCollection | Iterable<Feature>,
  options: FlatGeobufWriteOptions = {},
): Uint8Array {
  const layer = encodeLayer(input, options);
  const out = new Uint8Array(layer.totalBytes);
  out.set(MAGIC_BYTES);
  out.set(layer.header, MAGIC_LENGTH_BYTES);
  const indexStart = MAGIC_LENGTH_BYTES + layer.header.length;
  writePackedRTree(layer.store, layer.order, out.subarray(indexStart, indexStart + layer.indexBytes));
  const { store, order } = layer;
  let offset = indexStart + layer.indexBytes;
  // Copy runs of features that lie back to back in one chunk (all of them without the index) at once.
  for (let j = 0; j < store.count; ) {
    const first = order ? order[j] : j;
    const chunk = store.chunkOf[first];
    const start = store.offsetIn[first];
    let end = start + store.sizes[first];
    for (j++; j < store.count; j++) {
      const next = order ? order[j] : j;
      if (store.chunkOf[next] !== chunk || store.offsetIn[next] !== end) break;
      end += store.sizes[next];
    }
    out.set(store.chunks[chunk].subarray(start, end), offset);
    offset += end - start;
  }
  return out;
}

/**
 * The bytes {@link writeFlatGeobuf} returns (same input, options and errors), as a sequence of pieces of
 * at most about 1 MiB (the header and the spatial index come whole), so that the file never exists as one
 * buffer besides the encoded features: write each piece as it comes (e.g. `writeSync(fd, piece)`). All
 * features are encoded before the first piece is yielded, so an error leaves nothing written. Each piece is
 * a fresh array the caller may keep.
 */
export function* flatGeobufChunks(
  input: FeatureCollection | Iterable<Feature>,
  options: FlatGeobufWriteOptions = {},
): Generator<Uint8Array, void, undefined> {
  const layer = encodeLayer(input, options);
  const head = new Uint8Array(MAGIC_LENGTH_BYTES + layer.header.length);
  head.set(MAGIC_BYTES);
  head.set(layer.header, MAGIC_LENGTH_BYTES);
  const index = new Uint8Array(layer.indexBytes);
  writePackedRTree(layer.store, layer.order, index);
  yield head;
  if (index.length > 0) yield index;
  const { store, order } = layer;
  let j = 0;
  while (j < store.count) {
    let batchBytes = 0;
    let k = j;
    while (k < store.count && (k === j || batchBytes + store.sizes[order ? order[k] : k] <= PIECE_BYTES)) {
      batchBytes += store.sizes[order ? order[k] : k];
      k++;
    }
    const piece = new Uint8Array(batchBytes);
    let offset = 0;
    for (; j < k; j++) {
      const i = order ? order[j] : j;
      const start = store.offsetIn[i];
      piece.set(store.chunks[store.chunkOf[i]].subarray(start, start + store.sizes[i]), offset);
      offset += store.sizes[i];
    }
    yield piece;
  }
}

// One pass over the features: each is validated, its 2D coordinates gathered into a reused Float64Array
// (with its bounding box), its properties encoded into a reused buffer (the byte format of the package's
// `buildFeature`: uint16 column index then the value, little-endian, a null omitted), and the feature table
// built with the package's generated `Feature`/`Geometry` classes in one reused flatbuffers Builder, in the
// same call order as `buildFeature`/`buildGeometry` (so the bytes are theirs). The finished bytes are
// appended to large chunks; per-feature records live in typed arrays. Then the Hilbert order is a stable
// radix sort of an index array, and the file is assembled with one copy per run of features.
// GeometryCollections take the package's general path (`parseGC` + `buildGeometry`) in the same Builder.

type ValueKind = 'boolean' | 'integer' | 'double' | 'string' | 'json';

const DECLARED_TYPES: Record<FlatGeobufColumn['type'], ColumnType> = {
  boolean: ColumnType.Bool,
  int: ColumnType.Int,
  long: ColumnType.Long,
  double: ColumnType.Double,
  string: ColumnType.String,
  json: ColumnType.Json,
};
/** Pieces yielded by {@link flatGeobufChunks}. */
const PIECE_BYTES = 1 << 20;

function isNullish(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value));
}

interface EncodedLayer {
  header: Uint8Array;
  store: FeatureStore;
  /** Feature numbers in file order (Hilbert order), or null for input order (no index). */
  order: Uint32Array | null;
  indexBytes: number;
  totalBytes: number;
}

function encodeLayer(input: FeatureCollection | Iterable<Feature>, options: FlatGeobufWriteOptions): EncodedLayer {
  let features: Iterable<Feature> =
    (input as FeatureCollection).type === 'FeatureCollection'
      ? (input as FeatureCollection).features
      : (input as Iterable<Feature>);
  let columns: ColumnMeta[];
  if (options.columns) columns = declaredColumns(options.columns);
  else {
    if (!Array.isArray(features)) features = Array.from(features);
    columns = inferColumns(features as Feature[]);
  }
  const encoder = new FeatureEncoder(
    columns,
    options.columns !== undefined,
    Array.isArray(features) ? features.length : 1024,
  );
  let featureIndex = 0;
  for (const feature of features) {
    if (feature.geometry === null || feature.geometry === undefined) {
      options.onSkippedFeature?.(featureIndex, 'null geometry');
    } else if (!encoder.add(feature, featureIndex)) {
      options.onSkippedFeature?.(featureIndex, 'empty geometry');
    }
    featureIndex++;
  }
  const store = encoder.finish();
  const count = store.count;
  const bboxes = store.bboxes;

  const envelope = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    envelope[0] = Math.min(envelope[0], bboxes[4 * i]);
    envelope[1] = Math.min(envelope[1], bboxes[4 * i + 1]);
    envelope[2] = Math.max(envelope[2], bboxes[4 * i + 2]);
    envelope[3] = Math.max(envelope[3], bboxes[4 * i + 3]);
  }
  const writeIndex = options.spatialIndex !== false && count > 0;
  const order = writeIndex ? hilbertOrder(bboxes, count) : null;
  const headerMeta: HeaderMeta = {
    geometryType: encoder.geometryType(),
    columns,
    envelope: count > 0 ? Float64Array.from(envelope) : null,
    featuresCount: count,
    indexNodeSize: writeIndex ? DEFAULT_INDEX_NODE_SIZE : 0,
    crs: null,
    title: null,
    description: options.description ?? null,
    metadata: options.metadata ?? null,
  };
  const header = flatGeobufHeader(headerMeta, options.layerName ?? 'features');
  const indexBytes = writeIndex ? calcTreeSize(count, DEFAULT_INDEX_NODE_SIZE) : 0;
  return {
    header,
    store,
    order,
    indexBytes,
    totalBytes: MAGIC_LENGTH_BYTES + header.length + indexBytes + store.featureBytes,
  };
}

/** Column metadata from `options.columns`; throws for an empty, repeated or unknown name/type. */
export function declaredColumns(declared: readonly FlatGeobufColumn[]): ColumnMeta[] {
  if (declared.length > MAX_COLUMNS) throw new Error(`options.columns: ${declared.length} columns (at most 65536)`);
  const names = new Set<string>();
  return declared.map(({ name, type }) => {
    if (typeof name !== 'string' || name === '')
      throw new Error('options.columns: a column name must be a non-empty string');
    if (names.has(name)) throw new Error(`options.columns: column "${name}" is declared twice`);
    names.add(name);
    if (!Object.hasOwn(DECLARED_TYPES, type)) {
      throw new Error(
        `options.columns: column "${name}" has type ${JSON.stringify(type)} (use ${Object.keys(DECLARED_TYPES).join(', ')})`,
      );
    }
    return columnMeta(name, DECLARED_TYPES[type]);
  });
}

function columnMeta(name: string, type: ColumnType): ColumnMeta {
  return {
    name,
    type,
    title: null,
    description: null,
    width: -1,
    precision: -1,
    scale: -1,
    nullable: true,
    unique: false,
    primary_key: false,
  };
}

/** Column schema from every feature's properties (see {@link writeFlatGeobuf} for the typing rules). */
function inferColumns(features: Feature[]): ColumnMeta[] {
  const kinds = new Map<string, Set<ValueKind>>();
  const int32 = new Map<string, boolean>();
  for (const feature of features) {
    const properties = feature.properties;
    if (properties === null || properties === undefined) continue;
    for (const key of Object.keys(properties)) {
      if (key === '') continue; // FlatGeobuf readers reject an empty column name
      let seen = kinds.get(key);
      if (!seen) {
        seen = new Set();
        kinds.set(key, seen);
        int32.set(key, true);
      }
      const value = properties[key];
      if (isNullish(value)) continue;
      if (typeof value === 'boolean') seen.add('boolean');
      else if (typeof value === 'number') {
        if (Number.isSafeInteger(value)) {
          seen.add('integer');
          if (value < -0x80000000 || value > 0x7fffffff) int32.set(key, false);
        } else seen.add('double');
      } else if (typeof value === 'string') seen.add('string');
      else seen.add('json');
    }
  }
  return [...kinds].map(([name, seen]) => columnMeta(name, columnType(seen, int32.get(name) ?? true)));
}

function columnType(seen: Set<ValueKind>, fitsInt32: boolean): ColumnType {
  if (seen.has('json')) return ColumnType.Json;
  if (seen.size === 0) return ColumnType.String;
  if (seen.size === 1 && seen.has('boolean')) return ColumnType.Bool;
  if (seen.size === 1 && seen.has('integer')) return fitsInt32 ? ColumnType.Int : ColumnType.Long;
  if ([...seen].every((kind) => kind === 'integer' || kind === 'double')) return ColumnType.Double;
  return ColumnType.String;
}

/** The size-prefixed FlatGeobuf header (EPSG:4326) of a layer. */
export function flatGeobufHeader(meta: HeaderMeta, layerName: string): Uint8Array {
  const builder = new flatbuffers.Builder(1024);
  const columnOffsets = (meta.columns ?? []).map((column) => {
    const nameOffset = builder.createString(column.name);
    Column.startColumn(builder);
    Column.addName(builder, nameOffset);
    Column.addType(builder, column.type);
    return Column.endColumn(builder);
  });
  const columnsOffset = columnOffsets.length > 0 ? Header.createColumnsVector(builder, columnOffsets) : 0;
  const nameOffset = builder.createString(layerName);
  const descriptionOffset = meta.description ? builder.createString(meta.description) : 0;
  const metadataOffset = meta.metadata ? builder.createString(meta.metadata) : 0;
  const envelopeOffset = meta.envelope ? Header.createEnvelopeVector(builder, meta.envelope) : 0;
  const orgOffset = builder.createString('EPSG');
  Crs.startCrs(builder);
  Crs.addOrg(builder, orgOffset);
  Crs.addCode(builder, WGS84_EPSG_CODE);
  const crsOffset = Crs.endCrs(builder);
  Header.startHeader(builder);
  Header.addName(builder, nameOffset);
  if (envelopeOffset) Header.addEnvelope(builder, envelopeOffset);
  Header.addGeometryType(builder, meta.geometryType);
  if (columnsOffset) Header.addColumns(builder, columnsOffset);
  Header.addFeaturesCount(builder, BigInt(meta.featuresCount));
  Header.addIndexNodeSize(builder, meta.indexNodeSize);
  Header.addCrs(builder, crsOffset);
  if (descriptionOffset) Header.addDescription(builder, descriptionOffset);
  if (metadataOffset) Header.addMetadata(builder, metadataOffset);
  builder.finishSizePrefixed(Header.endHeader(builder));
  return builder.asUint8Array();
}
