import { iter } from 'but-unzip';
import type { Feature, FeatureCollection, GeoJsonProperties } from 'geojson';
import { parseDbf, parseShp } from 'shpjs';
import { InputError } from '../coverage/input-error';
import { encodingOfCodePage, isUtf8 } from './text-decoding';

/**
 * Zipped Shapefile driver (read only). `but-unzip` (shpjs's own <1 kB unzip: Node's zlib, or the
 * browser's DecompressionStream) opens the zip; shpjs's `parseShp`/`parseDbf` decode the .shp and .dbf.
 * The .prj is NOT applied here: it is returned as text so that the coordinate step knows and reports the
 * system (shpjs would silently reproject with proj4 and lose that).
 *
 * Attribute encoding: the .cpg decides ("UTF-8", "GBK", "936", "ANSI 936", "GB18030", "BIG5", …); without
 * a .cpg, the dBASE language-driver byte 0x4D (GBK, written by ArcGIS for Chinese) means GBK, valid UTF-8
 * bytes mean UTF-8, and anything else is read as GB18030 (a superset of GBK), with a warning. Shapefiles
 * written by GDAL without `-lco ENCODING=UTF-8` hold ISO-8859-1 and have lost their CJK text already.
 *
 * Properties: empty numeric fields (NaN) become null, dates become "YYYY-MM-DD" strings.
 */

export interface ShapefileLayer {
  collection: FeatureCollection;
  /** The .prj text, or null when the zip has none. */
  prj: string | null;
  /** The encoding used for the .dbf, and how it was chosen. */
  encoding: string;
  warnings: string[];
}

const DBF_LANGUAGE_DRIVER_OFFSET = 29;
const LDID_GBK = 0x4d;

/**
 * True when the zip's end-of-central-directory record is within the last 64 KiB + 22 bytes. Checked before
 * but-unzip runs: on a zip without it (e.g. cut short) but-unzip 0.1's backward search wraps around
 * (`lastIndexOf(…, -1)`) and never ends.
 */
function hasEndOfCentralDirectory(bytes: Uint8Array): boolean {
  const stop = Math.max(0, bytes.length - 22 - 65535);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) return true;
  }
  return false;
}

async function unzipEntries(bytes: Uint8Array, fileName: string): Promise<Map<string, Uint8Array>> {
  const entries = new Map<string, Uint8Array>();
  if (!hasEndOfCentralDirectory(bytes)) {
    throw new InputError(fileName, null, 'not a readable zip archive (no central directory: truncated or not a zip)', {
      code: 'corrupt',
    });
  }
  try {
    const reads: Promise<void>[] = [];
    for (const entry of iter(bytes)) {
      if (entry.filename.includes('__MACOSX/') || entry.filename.endsWith('/')) continue;
      if (!/\.(shp|shx|dbf|prj|cpg)$/i.test(entry.filename)) continue;
      reads.push(
        Promise.resolve(entry.read()).then((data) => {
          entries.set(entry.filename, data);
        }),
      );
    }
    await Promise.all(reads);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const problem = /~2/.test(message)
      ? 'not a readable zip archive (no central directory: truncated or not a zip)'
      : /~1/.test(message)
        ? 'the zip uses a compression method other than deflate'
        : /~3/.test(message)
          ? 'multi-part zip archives are not supported'
          : `the zip cannot be read (${message})`;
    throw new InputError(fileName, null, problem, { code: 'corrupt' });
  }
  return entries;
}

