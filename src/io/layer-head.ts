import { InputError } from '../coverage/input-error';
import { describeContent, looksBinary } from './content-sniff';
import { detectFlatGeobuf } from './flatgeobuf-format';
import { detectGeoJson, GEOJSON_EXTENSIONS } from './geojson-format';
import { detectGeoTiff } from './geotiff-format';

/**
 * What is checked before a layer file is read whole, from its size and first bytes: the format (the one
 * format detection, by content first and name second), the size limits, and for a file no driver knows,
 * what it holds. Imports no reader, so the page can run it on the first 64 KiB of a dropped file.
 */

export type LayerFormat = 'geojson' | 'flatgeobuf' | 'shapefile' | 'csv' | 'geotiff';

const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
/** V8's longest string is about 512 MiB; GeoJSON larger than that cannot be parsed as text. */
const MAX_TEXT_BYTES = 511 * 1024 * 1024;
const UNSUPPORTED: [RegExp, string][] = [
  [/\.(shp|shx|dbf|prj|cpg)$/i, 'a Shapefile must be given as one .zip holding its .shp, .shx, .dbf and .prj'],
  [/\.km[lz]$/i, 'unsupported format: KML (convert it with `ogr2ogr -f GeoJSON out.geojson in.kml`)'],
  [/\.gpkg$/i, 'unsupported format: GeoPackage (convert it with `ogr2ogr -f FlatGeobuf out.fgb in.gpkg`)'],
  [/\.(gpx|dxf|dwg|mif|tab|xlsx?)$/i, 'unsupported format (use GeoJSON, FlatGeobuf, zipped Shapefile or CSV)'],
];
/** The format a file's name promises, for "not GeoJSON: …" when its bytes say otherwise. */
const NAMED_FORMATS: [RegExp, string][] = [
  [GEOJSON_EXTENSIONS, 'GeoJSON'],
  [/\.fgb$/i, 'FlatGeobuf'],
  [/\.zip$/i, 'ZIP'],
  [/\.(csv|tsv|txt)$/i, 'CSV'],
  [/\.tiff?$/i, 'GeoTIFF'],
];

/**
 * The format of a file from its first bytes and name, or null. The one format detection: it lives here, not
 * in the Shapefile and CSV drivers, so that detecting a format loads neither (they are imported on demand).
 */
function detectLayerFormat(bytes: Uint8Array, fileName: string): LayerFormat | null {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5)) {
    return 'shapefile';
  }
  if (detectFlatGeobuf(bytes) || (/\.fgb$/i.test(fileName) && bytes.length < 8)) return 'flatgeobuf';
  if (detectGeoTiff(bytes)) return 'geotiff';
  // Named as text but binary (random bytes, zeros, a PDF): said by what it is, not read as columns.
  if (/\.(csv|tsv)$/i.test(fileName)) return looksBinary(bytes) ? null : 'csv';
  if (UNSUPPORTED.some(([pattern]) => pattern.test(fileName))) return null;
  if (detectGeoJson(fileName, bytes.subarray(0, 1024))) return 'geojson';
  // A .zip without the zip signature is not a zip at all (a cut zip still starts with it).
  if (/\.(zip)$/i.test(fileName)) return null;
  if (/\.(txt)$/i.test(fileName)) return looksBinary(bytes) ? null : 'csv';
  return null;
}

/** Size limits of {@link checkLayerHead}: the CLI's by default, the browser's from the import client. */
export interface LayerSizeLimits {
  /** Any file over this is refused (default 1 GiB), but a GeoTIFF: it is read by ranges. */
  maxBytes?: number;
  /** GeoJSON text over this is refused (default 511 MiB, V8's longest string). */
  maxTextBytes?: number;
  /** The limits are a browser's: the advice is the CLI, which reads more. */
  inBrowser?: boolean;
}

