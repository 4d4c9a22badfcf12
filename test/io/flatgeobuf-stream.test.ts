import * as flatbuffers from 'flatbuffers';
import { buildFeature } from 'flatgeobuf/lib/mjs/generic/feature.js';
import { parseGC, parseGeometry } from 'flatgeobuf/lib/mjs/geojson/geometry.js';
import { fromByteBuffer } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { cellColumns } from '../../src/io/coverage-export';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { type FlatGeobufColumn, flatGeobufChunks, writeFlatGeobuf } from '../../src/io/flatgeobuf-write';
import { joinBytes } from '../../src/io/join-bytes';
import { gridOfSquares, sampleParks, square } from './sample-data';

/** Cells as the coverage CLI writes them: 7 properties, nullable doubles/booleans/string. */
function cell(k: number): Feature {
  const green = k % 3 === 0 ? null : k * 1.5;
  return {
    type: 'Feature',
    properties: {
      green_m: green,
      park_m: k % 4 === 0 ? null : k * 2.25,
      meets_green: green === null ? null : green < 20,
      meets_park: k % 2 === 0,
      meets_both: k % 5 === 0,
      community: k % 7 === 0 ? null : `社区 ${k % 3}`,
      population: k * 0.5 + 0.25,
    },
    geometry: {
      type: 'Polygon',
      coordinates: [square(116.3 + (k % 10) * 0.001, 39.9 + Math.floor(k / 10) * 0.001, 0.001)],
    },
  };
}

/** The size-prefixed feature buffers of a file written without an index. */
function featureBuffers(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12 + view.getUint32(8, true);
  const out: Uint8Array[] = [];
  while (offset < bytes.length) {
    const end = offset + 4 + view.getUint32(offset, true);
    out.push(bytes.slice(offset, end));
    offset = end;
  }
  return out;
}

describe('writeFlatGeobuf fast encoder', () => {
  it("writes each geometry type byte for byte as the package's buildFeature does", () => {
    const geometries: Geometry[] = [
      { type: 'Point', coordinates: [116.4, 39.9] },
      {
        type: 'MultiPoint',
        coordinates: [
          [116.4, 39.9],
          [116.5, 39.8],
        ],
      },
      {
        type: 'LineString',
        coordinates: [
          [116.4, 39.9],
          [116.5, 39.8],
          [116.6, 39.95],
        ],
      },
      {
        type: 'MultiLineString',
        coordinates: [
          [
            [116.4, 39.9],
            [116.5, 39.8],
          ],
          [
            [116.6, 39.9],
            [116.7, 39.9],
          ],
        ],
      },
      {
        type: 'MultiLineString',
        coordinates: [
          [
            [116.4, 39.9],
            [116.5, 39.8],
          ],
        ],
      },
      { type: 'Polygon', coordinates: [square(116.39, 39.92, 0.01), square(116.393, 39.923, 0.002).reverse()] },
      {
        type: 'MultiPolygon',
        coordinates: [
          [square(116.39, 39.92, 0.01), square(116.393, 39.923, 0.002).reverse()],
          [square(116.5, 39.92, 0.01)],
          [[], square(116.6, 39.92, 0.01)],
        ],
      },
      {
        type: 'GeometryCollection',
        geometries: [
          { type: 'Point', coordinates: [116.4, 39.9] },
          { type: 'Polygon', coordinates: [square(116.5, 39.92, 0.01)] },
        ],
      },
    ];
    const features: Feature[] = geometries.map((geometry) => ({ type: 'Feature', properties: null, geometry }));
    const written = featureBuffers(writeFlatGeobuf({ type: 'FeatureCollection', features }, { spatialIndex: false }));
    expect(written).toHaveLength(geometries.length);
    geometries.forEach((geometry, i) => {
      const parsed = geometry.type === 'GeometryCollection' ? parseGC(geometry) : parseGeometry(geometry);
      expect(written[i], geometry.type).toEqual(buildFeature(parsed, {}, { columns: null } as never));
    });
  });

  it('encodes properties byte for byte as buildFeature does (nulls omitted, CJK text, JSON, 64-bit)', () => {
    const input = sampleParks();
    input.features.push({
      type: 'Feature',
      properties: { name: 'x'.repeat(5000), visitors: 2 ** 40 },
      geometry: { type: 'Point', coordinates: [116.4, 39.9] },
    });
    const bytes = writeFlatGeobuf(input, { spatialIndex: false });
    const read = readFlatGeobuf(bytes, 'parks.fgb');
    expect(read.features).toHaveLength(input.features.length);
    const columns = Object.keys(read.features[0].properties ?? {});
    const written = featureBuffers(bytes);
    const meta = { columns: columnsOf(bytes) };
    input.features.forEach((feature, i) => {
      const values = Object.fromEntries(
        columns.map((name) => {
          const value = feature.properties?.[name];
          return [name, value === undefined || value === null ? null : value];
        }),
      );
      const parsed = parseGeometry(feature.geometry as never);
      expect(written[i]).toEqual(buildFeature(parsed, values as never, meta as never));
    });
  });
});

/** The column metadata of a written file's header, decoded with the package. */
function columnsOf(bytes: Uint8Array) {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  return fromByteBuffer(new flatbuffers.ByteBuffer(bytes.slice(8, 12 + length))).columns;
}

