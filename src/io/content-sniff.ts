/**
 * What a file that no format driver recognises holds, from its first bytes: the words that tell a planner
 * why it cannot be read ("the file starts with binary bytes", "a JSON array, not a GeoJSON object", "an
 * HTML page"), instead of naming its extension back. Consulted by `layer-head.ts` once every driver's
 * detection said no, and to keep a binary file named .csv from the CSV reader; it never picks a format.
 */

/** The kind of content, the last part of the error code `unsupported-format.<kind>`. */
export type ContentKind = 'zeros' | 'binary' | 'known' | 'html' | 'xml' | 'json-array' | 'json-value' | 'text';

export interface ContentDescription {
  kind: ContentKind;
  /** English words for the problem, after "the file …" ("starts with binary bytes (8f 3a c1 07)"). */
  detail: string;
  /** What a translated message needs: `bytes` (hex of the first bytes), `name` (a known format's name). */
  values: Record<string, string>;
}

/** How many leading bytes are looked at (the app slices no more than this off a large file). */
export const SNIFF_BYTES = 64 * 1024;

/** Binary formats people hand over by mistake, by their signature at offset 0 (or `at`). */
const KNOWN_SIGNATURES: { name: string; hint: string; bytes: number[]; at?: number }[] = [
  { name: 'gzip', hint: 'decompress it first (gunzip)', bytes: [0x1f, 0x8b] },
  // "BZh1"–"BZh9", then the first block's magic (the digits of π): an OSM extract is read as FILE.osm.bz2.
  {
    name: 'bzip2',
    hint: 'an OpenStreetMap extract is read as FILE.osm.bz2; else decompress it first (bunzip2)',
    bytes: [0x31, 0x41, 0x59, 0x26, 0x53, 0x59],
    at: 4,
  },
  { name: '7-Zip', hint: 'extract it first', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'RAR', hint: 'extract it first', bytes: [0x52, 0x61, 0x72, 0x21] },
  { name: 'PDF', hint: 'a map in a document is a picture, not data', bytes: [0x25, 0x50, 0x44, 0x46] },
  { name: 'PNG', hint: 'an image is not data', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'JPEG', hint: 'an image is not data', bytes: [0xff, 0xd8, 0xff] },
  { name: 'TIFF', hint: 'a raster; GreenReach reads vector layers', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { name: 'TIFF', hint: 'a raster; GreenReach reads vector layers', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  {
    name: 'SQLite / GeoPackage',
    hint: 'convert it with `ogr2ogr -f FlatGeobuf out.fgb in.gpkg`',
    // "SQLite format 3"
    bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33],
  },
  {
    name: 'Parquet',
    hint: 'convert it with `ogr2ogr -f FlatGeobuf out.fgb in.parquet`',
    bytes: [0x50, 0x41, 0x52, 0x31],
  },
  // An OpenStreetMap PBF block header names its type "OSMHeader" after a 4-byte length and a tag byte.
  {
    name: 'OpenStreetMap PBF',
    hint: 'open it as an OpenStreetMap extract',
    bytes: [0x4f, 0x53, 0x4d, 0x48, 0x65, 0x61, 0x64, 0x65, 0x72],
    at: 6,
  },
];

const article = (name: string) => (/^[AEIOU]/.test(name) ? 'an' : 'a');
const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');

/** True for a byte no text file holds: NUL and the C0 controls other than tab, newline, CR, FF, ESC, RS. */
function isBinaryByte(byte: number): boolean {
  return (
    byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b && byte !== 0x1e
  );
}

/** Whether the bytes decode in `encoding` (a sequence cut at the end of the slice is allowed). */
function decodes(bytes: Uint8Array, encoding: string): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Not text: a control byte early on, or bytes that are neither UTF-8 nor GB18030 (Chinese Windows text). */
function isBinaryText(sample: Uint8Array): boolean {
  return sample.some(isBinaryByte) || (!decodes(sample, 'utf-8') && !decodes(sample, 'gb18030'));
}

/**
 * True when a file named as text (.csv, .txt) cannot be text: zeros, a known binary signature or binary
 * bytes. Its reader would only find no columns; {@link describeContent} says what it is instead.
 */
export function looksBinary(head: Uint8Array): boolean {
  return head.length > 0 && ['zeros', 'known', 'binary'].includes(describeContent(head).kind);
}

/** Describes the first bytes of a file (at most {@link SNIFF_BYTES} are looked at). */
export function describeContent(head: Uint8Array): ContentDescription {
  const bytes = head.subarray(0, SNIFF_BYTES);
  if (bytes.length > 0 && bytes.every((byte) => byte === 0)) {
    return {
      kind: 'zeros',
      detail: `holds only zero bytes (the first ${bytes.length.toLocaleString('en-US')} bytes are all 0x00): it was not fully written, copied or downloaded`,
      values: {},
    };
  }
  const known = KNOWN_SIGNATURES.find(({ bytes: signature, at = 0 }) =>
    signature.every((byte, i) => bytes[at + i] === byte),
  );
  if (known) {
    return {
      kind: 'known',
      detail: `is ${article(known.name)} ${known.name} file: ${known.hint}`,
      values: { name: known.name },
    };
  }
  const first = hex(bytes.subarray(0, 8));
  // Text files may hold a stray control byte late on; binary ones show them within the first bytes.
  const sample = bytes.subarray(0, 4096);
  if (isBinaryText(sample)) {
    return { kind: 'binary', detail: `starts with binary bytes (${first}), not text`, values: { bytes: first } };
  }
  const text = new TextDecoder()
    .decode(sample)
    .replace(/^\uFEFF/, '')
    .trimStart();
  const start = text.slice(0, 200).toLowerCase();
  if (/^<(!doctype html|html|head|body)\b/.test(start)) {
    return {
      kind: 'html',
      detail: 'is an HTML page (a web page or an error page saved in place of the data)',
      values: {},
    };
  }
  if (start.startsWith('<')) {
    const root = /<(kml|gpx|osm|gml:featurecollection|wfs:featurecollection)\b/.exec(text.slice(0, 4096).toLowerCase());
    const name = root ? ({ kml: 'KML', gpx: 'GPX', osm: 'OpenStreetMap XML' }[root[1]] ?? 'GML') : 'XML';
    return {
      kind: name === 'XML' ? 'xml' : 'known',
      detail: name === 'XML' ? 'is XML' : `is ${article(name)} ${name} file`,
      values: { name },
    };
  }
  if (start.startsWith('[')) {
    return {
      kind: 'json-array',
      detail: 'is a JSON array, not a GeoJSON object (GeoJSON starts with { and names its "type")',
      values: {},
    };
  }
  if (/^("|-?\d|true\b|false\b|null\b)/.test(start)) {
    return { kind: 'json-value', detail: 'is a single JSON value, not a GeoJSON object', values: {} };
  }
  const shown = text.slice(0, 24).replace(/\s+/g, ' ').trimEnd();
  return {
    kind: 'text',
    detail: `is plain text (it starts "${shown}${text.length > 24 ? '…' : ''}")`,
    values: { start: shown },
  };
}
