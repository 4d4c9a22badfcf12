import type { FeatureCollection, Geometry, Position } from 'geojson';
import { InputError } from '../coverage/input-error';

/**
 * Coordinate systems of imported layers: which one a file is in (.prj WKT, FlatGeobuf header, GeoJSON
 * `crs` member, or the user's choice), whether its numbers look like longitude/latitude at all
 * (projected? swapped?), and conversion to WGS84 longitude/latitude, which is what the engine takes.
 *
 * - CGCS2000 (China Geodetic Coordinate System 2000, EPSG:4490) and WGS84 differ by a few centimetres,
 *   far below a 10 m cell, so CGCS2000 coordinates are taken as WGS84 (no datum shift), as GDAL does
 *   with its default (ballpark) transformation.
 * - GCJ-02 ("Mars coordinates", 火星坐标) is not a coordinate system of its own but WGS84 run through a
 *   non-linear obfuscation that Chinese law requires of published web maps (AMap/Gaode, Tencent, Google
 *   Maps in China; Baidu adds a second shift, BD-09). Points move by about 300–700 m, more than the
 *   300 m rule itself, so data traced on such a map must be converted. Conversion uses `gcoord`
 *   (accuracy well under a metre inside China); nothing in the numbers reveals GCJ-02, so the user says
 *   so (`--gcj02 LAYER` in the CLI).
 * - Beijing 1954 and Xian 1980 need datum parameters that are not public; they are refused with a message.
 *
 * proj4 and gcoord are loaded only when a layer needs them (dynamic import), so a WGS84 import costs
 * the browser bundle nothing.
 */

/** A coordinate system we can convert from: an EPSG code and a proj4 definition. */
export interface CrsInfo {
  /** "EPSG:4544", or "WKT" for a .prj that names no code we know. */
  code: string;
  name: string;
  /** proj4 definition, or the WKT itself; null for WGS84/CGCS2000 longitude/latitude (no conversion). */
  definition: string | null;
  /** Where the system came from. */
  source: 'prj' | 'flatgeobuf' | 'geojson' | 'geotiff' | 'option' | 'default';
}

const GRS80_TMERC = (centralMeridian: number, falseEasting: number) =>
  `+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=1 +x_0=${falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`;

/** Known EPSG codes → name and proj4 definition (null = longitude/latitude, no conversion). */
export function knownCrs(code: number): { name: string; definition: string | null } | null {
  if (code === 4326 || code === 4490) {
    return { name: code === 4326 ? 'WGS 84' : 'CGCS2000 (taken as WGS 84)', definition: null };
  }
  if (code >= 4491 && code <= 4501) {
    const zone = 13 + (code - 4491);
    return {
      name: `CGCS2000 / Gauss-Kruger zone ${zone} (6°, CM ${6 * zone - 3}E, zone-prefixed)`,
      definition: GRS80_TMERC(6 * zone - 3, zone * 1e6 + 500000),
    };
  }
  if (code >= 4502 && code <= 4512) {
    const meridian = 75 + 6 * (code - 4502);
    return { name: `CGCS2000 / Gauss-Kruger CM ${meridian}E (6°)`, definition: GRS80_TMERC(meridian, 500000) };
  }
  if (code >= 4513 && code <= 4533) {
    const zone = 25 + (code - 4513);
    return {
      name: `CGCS2000 / 3-degree Gauss-Kruger zone ${zone} (CM ${3 * zone}E, zone-prefixed)`,
      definition: GRS80_TMERC(3 * zone, zone * 1e6 + 500000),
    };
  }
  if (code >= 4534 && code <= 4554) {
    const meridian = 75 + 3 * (code - 4534);
    return { name: `CGCS2000 / 3-degree Gauss-Kruger CM ${meridian}E`, definition: GRS80_TMERC(meridian, 500000) };
  }
  if ((code >= 32601 && code <= 32660) || (code >= 32701 && code <= 32760)) {
    const zone = code % 100;
    const south = code > 32700;
    return {
      name: `WGS 84 / UTM zone ${zone}${south ? 'S' : 'N'}`,
      definition: `+proj=utm +zone=${zone}${south ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`,
    };
  }
  if (code === 3857 || code === 900913 || code === 102100 || code === 102113 || code === 3785) {
    return {
      name: 'WGS 84 / Pseudo-Mercator (Web Mercator)',
      definition:
        '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
    };
  }
  return null;
}

/** Codes of systems that need datum parameters nobody publishes: refused with a clear message. */
const UNSUPPORTED_DATUMS: Record<string, string> = {
  '4214': 'Beijing 1954',
  '4610': 'Xian 1980',
};

