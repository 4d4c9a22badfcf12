import type { Feature, FeatureCollection } from 'geojson';
import Papa from 'papaparse';
import { InputError } from '../coverage/input-error';
import { decodeUnknownText } from './text-decoding';

/**
 * CSV of points (e.g. candidate sites for a new pocket park), parsed with papaparse: the delimiter
 * (comma, semicolon, tab) is detected, quoted fields may hold delimiters and line breaks. The longitude
 * and latitude columns are found by name (case and spaces ignored): lon, lng, long, longitude, 经度, x /
 * lat, latitude, 纬度, y (a named pair wins over x/y). The other columns become properties: numbers
 * written plainly (`12`, `-3.5`, not `007` or `1e5`) become numbers, empty cells null, the rest strings.
 * Text that is not UTF-8 is read as GB18030 (what Excel on Chinese Windows saves). A row whose
 * coordinates are missing or not numbers is skipped and reported with its line number.
 */

export interface CsvLayer {
  collection: FeatureCollection;
  /** The columns used for x and y. */
  columns: { x: string; y: string };
  skipped: { featureIndex: number; reason: string }[];
  warnings: string[];
}

const X_NAMES = ['lon', 'lng', 'long', 'longitude', '经度', 'x'];
const Y_NAMES = ['lat', 'latitude', '纬度', 'y'];
const PLAIN_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function normalize(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '');
}

/** Indexes of the x and y columns, or null. */
function findCoordinateColumns(header: string[]): { x: number; y: number } | null {
  const names = header.map(normalize);
  const find = (candidates: string[]) => {
    for (const candidate of candidates) {
      const index = names.indexOf(candidate);
      if (index >= 0) return index;
    }
    return -1;
  };
  const x = find(X_NAMES);
  const y = find(Y_NAMES);
  return x >= 0 && y >= 0 && x !== y ? { x, y } : null;
}

export function readCsv(bytes: Uint8Array, fileName: string): CsvLayer {
  const { text, warning } = decodeUnknownText(bytes);
  const warnings = warning ? [warning] : [];
  if (text.replace(/^\uFEFF/, '').trim() === '')
    throw new InputError(fileName, null, 'the file is empty', { code: 'empty' });
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: 'greedy' });
  const rows = parsed.data;
  const fatal = parsed.errors.find((error) => error.type === 'Quotes');
  if (fatal) {
    throw new InputError(fileName, null, `CSV row ${(fatal.row ?? 0) + 2}: ${fatal.message.toLowerCase()}`, {
      code: 'corrupt',
    });
  }
  if (rows.length === 0) throw new InputError(fileName, null, 'the file is empty', { code: 'empty' });
  const header = rows[0];
  const columns = findCoordinateColumns(header);
  if (!columns) {
    throw new InputError(
      fileName,
      null,
      `no longitude/latitude columns among ${header.map((h) => JSON.stringify(h)).join(', ')} (name them lon/lat, lng/lat, longitude/latitude, 经度/纬度 or x/y)`,
      { code: 'attribute' },
    );
  }
  const features: Feature[] = [];
  const skipped: CsvLayer['skipped'] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const xText = (row[columns.x] ?? '').trim();
    const yText = (row[columns.y] ?? '').trim();
    const x = Number(xText);
    const y = Number(yText);
    if (xText === '' || yText === '' || !Number.isFinite(x) || !Number.isFinite(y)) {
      skipped.push({
        featureIndex: r - 1,
        reason: `line ${r + 1}: coordinates ${JSON.stringify(xText)}, ${JSON.stringify(yText)} are not numbers`,
      });
      continue;
    }
    const properties: Record<string, unknown> = {};
    header.forEach((name, c) => {
      if (c === columns.x || c === columns.y) return;
      const key = name.replace(/^\uFEFF/, '').trim() || `column_${c + 1}`;
      const raw = row[c];
      const value = raw === undefined || raw.trim() === '' ? null : PLAIN_NUMBER.test(raw.trim()) ? Number(raw) : raw;
      // defineProperty: a column named "__proto__" stays a plain key.
      Object.defineProperty(properties, key, { value, enumerable: true, writable: true, configurable: true });
    });
    features.push({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [x, y] } });
  }
  return {
    collection: { type: 'FeatureCollection', features },
    columns: { x: header[columns.x], y: header[columns.y] },
    skipped,
    warnings,
  };
}

/**
 * Rows as CSV for Excel and GIS alike: UTF-8 with a byte-order mark (so Excel shows Chinese), CRLF line
 * ends, RFC 4180 quoting, and text cells starting with = + - @ prefixed with ' (no formula injection).
 */
export function writeCsv(fields: string[], rows: unknown[][]): string {
  return `\uFEFF${Papa.unparse({ fields, data: rows.map((row) => row.map((v) => (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? '' : v))) }, { newline: '\r\n', escapeFormulae: true })}\r\n`;
}
