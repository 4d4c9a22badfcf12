import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { normalizeGreenKinds } from '../../src/io/osm';
import { checkChunkManifest, crc32, joinChunks, splitIntoChunks } from '../../src/state/layer-chunks';
import type { StoredLayer } from '../../src/state/persist-layers';
import { decodeStoredLayer, encodeStoredLayer } from '../../src/state/stored-layer-codec';
import { checkStoredLayers } from '../../src/state/stored-records';
import { sampleParks, square } from '../io/sample-data';

// Large imported layers are kept in IndexedDB as FlatGeobuf bytes cut into chunks (issue 13: a 150 MB
// layer was refused whole). These check the pure part: the cut, the join, and that a missing, short or
// altered chunk is reported and never decoded into half a layer.

const root = join(import.meta.dirname, '../..');

function park(index: number, properties: Feature['properties']): Feature {
  const lng = 104 + (index % 50) * 0.001;
  const lat = 30.6 + Math.floor(index / 50) * 0.001;
  return { type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [square(lng, lat, 0.0005)] } };
}

/** 400 parks with text (Chinese too), integer, fractional, boolean and object properties. */
const parks: FeatureCollection = {
  type: 'FeatureCollection',
  features: Array.from({ length: 400 }, (_, index) =>
    park(index, {
      name: `公园 ${index}`,
      kind: index % 3 === 0 ? 'park' : 'pocket_park',
      population: index * 17,
      share: index / 7,
      open: index % 2 === 0,
      tags: { leisure: 'park', index },
    }),
  ),
};

function layerOf(collection: FeatureCollection, role: StoredLayer['role'] = 'greenspaces'): StoredLayer {
  return {
    role,
    source: 'parks.geojson',
    collection,
    mapping: { name: 'name', name_en: null, population: null, kind: 'kind' },
    crs: 'EPSG:4326',
    gcj02: false,
    featureCount: collection.features.length,
    savedAt: 1,
  };
}

describe('CRC-32', () => {
  it('gives the standard check value and agrees with zlib on any bytes', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expect(crc32(bytes)).toBe(zlibCrc32(bytes));
      }),
    );
  });
});

describe('splitting into chunks and joining them', () => {
  it('joins what it split, for any bytes and chunk size; every chunk but the last is full', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 700 }), (bytes, chunkBytes) => {
        const { manifest, chunks } = splitIntoChunks(bytes, chunkBytes);
        expect(chunks).toHaveLength(Math.ceil(bytes.length / chunkBytes));
        chunks.forEach((chunk, index) => {
          expect(chunk.byteLength).toBe(index < chunks.length - 1 ? chunkBytes : bytes.length - index * chunkBytes);
        });
        expect(checkChunkManifest(manifest)).toEqual(manifest);
        const joined = joinChunks(manifest, chunks);
        expect('bytes' in joined && [...joined.bytes]).toEqual([...bytes]);
      }),
    );
  });

  it('gives each chunk its own buffer (a view would store the whole buffer in every record)', () => {
    const bytes = new Uint8Array(1000).map((_, index) => index);
    const { chunks } = splitIntoChunks(bytes.subarray(100, 900), 300);
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([300, 300, 200]);
    expect(new Uint8Array(chunks[0])[0]).toBe(100);
  });

  it('names a missing, a truncated and an altered chunk, and gives no bytes then', () => {
    const bytes = new Uint8Array(1000).map((_, index) => (index * 31) % 256);
    const { manifest, chunks } = splitIntoChunks(bytes, 256);
    expect(chunks).toHaveLength(4);
    const missing = [...chunks];
    delete missing[2];
    expect(joinChunks(manifest, missing)).toEqual({ problem: 'chunk 3 of 4 is missing' });
    expect(joinChunks(manifest, chunks.slice(0, 3))).toEqual({ problem: 'chunk 4 of 4 is missing' });
    const truncated = [...chunks];
    truncated[1] = chunks[1].slice(0, 100);
    expect(joinChunks(manifest, truncated)).toEqual({
      problem: 'chunk 2 of 4 has 100 bytes instead of 256 (truncated)',
    });
    const altered = chunks.map((chunk) => chunk.slice(0));
    new Uint8Array(altered[0])[7] ^= 1;
    expect(joinChunks(manifest, altered)).toEqual({ problem: 'chunk 1 of 4 is damaged (its checksum differs)' });
    expect(joinChunks(manifest, ['garbage', ...chunks.slice(1)])).toEqual({ problem: 'chunk 1 of 4 is missing' });
  });

  it('refuses a manifest whose figures disagree or are not counts', () => {
    const { manifest } = splitIntoChunks(new Uint8Array(10), 4);
    expect(checkChunkManifest({ ...manifest, byteLength: 11 })).toBeNull();
    expect(checkChunkManifest({ ...manifest, chunks: 'garbage' })).toBeNull();
    expect(checkChunkManifest({ ...manifest, chunkBytes: 0 })).toBeNull();
    expect(checkChunkManifest({ ...manifest, chunks: [{ byteLength: -1, checksum: 0 }] })).toBeNull();
    expect(checkChunkManifest(null)).toBeNull();
    expect(() => splitIntoChunks(new Uint8Array(10), 0)).toThrow(/chunk size/);
  });
});