/** "EPSG:4544", "epsg:4544", "4544", "urn:ogc:def:crs:EPSG::4544", "CRS84" → CrsInfo. Throws an Error. */
export function parseCrsCode(text: string, source: CrsInfo['source']): CrsInfo {
  const trimmed = text.trim();
  if (/^(urn:ogc:def:crs:OGC:(1\.3|):?CRS84|CRS84|OGC:CRS84|WGS ?84)$/i.test(trimmed)) {
    return { code: 'EPSG:4326', name: 'WGS 84', definition: null, source };
  }
  const match = /^(?:urn:ogc:def:crs:)?(?:EPSG|ESRI)?:*(?:[\d.]*:)?(\d{4,6})$/i.exec(trimmed);
  if (!match) throw new Error(`"${text}" is not a coordinate system code (use EPSG:NNNN, e.g. EPSG:4544)`);
  const code = Number(match[1]);
  if (UNSUPPORTED_DATUMS[match[1]] || (code >= 2327 && code <= 2442) || (code >= 2401 && code <= 2442)) {
    throw new Error(
      `EPSG:${code} (${UNSUPPORTED_DATUMS[match[1]] ?? 'Beijing 1954 / Xian 1980 Gauss-Kruger'}) needs datum parameters that are not published; convert to CGCS2000 or WGS 84 in your GIS first`,
    );
  }
  const known = knownCrs(code);
  if (!known) {
    throw new Error(
      `EPSG:${code} is not one of the systems GreenReach converts (WGS 84 4326, CGCS2000 4490, CGCS2000 Gauss-Kruger 4491–4554, UTM 326xx/327xx, Web Mercator 3857); reproject in your GIS first`,
    );
  }
  return { code: `EPSG:${code}`, ...known, source };
}

/** ESRI-style names of a .prj without an AUTHORITY → EPSG code. */
function codeFromEsriName(name: string): number | null {
  const n = name.replace(/[\s-]+/g, '_').toLowerCase();
  if (/^gcs_wgs_1984$|^wgs_84$|^wgs84$/.test(n)) return 4326;
  if (/^(gcs_)?china_geodetic_coordinate_system_2000$|^cgcs2000$/.test(n)) return 4490;
  let m = /^cgcs2000_3_degree_gk_cm_(\d+)e$/.exec(n);
  if (m) return 4534 + (Number(m[1]) - 75) / 3;
  m = /^cgcs2000_3_degree_gk_zone_(\d+)$/.exec(n);
  if (m) return 4513 + Number(m[1]) - 25;
  m = /^cgcs2000_gk_cm_(\d+)e$/.exec(n);
  if (m) return 4502 + (Number(m[1]) - 75) / 6;
  m = /^cgcs2000_gk_zone_(\d+)$/.exec(n);
  if (m) return 4491 + Number(m[1]) - 13;
  m = /^wgs_(?:19)?84_(?:\/_)?utm_zone_(\d+)([ns])$/.exec(n);
  if (m) return (m[2] === 'n' ? 32600 : 32700) + Number(m[1]);
  if (/web_mercator|pseudo_mercator|popular_visualisation/.test(n)) return 3857;
  return null;
}

/**
 * The coordinate system a .prj (WKT 1 or 2, OGC or ESRI flavour) describes. An EPSG AUTHORITY/ID of the
 * outermost system, or a well-known ESRI name, gives a code; otherwise the WKT itself is handed to
 * proj4 at conversion time (`code` "WKT"). Throws an Error for text that is not WKT.
 */
export function crsFromWkt(wkt: string, source: CrsInfo['source']): CrsInfo {
  const text = wkt.replace(/^\uFEFF/, '').trim();
  const head =
    /^(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS|GEODETICCRS|PROJECTEDCRS|COMPD_CS|COMPOUNDCRS)\s*\[\s*"([^"]*)"/i.exec(
      text,
    );
  if (!head) throw new Error('the .prj is not a WKT coordinate system');
  // The outermost authority is the last one before the final bracket(s).
  const authorities = [...text.matchAll(/(?:AUTHORITY|ID)\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]/gi)];
  const outer = authorities.length > 0 ? authorities[authorities.length - 1] : null;
  const outerIsLast = outer !== null && /^\s*\]*\s*$/.test(text.slice((outer.index ?? 0) + outer[0].length));
  if (outer && outerIsLast) {
    try {
      return parseCrsCode(`EPSG:${outer[1]}`, source);
    } catch {
      // An unknown code: fall back to the WKT's own parameters below.
    }
  }
  const esri = codeFromEsriName(head[2]);
  if (esri !== null && Number.isInteger(esri) && knownCrs(esri)) return parseCrsCode(`EPSG:${esri}`, source);
  if (/^(GEOGCS|GEOGCRS|GEODCRS|GEODETICCRS)/i.test(head[1])) {
    if (/beijing|1954|xian|xi'an|1980/i.test(head[2])) {
      throw new Error(`${head[2]} needs datum parameters that are not published; convert to CGCS2000 or WGS 84 first`);
    }
    return { code: 'WKT', name: head[2], definition: null, source };
  }
  if (/beijing|_1954|xian|xi'an|_1980/i.test(head[2])) {
    throw new Error(`${head[2]} needs datum parameters that are not published; convert to CGCS2000 or WGS 84 first`);
  }
  return { code: 'WKT', name: head[2], definition: text, source };
}

