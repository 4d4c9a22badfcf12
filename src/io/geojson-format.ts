/**
 * GeoJSON detection, apart from the reader (`geojson.ts`) as FlatGeobuf's is (`flatgeobuf-format.ts`):
 * the checks made before a file is read (`layer-head.ts`) run on the page and load no reader.
 */

/** Array nesting of `coordinates` above the position level, per geometry type (the reader's and the stored records' check). */
export const POSITION_DEPTH: Record<string, number> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

/** GeometryCollections nested deeper than this are damage, not data. */
export const MAX_COLLECTION_NESTING = 16;

/** The extensions of GeoJSON and newline-delimited GeoJSON files. */
export const GEOJSON_EXTENSIONS = /\.(geojson|json|ndjson|geojsonl|geojsons|geojsonseq|jsonl)$/i;

/**
 * True when the file looks like GeoJSON: its first non-blank byte (after a BOM or RS) is `{`, or, for a
 * file with no content to look at, its name ends in .geojson/.json/.ndjson/.geojsonl/.geojsons/.jsonl.
 */
export function detectGeoJson(fileName: string, firstBytes: Uint8Array): boolean {
  let i = 0;
  if (firstBytes[0] === 0xef && firstBytes[1] === 0xbb && firstBytes[2] === 0xbf) i = 3;
  while (
    i < firstBytes.length &&
    (firstBytes[i] === 0x20 ||
      firstBytes[i] === 0x09 ||
      firstBytes[i] === 0x0a ||
      firstBytes[i] === 0x0d ||
      firstBytes[i] === 0x1e)
  )
    i++;
  if (i < firstBytes.length) return firstBytes[i] === 0x7b; // '{'
  return GEOJSON_EXTENSIONS.test(fileName);
}
