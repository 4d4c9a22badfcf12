import * as flatbuffers from 'flatbuffers';
import { Feature as FgbFeature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import { parseProperties } from 'flatgeobuf/lib/mjs/generic/feature.js';
import { fromGeometry } from 'flatgeobuf/lib/mjs/geojson/geometry.js';
import { fromByteBuffer, type HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Feature, FeatureCollection, GeoJsonProperties, Geometry } from 'geojson';
import { InputError } from '../coverage/input-error';
import { MAGIC_BYTES, MAGIC_LENGTH_BYTES, MAX_COLUMNS, PREAMBLE_BYTES, SIZE_PREFIX_BYTES } from './flatgeobuf-format';
import { indexSizeBytes } from './flatgeobuf-index';

/**
 * FlatGeobuf reading (see `flatgeobuf-format.ts` for the driver as a whole): a whole file in memory, and
 * the checks every reader shares (magic, version, header, feature framing, feature count), so that the
 * stream reader gives the same messages.
 */

/** GDAL refuses headers over 10 MiB; anything larger is a corrupt length field. */
const MAX_HEADER_BYTES = 10 * 1024 * 1024;

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
    throw new InputError(fileName, null, truncatedHeader(headerLengthBytes, bytes.length - PREAMBLE_BYTES), {
      code: 'corrupt',
    });
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
 * Reads a whole FlatGeobuf file into a FeatureCollection. Throws an InputError for an empty file, a file
 * that is not FlatGeobuf or of another major version, a truncated header, index or feature ("truncated
 * after feature N"), a corrupt header or feature, and a feature count that disagrees with the header.
 */
export function readFlatGeobuf(bytes: Uint8Array, fileName: string): FeatureCollection {
  const headerLengthBytes = readPreamble(bytes, fileName);
  if (PREAMBLE_BYTES + headerLengthBytes > bytes.length) {
    throw new InputError(fileName, null, truncatedHeader(headerLengthBytes, bytes.length - PREAMBLE_BYTES), {
      code: 'corrupt',
    });
  }
  const header = decodeHeader(bytes.subarray(MAGIC_LENGTH_BYTES, PREAMBLE_BYTES + headerLengthBytes), fileName);
  const indexBytes = indexSizeBytes(header, fileName);
  let offset = PREAMBLE_BYTES + headerLengthBytes + indexBytes;
  if (offset > bytes.length) {
    throw new InputError(
      fileName,
      null,
      `truncated spatial index (${indexBytes} bytes expected, ${bytes.length - PREAMBLE_BYTES - headerLengthBytes} present)`,
      { code: 'corrupt' },
    );
  }
  const features: Feature[] = [];
  while (offset < bytes.length) {
    const remaining = bytes.length - offset;
    const lengthBytes = remaining >= SIZE_PREFIX_BYTES ? readUint32(bytes, offset) : -1;
    if (lengthBytes < 0 || SIZE_PREFIX_BYTES + lengthBytes > remaining) {
      throw new InputError(
        fileName,
        null,
        truncatedAfter(features.length, header.featuresCount, lengthBytes, remaining),
        { code: 'corrupt' },
      );
    }
    const end = offset + SIZE_PREFIX_BYTES + lengthBytes;
    features.push(decodeFeature(alignedCopy(bytes, offset, end), header, features.length, fileName));
    offset = end;
  }
  checkFeatureCount(header, features.length, fileName);
  return { type: 'FeatureCollection', features };
}

/** Validates magic bytes, version and header length (from up to the first 12 bytes); returns the header length. */
export function readPreamble(bytes: Uint8Array, fileName: string): number {
  if (bytes.length === 0)
    throw new InputError(fileName, null, 'the file is empty (0 bytes), not a FlatGeobuf file', { code: 'empty' });
  const prefix = Math.min(bytes.length, 3);
  for (let i = 0; i < prefix; i++) {
    if (bytes[i] !== MAGIC_BYTES[i])
      throw new InputError(fileName, null, 'not a FlatGeobuf file (it does not start with "fgb")', {
        code: 'unsupported-format',
      });
  }
  if (bytes.length < MAGIC_LENGTH_BYTES) {
    throw new InputError(
      fileName,
      null,
      `truncated header (the file ends after ${bytes.length} of the 8 magic bytes)`,
      { code: 'corrupt' },
    );
  }
  if (bytes[4] !== MAGIC_BYTES[4] || bytes[5] !== MAGIC_BYTES[5] || bytes[6] !== MAGIC_BYTES[6]) {
    throw new InputError(fileName, null, 'not a FlatGeobuf file (bad magic bytes)', { code: 'unsupported-format' });
  }
  if (bytes[3] !== MAGIC_BYTES[3]) {
    throw new InputError(fileName, null, `unsupported FlatGeobuf version ${bytes[3]} (only version 3 can be read)`, {
      code: 'unsupported-format',
    });
  }
  if (bytes.length < PREAMBLE_BYTES) {
    throw new InputError(
      fileName,
      null,
      `truncated header (the file ends after ${bytes.length} bytes, before the header length)`,
      { code: 'corrupt' },
    );
  }
  const headerLengthBytes = readUint32(bytes, MAGIC_LENGTH_BYTES);
  if (headerLengthBytes < 8 || headerLengthBytes > MAX_HEADER_BYTES) {
    throw new InputError(fileName, null, `corrupt header (its length field says ${headerLengthBytes} bytes)`, {
      code: 'corrupt',
    });
  }
  return headerLengthBytes;
}

/** Decodes the size-prefixed header table; any inconsistency becomes "corrupt header". */
export function decodeHeader(sizePrefixedHeader: Uint8Array, fileName: string): HeaderMeta {
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
    throw new InputError(fileName, null, `corrupt header (${error instanceof Error ? error.message : String(error)})`, {
      code: 'corrupt',
    });
  }
  if (!(header.geometryType >= GeometryType.Unknown && header.geometryType <= GeometryType.GeometryCollection)) {
    const name = GeometryType[header.geometryType] ?? `type ${header.geometryType}`;
    throw new InputError(
      fileName,
      null,
      `geometry ${name} is not supported (only points, lines, polygons and their multi/collection forms)`,
      { code: 'unsupported-format' },
    );
  }
  if (!Number.isSafeInteger(header.featuresCount) || header.featuresCount < 0) {
    throw new InputError(fileName, null, `corrupt header (feature count ${header.featuresCount})`, { code: 'corrupt' });
  }
  return header;
}

export function decodeFeature(
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
      throw new InputError(fileName, 0, `corrupt feature (${reason}); the header length field may be wrong`, {
        code: 'corrupt',
      });
    }
    throw new InputError(fileName, featureIndex, `corrupt feature (${reason})`, { code: 'corrupt' });
  }
}

