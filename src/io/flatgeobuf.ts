import * as flatbuffers from 'flatbuffers';
import Flatbush from 'flatbush';
import type { ColumnMeta } from 'flatgeobuf/lib/mjs/column-meta.js';
import { Column } from 'flatgeobuf/lib/mjs/flat-geobuf/column.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { Crs } from 'flatgeobuf/lib/mjs/flat-geobuf/crs.js';
import { Feature as FgbFeature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { Geometry as FgbGeometry } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import { parseProperties } from 'flatgeobuf/lib/mjs/generic/feature.js';
import { buildGeometry } from 'flatgeobuf/lib/mjs/generic/geometry.js';
import { fromGeometry, parseGC } from 'flatgeobuf/lib/mjs/geojson/geometry.js';
import { fromByteBuffer, type HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { calcTreeSize, generateLevelBounds } from 'flatgeobuf/lib/mjs/packedrtree.js';
import type { Feature, FeatureCollection, GeoJsonProperties, Geometry, GeometryCollection, Position } from 'geojson';
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
 *   encodes each feature as the package's `buildFeature` does (same bytes: its generated `Feature` and
 *   `Geometry` classes, a missing value omitted = FlatGeobuf's null), but in one reused Builder and
 *   without its per-feature intermediate arrays, so a million features take seconds, not minutes.
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

/** True when the bytes start with FlatGeobuf's magic ("fgb", a version byte, "fgb"). */
export function detectFlatGeobuf(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC_LENGTH_BYTES && [0, 1, 2, 4, 5, 6].every((i) => bytes[i] === MAGIC_BYTES[i]);
}

/** What a FlatGeobuf header says besides the features: CRS, Z/M, counts and free text. */
export interface FlatGeobufInfo {
  /** `{org: "EPSG", code: 4544}`, or a WKT, or null when the header names no CRS. */
  crs: { org: string | null; code: number; wkt: string | null } | null;
  hasZ: boolean;
  hasM: boolean;
  featuresCount: number;
  description: string | null;
  metadata: string | null;
}

/** Reads only the header (same checks and messages as {@link readFlatGeobuf}). */
export function flatGeobufInfo(bytes: Uint8Array, fileName: string): FlatGeobufInfo {
  const headerLengthBytes = readPreamble(bytes, fileName);
  if (PREAMBLE_BYTES + headerLengthBytes > bytes.length) {
    throw new FileError(fileName, null, truncatedHeader(headerLengthBytes, bytes.length - PREAMBLE_BYTES));
  }
  const sizePrefixed = bytes.subarray(MAGIC_LENGTH_BYTES, PREAMBLE_BYTES + headerLengthBytes);
  const meta = decodeHeader(sizePrefixed, fileName);
  const raw = Header.getSizePrefixedRootAsHeader(new flatbuffers.ByteBuffer(sizePrefixed));
  const crs = meta.crs;
  return {
    crs: crs && (crs.code > 0 || crs.wkt) ? { org: crs.org, code: crs.code, wkt: crs.wkt } : null,
    hasZ: raw.hasZ(),
    hasM: raw.hasM(),
    featuresCount: meta.featuresCount,
    description: meta.description,
    metadata: meta.metadata,
  };
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
  writePackedRTree(layer, out.subarray(indexStart, indexStart + layer.indexBytes));
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
  writePackedRTree(layer, index);
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
//
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
const FIRST_CHUNK_BYTES = 1 << 16;
const MAX_CHUNK_BYTES = 1 << 23;
/** Non-ASCII strings up to this length are UTF-8 encoded once and cached (community names repeat). */
const CACHED_STRING_LENGTH = 64;
const STRING_CACHE_ENTRIES = 4096;

const FAST_TYPES: Partial<Record<string, GeometryType>> = {
  Point: GeometryType.Point,
  MultiPoint: GeometryType.MultiPoint,
  LineString: GeometryType.LineString,
  MultiLineString: GeometryType.MultiLineString,
  Polygon: GeometryType.Polygon,
  MultiPolygon: GeometryType.MultiPolygon,
};

function isNullish(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value));
}

/** Encoded features in input order: bytes in chunks, and per feature its place, size and bounding box. */
interface FeatureStore {
  count: number;
  chunks: Uint8Array[];
  chunkOf: Uint32Array;
  offsetIn: Uint32Array;
  sizes: Uint32Array;
  /** minX, minY, maxX, maxY per feature. */
  bboxes: Float64Array;
  featureBytes: number;
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
  const header = buildHeader(headerMeta, options.layerName ?? 'features');
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
function declaredColumns(declared: readonly FlatGeobufColumn[]): ColumnMeta[] {
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

/** Encodes features one by one into chunks, reusing one Builder and a few growable typed arrays. */
class FeatureEncoder {
  private readonly builder = new flatbuffers.Builder(1024);
  private readonly names: string[];
  private readonly types: ColumnType[];
  private readonly columnNames: Set<string>;
  private readonly textEncoder = new TextEncoder();
  private readonly stringCache = new Map<string, Uint8Array>();
  private props = new Uint8Array(256);
  private propsView = new DataView(this.props.buffer);
  /** Coordinates of the current geometry, its ring/line ends (in points) and MultiPolygon parts. */
  private xy = new Float64Array(256);
  private xyLength = 0;
  private ends = new Uint32Array(16);
  private endsLength = 0;
  /** Per MultiPolygon part: xy start, xy end, ends start, ends end. */
  private parts: number[] = [];
  private readonly partOffsets: number[] = [];
  private minX = Infinity;
  private minY = Infinity;
  private maxX = -Infinity;
  private maxY = -Infinity;
  private firstType = -1;
  private mixedTypes = false;

  private readonly store: FeatureStore;
  private chunk: Uint8Array;
  private chunkUsed = 0;

  constructor(
    columns: ColumnMeta[],
    private readonly declared: boolean,
    expectedCount: number,
  ) {
    this.names = columns.map((column) => column.name);
    this.types = columns.map((column) => column.type);
    this.columnNames = new Set(this.names);
    const capacity = Math.max(expectedCount, 16);
    this.chunk = new Uint8Array(FIRST_CHUNK_BYTES);
    this.store = {
      count: 0,
      chunks: [this.chunk],
      chunkOf: new Uint32Array(capacity),
      offsetIn: new Uint32Array(capacity),
      sizes: new Uint32Array(capacity),
      bboxes: new Float64Array(capacity * 4),
      featureBytes: 0,
    };
  }

  /** Encodes a feature with a geometry; false (nothing stored) when the geometry has no positions. */
  add(feature: Feature, featureIndex: number): boolean {
    const geometry = feature.geometry as Geometry;
    this.minX = Infinity;
    this.minY = Infinity;
    this.maxX = -Infinity;
    this.maxY = -Infinity;
    const type = FAST_TYPES[geometry.type];
    let general: Geometry | null = null;
    if (type !== undefined) this.gather(geometry, type, featureIndex);
    else if (geometry.type === 'GeometryCollection') {
      general = flatten2d(geometry, featureIndex);
      const bbox = [Infinity, Infinity, -Infinity, -Infinity];
      expandBbox(general, bbox);
      [this.minX, this.minY, this.maxX, this.maxY] = bbox;
    } else throw new Error(`feature ${featureIndex}: unknown geometry type ${JSON.stringify(geometry.type)}`);
    if (this.minX > this.maxX) return false;

    const builder = this.builder;
    builder.clear();
    const propsLength = this.encodeProperties(feature.properties, featureIndex);
    const propertiesOffset = propsLength > 0 ? builder.createByteVector(this.props.subarray(0, propsLength)) : 0;
    let geometryOffset: number;
    let geometryType: GeometryType;
    if (general) {
      geometryType = GeometryType.GeometryCollection;
      geometryOffset = buildGeometry(builder, parseGC(general as GeometryCollection));
    } else if (type === GeometryType.MultiPolygon) {
      geometryType = type;
      const partOffsets = this.partOffsets;
      partOffsets.length = 0;
      const parts = this.parts;
      for (let p = 0; p < parts.length; p += 4) {
        partOffsets.push(this.buildSimple(GeometryType.Polygon, parts[p], parts[p + 1], parts[p + 2], parts[p + 3]));
      }
      const partsOffset = FgbGeometry.createPartsVector(builder, partOffsets);
      FgbGeometry.startGeometry(builder);
      FgbGeometry.addParts(builder, partsOffset);
      FgbGeometry.addType(builder, type);
      geometryOffset = FgbGeometry.endGeometry(builder);
    } else {
      geometryType = type!;
      geometryOffset = this.buildSimple(type!, 0, this.xyLength, 0, this.endsLength);
    }
    FgbFeature.startFeature(builder);
    FgbFeature.addGeometry(builder, geometryOffset);
    if (propertiesOffset) FgbFeature.addProperties(builder, propertiesOffset);
    builder.finishSizePrefixed(FgbFeature.endFeature(builder));

    if (this.firstType === -1) this.firstType = geometryType;
    else if (this.firstType !== geometryType) this.mixedTypes = true;
    this.append();
    return true;
  }

  /** The header's geometry type: the features' one type, or Unknown for a mix (or none). */
  geometryType(): GeometryType {
    return this.firstType === -1 || this.mixedTypes ? GeometryType.Unknown : this.firstType;
  }

  finish(): FeatureStore {
    return this.store;
  }

  /** Copies the finished Builder bytes into the chunks and records the feature. */
  private append(): void {
    const buffer = this.builder.dataBuffer();
    const bytes = buffer.bytes();
    const start = buffer.position();
    const size = bytes.length - start;
    const store = this.store;
    if (this.chunkUsed + size > this.chunk.length) {
      const chunkBytes = Math.max(size, Math.min(MAX_CHUNK_BYTES, FIRST_CHUNK_BYTES << store.chunks.length));
      this.chunk = new Uint8Array(chunkBytes);
      store.chunks.push(this.chunk);
      this.chunkUsed = 0;
    }
    this.chunk.set(bytes.subarray(start), this.chunkUsed);
    let i = store.count;
    if (i === store.sizes.length) this.growRecords();
    store.chunkOf[i] = store.chunks.length - 1;
    store.offsetIn[i] = this.chunkUsed;
    store.sizes[i] = size;
    i *= 4;
    store.bboxes[i] = this.minX;
    store.bboxes[i + 1] = this.minY;
    store.bboxes[i + 2] = this.maxX;
    store.bboxes[i + 3] = this.maxY;
    this.chunkUsed += size;
    store.featureBytes += size;
    store.count++;
  }

  private growRecords(): void {
    const store = this.store;
    const capacity = store.sizes.length * 2;
    const grow = <T extends Uint32Array | Float64Array>(array: T, length: number): T => {
      const bigger = new (array.constructor as new (length: number) => T)(length);
      bigger.set(array);
      return bigger;
    };
    store.chunkOf = grow(store.chunkOf, capacity);
    store.offsetIn = grow(store.offsetIn, capacity);
    store.sizes = grow(store.sizes, capacity);
    store.bboxes = grow(store.bboxes, capacity * 4);
  }

  /** Gathers a non-collection geometry's 2D coordinates, ends and parts as the package's parseGeometry would. */
  private gather(geometry: Geometry, type: GeometryType, featureIndex: number): void {
    this.xyLength = 0;
    this.endsLength = 0;
    const coordinates = (geometry as Exclude<Geometry, GeometryCollection>).coordinates;
    switch (type) {
      case GeometryType.Point:
        this.position(coordinates as Position, featureIndex);
        break;
      case GeometryType.MultiPoint:
      case GeometryType.LineString:
        this.line(coordinates as Position[], featureIndex);
        break;
      case GeometryType.MultiLineString:
      case GeometryType.Polygon:
        this.rings(coordinates as Position[][], 0, featureIndex);
        break;
      default: {
        const parts = this.parts;
        parts.length = 0;
        for (const polygon of coordinates as Position[][][]) {
          const xyStart = this.xyLength;
          const endsStart = this.endsLength;
          this.rings(polygon, xyStart, featureIndex);
          parts.push(xyStart, this.xyLength, endsStart, this.endsLength);
        }
      }
    }
  }

  private rings(rings: Position[][], xyStart: number, featureIndex: number): void {
    for (const ring of rings) {
      this.line(ring, featureIndex);
      if (this.endsLength === this.ends.length) {
        const bigger = new Uint32Array(this.ends.length * 2);
        bigger.set(this.ends);
        this.ends = bigger;
      }
      this.ends[this.endsLength++] = (this.xyLength - xyStart) / 2;
    }
  }

  private line(positions: Position[], featureIndex: number): void {
    const needed = this.xyLength + 2 * positions.length;
    if (needed > this.xy.length) {
      const bigger = new Float64Array(Math.max(needed, this.xy.length * 2));
      bigger.set(this.xy.subarray(0, this.xyLength));
      this.xy = bigger;
    }
    for (let i = 0; i < positions.length; i++) this.position(positions[i], featureIndex);
  }

  private position(position: Position, featureIndex: number): void {
    const x = position[0];
    const y = position[1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new Error(
        `feature ${featureIndex}: position [${position.join(', ')}] is not finite; FlatGeobuf export needs finite coordinates`,
      );
    }
    if (this.xyLength + 2 > this.xy.length) {
      const bigger = new Float64Array(this.xy.length * 2);
      bigger.set(this.xy);
      this.xy = bigger;
    }
    this.xy[this.xyLength++] = x;
    this.xy[this.xyLength++] = y;
    if (x < this.minX) this.minX = x;
    if (y < this.minY) this.minY = y;
    if (x > this.maxX) this.maxX = x;
    if (y > this.maxY) this.maxY = y;
  }

  /** A Geometry table as the package's buildGeometry writes it (ends only for more than one ring). */
  private buildSimple(type: GeometryType, xyStart: number, xyEnd: number, endsStart: number, endsEnd: number): number {
    const builder = this.builder;
    const xy = this.xy;
    FgbGeometry.startXyVector(builder, xyEnd - xyStart);
    for (let i = xyEnd - 1; i >= xyStart; i--) builder.writeFloat64(xy[i]);
    const xyOffset = builder.endVector();
    let endsOffset = 0;
    if (endsEnd - endsStart > 1) {
      const ends = this.ends;
      FgbGeometry.startEndsVector(builder, endsEnd - endsStart);
      for (let i = endsEnd - 1; i >= endsStart; i--) builder.writeInt32(ends[i]);
      endsOffset = builder.endVector();
    }
    FgbGeometry.startGeometry(builder);
    if (endsOffset) FgbGeometry.addEnds(builder, endsOffset);
    FgbGeometry.addXy(builder, xyOffset);
    FgbGeometry.addType(builder, type);
    return FgbGeometry.endGeometry(builder);
  }

  /** Writes the properties into `props` (buildFeature's format); returns the byte length. */
  private encodeProperties(properties: GeoJsonProperties | undefined, featureIndex: number): number {
    if (properties === null || properties === undefined) return 0;
    const names = this.names;
    const types = this.types;
    let length = 0;
    let present = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value: unknown = properties[name];
      if (value === undefined) continue;
      present++;
      if (value === null || (typeof value === 'number' && !Number.isFinite(value))) continue;
      if (!Object.hasOwn(properties, name)) {
        present--;
        continue;
      }
      if (length + 16 > this.props.length) this.growProps(length + 16);
      const view = this.propsView;
      view.setUint16(length, i, true);
      length += 2;
      switch (types[i]) {
        case ColumnType.Bool:
          if (typeof value !== 'boolean') throw this.misfit(featureIndex, name, value, 'a boolean');
          this.props[length++] = value ? 1 : 0;
          break;
        case ColumnType.Int:
          if (!Number.isInteger(value) || (value as number) < -0x80000000 || (value as number) > 0x7fffffff)
            throw this.misfit(featureIndex, name, value, 'a 32-bit integer');
          view.setInt32(length, value as number, true);
          length += 4;
          break;
        case ColumnType.Long:
          if (!Number.isSafeInteger(value)) throw this.misfit(featureIndex, name, value, 'a safe integer');
          view.setBigInt64(length, BigInt(value as number), true);
          length += 8;
          break;
        case ColumnType.Double:
          if (typeof value !== 'number') throw this.misfit(featureIndex, name, value, 'a number');
          view.setFloat64(length, value, true);
          length += 8;
          break;
        case ColumnType.String:
          if (typeof value === 'string') length = this.writeString(value, length);
          else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
            length = this.writeString(String(value), length);
          else throw this.misfit(featureIndex, name, value, 'a string, number or boolean');
          break;
        default: // Json (the only other type we declare or infer)
          length = this.writeString(JSON.stringify(value), length);
      }
    }
    if (this.declared) this.checkUndeclared(properties, present, featureIndex);
    return length;
  }

  /** Throws for a property key that is not a declared column (cheap count first, exact check on mismatch). */
  private checkUndeclared(properties: NonNullable<GeoJsonProperties>, present: number, featureIndex: number): void {
    let keys = 0;
    for (const _ in properties) keys++;
    if (keys === present) return;
    for (const key in properties) {
      if (Object.hasOwn(properties, key) && !this.columnNames.has(key)) {
        throw new Error(`feature ${featureIndex}: property "${key}" is not among options.columns`);
      }
    }
  }

  private misfit(featureIndex: number, name: string, value: unknown, expected: string): Error {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
    return new Error(`feature ${featureIndex}: property "${name}" is ${shown}, not ${expected} as its column needs`);
  }

  /** A uint32 byte length and the UTF-8 bytes of `text` at `at`; returns the end. */
  private writeString(text: string, at: number): number {
    const n = text.length;
    if (at + 4 + 3 * n > this.props.length) this.growProps(at + 4 + 3 * n);
    const bytes = this.props;
    let end = at + 4;
    let i = 0;
    for (; i < n; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      bytes[end++] = code;
    }
    if (i < n) {
      let utf8 = n <= CACHED_STRING_LENGTH ? this.stringCache.get(text) : undefined;
      if (utf8 === undefined) {
        utf8 = this.textEncoder.encode(text);
        if (n <= CACHED_STRING_LENGTH && this.stringCache.size < STRING_CACHE_ENTRIES) this.stringCache.set(text, utf8);
      }
      bytes.set(utf8, at + 4);
      end = at + 4 + utf8.length;
    }
    this.propsView.setUint32(at, end - at - 4, true);
    return end;
  }

  private growProps(needed: number): void {
    const bigger = new Uint8Array(Math.max(needed, this.props.length * 2));
    bigger.set(this.props);
    this.props = bigger;
    this.propsView = new DataView(bigger.buffer);
  }
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

/**
 * Feature numbers in the leaf order of a packed Hilbert R-tree: Flatbush packs the same tree FlatGeobuf
 * does (bbox centres on a 16-bit Hilbert curve over the extent, as GDAL's writer, `nodeSize` per node),
 * so its leaves, in order, are the features in file order. (Flatbush orders items only down to node
 * blocks; within a block any order gives the same tree.)
 */
function hilbertOrder(bboxes: Float64Array, count: number): Uint32Array {
  const index = new Flatbush(count, DEFAULT_INDEX_NODE_SIZE);
  for (let i = 0; i < count; i++) index.add(bboxes[4 * i], bboxes[4 * i + 1], bboxes[4 * i + 2], bboxes[4 * i + 3]);
  index.finish();
  return Uint32Array.from(index._indices.subarray(0, count));
}

/**
 * FlatGeobuf's packed R-tree (the npm package only reads it) into `out` (calcTreeSize bytes): levels
 * root-first, leaves last, 40-byte nodes of minX, minY, maxX, maxY (float64) and an offset (uint64): for a
 * leaf the byte offset of its feature from the start of the features section, for an inner node the index
 * of its first child. Leaves are the features in file order.
 */
function writePackedRTree(layer: EncodedLayer, out: Uint8Array): void {
  const { store, order } = layer;
  const count = store.count;
  if (out.length === 0 || !order) return;
  const nodeSize = DEFAULT_INDEX_NODE_SIZE;
  const levelBounds = generateLevelBounds(count, nodeSize); // [leaves, …, root]
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const setOffset = (node: number, value: number) => {
    view.setUint32(node * NODE_ITEM_BYTES + 32, value >>> 0, true);
    view.setUint32(node * NODE_ITEM_BYTES + 36, Math.floor(value / 0x100000000), true);
  };
  const bboxes = store.bboxes;
  const firstLeaf = levelBounds[0][0];
  let featureOffset = 0;
  for (let j = 0; j < count; j++) {
    const i = order[j];
    const at = (firstLeaf + j) * NODE_ITEM_BYTES;
    for (let k = 0; k < 4; k++) view.setFloat64(at + 8 * k, bboxes[4 * i + k], true);
    setOffset(firstLeaf + j, featureOffset);
    featureOffset += store.sizes[i];
  }
  for (let level = 0; level < levelBounds.length - 1; level++) {
    let child = levelBounds[level][0];
    const end = levelBounds[level][1];
    let parent = levelBounds[level + 1][0];
    while (child < end) {
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      setOffset(parent, child);
      for (let j = 0; j < nodeSize && child < end; j++, child++) {
        const at = child * NODE_ITEM_BYTES;
        minX = Math.min(minX, view.getFloat64(at, true));
        minY = Math.min(minY, view.getFloat64(at + 8, true));
        maxX = Math.max(maxX, view.getFloat64(at + 16, true));
        maxY = Math.max(maxY, view.getFloat64(at + 24, true));
      }
      const at = parent * NODE_ITEM_BYTES;
      view.setFloat64(at, minX, true);
      view.setFloat64(at + 8, minY, true);
      view.setFloat64(at + 16, maxX, true);
      view.setFloat64(at + 24, maxY, true);
      parent++;
    }
  }
}
