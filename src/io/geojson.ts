import rewind from '@mapbox/geojson-rewind';
import type { Feature, FeatureCollection, GeoJsonProperties, Geometry, Position } from 'geojson';
import { InputError } from '../coverage/input-error';
import { MAX_COLLECTION_NESTING, POSITION_DEPTH } from './geojson-format';
import { describeJsonSyntaxError, locateJsonSyntaxError } from './json-syntax';

/**
 * GeoJSON driver: a forgiving but strict-about-numbers reader and an RFC 7946 writer.
 *
 * Reading accepts a FeatureCollection, a single Feature, a bare Geometry and newline-delimited GeoJSON
 * (one Feature per line, also RFC 8142 text sequences). Every problem becomes a one-line InputError that
 * names the line/column (syntax) or the feature and coordinate (content). Positions come back 2D.
 */

const GEOMETRY_TYPES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);
const NDJSON_EXTENSIONS = /\.(ndjson|geojsonl|geojsons|geojsonseq|jsonl)$/i;
/** RFC 8142 GeoJSON text sequences start each record with the ASCII record separator. */
const RECORD_SEPARATOR_CODE = 0x1e;
const COORDINATE_DECIMALS = 7;
const COORDINATE_SCALE = 10 ** COORDINATE_DECIMALS;

/**
 * Parses GeoJSON text into a FeatureCollection of 2D features (Z/M dropped, null geometries kept as null).
 * Throws an InputError for invalid JSON (with line and column), an unknown top-level type, a feature that is
 * not a Feature, a malformed geometry or a non-finite coordinate (e.g. `1e999`, which parses to Infinity).
 */
export function readGeoJson(text: string, fileName: string): FeatureCollection {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InputError(fileName, null, 'the file is empty', { code: 'empty' });
  if (NDJSON_EXTENSIONS.test(fileName) || looksLikeNdjson(text)) return readNdjson(text, fileName);
  const value = parseJson(text, fileName, '');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(
      fileName,
      null,
      `expected a GeoJSON FeatureCollection, Feature or Geometry, found ${describeJson(value)}`,
      { code: 'geometry' },
    );
  }
  const object = value as Record<string, unknown>;
  const type = object.type;
  if (type === 'FeatureCollection') {
    if (!Array.isArray(object.features))
      throw new InputError(fileName, null, 'the FeatureCollection has no "features" array', { code: 'geometry' });
    const features = object.features.map((feature, index) => readFeature(feature, fileName, index, ''));
    return { ...(object as unknown as FeatureCollection), features };
  }
  if (type === 'Feature') return { type: 'FeatureCollection', features: [readFeature(object, fileName, 0, '')] };
  if (typeof type === 'string' && GEOMETRY_TYPES.has(type)) {
    return {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: readGeometry(object, fileName, 0, '', 0) }],
    };
  }
  throw new InputError(
    fileName,
    null,
    `expected a GeoJSON FeatureCollection, Feature or Geometry, found ${describeJson(value)}`,
    { code: 'geometry' },
  );
}

/**
 * Serializes a FeatureCollection as RFC 7946 GeoJSON, one feature per line: no `crs` member, exterior
 * rings counter-clockwise and holes clockwise, coordinates rounded to 7 decimals (about 1 cm) with at most
 * 3 values per position, NaN/Infinity/undefined property values written as null. Foreign members, `id`
 * and property order are kept (JavaScript itself lists integer-like keys such as "1" first). Throws an
 * Error for a non-finite coordinate, which GeoJSON cannot represent.
 */
export function writeGeoJson(collection: FeatureCollection): string {
  const { crs: _crs, features, ...members } = collection as FeatureCollection & { crs?: unknown };
  const lines = features.map((feature, index) => {
    const geometry =
      feature.geometry === null || feature.geometry === undefined
        ? null
        : rewind(exportGeometry(feature.geometry, index));
    return JSON.stringify({ ...feature, geometry, properties: exportProperties(feature.properties) });
  });
  const head = JSON.stringify({ ...members, type: 'FeatureCollection' }).slice(0, -1);
  return lines.length === 0 ? `${head},"features":[]}\n` : `${head},"features":[\n${lines.join(',\n')}\n]}\n`;
}