function to2d(geometry: Geometry): Geometry {
  if (geometry.type === 'GeometryCollection')
    return { type: 'GeometryCollection', geometries: geometry.geometries.map(to2d) };
  const strip = (value: unknown): unknown =>
    Array.isArray(value) && typeof value[0] === 'number' ? [value[0], value[1]] : (value as unknown[]).map(strip);
  return { type: geometry.type, coordinates: strip(geometry.coordinates) } as Geometry;
}

export function checkFeatureCount(header: HeaderMeta, count: number, fileName: string): void {
  // featuresCount 0 means "unknown" (allowed for streamed writers) when there is no index.
  if (header.featuresCount !== 0 && header.featuresCount !== count) {
    throw new InputError(
      fileName,
      null,
      `the header says ${header.featuresCount} features but the file holds ${count} (corrupt header length or truncated file)`,
      { code: 'corrupt' },
    );
  }
}

export function truncatedHeader(headerLengthBytes: number, presentBytes: number): string {
  return `truncated header or corrupt header length (the length field says ${headerLengthBytes} bytes, ${Math.max(presentBytes, 0)} follow)`;
}

export function truncatedAfter(
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

export function readUint32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

/** The bytes [start, end) at an 8-aligned byte offset: the package reads coordinates as a Float64Array view. */
function alignedCopy(bytes: Uint8Array, start: number, end: number): Uint8Array {
  if ((bytes.byteOffset + start) % 8 === 0) return bytes.subarray(start, end);
  return bytes.slice(start, end);
}