describe('writeFlatGeobuf streaming (iterable input, declared columns)', () => {
  it('reads a generator once and writes the same bytes as the collection with inferred columns', () => {
    const count = 200;
    let yielded = 0;
    function* cells(): Generator<Feature> {
      for (let k = 0; k < count; k++) {
        yielded++;
        yield cell(k);
      }
    }
    const streamed = writeFlatGeobuf(cells(), { layerName: 'cells', columns: cellColumns });
    expect(yielded).toBe(count);
    const collection: FeatureCollection = {
      type: 'FeatureCollection',
      features: Array.from({ length: count }, (_, k) => cell(k)),
    };
    expect(streamed).toEqual(writeFlatGeobuf(collection, { layerName: 'cells' }));
    const output = readFlatGeobuf(streamed, 'cells.fgb');
    expect(output.features).toHaveLength(count);
    expect(Object.keys(output.features[0].properties ?? {})).toEqual(cellColumns.map((column) => column.name));
  });

  it('takes an iterable without columns too (inferred, as for a collection), and reports skips by input index', () => {
    const features = gridOfSquares(20).features;
    const skipped: [number, string][] = [];
    const withGaps = [
      ...features.slice(0, 3),
      { type: 'Feature', properties: {}, geometry: null } as never,
      ...features.slice(3),
    ];
    const bytes = writeFlatGeobuf(new Set(withGaps), { onSkippedFeature: (i, reason) => skipped.push([i, reason]) });
    expect(skipped).toEqual([[3, 'null geometry']]);
    expect(bytes).toEqual(writeFlatGeobuf({ type: 'FeatureCollection', features }));
  });

  it('writes values in the declared types: integers in a double column, numbers in a string column', () => {
    const features: Feature[] = [
      { type: 'Feature', properties: { a: 1, b: 12, c: 7 }, geometry: { type: 'Point', coordinates: [116.4, 39.9] } },
      { type: 'Feature', properties: { a: 2, b: true }, geometry: { type: 'Point', coordinates: [116.5, 39.9] } },
    ];
    const bytes = writeFlatGeobuf(features, {
      spatialIndex: false,
      columns: [
        { name: 'a', type: 'double' },
        { name: 'b', type: 'string' },
        { name: 'c', type: 'long' },
        { name: 'd', type: 'json' },
      ],
    });
    expect(readFlatGeobuf(bytes, 'typed.fgb').features.map((feature) => feature.properties)).toEqual([
      { a: 1, b: '12', c: 7, d: null },
      { a: 2, b: 'true', c: null, d: null },
    ]);
  });

  it('rejects an undeclared property, a value that does not fit its column and a bad column list', () => {
    const point = (properties: Record<string, unknown>): Feature => ({
      type: 'Feature',
      properties,
      geometry: { type: 'Point', coordinates: [116.4, 39.9] },
    });
    const columns: FlatGeobufColumn[] = [
      { name: 'n', type: 'int' },
      { name: 'ok', type: 'boolean' },
    ];
    expect(() => writeFlatGeobuf([point({ n: 1 }), point({ n: 2, extra: null })], { columns })).toThrow(
      'feature 1: property "extra" is not among options.columns',
    );
    expect(() => writeFlatGeobuf([point({ n: 1.5 })], { columns })).toThrow(
      'feature 0: property "n" is number, not a 32-bit integer as its column needs',
    );
    expect(() => writeFlatGeobuf([point({ ok: 'yes' })], { columns })).toThrow(
      'feature 0: property "ok" is "yes", not a boolean as its column needs',
    );
    expect(() => writeFlatGeobuf([point({ n: 1, ok: undefined })], { columns })).not.toThrow();
    expect(() =>
      writeFlatGeobuf([], {
        columns: [
          { name: 'n', type: 'int' },
          { name: 'n', type: 'double' },
        ],
      }),
    ).toThrow('column "n" is declared twice');
    expect(() => writeFlatGeobuf([], { columns: [{ name: 'n', type: 'float' as never }] })).toThrow(
      'column "n" has type "float"',
    );
  });
});

describe('flatGeobufChunks', () => {
  it('yields pieces that concatenate to the writeFlatGeobuf bytes, with and without the index', () => {
    const features = Array.from({ length: 6000 }, (_, k) => cell(k));
    for (const spatialIndex of [true, false]) {
      const pieces = [...flatGeobufChunks(features, { columns: cellColumns, spatialIndex })];
      expect(pieces.length).toBeGreaterThan(2);
      for (const piece of pieces.slice(2)) expect(piece.length).toBeLessThanOrEqual(1 << 20);
      const whole = writeFlatGeobuf(features, { columns: cellColumns, spatialIndex });
      expect(Buffer.compare(joinBytes(pieces), whole)).toBe(0); // (toEqual on megabytes is slow)
    }
  });

  it('throws before yielding anything when a feature is bad', () => {
    const bad: Feature = { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [Number.NaN, 1] } };
    const pieces: Uint8Array[] = [];
    expect(() => {
      for (const piece of flatGeobufChunks([cell(0), bad], { columns: cellColumns })) pieces.push(piece);
    }).toThrow('feature 1: position [NaN, 1] is not finite');
    expect(pieces).toEqual([]);
  });
});
