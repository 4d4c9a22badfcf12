import { geojson as npmFlatGeobuf } from 'flatgeobuf';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/coverage/input-error';
import { detectFlatGeobuf } from '../../src/io/flatgeobuf-format';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { readFlatGeobufStream } from '../../src/io/flatgeobuf-stream';
import { writeFlatGeobuf } from '../../src/io/flatgeobuf-write';
import { gridOfSquares, sampleParks, square } from './sample-data';

/** Every pitfall test must end at once: the npm reader's traps are infinite loops. */
const FAST_MS = 2000;

/** Input properties as the reader gives them back: every column of the union, null where missing. */
function withAllColumns(collection: FeatureCollection): Record<string, unknown>[] {
  const columns: string[] = [];
  for (const feature of collection.features) {
    for (const key of Object.keys(feature.properties ?? {})) if (!columns.includes(key)) columns.push(key);
  }
  return collection.features.map((feature) =>
    Object.fromEntries(columns.map((column) => [column, feature.properties?.[column] ?? null])),
  );
}

function streamOf(bytes: Uint8Array, chunkBytes: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

function expectFileError(read: () => unknown, message: string | RegExp): InputError {
  let caught: unknown;
  try {
    read();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  if (typeof message === 'string') expect((caught as InputError).message).toBe(message);
  else expect((caught as InputError).message).toMatch(message);
  expect((caught as InputError).message).not.toContain('\n');
  return caught as InputError;
}

function withHeaderLength(bytes: Uint8Array, headerLengthBytes: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(8, headerLengthBytes, true);
  return copy;
}

describe('writeFlatGeobuf → readFlatGeobuf round trip', () => {
  it('keeps geometries (holes, multipolygons), CJK, booleans, HTML text, JSON, later columns and nulls', () => {
    const input = sampleParks();
    const output = readFlatGeobuf(writeFlatGeobuf(input, { spatialIndex: false }), 'parks.fgb');
    expect(output.features.map((feature) => feature.geometry)).toEqual(
      input.features.map((feature) => feature.geometry),
    );
    expect(output.features.map((feature) => feature.properties)).toEqual(withAllColumns(input));
    const hole = (output.features[0].geometry as Polygon).coordinates[1];
    expect(hole).toHaveLength(5);
    expect(output.features[1].properties?.name).toBe('<img src=x onerror=alert(1)>');
    expect(output.features[0].properties?.note).toBeNull(); // column that starts on feature 1
    expect(output.features[1].properties?.area_m2).toBeNull(); // explicit null, not NaN
    expect(output.features[2].properties?.is_park).toBeNull(); // missing key, not false
    expect(output.features[2].properties?.tags).toEqual({ shade: true, trees: ['ginkgo', '槐树'] });
  });

  it('keeps property order: columns in first-seen order', () => {
    const output = readFlatGeobuf(writeFlatGeobuf(sampleParks()), 'parks.fgb');
    expect(Object.keys(output.features[0].properties ?? {})).toEqual([
      'name',
      'kind',
      'area_m2',
      'is_park',
      'visitors',
      'note',
      'tags',
    ]);
  });

  it('with the spatial index stores features in Hilbert order but loses none', () => {
    const input = gridOfSquares(100);
    const output = readFlatGeobuf(writeFlatGeobuf(input), 'grid.fgb');
    expect(output.features).toHaveLength(100);
    const byN = [...output.features].sort((a, b) => (a.properties?.n as number) - (b.properties?.n as number));
    expect(byN.map((feature) => feature.geometry)).toEqual(input.features.map((feature) => feature.geometry));
  });

  it('types columns from all values: integers, 64-bit integers, doubles, mixed number/string → string', () => {
    const features: Feature[] = [
      {
        type: 'Feature',
        properties: { small: 1, big: 2 ** 40, ratio: 1, code: 12 },
        geometry: { type: 'Point', coordinates: [116.4, 39.9] },
      },
      {
        type: 'Feature',
        properties: { small: -5, big: 3, ratio: 0.25, code: 'A-12' },
        geometry: { type: 'Point', coordinates: [116.5, 39.9] },
      },
    ];
    const output = readFlatGeobuf(
      writeFlatGeobuf({ type: 'FeatureCollection', features }, { spatialIndex: false }),
      'types.fgb',
    );
    expect(output.features.map((feature) => feature.properties)).toEqual([
      { small: 1, big: 2 ** 40, ratio: 1, code: '12' },
      { small: -5, big: 3, ratio: 0.25, code: 'A-12' },
    ]);
  });

  it('writes NaN, Infinity and undefined property values as null', () => {
    const features: Feature[] = [
      {
        type: 'Feature',
        properties: { a: Number.NaN, b: Infinity, c: undefined, d: 2.5 },
        geometry: { type: 'Point', coordinates: [116.4, 39.9] },
      },
      {
        type: 'Feature',
        properties: { a: 1.5, b: 2, c: 'x', d: -Infinity },
        geometry: { type: 'Point', coordinates: [116.5, 39.9] },
      },
    ];
    const output = readFlatGeobuf(
      writeFlatGeobuf({ type: 'FeatureCollection', features }, { spatialIndex: false }),
      'nan.fgb',
    );
    expect(output.features.map((feature) => feature.properties)).toEqual([
      { a: null, b: null, c: null, d: 2.5 },
      { a: 1.5, b: 2, c: 'x', d: null },
    ]);
  });

  it('skips null and empty geometries and reports each', () => {
    const input = sampleParks();
    input.features.splice(1, 0, { type: 'Feature', properties: { name: 'no geometry' }, geometry: null as never });
    input.features.push({
      type: 'Feature',
      properties: { name: 'empty' },
      geometry: { type: 'Polygon', coordinates: [] },
    });
    const skipped: [number, string][] = [];
    const bytes = writeFlatGeobuf(input, { onSkippedFeature: (index, reason) => skipped.push([index, reason]) });
    expect(skipped).toEqual([
      [1, 'null geometry'],
      [4, 'empty geometry'],
    ]);
    expect(readFlatGeobuf(bytes, 'parks.fgb').features).toHaveLength(3);
  });

  it('writes an empty collection as a valid file with no features', () => {
    const bytes = writeFlatGeobuf({ type: 'FeatureCollection', features: [] });
    expect(detectFlatGeobuf(bytes)).toBe(true);
    expect(readFlatGeobuf(bytes, 'empty.fgb')).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('drops Z and rejects non-finite coordinates', () => {
    const point: Feature = {
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: [116.4, 39.9, 50] },
    };
    const output = readFlatGeobuf(writeFlatGeobuf({ type: 'FeatureCollection', features: [point] }), 'z.fgb');
    expect(output.features[0].geometry).toEqual({ type: 'Point', coordinates: [116.4, 39.9] });
    const bad: Feature = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'LineString',
        coordinates: [
          [116.4, 39.9],
          [116.5, Infinity],
        ],
      },
    };
    expect(() => writeFlatGeobuf({ type: 'FeatureCollection', features: [point, bad] })).toThrow(
      'feature 1: position [116.5, Infinity] is not finite',
    );
  });

  it('keeps a "__proto__" property as a plain property', () => {
    const properties = JSON.parse('{"__proto__": {"polluted": true}, "name": "x"}');
    const input: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [116.4, 39.9] } }],
    };
    const output = readFlatGeobuf(writeFlatGeobuf(input), 'proto.fgb');
    const read = output.features[0].properties as Record<string, unknown>;
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(read, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('spatial index', () => {
  it('is a packed Hilbert R-tree the npm reader can query with a rect', async () => {
    const input = gridOfSquares(237); // several levels with nodeSize 16
    const bytes = writeFlatGeobuf(input);
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined); // the npm search logs every step
    try {
      for (const rect of [
        { minX: 116.3, minY: 39.8, maxX: 116.304, maxY: 39.804 },
        { minX: 116.345, minY: 39.845, maxX: 116.372, maxY: 39.9 },
        { minX: 100, minY: 10, maxX: 101, maxY: 11 },
        { minX: 116, minY: 39, maxX: 117, maxY: 41 },
      ]) {
        const found: number[] = [];
        for await (const feature of npmFlatGeobuf.deserialize(bytes, { rect }))
          found.push(feature.properties?.n as number);
        const expected = input.features
          .filter((feature) => {
            const [[minX, minY], , [maxX, maxY]] = (feature.geometry as Polygon).coordinates[0];
            return minX <= rect.maxX && maxX >= rect.minX && minY <= rect.maxY && maxY >= rect.minY;
          })
          .map((feature) => feature.properties?.n as number);
        expect(found.sort((a, b) => a - b)).toEqual(expected);
      }
    } finally {
      debug.mockRestore();
    }
  });

  it('is absent with spatialIndex: false (input order kept)', () => {
    const input = gridOfSquares(30);
    const output = readFlatGeobuf(writeFlatGeobuf(input, { spatialIndex: false }), 'grid.fgb');
    expect(output.features.map((feature) => feature.properties?.n)).toEqual(
      input.features.map((feature) => feature.properties?.n),
    );
  });
});

describe('readFlatGeobuf on broken files', () => {
  const good = writeFlatGeobuf(sampleParks(), { spatialIndex: false });
  const headerLengthBytes = new DataView(good.buffer).getUint32(8, true);

  it('empty buffer', { timeout: FAST_MS }, () => {
    expectFileError(
      () => readFlatGeobuf(new Uint8Array(0), 'a.fgb'),
      'a.fgb: the file is empty (0 bytes), not a FlatGeobuf file',
    );
  });

  it('lone 8-byte magic header', { timeout: FAST_MS }, () => {
    expectFileError(
      () => readFlatGeobuf(good.slice(0, 8), 'a.fgb'),
      'a.fgb: truncated header (the file ends after 8 bytes, before the header length)',
    );
  });

  it('magic and header length but no header', { timeout: FAST_MS }, () => {
    expectFileError(
      () => readFlatGeobuf(good.slice(0, 12), 'a.fgb'),
      `a.fgb: truncated header or corrupt header length (the length field says ${headerLengthBytes} bytes, 0 follow)`,
    );
  });

  it('not FlatGeobuf, or another version', { timeout: FAST_MS }, () => {
    expectFileError(
      () => readFlatGeobuf(new TextEncoder().encode('{"type":"FeatureCollection"}'), 'a.fgb'),
      'a.fgb: not a FlatGeobuf file (it does not start with "fgb")',
    );
    const version2 = good.slice();
    version2[3] = 2;
    expectFileError(
      () => readFlatGeobuf(version2, 'a.fgb'),
      'a.fgb: unsupported FlatGeobuf version 2 (only version 3 can be read)',
    );
  });

  it('truncated file names the last complete feature', { timeout: FAST_MS }, () => {
    for (const cutBytes of [1, 40, 200]) {
      expectFileError(
        () => readFlatGeobuf(good.slice(0, good.length - cutBytes), 'a.fgb'),
        /^a\.fgb: truncated after feature 1 \(2 of 3 features read; feature 2 needs \d+ bytes, \d+ remain\)$/,
      );
    }
  });

  it('truncated spatial index', { timeout: FAST_MS }, () => {
    const indexed = writeFlatGeobuf(sampleParks());
    const indexStart = 12 + new DataView(indexed.buffer).getUint32(8, true);
    expectFileError(
      () => readFlatGeobuf(indexed.slice(0, indexStart + 50), 'a.fgb'),
      'a.fgb: truncated spatial index (160 bytes expected, 50 present)',
    );
  });

  it('bad header length: too large (the npm reader returns 0 features silently)', { timeout: FAST_MS }, () => {
    expectFileError(
      () => readFlatGeobuf(withHeaderLength(good, headerLengthBytes + 100000), 'a.fgb'),
      `a.fgb: truncated header or corrupt header length (the length field says ${headerLengthBytes + 100000} bytes, ${good.length - 12} follow)`,
    );
    expectFileError(
      () => readFlatGeobuf(withHeaderLength(good, 0xffffffff), 'a.fgb'),
      'a.fgb: corrupt header (its length field says 4294967295 bytes)',
    );
  });

  it('bad header length: off by a few bytes either way', { timeout: FAST_MS }, () => {
    for (const delta of [-40, -8, -4, -1, 1, 4, 8, 16, 64]) {
      expectFileError(
        () => readFlatGeobuf(withHeaderLength(good, headerLengthBytes + delta), 'a.fgb'),
        /^a\.fgb: (corrupt header \(|feature 0: corrupt feature \(.*\); the header length field may be wrong$|truncated before the first feature, or a corrupt header length)/,
      );
    }
  });

  it('a feature count that disagrees with the header', { timeout: FAST_MS }, () => {
    const one = writeFlatGeobuf(
      { type: 'FeatureCollection', features: sampleParks().features.slice(0, 1) },
      { spatialIndex: false },
    );
    const oneFeature = one.subarray(12 + new DataView(one.buffer).getUint32(8, true));
    const fourFeatures = new Uint8Array(good.length + oneFeature.length);
    fourFeatures.set(good);
    fourFeatures.set(oneFeature, good.length);
    expectFileError(
      () => readFlatGeobuf(fourFeatures, 'a.fgb'),
      'a.fgb: the header says 3 features but the file holds 4 (corrupt header length or truncated file)',
    );
  });
});

describe('readFlatGeobufStream', () => {
  it('yields every feature as it arrives, from tiny chunks', { timeout: FAST_MS }, async () => {
    const bytes = writeFlatGeobuf(gridOfSquares(40));
    const seen: number[] = [];
    const collection = await readFlatGeobufStream(streamOf(bytes, 7), 'grid.fgb', (feature, index) => {
      seen.push(index);
      expect(feature.type).toBe('Feature');
    });
    expect(collection).toEqual(readFlatGeobuf(bytes, 'grid.fgb'));
    expect(seen).toEqual([...Array(40).keys()]);
  });

  it('fails fast on an empty stream, a lone magic header, a truncated file and a bad header length', {
    timeout: FAST_MS,
  }, async () => {
    const good = writeFlatGeobuf(sampleParks(), { spatialIndex: false });
    const headerLengthBytes = new DataView(good.buffer).getUint32(8, true);
    const cases: [Uint8Array, string | RegExp][] = [
      [new Uint8Array(0), 'a.fgb: the file is empty (0 bytes), not a FlatGeobuf file'],
      [good.slice(0, 8), 'a.fgb: truncated header (the file ends after 8 bytes, before the header length)'],
      [
        good.slice(0, good.length - 10),
        /^a\.fgb: truncated after feature 1 \(2 of 3 features read; feature 2 needs \d+ bytes, \d+ remain\)$/,
      ],
      [withHeaderLength(good, headerLengthBytes + 100000), /^a\.fgb: truncated header or corrupt header length/],
      [withHeaderLength(good, headerLengthBytes + 4), /^a\.fgb: feature 0: corrupt feature/],
    ];
    for (const [bytes, message] of cases) {
      const error = await readFlatGeobufStream(streamOf(bytes, 5), 'a.fgb').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InputError);
      if (typeof message === 'string') expect((error as InputError).message).toBe(message);
      else expect((error as InputError).message).toMatch(message);
    }
  });
});

describe('detectFlatGeobuf', () => {
  it('recognises the magic bytes only', () => {
    expect(detectFlatGeobuf(writeFlatGeobuf(sampleParks()))).toBe(true);
    expect(detectFlatGeobuf(new Uint8Array(0))).toBe(false);
    expect(detectFlatGeobuf(new TextEncoder().encode('{"type":"Feature"}'))).toBe(false);
    expect(detectFlatGeobuf(new Uint8Array([0x66, 0x67, 0x62, 0x03]))).toBe(false);
  });
});

describe('writeFlatGeobuf header', () => {
  it('stores the layer name and the description', async () => {
    const bytes = writeFlatGeobuf(
      {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [square(116.4, 39.9, 0.01)] } },
        ],
      },
      { layerName: 'cells', description: 'GreenReach coverage' },
    );
    let header: { crs: { code: number } | null; description: string | null; indexNodeSize: number } | null = null;
    for await (const _ of npmFlatGeobuf.deserialize(bytes, { headerMetaFn: (meta) => (header = meta as never) })) {
      // drain
    }
    expect(header).toMatchObject({ crs: { code: 4326 }, description: 'GreenReach coverage', indexNodeSize: 16 });
    expect(new TextDecoder().decode(bytes)).toContain('cells');
  });
});