function exportProperties(properties: GeoJsonProperties | undefined): GeoJsonProperties {
  if (properties === null || properties === undefined) return null;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(properties)) {
    const value = properties[key];
    // JSON.stringify already writes NaN/Infinity as null; undefined would drop the key, so make it null.
    const cleaned = value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? null : value;
    Object.defineProperty(out, key, { value: cleaned, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function exportGeometry(geometry: Geometry, featureIndex: number): Geometry {
  if (geometry.type === 'GeometryCollection') {
    return {
      type: 'GeometryCollection',
      geometries: geometry.geometries.map((part) => exportGeometry(part, featureIndex)),
    };
  }
  const roundPosition = (position: Position): Position => {
    const out = position.slice(0, 3).map((value) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new Error(
          `feature ${featureIndex}: position [${position.join(', ')}] is not finite; GeoJSON cannot represent it`,
        );
      }
      return Math.round(value * COORDINATE_SCALE) / COORDINATE_SCALE + 0; // + 0 turns -0 into 0
    });
    return out;
  };
  const depth = POSITION_DEPTH[geometry.type];
  if (depth === undefined)
    throw new Error(`feature ${featureIndex}: unknown geometry type ${JSON.stringify(geometry.type)}`);
  const roundDeep = (value: unknown, depth: number): unknown =>
    depth === 0 ? roundPosition(value as Position) : (value as unknown[]).map((item) => roundDeep(item, depth - 1));
  return { type: geometry.type, coordinates: roundDeep(geometry.coordinates, depth) } as Geometry;
}

function withoutRecordSeparator(line: string): string {
  return line.charCodeAt(0) === RECORD_SEPARATOR_CODE ? line.slice(1) : line;
}

/** NDJSON: several lines, the first non-blank one a complete JSON object on its own. */
function looksLikeNdjson(text: string): boolean {
  const start = text.search(/\S/);
  const newline = text.indexOf('\n', start);
  const more = /\S/g;
  more.lastIndex = newline;
  if (start < 0 || newline < 0 || more.exec(text) === null) return false;
  const first = withoutRecordSeparator(text.slice(start, newline)).trim();
  if (!first.startsWith('{') || !first.endsWith('}')) return false;
  try {
    const value = JSON.parse(first);
    return typeof value === 'object' && value !== null && value.type === 'Feature';
  } catch {
    return false;
  }
}

function readNdjson(text: string, fileName: string): FeatureCollection {
  const features: Feature[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = withoutRecordSeparator(lines[i]);
    if (line.trim() === '') continue;
    const where = `line ${i + 1}: `;
    const value = parseJson(line, fileName, where);
    if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'FeatureCollection') {
      throw new InputError(
        fileName,
        null,
        `${where}newline-delimited GeoJSON needs one Feature per line, found a FeatureCollection`,
        { code: 'geometry' },
      );
    }
    features.push(readFeature(value, fileName, features.length, where));
  }
  return { type: 'FeatureCollection', features };
}

/** JSON.parse with an InputError that names line and column (`where` prefixes the problem, for NDJSON lines). */
function parseJson(text: string, fileName: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const problem = where + describeJsonSyntaxError(text, message, where !== '');
    // A whole file's syntax error gets a code of its own, so the interface can say it in its language.
    const found = where === '' ? locateJsonSyntaxError(text, message) : null;
    if (found?.truncated) throw new InputError(fileName, null, problem, { code: 'corrupt.truncated' });
    if (found && found.line !== null && found.column !== null) {
      throw new InputError(fileName, null, problem, {
        code: 'corrupt.json-syntax',
        values: { line: found.line, column: found.column, reason: found.reason },
      });
    }
    throw new InputError(fileName, null, problem, { code: 'corrupt' });
  }
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a JSON array';
  if (typeof value !== 'object') return `a JSON ${typeof value}`;
  const type = (value as { type?: unknown }).type;
  if (type === undefined) return 'a JSON object without "type"';
  const text = JSON.stringify(type);
  const known = ['FeatureCollection', 'Feature', ...GEOMETRY_TYPES].find(
    (name) => typeof type === 'string' && name.toLowerCase() === type.toLowerCase(),
  );
  return known && known !== type
    ? `type ${text} (did you mean "${known}"? GeoJSON types are case-sensitive)`
    : `type ${text}`;
}

