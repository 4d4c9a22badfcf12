/**
 * FlatGeobuf driver (this file: the format's constants and detection) built on the npm `flatgeobuf` 4.5
 * package's FlatBuffers classes and per-feature encoders/decoders, with our own framing around them
 * because its top-level functions have traps:
 *
 * - `deserialize` loops forever on an empty buffer or a lone magic header, yields some features and then
 *   throws on a truncated file, and silently returns nothing for a bad header length. It is also async
 *   only. We never call it: `readFlatGeobuf` validates magic, version and every length against the
 *   buffer, then decodes each feature with the package's `fromGeometry`/`parseProperties`; every loop step
 *   consumes at least 4 bytes, so no input can make it spin.
 * - `serialize` takes the columns from the first feature, writes a missing value as NaN/0/"", writes no
 *   CRS and no spatial index, and throws on a null geometry or an empty collection. `writeFlatGeobuf`
 *   builds the header itself (columns from all features, EPSG:4326, envelope, packed Hilbert R-tree) and
 *   encodes each feature as the package's `buildFeature` does (same bytes: its generated `Feature` and
 *   `Geometry` classes, a missing value omitted = FlatGeobuf's null), but in one reused Builder and
 *   without its per-feature intermediate arrays, so a million features take seconds, not minutes.
 *
 * Reading notes: positions come back 2D (Z/M dropped, as in the GeoJSON reader); a property the feature
 * does not carry comes back as `null` for every column of the header; `Json` columns come back parsed
 * (objects), but files written by GDAL store JSON as `String` columns, and those stay strings. Feature ids
 * are not stored by FlatGeobuf, so GeoJSON `id` is not written and not read.
 *
 * The driver's files, one job each: `flatgeobuf-read.ts` (a whole file in memory, and the framing checks
 * every reader shares), `flatgeobuf-stream.ts` (a stream, e.g. an HTTP body), `flatgeobuf-write.ts`
 * (columns, header and assembly of a file), `flatgeobuf-encoder.ts` (features into FlatBuffers bytes),
 * `flatgeobuf-properties.ts` (their properties) and `flatgeobuf-index.ts` (the packed Hilbert R-tree).
 */

export const MAGIC_BYTES = [0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x00];
export const MAGIC_LENGTH_BYTES = 8;
export const SIZE_PREFIX_BYTES = 4;
export const PREAMBLE_BYTES = MAGIC_LENGTH_BYTES + SIZE_PREFIX_BYTES;
/** Property indexes are uint16. */
export const MAX_COLUMNS = 65536;

/** True when the bytes start with FlatGeobuf's magic ("fgb", a version byte, "fgb"). */
export function detectFlatGeobuf(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC_LENGTH_BYTES && [0, 1, 2, 4, 5, 6].every((i) => bytes[i] === MAGIC_BYTES[i]);
}