describe('a stored layer as FlatGeobuf chunks', () => {
  it('round-trips a layer many times the chunk size, features and properties unchanged', () => {
    const { record, chunks } = encodeStoredLayer(layerOf(parks), 4096);
    expect(record.manifest.byteLength).toBeGreaterThan(10 * 4096);
    expect(chunks.length).toBe(Math.ceil(record.manifest.byteLength / 4096));
    expect(record).not.toHaveProperty('collection');
    expect(record.featureCount).toBe(400);
    const decoded = decodeStoredLayer(record, chunks);
    if (!('layer' in decoded)) throw new Error(decoded.problem);
    expect(decoded.layer.collection.features).toEqual(parks.features);
    expect(decoded.layer).toMatchObject({ role: 'greenspaces', source: 'parks.geojson', featureCount: 400 });
    expect(decoded.layer.mapping).toEqual(layerOf(parks).mapping);
  });

  it('round-trips holes, multipolygons, CJK, booleans and nested values; a missing property comes back null', () => {
    const sample = sampleParks();
    const { record, chunks } = encodeStoredLayer(layerOf(sample), 64);
    const decoded = decodeStoredLayer(record, chunks);
    // FlatGeobuf has one set of columns: a key a feature lacks reads as null, as the engine takes a missing one.
    const columns = [...new Set(sample.features.flatMap((feature) => Object.keys(feature.properties ?? {})))];
    // A kind goes through the one alias/OSM table on the way back (公园 is a park), as every stored kind does.
    const expected = normalizeGreenKinds(sample.features).features.map((feature) => ({
      ...feature,
      properties: Object.fromEntries(columns.map((key) => [key, feature.properties?.[key] ?? null])),
    }));
    expect('layer' in decoded && decoded.layer.collection.features).toEqual(expected);
  });

  it("round-trips the demo's real green spaces and communities (the order of features kept)", () => {
    for (const [role, file] of [
      ['greenspaces', 'greenspaces.fgb'],
      ['communities', 'communities.fgb'],
    ] as const) {
      const read = readFlatGeobuf(new Uint8Array(readFileSync(join(root, 'data/demo', file))), file);
      const collection = { ...read, features: read.features.filter((feature) => feature.geometry) };
      const { record, chunks } = encodeStoredLayer(layerOf(collection, role), 10_000);
      expect(chunks.length).toBeGreaterThan(2);
      const decoded = decodeStoredLayer(record, chunks);
      expect('layer' in decoded && decoded.layer.collection.features).toEqual(collection.features);
    }
  });

  it('reports a layer with a missing or truncated chunk and does not decode it', () => {
    const { record, chunks } = encodeStoredLayer(layerOf(parks), 4096);
    const last = chunks.length - 1;
    const missing = [...chunks];
    delete missing[5];
    expect(decodeStoredLayer(record, missing)).toEqual({ problem: `chunk 6 of ${chunks.length} is missing` });
    expect(decodeStoredLayer(record, chunks.slice(0, last))).toEqual({
      problem: `chunk ${chunks.length} of ${chunks.length} is missing`,
    });
    const truncated = [...chunks];
    truncated[last] = chunks[last].slice(0, 10);
    expect(decodeStoredLayer(record, truncated)).toMatchObject({ problem: expect.stringMatching(/truncated/) });
    expect(decodeStoredLayer({ ...record, manifest: { ...record.manifest, chunks: [] } }, chunks)).toEqual({
      problem: 'its list of chunks is damaged',
    });
  });

  it('reports bytes that are whole but are not the recorded layer', () => {
    // A manifest rewritten to match altered bytes (checksums pass): the FlatGeobuf or the count catches it.
    const { record, chunks } = encodeStoredLayer(layerOf(parks), 1 << 20);
    const garbage = new Uint8Array(chunks[0].byteLength).fill(7);
    const forged = splitIntoChunks(garbage, 1 << 20);
    expect(decodeStoredLayer({ ...record, manifest: forged.manifest }, forged.chunks)).toHaveProperty('problem');
    expect(decodeStoredLayer({ ...record, featureCount: 399 }, chunks)).toEqual({
      problem: '400 features instead of 399',
    });
  });

  it('leaves version-1 records (features inside the record) readable as they were', () => {
    const old = layerOf(parks);
    const checked = checkStoredLayers([old, { ...old, role: 'nonsense' }]);
    expect(checked.skipped).toBe(1);
    expect(checked.records[0].collection.features).toEqual(parks.features);
  });
});