/** Reads a zipped Shapefile (one .shp with its .dbf, optional .prj and .cpg) into 2D-or-3D GeoJSON. */
export async function readShapefileZip(bytes: Uint8Array, fileName: string): Promise<ShapefileLayer> {
  const entries = await unzipEntries(bytes, fileName);
  const shps = [...entries.keys()].filter((name) => /\.shp$/i.test(name));
  if (shps.length === 0) {
    throw new InputError(
      fileName,
      null,
      'the zip holds no .shp file (a zipped Shapefile needs .shp, .shx, .dbf, .prj)',
      { code: 'unsupported-format' },
    );
  }
  if (shps.length > 1) {
    throw new InputError(
      fileName,
      null,
      `the zip holds ${shps.length} Shapefiles (${shps.join(', ')}); zip one layer per file`,
      { code: 'unsupported-format' },
    );
  }
  const base = shps[0].slice(0, -4);
  const sibling = (extension: string) =>
    [...entries.entries()].find(([name]) => name.toLowerCase() === `${base.toLowerCase()}.${extension}`)?.[1];
  const shp = sibling('shp')!;
  const dbf = sibling('dbf');
  const prjBytes = sibling('prj');
  const cpgBytes = sibling('cpg');
  const warnings: string[] = [];

  let shapes: ReturnType<typeof parseShp>;
  try {
    if (shp.length < 100) throw new Error('the .shp header is truncated');
    const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
    if (view.getInt32(0) !== 9994) throw new Error('the .shp does not start with the Shapefile file code 9994');
    const shapeType = view.getInt32(32, true);
    if (shapeType === 0) shapes = [];
    else if (shapeType === 31) throw new Error('MultiPatch shapes are not supported');
    else shapes = parseShp(view);
  } catch (error) {
    throw new InputError(fileName, null, `${base}.shp: ${shapeProblem(error)}`, { code: 'corrupt' });
  }

  let records: Record<string, unknown>[] = [];
  let encoding = 'none';
  if (dbf) {
    const cpg = cpgBytes ? new TextDecoder().decode(cpgBytes).trim() : '';
    if (cpg) {
      const label = encodingOfCodePage(cpg);
      if (label) encoding = `${label} (from .cpg "${cpg}")`;
      else {
        warnings.push(`${base}.cpg names an unknown encoding "${cpg}"; attributes read as UTF-8`);
        encoding = 'utf-8 (unknown .cpg)';
      }
      records = decodeDbf(dbf, label ?? 'utf-8', fileName, base);
    } else if (dbf.length > DBF_LANGUAGE_DRIVER_OFFSET && dbf[DBF_LANGUAGE_DRIVER_OFFSET] === LDID_GBK) {
      encoding = 'gbk (from the .dbf language driver, no .cpg)';
      records = decodeDbf(dbf, 'gbk', fileName, base);
    } else if (isUtf8(dbf)) {
      encoding = 'utf-8 (no .cpg; the bytes are valid UTF-8)';
      records = decodeDbf(dbf, 'utf-8', fileName, base);
    } else {
      encoding = 'gb18030 (no .cpg; the bytes are not UTF-8)';
      warnings.push(`${base}.dbf has no .cpg and is not UTF-8: attributes read as GB18030/GBK`);
      records = decodeDbf(dbf, 'gb18030', fileName, base);
    }
  } else {
    warnings.push(`the zip has no ${base}.dbf: features have no attributes`);
  }
  if (dbf && records.length !== shapes.length) {
    warnings.push(
      `${base}.shp has ${shapes.length} shapes but ${base}.dbf has ${records.length} records (truncated file?); attributes are matched by position`,
    );
  }

  const features: Feature[] = shapes.map((geometry, index) => ({
    type: 'Feature',
    properties: cleanProperties(records[index]),
    geometry: geometry ?? null,
  })) as Feature[];
  const prj = prjBytes ? new TextDecoder().decode(prjBytes).trim() || null : null;
  if (!prj)
    warnings.push(`the zip has no ${base}.prj: coordinates are taken as WGS 84 longitude/latitude unless given`);
  return { collection: { type: 'FeatureCollection', features }, prj, encoding, warnings };
}

function shapeProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/I don't know shp type "(\d+)"/.test(message)) {
    return `shape type ${/"(\d+)"/.exec(message)![1]} is not supported`;
  }
  if (error instanceof RangeError) return `the .shp is truncated or corrupt (${message})`;
  return message;
}

function decodeDbf(dbf: Uint8Array, encoding: string, fileName: string, base: string): Record<string, unknown>[] {
  try {
    if (dbf.length < 32) throw new Error('the .dbf header is truncated');
    const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
    const headerBytes = view.getUint16(8, true);
    const recordBytes = view.getUint16(10, true);
    const records = view.getUint32(4, true);
    if (headerBytes > dbf.length || headerBytes + records * recordBytes > dbf.length + 1) {
      throw new Error(`the .dbf is truncated (${records} records of ${recordBytes} bytes declared)`);
    }
    return parseDbf(view, encoding);
  } catch (error) {
    throw new InputError(fileName, null, `${base}.dbf: ${(error as Error).message}`, { code: 'corrupt' });
  }
}

/** dBASE values as JSON: NaN (empty number) → null, Date → "YYYY-MM-DD" or null; keys copied as data. */
function cleanProperties(record: Record<string, unknown> | undefined): GeoJsonProperties {
  const out: Record<string, unknown> = {};
  if (!record) return out;
  for (const key of Object.keys(record)) {
    let value = record[key];
    if (typeof value === 'number' && !Number.isFinite(value)) value = null;
    else if (value instanceof Date) value = Number.isNaN(value.getTime()) ? null : isoDate(value);
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