function readFeature(value: unknown, fileName: string, featureIndex: number, where: string): Feature {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    (value as { type?: unknown }).type !== 'Feature'
  ) {
    throw new InputError(fileName, featureIndex, `${where}expected a GeoJSON Feature, found ${describeJson(value)}`, {
      code: 'geometry',
    });
  }
  const feature = value as Record<string, unknown>;
  const properties = feature.properties;
  if (
    properties !== undefined &&
    properties !== null &&
    (typeof properties !== 'object' || Array.isArray(properties))
  ) {
    throw new InputError(
      fileName,
      featureIndex,
      `${where}"properties" must be an object or null, found ${describeJson(properties)}`,
      { code: 'attribute' },
    );
  }
  const geometry =
    feature.geometry === null || feature.geometry === undefined
      ? null
      : readGeometry(feature.geometry, fileName, featureIndex, where, 0);
  // Spread copies own keys as data properties, so a "__proto__" key stays a plain key.
  return {
    ...(feature as unknown as Feature),
    geometry: geometry as Geometry,
    properties: (properties ?? null) as GeoJsonProperties,
  };
}

function readGeometry(
  value: unknown,
  fileName: string,
  featureIndex: number,
  where: string,
  nesting: number,
): Geometry {
  const fail = (problem: string) => new InputError(fileName, featureIndex, where + problem, { code: 'geometry' });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail(`"geometry" must be a GeoJSON geometry object or null, found ${describeJson(value)}`);
  }
  const geometry = value as Record<string, unknown>;
  const type = geometry.type;
  if (typeof type !== 'string' || !GEOMETRY_TYPES.has(type)) throw fail(`unknown geometry ${describeJson(value)}`);
  if (type === 'GeometryCollection') {
    if (nesting >= MAX_COLLECTION_NESTING) throw fail('GeometryCollections are nested too deeply');
    if (!Array.isArray(geometry.geometries)) throw fail('the GeometryCollection has no "geometries" array');
    return {
      type,
      geometries: geometry.geometries.map((part) => readGeometry(part, fileName, featureIndex, where, nesting + 1)),
    };
  }
  const depth = POSITION_DEPTH[type];
  const readLevel = (level: unknown, levelDepth: number, path: string): unknown => {
    if (!Array.isArray(level)) {
      const shown = typeof level === 'number' ? String(level) : describeJson(level);
      throw fail(`${path} is ${shown}; a ${type} needs ${depth + 1} levels of arrays`);
    }
    if (levelDepth === 0) return readPosition(level, path);
    return level.map((item, index) => readLevel(item, levelDepth - 1, `${path}[${index}]`));
  };
  const readPosition = (position: unknown[], path: string): Position => {
    const shown = `[${position.map((item) => (typeof item === 'number' ? String(item) : (JSON.stringify(item) ?? 'undefined'))).join(', ')}]`;
    if (position.length < 2 || typeof position[0] !== 'number' || typeof position[1] !== 'number') {
      throw fail(`${path} is ${shown}; a position must be [longitude, latitude] numbers`);
    }
    for (const item of position) {
      if (typeof item === 'number' && !Number.isFinite(item)) {
        throw fail(
          `${path} is ${shown}; every coordinate must be a finite number (a value like 1e999 overflows to Infinity)`,
        );
      }
    }
    return [position[0], position[1]];
  };
  return { type, coordinates: readLevel(geometry.coordinates, depth, 'coordinates') } as Geometry;
}