/** The GeoJSON 2008 `crs` member (`{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4544"}}`). */
export function crsFromGeoJsonMember(member: unknown): CrsInfo | null {
  if (typeof member !== 'object' || member === null) return null;
  const name = (member as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name !== 'string') return null;
  return parseCrsCode(name, 'geojson');
}

export const WGS84: CrsInfo = { code: 'EPSG:4326', name: 'WGS 84', definition: null, source: 'default' };

/** Positions rewritten in place by `map` (which returns a new [x, y]). */
export function mapPositions(geometry: Geometry, map: (position: Position) => Position): void {
  if (geometry.type === 'GeometryCollection') {
    for (const part of geometry.geometries) mapPositions(part, map);
    return;
  }
  const walk = (value: unknown[]): void => {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (!Array.isArray(item)) continue;
      if (typeof item[0] === 'number') value[i] = map(item as Position);
      else walk(item);
    }
  };
  if (geometry.type === 'Point') geometry.coordinates = map(geometry.coordinates);
  else walk(geometry.coordinates as unknown[]);
}

/** What the numbers of a layer look like. */
export type CoordinateShape = { kind: 'lonlat' } | { kind: 'swapped' } | { kind: 'projected'; candidates: string[] };

/**
 * Looks at a layer's bounds: longitude/latitude; latitude/longitude swapped (x within ±90 and y beyond
 * ±90, so only the swapped reading is valid); or projected (outside ±180/±90), with the EPSG codes that
 * would put the data somewhere plausible in China, most likely first (zone-prefixed Gauss-Kruger names
 * its zone in the numbers; unprefixed Gauss-Kruger and UTM need the central meridian, guessed from
 * nothing, so several are listed).
 */
export function coordinateShape(bounds: [number, number, number, number]): CoordinateShape {
  const [west, south, east, north] = bounds;
  const lonlat = west >= -180 && east <= 180 && south >= -90 && north <= 90;
  if (lonlat) return { kind: 'lonlat' };
  const swapped = south >= -180 && north <= 180 && west >= -90 && east <= 90;
  if (swapped) return { kind: 'swapped' };
  const candidates: string[] = [];
  const x = (west + east) / 2;
  const y = (south + north) / 2;
  const zone = Math.floor(x / 1e6);
  if (y > 0 && y < 6.5e6) {
    if (zone >= 25 && zone <= 45) candidates.push(`EPSG:${4513 + zone - 25}`);
    if (zone >= 13 && zone <= 23) candidates.push(`EPSG:${4491 + zone - 13}`);
    if (x > 0 && x < 1e6)
      candidates.push('EPSG:4544 (or another 4534–4554 by central meridian)', 'EPSG:32648 (UTM 48N)');
  }
  if (Math.abs(x) <= 20037509 && Math.abs(y) <= 20037509 && x > 8e6 && x < 15.1e6) candidates.push('EPSG:3857');
  return { kind: 'projected', candidates };
}

/**
 * Converts a layer to WGS84 longitude/latitude in place: from `crs` with proj4, then from GCJ-02 with
 * gcoord when `gcj02` is set. Throws an InputError naming the first position that does not convert.
 */
export async function toWgs84(
  collection: FeatureCollection,
  crs: CrsInfo,
  gcj02: boolean,
  fileName: string,
): Promise<void> {
  if (crs.definition !== null) {
    const { default: proj4 } = await import('proj4');
    let converter: { forward: (p: number[]) => number[] };
    try {
      converter = proj4(crs.definition, 'EPSG:4326');
    } catch (error) {
      throw new InputError(
        fileName,
        null,
        `coordinate system ${crs.name} cannot be converted (${(error as Error).message})`,
        { code: 'crs' },
      );
    }
    collection.features.forEach((feature, index) => {
      if (!feature.geometry) return;
      mapPositions(feature.geometry, (p) => {
        const out = converter.forward([p[0], p[1]]);
        if (!Number.isFinite(out[0]) || !Number.isFinite(out[1])) {
          throw new InputError(fileName, index, `position [${p[0]}, ${p[1]}] is outside ${crs.name}`, { code: 'crs' });
        }
        return [out[0], out[1]];
      });
    });
  }
  if (gcj02) {
    const { default: gcoord } = await import('gcoord');
    for (const feature of collection.features) {
      if (!feature.geometry) continue;
      mapPositions(feature.geometry, (p) => {
        const out = gcoord.transform([p[0], p[1]] as [number, number], gcoord.GCJ02, gcoord.WGS84);
        return [out[0], out[1]];
      });
    }
  }
}

/** Swaps x and y of every position in place (for a layer given as latitude, longitude). */
export function swapAxes(collection: FeatureCollection): void {
  for (const feature of collection.features) {
    if (feature.geometry) mapPositions(feature.geometry, (p) => [p[1], p[0]]);
  }
}
