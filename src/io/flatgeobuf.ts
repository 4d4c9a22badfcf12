import * as flatbuffers from 'flatbuffers';
import type { ColumnMeta } from 'flatgeobuf/lib/mjs/column-meta.js';
import { Column } from 'flatgeobuf/lib/mjs/flat-geobuf/column.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { Crs } from 'flatgeobuf/lib/mjs/flat-geobuf/crs.js';
import { Feature as FgbFeature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import { buildFeature, parseProperties } from 'flatgeobuf/lib/mjs/generic/feature.js';
import type { IParsedGeometry } from 'flatgeobuf/lib/mjs/generic/geometry.js';
import { fromGeometry, parseGC, parseGeometry } from 'flatgeobuf/lib/mjs/geojson/geometry.js';
import { fromByteBuffer, type HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { calcTreeSize, generateLevelBounds } from 'flatgeobuf/lib/mjs/packedrtree.js';
import type { Feature, FeatureCollection, GeoJsonProperties, Geometry, Position } from 'geojson';
import { FileError } from './input-error';

/**
 * FlatGeobuf driver built on the npm `flatgeobuf` 4.5 package's FlatBuffers classes and per-feature
 * encoders/decoders, with our own framing around them because its top-level functions have traps:
 *
 * - `deserialize` loops forever on an empty buffer or a lone magic header, yields some features and then
 *   throws on a truncated file, and silently returns nothing for a bad header length. It is also async
 *   only. We never call it: {@link readFlatGeobuf} validates magic, version and every length against the
 *   buffer, then decodes each feature with the package's `fromGeometry`/`parseProperties`; every loop step
 *   consumes at least 4 bytes, so no input can make it spin.
 * - `serialize` takes the columns from the first feature, writes a missing value as NaN/0/"", writes no
 *   CRS and no spatial index, and throws on a null geometry or an empty collection. {@link writeFlatGeobuf}
 *   builds the header itself (columns from all features, EPSG:4326, envelope, packed Hilbert R-tree) and
 *   hands `buildFeature` a complete property object in which a missing value is `null`, which it encodes by
 *   omitting the property (FlatGeobuf's null).
 *
 * Reading notes: positions come back 2D (Z/M dropped, as in the GeoJSON reader); a property the feature
 * does not carry comes back as `null` for every column of the header; `Json` columns come back parsed
 * (objects), but files written by GDAL store JSON as `String` columns, and those stay strings. Feature ids
 * are not stored by FlatGeobuf, so GeoJSON `id` is not written and not read.
 */

const MAGIC_BYTES = [0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x00];
const MAGIC_LENGTH_BYTES = 8;
const SIZE_PREFIX_BYTES = 4;
const PREAMBLE_BYTES = MAGIC_LENGTH_BYTES + SIZE_PREFIX_BYTES;
/** GDAL refuses headers over 10 MiB; anything larger is a corrupt length field. */
const MAX_HEADER_BYTES = 10 * 1024 * 1024;
/** Property indexes are uint16. */
const MAX_COLUMNS = 65536;
const NODE_ITEM_BYTES = 40;
const DEFAULT_INDEX_NODE_SIZE = 16;
const HILBERT_MAX = 0xffff;
const WGS84_EPSG_CODE = 4326;

/** Options of {@link writeFlatGeobuf}. */
export interface FlatGeobufWriteOptions {
  /** Layer name stored in the header (what GDAL/QGIS show). Default "features". */
  layerName?: string;
  /** Free text stored in the header's description. */
  description?: string;
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
}

/** True when the bytes start with FlatGeobuf's magic ("fgb", a version byte, "fgb"). */
export function detectFlatGeobuf(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC_LENGTH_BYTES && [0, 1, 2, 4, 5, 6].every((i) => bytes[i] === MAGIC_BYTES[i]);
}

/**
 * Reads a whole FlatGeobuf file into a FeatureCollection. Throws a FileError for an empty file, a file
 * that is not FlatGeobuf or of another major version, a truncated header, index or feature ("truncated
 * after feature N"), a corrupt header or feature, and a feature count that disagrees with the header.
 */
export function readFlatGeobuf(bytes: Uint8Array, fileName: string): FeatureCollection {
  const headerLengthBytes = readPreamble(bytes, fileName);
  if (PREAMBLE_BYTES + headerLengthBytes > bytes.length) {
    throw new FileError(fileName, null, truncatedHeader(headerLengthBytes, bytes.length - PREAMBLE_BYTES));
  }
  const header = decodeHeader(bytes.subarray(MAGIC_LENGTH_BYTES, PREAMBLE_BYTES + headerLengthBytes), fileName);
  const indexBytes = indexSizeBytes(header, fileName);
  let offset = PREAMBLE_BYTES + headerLengthBytes + indexBytes;
  if (offset > bytes.length) {
    throw new FileError(
      fileName,
      null,
      `truncated spatial index (${indexBytes} bytes expected, ${bytes.length - PREAMBLE_BYTES - headerLengthBytes} present)`,
    );
  }
  const features: Feature[] = [];
  while (offset < bytes.length) {
    const remaining = bytes.length - offset;
    const lengthBytes = remaining >= SIZE_PREFIX_BYTES ? readUint32(bytes, offset) : -1;
    if (lengthBytes < 0 || SIZE_PREFIX_BYTES + lengthBytes > remaining) {
      throw new FileError(
        fileName,
        null,
        truncatedAfter(features.length, header.featuresCount, lengthBytes, remaining),
      );
    }
    const end = offset + SIZE_PREFIX_BYTES + lengthBytes;
    features.push(decodeFeature(alignedCopy(bytes, offset, end), header, features.length, fileName));
    offset = end;
  }
  checkFeatureCount(header, features.length, fileName);
  return { type: 'FeatureCollection', features };
}

/**
 * Reads FlatGeobuf from a stream (e.g. `fetch(url).body`), calling `onFeature` as each feature arrives,
 * and resolves to the whole collection. Same checks and messages as {@link readFlatGeobuf}; the stream is
 * framed here (header validated before any feature is decoded) rather than handed to the npm package's
 * `deserialize`, so an empty or cut stream ends with a FileError instead of hanging. The stream is
 * cancelled on error.
 */
export async function readFlatGeobufStream(
  stream: ReadableStream<Uint8Array>,
  fileName: string,
  onFeature?: (feature: Feature, featureIndex: number) => void | Promise<void>,
): Promise<FeatureCollection> {
  const reader = stream.getReader();
  const queue = new ByteQueue(reader);
  try {
    await queue.fill(PREAMBLE_BYTES);
    const headerLengthBytes = readPreamble(queue.peek(Math.min(queue.size, PREAMBLE_BYTES)), fileName);
    await queue.fill(PREAMBLE_BYTES + headerLengthBytes);
    if (queue.size < PREAMBLE_BYTES + headerLengthBytes) {
      throw new FileError(fileName, null, truncatedHeader(headerLengthBytes, queue.size - PREAMBLE_BYTES));
    }
    queue.take(MAGIC_LENGTH_BYTES);
    const header = decodeHeader(queue.take(SIZE_PREFIX_BYTES + headerLengthBytes), fileName);
    const indexBytes = indexSizeBytes(header, fileName);
    await queue.fill(indexBytes);
    if (queue.size < indexBytes) {
      throw new FileError(
        fileName,
        null,
        `truncated spatial index (${indexBytes} bytes expected, ${queue.size} present)`,
      );
    }
    queue.take(indexBytes);
    const features: Feature[] = [];
    for (;;) {
      await queue.fill(SIZE_PREFIX_BYTES);
      if (queue.size === 0) break;
      const lengthBytes = queue.size >= SIZE_PREFIX_BYTES ? readUint32(queue.peek(SIZE_PREFIX_BYTES), 0) : -1;
      if (lengthBytes >= 0) await queue.fill(SIZE_PREFIX_BYTES + lengthBytes);
      if (lengthBytes < 0 || queue.size < SIZE_PREFIX_BYTES + lengthBytes) {
        throw new FileError(
          fileName,
          null,
          truncatedAfter(features.length, header.featuresCount, lengthBytes, queue.size),
        );
      }
      const feature = decodeFeature(queue.take(SIZE_PREFIX_BYTES + lengthBytes), header, features.length, fileName);
      features.push(feature);
      if (onFeature) await onFeature(feature, features.length - 1);
    }
    checkFeatureCount(header, features.length, fileName);
    return { type: 'FeatureCollection', features };
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
}

/**
 * Encodes a FeatureCollection as FlatGeobuf (EPSG:4326, with a packed Hilbert R-tree unless
 * `spatialIndex: false`). Columns are the union of all features' property keys, in first-seen order, typed
 * from all values: booleans → Bool, integers → Int (Long beyond 32 bits), other numbers → Double, strings →
 * String, objects/arrays → Json; a key mixing numbers/booleans with strings becomes String (values written
 * as text) and one mixing in objects becomes Json. Missing, null, NaN and ±Infinity values are written as
 * FlatGeobuf nulls (the property is omitted). Positions are written 2D. Features with a null or empty
 * geometry are left out (see `onSkippedFeature`); an empty collection gives a valid file with no features.
 * Throws an Error for a non-finite coordinate or an unknown geometry type.
 */
export function writeFlatGeobuf(collection: FeatureCollection, options: FlatGeobufWriteOptions = {}): Uint8Array {
  const columns = inferColumns(collection.features);
  const items: { feature: Feature; geometry: Geometry; bbox: number[] }[] = [];
  collection.features.forEach((feature, featureIndex) => {
    if (feature.geometry === null || feature.geometry === undefined) {
      options.onSkippedFeature?.(featureIndex, 'null geometry');
      return;
    }
    const geometry = flatten2d(feature.geometry, featureIndex);
    const bbox = [Infinity, Infinity, -Infinity, -Infinity];
    expandBbox(geometry, bbox);
    if (bbox[0] > bbox[2]) {
      options.onSkippedFeature?.(featureIndex, 'empty geometry');
      return;
    }
    items.push({ feature, geometry, bbox });
  });

  const envelope = [Infinity, Infinity, -Infinity, -Infinity];
  for (const item of items) expandEnvelope(envelope, item.bbox);
  const writeIndex = options.spatialIndex !== false && items.length > 0;
  if (writeIndex) hilbertSort(items, envelope);

  const geometryTypes = new Set(items.map((item) => item.geometry.type));
  const headerMeta: HeaderMeta = {
    geometryType:
      geometryTypes.size === 1
        ? GeometryType[[...geometryTypes][0] as keyof typeof GeometryType]
        : GeometryType.Unknown,
    columns,
    envelope: items.length > 0 ? Float64Array.from(envelope) : null,
    featuresCount: items.length,
    indexNodeSize: writeIndex ? DEFAULT_INDEX_NODE_SIZE : 0,
    crs: null,
    title: null,
    description: options.description ?? null,
    metadata: null,
  };
  const featureBuffers = items.map((item) => {
    const parsed: IParsedGeometry =
      item.geometry.type === 'GeometryCollection' ? parseGC(item.geometry) : parseGeometry(item.geometry);
    return buildFeature(parsed, columnValues(item.feature.properties, columns), headerMeta);
  });
  const headerBuffer = buildHeader(headerMeta, options.layerName ?? 'features');
  const indexBuffer = writeIndex
    ? buildPackedRTree(
        items.map((item) => item.bbox),
        featureBuffers,
      )
    : new Uint8Array(0);

  let totalBytes = MAGIC_LENGTH_BYTES + headerBuffer.length + indexBuffer.length;
  for (const buffer of featureBuffers) totalBytes += buffer.length;
  const out = new Uint8Array(totalBytes);
  out.set(MAGIC_BYTES);
  let offset = MAGIC_LENGTH_BYTES;
  for (const part of [headerBuffer, indexBuffer, ...featureBuffers]) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Reading

/** Validates magic bytes, version and header length (from up to the first 12 bytes); returns the header length. */
function readPreamble(bytes: Uint8Array, fileName: string): number {
  if (bytes.length === 0) throw new FileError(fileName, null, 'the file is empty (0 bytes), not a FlatGeobuf file');
  const prefix = Math.min(bytes.length, 3);
  for (let i = 0; i < prefix; i++) {
    if (bytes[i] !== MAGIC_BYTES[i])
      throw new FileError(fileName, null, 'not a FlatGeobuf file (it does not start with "fgb")');
  }
  if (bytes.length < MAGIC_LENGTH_BYTES) {
    throw new FileError(fileName, null, `truncated header (the file ends after ${bytes.length} of the 8 magic bytes)`);
  }
  if (bytes[4] !== MAGIC_BYTES[4] || bytes[5] !== MAGIC_BYTES[5] || bytes[6] !== MAGIC_BYTES[6]) {
    throw new FileError(fileName, null, 'not a FlatGeobuf file (bad magic bytes)');
  }
  if (bytes[3] !== MAGIC_BYTES[3]) {
    throw new FileError(fileName, null, `unsupported FlatGeobuf version ${bytes[3]} (only version 3 can be read)`);
  }
  if (bytes.length < PREAMBLE_BYTES) {
    throw new FileError(
      fileName,
      null,
      `truncated header (the file ends after ${bytes.length} bytes, before the header length)`,
    );
  }
  const headerLengthBytes = readUint32(bytes, MAGIC_LENGTH_BYTES);
  if (headerLengthBytes < 8 || headerLengthBytes > MAX_HEADER_BYTES) {
    throw new FileError(fileName, null, `corrupt header (its length field says ${headerLengthBytes} bytes)`);
  }
  return headerLengthBytes;
}

/** Decodes the size-prefixed header table; any inconsistency becomes "corrupt header". */
function decodeHeader(sizePrefixedHeader: Uint8Array, fileName: string): HeaderMeta {
  let header: HeaderMeta;
  try {
    const problem = tableProblem(sizePrefixedHeader);
    if (problem) throw new Error(problem);
    const columnCount = Header.getSizePrefixedRootAsHeader(
      new flatbuffers.ByteBuffer(sizePrefixedHeader),
    ).columnsLength();
    if (columnCount > MAX_COLUMNS) throw new Error(`${columnCount} columns`);
    header = fromByteBuffer(new flatbuffers.ByteBuffer(sizePrefixedHeader));
  } catch (error) {
    throw new FileError(fileName, null, `corrupt header (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!(header.geometryType >= GeometryType.Unknown && header.geometryType <= GeometryType.GeometryCollection)) {
    const name = GeometryType[header.geometryType] ?? `type ${header.geometryType}`;
    throw new FileError(
      fileName,
      null,
      `geometry ${name} is not supported (only points, lines, polygons and their multi/collection forms)`,
    );
  }
  if (!Number.isSafeInteger(header.featuresCount) || header.featuresCount < 0) {
    throw new FileError(fileName, null, `corrupt header (feature count ${header.featuresCount})`);
  }
  return header;
}

/** Bytes of the packed R-tree between header and features (0 without an index). */
function indexSizeBytes(header: HeaderMeta, fileName: string): number {
  if (header.indexNodeSize === 0 || header.featuresCount === 0) return 0; // calcTreeSize(0, n) never returns
  if (header.indexNodeSize < 2)
    throw new FileError(fileName, null, `corrupt header (index node size ${header.indexNodeSize})`);
  return calcTreeSize(header.featuresCount, header.indexNodeSize);
}

function decodeFeature(
  sizePrefixedFeature: Uint8Array,
  header: HeaderMeta,
  featureIndex: number,
  fileName: string,
): Feature {
  const columns = header.columns ?? [];
  try {
    const problem = tableProblem(sizePrefixedFeature);
    if (problem) throw new Error(problem);
    const feature = FgbFeature.getSizePrefixedRootAsFeature(new flatbuffers.ByteBuffer(sizePrefixedFeature));
    const fgbGeometry = feature.geometry();
    let geometry: Geometry | null = null;
    if (fgbGeometry !== null) {
      const type = header.geometryType === GeometryType.Unknown ? fgbGeometry.type() : header.geometryType;
      if (!(type >= GeometryType.Point && type <= GeometryType.GeometryCollection)) {
        throw new Error(`geometry type ${GeometryType[type] ?? type} is not supported`);
      }
      geometry = to2d(fromGeometry(fgbGeometry, type));
    }
    // Decode under index names ("0", "1", …) so a column called "__proto__" cannot hit the prototype.
    const byIndex = parseProperties(
      feature,
      columns.map((column, i) => ({ ...column, name: String(i) })),
    );
    const properties: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const value = Object.hasOwn(byIndex, String(i)) ? byIndex[String(i)] : null;
      Object.defineProperty(properties, column.name, { value, enumerable: true, writable: true, configurable: true });
    });
    return { type: 'Feature', geometry: geometry as Geometry, properties: properties as GeoJsonProperties };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (featureIndex === 0) {
      throw new FileError(fileName, 0, `corrupt feature (${reason}); the header length field may be wrong`);
    }
    throw new FileError(fileName, featureIndex, `corrupt feature (${reason})`);
  }
}

function to2d(geometry: Geometry): Geometry {
  if (geometry.type === 'GeometryCollection')
    return { type: 'GeometryCollection', geometries: geometry.geometries.map(to2d) };
  const strip = (value: unknown): unknown =>
    Array.isArray(value) && typeof value[0] === 'number' ? [value[0], value[1]] : (value as unknown[]).map(strip);
  return { type: geometry.type, coordinates: strip(geometry.coordinates) } as Geometry;
}

function checkFeatureCount(header: HeaderMeta, count: number, fileName: string): void {
  // featuresCount 0 means "unknown" (allowed for streamed writers) when there is no index.
  if (header.featuresCount !== 0 && header.featuresCount !== count) {
    throw new FileError(
      fileName,
      null,
      `the header says ${header.featuresCount} features but the file holds ${count} (corrupt header length or truncated file)`,
    );
  }
}

function truncatedHeader(headerLengthBytes: number, presentBytes: number): string {
  return `truncated header or corrupt header length (the length field says ${headerLengthBytes} bytes, ${Math.max(presentBytes, 0)} follow)`;
}

function truncatedAfter(
  featuresRead: number,
  featuresExpected: number,
  lengthBytes: number,
  remainingBytes: number,
): string {
  const where =
    featuresRead === 0
      ? 'truncated before the first feature, or a corrupt header length'
      : `truncated after feature ${featuresRead - 1}`;
  const expected = featuresExpected > 0 ? ` of ${featuresExpected}` : '';
  const detail =
    lengthBytes < 0
      ? `${remainingBytes} stray bytes where a feature length should be`
      : `feature ${featuresRead} needs ${SIZE_PREFIX_BYTES + lengthBytes} bytes, ${remainingBytes} remain`;
  return `${where} (${featuresRead}${expected} features read; ${detail})`;
}

/**
 * Why a size-prefixed FlatBuffers table cannot be right (root offset, vtable or table outside the
 * buffer), or null. The package reads out-of-range bytes as zeros instead of failing, so garbage (e.g.
 * bytes read from a wrong offset after a corrupt header length) would otherwise decode as a feature.
 */
function tableProblem(sizePrefixed: Uint8Array): string | null {
  const end = sizePrefixed.length;
  if (end < 12) return `${end - SIZE_PREFIX_BYTES} bytes is too small for a table`;
  const table = SIZE_PREFIX_BYTES + readUint32(sizePrefixed, SIZE_PREFIX_BYTES);
  if (table + 4 > end) return 'root offset points outside the data';
  const vtable = table - (readUint32(sizePrefixed, table) | 0);
  if (vtable < 8 || vtable + 4 > end) return 'vtable outside the data';
  const vtableSize = sizePrefixed[vtable] | (sizePrefixed[vtable + 1] << 8);
  const tableSize = sizePrefixed[vtable + 2] | (sizePrefixed[vtable + 3] << 8);
  if (vtableSize < 4 || vtableSize % 2 !== 0 || vtable + vtableSize > end) return 'bad vtable size';
  if (tableSize < 4 || table + tableSize > end) return 'bad table size';
  return null;
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

/** The bytes [start, end) at an 8-aligned byte offset: the package reads coordinates as a Float64Array view. */
function alignedCopy(bytes: Uint8Array, start: number, end: number): Uint8Array {
  if ((bytes.byteOffset + start) % 8 === 0) return bytes.subarray(start, end);
  return bytes.slice(start, end);
}

/** Bytes read from a stream, consumed from the front. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  private done = false;
  size = 0;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Reads until at least `bytes` are buffered or the stream ends. */
  async fill(bytes: number): Promise<void> {
    while (this.size < bytes && !this.done) {
      const { value, done } = await this.reader.read();
      if (done) this.done = true;
      else if (value.length > 0) {
        this.chunks.push(value);
        this.size += value.length;
      }
    }
  }

  /** A fresh (8-aligned) copy of the first `bytes` bytes, left in the queue. */
  peek(bytes: number): Uint8Array {
    const out = new Uint8Array(bytes);
    let offset = 0;
    for (const chunk of this.chunks) {
      if (offset === bytes) break;
      const part = chunk.subarray(0, bytes - offset);
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  /** Removes and returns the first `bytes` bytes (a fresh, 8-aligned copy). */
  take(bytes: number): Uint8Array {
    const out = this.peek(bytes);
    let left = bytes;
    while (left > 0) {
      const chunk = this.chunks[0];
      if (chunk.length <= left) {
        this.chunks.shift();
        left -= chunk.length;
      } else {
        this.chunks[0] = chunk.subarray(left);
        left = 0;
      }
    }
    this.size -= bytes;
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------
// Writing

type ValueKind = 'boolean' | 'integer' | 'double' | 'string' | 'json';

function isNullish(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value));
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
  return [...kinds].map(([name, seen]) => ({
    name,
    type: columnType(seen, int32.get(name) ?? true),
    title: null,
    description: null,
    width: -1,
    precision: -1,
    scale: -1,
    nullable: true,
    unique: false,
    primary_key: false,
  }));
}

function columnType(seen: Set<ValueKind>, fitsInt32: boolean): ColumnType {
  if (seen.has('json')) return ColumnType.Json;
  if (seen.size === 0) return ColumnType.String;
  if (seen.size === 1 && seen.has('boolean')) return ColumnType.Bool;
  if (seen.size === 1 && seen.has('integer')) return fitsInt32 ? ColumnType.Int : ColumnType.Long;
  if ([...seen].every((kind) => kind === 'integer' || kind === 'double')) return ColumnType.Double;
  return ColumnType.String;
}

/** One value per column, `null` (= omitted, FlatGeobuf's null) where the feature has none. */
function columnValues(properties: GeoJsonProperties | undefined, columns: ColumnMeta[]): Record<string, never> {
  const values: Record<string, unknown> = Object.create(null);
  for (const column of columns) {
    const value = properties && Object.hasOwn(properties, column.name) ? properties[column.name] : null;
    values[column.name] = isNullish(value)
      ? null
      : column.type === ColumnType.String && typeof value !== 'string'
        ? String(value)
        : value;
  }
  return values as Record<string, never>;
}

/** A copy with 2D positions; throws for a non-finite coordinate or an unknown type. */
function flatten2d(geometry: Geometry, featureIndex: number): Geometry {
  if (geometry.type === 'GeometryCollection') {
    return { type: 'GeometryCollection', geometries: geometry.geometries.map((part) => flatten2d(part, featureIndex)) };
  }
  const depth = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }[
    geometry.type
  ];
  if (depth === undefined)
    throw new Error(`feature ${featureIndex}: unknown geometry type ${JSON.stringify(geometry.type)}`);
  const copy = (value: unknown, level: number): unknown => {
    if (level > 0) return (value as unknown[]).map((item) => copy(item, level - 1));
    const position = value as Position;
    if (!Number.isFinite(position[0]) || !Number.isFinite(position[1])) {
      throw new Error(
        `feature ${featureIndex}: position [${position.join(', ')}] is not finite; FlatGeobuf export needs finite coordinates`,
      );
    }
    return [position[0], position[1]];
  };
  return { type: geometry.type, coordinates: copy(geometry.coordinates, depth) } as Geometry;
}

function expandBbox(geometry: Geometry, bbox: number[]): void {
  if (geometry.type === 'GeometryCollection') {
    for (const part of geometry.geometries) expandBbox(part, bbox);
    return;
  }
  const visit = (value: unknown): void => {
    const array = value as unknown[];
    if (typeof array[0] === 'number') {
      const [x, y] = array as number[];
      if (x < bbox[0]) bbox[0] = x;
      if (y < bbox[1]) bbox[1] = y;
      if (x > bbox[2]) bbox[2] = x;
      if (y > bbox[3]) bbox[3] = y;
    } else for (const item of array) visit(item);
  };
  visit(geometry.coordinates);
}

function expandEnvelope(envelope: number[], bbox: number[]): void {
  envelope[0] = Math.min(envelope[0], bbox[0]);
  envelope[1] = Math.min(envelope[1], bbox[1]);
  envelope[2] = Math.max(envelope[2], bbox[2]);
  envelope[3] = Math.max(envelope[3], bbox[3]);
}

function buildHeader(meta: HeaderMeta, layerName: string): Uint8Array {
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
  builder.finishSizePrefixed(Header.endHeader(builder));
  return builder.asUint8Array();
}

/** Sorts items by the Hilbert value of their bbox centre on a 16-bit grid over the envelope (as GDAL does). */
function hilbertSort(items: { bbox: number[] }[], envelope: number[]): void {
  const width = envelope[2] - envelope[0] || 1;
  const height = envelope[3] - envelope[1] || 1;
  const keys = new Map<{ bbox: number[] }, number>();
  for (const item of items) {
    const x = Math.floor((HILBERT_MAX * ((item.bbox[0] + item.bbox[2]) / 2 - envelope[0])) / width);
    const y = Math.floor((HILBERT_MAX * ((item.bbox[1] + item.bbox[3]) / 2 - envelope[1])) / height);
    keys.set(item, hilbert(x, y));
  }
  items.sort((a, b) => keys.get(a)! - keys.get(b)!); // stable: equal keys keep input order
}

/**
 * FlatGeobuf's packed R-tree (the npm package only reads it): levels root-first, leaves last, 40-byte
 * nodes of minX, minY, maxX, maxY (float64) and an offset (uint64): for a leaf the byte offset of its
 * feature from the start of the features section, for an inner node the index of its first child.
 */
function buildPackedRTree(bboxes: number[][], featureBuffers: Uint8Array[]): Uint8Array {
  const nodeSize = DEFAULT_INDEX_NODE_SIZE;
  const treeBytes = calcTreeSize(bboxes.length, nodeSize);
  const nodeCount = treeBytes / NODE_ITEM_BYTES;
  const levelBounds = generateLevelBounds(bboxes.length, nodeSize); // [leaves, …, root]
  const boxes = new Float64Array(nodeCount * 4);
  const offsets = new Array<number>(nodeCount).fill(0);
  let featureOffset = 0;
  const firstLeaf = levelBounds[0][0];
  bboxes.forEach((bbox, i) => {
    boxes.set(bbox, (firstLeaf + i) * 4);
    offsets[firstLeaf + i] = featureOffset;
    featureOffset += featureBuffers[i].length;
  });
  for (let level = 0; level < levelBounds.length - 1; level++) {
    let child = levelBounds[level][0];
    const end = levelBounds[level][1];
    let parent = levelBounds[level + 1][0];
    while (child < end) {
      const box = [Infinity, Infinity, -Infinity, -Infinity];
      offsets[parent] = child;
      for (let j = 0; j < nodeSize && child < end; j++, child++)
        expandEnvelope(box, Array.from(boxes.subarray(child * 4, child * 4 + 4)));
      boxes.set(box, parent * 4);
      parent++;
    }
  }
  const out = new Uint8Array(treeBytes);
  const view = new DataView(out.buffer);
  for (let node = 0; node < nodeCount; node++) {
    for (let k = 0; k < 4; k++) view.setFloat64(node * NODE_ITEM_BYTES + k * 8, boxes[node * 4 + k], true);
    view.setBigUint64(node * NODE_ITEM_BYTES + 32, BigInt(offsets[node]), true);
  }
  return out;
}

/** Hilbert index of (x, y) on a 16-bit grid (from flatbush, ISC licence, as in FlatGeobuf's C++ writer). */
function hilbert(x: number, y: number): number {
  let a = x ^ y;
  let b = 0xffff ^ a;
  let c = 0xffff ^ (x | y);
  let d = x & (y ^ 0xffff);
  let A = a | (b >> 1);
  let B = (a >> 1) ^ a;
  let C = c ^ ((c >> 1) ^ (b & (d >> 1)));
  let D = d ^ ((a & (c >> 1)) ^ (d >> 1));
  a = (A & (A >> 2)) ^ (B & (B >> 2));
  b = (A & (B >> 2)) ^ (B & ((A ^ B) >> 2));
  c = C ^ ((A & (C >> 2)) ^ (B & (D >> 2)));
  d = D ^ ((B & (C >> 2)) ^ ((A ^ B) & (D >> 2)));
  A = (a & (a >> 4)) ^ (b & (b >> 4));
  B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4));
  C = c ^ ((a & (c >> 4)) ^ (b & (d >> 4)));
  D = d ^ ((b & (c >> 4)) ^ ((a ^ b) & (d >> 4)));
  c = C ^ ((A & (C >> 8)) ^ (B & (D >> 8)));
  d = D ^ ((B & (C >> 8)) ^ ((A ^ B) & (D >> 8)));
  c ^= c >> 1;
  d ^= d >> 1;
  a = x ^ y;
  b = d | (0xffff ^ (a | c));
  a = (a | (a << 8)) & 0x00ff00ff;
  a = (a | (a << 4)) & 0x0f0f0f0f;
  a = (a | (a << 2)) & 0x33333333;
  a = (a | (a << 1)) & 0x55555555;
  b = (b | (b << 8)) & 0x00ff00ff;
  b = (b | (b << 4)) & 0x0f0f0f0f;
  b = (b | (b << 2)) & 0x33333333;
  b = (b | (b << 1)) & 0x55555555;
  return ((b << 1) | a) >>> 0;
}