/** "3 GiB", "2.8 GiB", "200 MiB": a size at a glance, with more digits (or in bytes) rather than equal to `unlike`. */
export function formatBytes(bytes: number, unlike?: number): string {
  const [size, unit] =
    bytes >= 2 ** 30
      ? [2 ** 30, 'GiB']
      : bytes >= 2 ** 20
        ? [2 ** 20, 'MiB']
        : bytes >= 2 ** 10
          ? [2 ** 10, 'KiB']
          : [1, 'bytes'];
  for (let decimals = unit === 'GiB' ? 1 : 0; decimals <= 3; decimals++) {
    const text = `${(bytes / size).toLocaleString('en-US', { maximumFractionDigits: decimals })} ${unit}`;
    // "1024 MiB, over the 1024 MiB limit" says nothing: show the difference.
    if (unlike === undefined || text !== formatBytes(unlike)) return text;
  }
  return `${bytes.toLocaleString('en-US')} bytes`;
}

/**
 * The checks made before a file is read whole, from its size and first bytes (at least the first
 * SNIFF_BYTES of content-sniff.ts, or the whole file): an empty file, a file over the limits, a file no driver
 * recognises (said by what it holds: binary bytes, zeros, a JSON array, an HTML page). Returns the format;
 * throws an InputError naming the file. `readLayerFile` makes the same checks, so a caller that cannot
 * read the head first (a test, the OSM path) loses nothing.
 */
export function checkLayerHead(
  head: Uint8Array,
  fileName: string,
  sizeBytes: number,
  limits: LayerSizeLimits = {},
): LayerFormat {
  if (sizeBytes === 0) {
    throw new InputError(fileName, null, 'the file is empty (0 bytes)', { code: 'empty.zero-bytes' });
  }
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxTextBytes = Math.min(limits.maxTextBytes ?? MAX_TEXT_BYTES, MAX_TEXT_BYTES, maxBytes);
  const sizes = (limit: number) => ({
    size: formatBytes(sizeBytes, limit),
    limit: formatBytes(limit),
    fileLimit: formatBytes(maxBytes),
    sizeBytes,
    limitBytes: limit,
  });
  const format = detectLayerFormat(head, fileName);
  // A GeoTIFF is read by ranges (the window over the study area), never whole: no file limit is its.
  if (sizeBytes > maxBytes && format !== 'geotiff') {
    const values = sizes(maxBytes);
    throw new InputError(
      fileName,
      null,
      limits.inBrowser
        ? `the file is ${values.size}, over the ${values.limit} a browser can read; clip it to the study area or use the CLI (npm run coverage)`
        : `the file is ${values.size}, over the ${values.limit} limit; clip it to the study area`,
      { code: limits.inBrowser ? 'too-large.browser' : 'too-large.file', values },
    );
  }
  if (format === 'geojson' && sizeBytes > maxTextBytes) {
    const values = sizes(maxTextBytes);
    throw new InputError(
      fileName,
      null,
      limits.inBrowser
        ? `the GeoJSON is ${values.size}; the app reads GeoJSON up to ${values.limit}: convert it to FlatGeobuf (ogr2ogr -f FlatGeobuf out.fgb in.geojson), read up to ${values.fileLimit}, or use the CLI`
        : `the GeoJSON is ${values.size}; text over ${values.limit} cannot be parsed: convert it to FlatGeobuf (ogr2ogr -f FlatGeobuf out.fgb in.geojson)`,
      { code: limits.inBrowser ? 'too-large.browser-text' : 'too-large.text', values },
    );
  }
  if (format !== null) return format;
  const hint = UNSUPPORTED.find(([pattern]) => pattern.test(fileName))?.[1];
  if (hint) throw new InputError(fileName, null, hint, { code: 'unsupported-format' });
  // No driver knows the bytes: say what they are, not the extension back.
  const content = describeContent(head);
  const expected = NAMED_FORMATS.find(([pattern]) => pattern.test(fileName))?.[1] ?? '';
  const extension = /\.[^./\\]+$/.exec(fileName)?.[0] ?? '(no extension)';
  const lead = expected ? `not ${expected}` : `unsupported format "${extension}"`;
  const reads = expected
    ? ''
    : '; GreenReach reads GeoJSON, FlatGeobuf, zipped Shapefile (.zip), CSV and GeoTIFF population grids';
  throw new InputError(fileName, null, `${lead}: the file ${content.detail}${reads}`, {
    code: `unsupported-format.${content.kind}`,
    values: { ...content.values, format: expected, extension },
  });
}
