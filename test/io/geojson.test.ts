import type { FeatureCollection, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/coverage/input-error';
import { readGeoJson, writeGeoJson } from '../../src/io/geojson';
import { detectGeoJson } from '../../src/io/geojson-format';
import { describeJsonSyntaxError, locateJsonError } from '../../src/io/json-syntax';
import { sampleParks, square } from './sample-data';

function errorOf(read: () => unknown): InputError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).not.toContain('\n');
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

const point = '{"type":"Point","coordinates":[116.4,39.9]}';
const feature = (geometry: string, properties = '{"name":"a"}') =>
  `{"type":"Feature","properties":${properties},"geometry":${geometry}}`;

/** Signed area (shoelace); positive = counter-clockwise. */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum / 2;
}

describe('readGeoJson accepts', () => {
  it('a FeatureCollection, keeping properties, ids, foreign members and null geometries', () => {
    const text = `{"type":"FeatureCollection","name":"parks","features":[
      {"type":"Feature","id":7,"properties":{"name":"景山公园","is_park":true},"geometry":${point}},
      {"type":"Feature","properties":{"name":"no geometry"},"geometry":null}]}`;
    const collection = readGeoJson(text, 'parks.geojson');
    expect(collection).toEqual({
      type: 'FeatureCollection',
      name: 'parks',
      features: [
        {
          type: 'Feature',
          id: 7,
          properties: { name: '景山公园', is_park: true },
          geometry: { type: 'Point', coordinates: [116.4, 39.9] },
        },
        { type: 'Feature', properties: { name: 'no geometry' }, geometry: null },
      ],
    });
  });

  it('a single Feature and a bare Geometry (wrapped)', () => {
    expect(readGeoJson(feature(point), 'one.geojson').features).toHaveLength(1);
    expect(readGeoJson(point, 'point.json')).toEqual({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [116.4, 39.9] } }],
    });
  });

  it('a UTF-8 BOM', () => {
    expect(readGeoJson(`\uFEFF${feature(point)}`, 'bom.geojson').features).toHaveLength(1);
  });

  it('newline-delimited GeoJSON, by content or by extension, and RFC 8142 sequences', () => {
    const lines = [feature(point), '', feature(point, '{"name":"b"}')].join('\n');
    expect(readGeoJson(lines, 'parks.txt').features.map((f) => f.properties?.name)).toEqual(['a', 'b']);
    expect(readGeoJson(feature(point), 'one.ndjson').features).toHaveLength(1);
    expect(readGeoJson(`\x1e${feature(point)}\n\x1e${feature(point)}\n`, 'seq.geojsons').features).toHaveLength(2);
  });

  it('drops Z and M, keeping [lng, lat]', () => {
    const collection = readGeoJson(
      feature('{"type":"LineString","coordinates":[[116.4,39.9,50,1],[116.5,39.9,60,2]]}'),
      'z.geojson',
    );
    expect(collection.features[0].geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [116.4, 39.9],
        [116.5, 39.9],
      ],
    });
  });

  it('a "__proto__" property as a plain property, without polluting prototypes', () => {
    const collection = readGeoJson(feature(point, '{"__proto__":{"polluted":true},"name":"x"}'), 'proto.geojson');
    const properties = collection.features[0].properties as Record<string, unknown>;
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(properties, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('readGeoJson error messages', () => {
  it('truncated file', () => {
    const text = `{"type":"FeatureCollection","features":[${feature(point)}`;
    expect(errorOf(() => readGeoJson(text, 'cut.geojson')).message).toBe(
      'cut.geojson: the file is truncated (unexpected end of JSON)',
    );
    expect(errorOf(() => readGeoJson('{"type":"Feature', 'cut.geojson')).message).toBe(
      'cut.geojson: the file is truncated (unexpected end of JSON)',
    );
  });

  it('empty file', () => {
    expect(errorOf(() => readGeoJson(' \n', 'empty.geojson')).message).toBe('empty.geojson: the file is empty');
  });

  it('syntax error with line and column', () => {
    const text = '{\n  "type": "FeatureCollection",\n  "features": [1,]\n}';
    expect(errorOf(() => readGeoJson(text, 'bad.geojson')).message).toBe(
      "bad.geojson: invalid JSON at line 3, column 18: Unexpected token ']'",
    );
    const missingComma = '{\n  "type": "FeatureCollection"\n  "features": []\n}';
    expect(errorOf(() => readGeoJson(missingComma, 'bad.geojson')).message).toBe(
      "bad.geojson: invalid JSON at line 3, column 3: Expected ',' or '}' after property value",
    );
  });

  it('a BOM-only problem does not shift positions', () => {
    const text = '\uFEFF{"type": "Feature", "geometry": x}';
    expect(errorOf(() => readGeoJson(text, 'bom.geojson')).message).toBe(
      "bom.geojson: invalid JSON at line 1, column 33: Unexpected token 'x'",
    );
  });

  it('wrong top-level type, naming what was found', () => {
    expect(errorOf(() => readGeoJson('{"type":"Featurecollection","features":[]}', 'a.geojson')).message).toBe(
      'a.geojson: expected a GeoJSON FeatureCollection, Feature or Geometry, found type "Featurecollection" (did you mean "FeatureCollection"? GeoJSON types are case-sensitive)',
    );
    expect(errorOf(() => readGeoJson('{"type":"Topology","objects":{}}', 'a.json')).message).toBe(
      'a.json: expected a GeoJSON FeatureCollection, Feature or Geometry, found type "Topology"',
    );
    expect(errorOf(() => readGeoJson('[1, 2]', 'a.json')).message).toBe(
      'a.json: expected a GeoJSON FeatureCollection, Feature or Geometry, found a JSON array',
    );
    expect(errorOf(() => readGeoJson('{"features":[]}', 'a.json')).message).toBe(
      'a.json: expected a GeoJSON FeatureCollection, Feature or Geometry, found a JSON object without "type"',
    );
  });

  it('a member of "features" that is not a Feature', () => {
    const text = `{"type":"FeatureCollection","features":[${feature(point)},${point}]}`;
    const error = errorOf(() => readGeoJson(text, 'a.geojson'));
    expect(error.message).toBe('a.geojson: feature 1: expected a GeoJSON Feature, found type "Point"');
    expect(error.featureIndex).toBe(1);
  });

  it('NDJSON with a bad line names the line', () => {
    const text = [feature(point), feature(point), '{"type":"Feature","properties":{},"geometry":', feature(point)].join(
      '\n',
    );
    expect(errorOf(() => readGeoJson(text, 'parks.ndjson')).message).toBe(
      'parks.ndjson: line 3: the file is truncated (unexpected end of JSON)',
    );
    const typo = [feature(point), feature(point), '{"type":"Feature","properties":{"a":1,},"geometry":null}'].join(
      '\n',
    );
    expect(errorOf(() => readGeoJson(typo, 'parks.ndjson')).message).toBe(
      'parks.ndjson: line 3: invalid JSON at column 39: Expected double-quoted property name',
    );
    const notFeature = [feature(point), '', point].join('\n');
    expect(errorOf(() => readGeoJson(notFeature, 'parks.ndjson')).message).toBe(
      'parks.ndjson: feature 1: line 3: expected a GeoJSON Feature, found type "Point"',
    );
  });

  it('Infinity coordinate (1e999) names the feature and the coordinate', () => {
    const polygon = '{"type":"Polygon","coordinates":[[[116.4,39.9],[116.5,39.9],[116.5,1e999],[116.4,39.9]]]}';
    const text = `{"type":"FeatureCollection","features":[${feature(point)},${feature(polygon)}]}`;
    const error = errorOf(() => readGeoJson(text, 'inf.geojson'));
    expect(error.message).toBe(
      'inf.geojson: feature 1: coordinates[0][2] is [116.5, Infinity]; every coordinate must be a finite number (a value like 1e999 overflows to Infinity)',
    );
    expect(error.featureIndex).toBe(1);
    expect(
      errorOf(() => readGeoJson(feature('{"type":"Point","coordinates":[116.4,-1e400,5]}'), 'a.geojson')).message,
    ).toBe(
      'a.geojson: feature 0: coordinates is [116.4, -Infinity, 5]; every coordinate must be a finite number (a value like 1e999 overflows to Infinity)',
    );
  });

  it('malformed geometries', () => {
    expect(
      errorOf(() => readGeoJson(feature('{"type":"Polygon","coordinates":[[116.4,39.9]]}'), 'a.geojson')).message,
    ).toBe('a.geojson: feature 0: coordinates[0][0] is 116.4; a Polygon needs 3 levels of arrays');
    expect(
      errorOf(() => readGeoJson(feature('{"type":"Point","coordinates":["116.4",39.9]}'), 'a.geojson')).message,
    ).toBe('a.geojson: feature 0: coordinates is ["116.4", 39.9]; a position must be [longitude, latitude] numbers');
    expect(errorOf(() => readGeoJson(feature('{"type":"Circle","coordinates":[1,2]}'), 'a.geojson')).message).toBe(
      'a.geojson: feature 0: unknown geometry type "Circle"',
    );
  });
});

describe('describeJsonSyntaxError and locateJsonError', () => {
  it('understands newer V8 messages with (line L column C)', () => {
    const text = '{\n"a": 1,\n}';
    expect(
      describeJsonSyntaxError(text, 'Expected double-quoted property name in JSON at position 10 (line 3 column 1)'),
    ).toBe('invalid JSON at line 3, column 1: Expected double-quoted property name');
  });

  it('finds the offset V8 leaves out', () => {
    expect(locateJsonError('[1,]')).toBe(3);
    expect(locateJsonError('{"a": tru}')).toBe(6);
    expect(locateJsonError('{"a": "x\\q"}')).toBe(9);
    expect(locateJsonError('{"a": [1, {"b": null}]}')).toBe(-1);
    expect(locateJsonError('{"a": [1')).toBe(8);
  });
});

describe('detectGeoJson', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it('looks at the content first, then at the name', () => {
    expect(detectGeoJson('x.bin', bytes('  \n{"type":'))).toBe(true);
    expect(detectGeoJson('x.geojson', bytes('\uFEFF{"type":'))).toBe(true);
    expect(detectGeoJson('x.geojson', new Uint8Array([0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x00]))).toBe(false);
    expect(detectGeoJson('x.json', bytes('[1,2]'))).toBe(false);
    expect(detectGeoJson('x.geojson', new Uint8Array(0))).toBe(true);
    expect(detectGeoJson('x.fgb', new Uint8Array(0))).toBe(false);
  });
});

describe('writeGeoJson', () => {
  it('follows RFC 7946: no crs, exterior counter-clockwise, holes clockwise, 7 decimals', () => {
    const clockwiseOuter = square(116.39, 39.92, 0.01).reverse();
    const counterClockwiseHole = square(116.393, 39.923, 0.002);
    const input = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
      features: [
        {
          type: 'Feature',
          properties: { name: 'x' },
          geometry: { type: 'Polygon', coordinates: [clockwiseOuter, counterClockwiseHole] },
        },
        {
          type: 'Feature',
          properties: { name: 'y' },
          geometry: { type: 'Point', coordinates: [116.123456789, -39.000000001] },
        },
      ],
    } as FeatureCollection;
    const text = writeGeoJson(input);
    const output = JSON.parse(text);
    expect(output).not.toHaveProperty('crs');
    const [outer, hole] = (output.features[0].geometry as Polygon).coordinates;
    expect(signedArea(outer)).toBeGreaterThan(0);
    expect(signedArea(hole)).toBeLessThan(0);
    expect(output.features[1].geometry.coordinates).toEqual([116.1234568, -39]);
    expect(input.features[0].geometry).toEqual({
      type: 'Polygon',
      coordinates: [clockwiseOuter, counterClockwiseHole],
    }); // input untouched
  });

  it('writes NaN, Infinity and undefined as null, keeps ids, foreign members, property order, CJK and HTML', () => {
    const input = {
      type: 'FeatureCollection',
      name: 'cells',
      features: [
        {
          type: 'Feature',
          id: 'a1',
          source: 'survey',
          properties: {
            z_last: 1,
            a_first: Number.NaN,
            name: '<b>公园</b>',
            inf: -Infinity,
            missing: undefined,
            ok: true,
          },
          geometry: null,
        },
      ],
    } as unknown as FeatureCollection;
    const text = writeGeoJson(input);
    expect(text).toContain(
      '"properties":{"z_last":1,"a_first":null,"name":"<b>公园</b>","inf":null,"missing":null,"ok":true}',
    );
    expect(JSON.parse(text)).toEqual({
      type: 'FeatureCollection',
      name: 'cells',
      features: [
        {
          type: 'Feature',
          id: 'a1',
          source: 'survey',
          properties: { z_last: 1, a_first: null, name: '<b>公园</b>', inf: null, missing: null, ok: true },
          geometry: null,
        },
      ],
    });
  });

  it('round-trips through readGeoJson', () => {
    const input = sampleParks();
    expect(readGeoJson(writeGeoJson(input), 'parks.geojson')).toEqual(input);
    expect(readGeoJson(writeGeoJson({ type: 'FeatureCollection', features: [] }), 'empty.geojson')).toEqual({
      type: 'FeatureCollection',
      features: [],
    });
  });

  it('refuses a non-finite coordinate', () => {
    const input: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [116.4, Number.NaN] } }],
    };
    expect(() => writeGeoJson(input)).toThrow(
      'feature 0: position [116.4, NaN] is not finite; GeoJSON cannot represent it',
    );
  });
});
