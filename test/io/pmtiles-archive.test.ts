import { VectorTile } from '@mapbox/vector-tile';
import { gunzipSync } from 'fflate';
import { PbfReader as Pbf } from 'pbf';
import { PMTiles, type Source, tileIdToZxy, zxyToTileId } from 'pmtiles';
import { beforeAll, describe, expect, it } from 'vitest';
import { threeRiversProtomapsLayers, vectorTiles } from '../../scripts/pmtiles/protomaps-sample';
import { type ArchiveTile, writePmtiles } from '../../scripts/pmtiles/write-pmtiles';
import type { InputError } from '../../src/coverage/input-error';
import { openPmtilesArchive } from '../../src/io/pmtiles-archive';
import { root } from '../browser/harness';

// The test tile archive and the planner's basemap reader: the writer's archive read back by pmtiles'
// own reader gives every tile written, byte for byte, with the header's bounds and zooms; the checks
// before the map gets an archive refuse what is not PMTiles, cut short, raster or of another version.

/** pmtiles' reader over bytes in memory. */
class BytesSource implements Source {
  constructor(private readonly bytes: Uint8Array) {}
  getKey() {
    return 'memory';
  }
  async getBytes(offset: number, length: number) {
    return { data: this.bytes.slice(offset, offset + length).buffer };
  }
}

const fileOf = (bytes: Uint8Array, name: string) => new File([bytes.slice()], name);

async function problemOf(file: File): Promise<InputError> {
  try {
    await openPmtilesArchive({ file });
  } catch (error) {
    return error as InputError;
  }
  throw new Error(`${file.name} was accepted`);
}

describe('PMTiles test archive (scripts/pmtiles)', () => {
  let tiles: ArchiveTile[];
  let bounds: [number, number, number, number];
  let archive: Uint8Array;

  beforeAll(() => {
    const sample = threeRiversProtomapsLayers(root);
    bounds = sample.bounds;
    tiles = vectorTiles(sample.layers, 10, 15);
    archive = writePmtiles({
      tiles,
      tileType: 1,
      bounds,
      minZoom: 10,
      maxZoom: 15,
      gzip: true,
      metadata: { attribution: '<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap contributors</a>' },
    });
  });

  it('pmtiles reads back every tile written, and the header says the bounds and zooms', async () => {
    // Every zoom from 10 to 15 has tiles (the sample fits in one tile at z10).
    expect(new Set(tiles.map((tile) => tile.z))).toEqual(new Set([10, 11, 12, 13, 14, 15]));
    const reader = new PMTiles(new BytesSource(archive));
    const header = await reader.getHeader();
    expect(header.specVersion).toBe(3);
    expect(header.tileType).toBe(1);
    expect([header.minZoom, header.maxZoom]).toEqual([10, 15]);
    for (const [read, written] of [
      [header.minLon, bounds[0]],
      [header.minLat, bounds[1]],
      [header.maxLon, bounds[2]],
      [header.maxLat, bounds[3]],
    ])
      expect(read).toBeCloseTo(written, 6);
    expect(header.numAddressedTiles).toBe(tiles.length);
    for (const tile of tiles) {
      const response = await reader.getZxy(tile.z, tile.x, tile.y);
      expect(new Uint8Array(response!.data)).toEqual(tile.data);
    }
    // A tile not written is absent (one tile west of the first z15 tile, beyond the sample).
    const z15 = tiles.filter((tile) => tile.z === 15).sort((a, b) => a.x - b.x)[0];
    expect(await reader.getZxy(15, z15.x - 1, z15.y)).toBeUndefined();
  });

  it('the directory is the spec’s: varint ids ascending and decoded without pmtiles’ help', () => {
    // Decode the root directory by hand (spec v3: count, id deltas, run lengths, lengths, offsets).
    const view = new DataView(archive.buffer);
    const offset = Number(view.getBigUint64(8, true));
    const length = Number(view.getBigUint64(16, true));
    const bytes = gunzipSync(archive.subarray(offset, offset + length));
    let position = 0;
    const varint = () => {
      let value = 0;
      let scale = 1;
      for (;;) {
        const byte = bytes[position++];
        value += (byte & 0x7f) * scale;
        scale *= 128;
        if (byte < 0x80) return value;
      }
    };
    const count = varint();
    expect(count).toBe(tiles.length);
    const ids: number[] = [];
    let id = 0;
    for (let index = 0; index < count; index++) {
      id += varint();
      ids.push(id);
    }
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.map((id) => tileIdToZxy(id).join('/')).sort()).toEqual(tiles.map((t) => `${t.z}/${t.x}/${t.y}`).sort());
    expect(ids[0]).toBe(Math.min(...tiles.map((t) => zxyToTileId(t.z, t.x, t.y))));
  });

  it('the tiles hold Protomaps’ layers: water, roads by kind, places with names in three languages', () => {
    const layersSeen = new Set<string>();
    const roadKinds = new Set<string>();
    const placeNames: Record<string, unknown>[] = [];
    for (const tile of tiles.filter((t) => t.z === 14)) {
      const decoded = new VectorTile(new Pbf(tile.data));
      for (const name of Object.keys(decoded.layers)) layersSeen.add(name);
      const roads = decoded.layers.roads;
      for (let index = 0; roads && index < roads.length; index++)
        roadKinds.add(String(roads.feature(index).properties.kind));
      const places = decoded.layers.places;
      for (let index = 0; places && index < places.length; index++) placeNames.push(places.feature(index).properties);
    }
    expect([...layersSeen].sort()).toEqual(['buildings', 'earth', 'landuse', 'places', 'roads', 'water']);
    expect([...roadKinds].sort()).toEqual(['major_road', 'minor_road', 'path', 'rail']);
    expect(placeNames).toContainEqual(
      expect.objectContaining({
        kind: 'locality',
        name: 'Three Rivers',
        'name:en': 'Three Rivers',
        'name:zh-Hans': '三河',
      }),
    );
  });

  it('the planner’s archive opens: bounds and zooms from its header', async () => {
    const opened = await openPmtilesArchive({ file: fileOf(archive, 'three-rivers.pmtiles') });
    expect(opened.name).toBe('three-rivers.pmtiles');
    // The credit line from the metadata, as text (Protomaps writes links).
    expect(opened.attribution).toBe('© OpenStreetMap contributors');
    expect([opened.minZoom, opened.maxZoom]).toEqual([10, 15]);
    expect(opened.bounds[0]).toBeCloseTo(bounds[0], 6);
    expect(opened.bounds[3]).toBeCloseTo(bounds[3], 6);
    // Two files of one name are two archives to the map's protocol.
    const again = await openPmtilesArchive({ file: fileOf(archive, 'three-rivers.pmtiles') });
    expect(again.key).not.toBe(opened.key);
    expect(new Uint8Array((await again.archive.getZxy(10, tiles[0].x, tiles[0].y))?.data ?? [])).toEqual(
      tiles.find((tile) => tile.z === 10)!.data,
    );
  });

  it('refuses random bytes, a cut-short archive, raster tiles, another version and bad bounds, naming the file', async () => {
    const random = Uint8Array.from({ length: 4096 }, (_, index) => (index * 7919 + 13) % 251);
    const notPmtiles = await problemOf(fileOf(random, 'x.pmtiles'));
    expect([notPmtiles.code, notPmtiles.fileName]).toEqual(['pmtiles.not-pmtiles', 'x.pmtiles']);
    expect(notPmtiles.message).toMatch(/^x\.pmtiles: /);

    const cut = await problemOf(fileOf(archive.slice(0, Math.floor(archive.length / 2)), 'cut.pmtiles'));
    expect(cut.code).toBe('pmtiles.truncated');
    expect(cut.values).toEqual({ bytes: Math.floor(archive.length / 2), expected: archive.length });
    const headerOnly = await problemOf(fileOf(archive.slice(0, 60), 'head.pmtiles'));
    expect(headerOnly.code).toBe('pmtiles.truncated');

    const png = writePmtiles({
      tiles: [{ z: 10, x: 1, y: 1, data: new Uint8Array([137, 80, 78, 71]) }],
      tileType: 2,
      bounds,
      minZoom: 10,
      maxZoom: 10,
    });
    const raster = await problemOf(fileOf(png, 'satellite.pmtiles'));
    expect([raster.code, raster.values]).toEqual(['pmtiles.tile-type', { type: 'PNG' }]);

    const version2 = writePmtiles({ tiles, tileType: 1, bounds, minZoom: 10, maxZoom: 15, specVersion: 2 });
    expect((await problemOf(fileOf(version2, 'old.pmtiles'))).code).toBe('pmtiles.version');

    const flipped = writePmtiles({
      tiles,
      tileType: 1,
      bounds: [bounds[2], bounds[1], bounds[0], bounds[3]],
      minZoom: 10,
      maxZoom: 15,
    });
    expect((await problemOf(fileOf(flipped, 'flipped.pmtiles'))).code).toBe('pmtiles.bounds');

    const zooms = writePmtiles({ tiles, tileType: 1, bounds, minZoom: 15, maxZoom: 10 });
    expect((await problemOf(fileOf(zooms, 'zooms.pmtiles'))).code).toBe('pmtiles.zooms');

    // Brotli-compressed tiles (compression 3): pmtiles has no decompressor for them in the browser.
    const brotli = archive.slice();
    brotli[98] = 3;
    expect((await problemOf(fileOf(brotli, 'brotli.pmtiles'))).code).toBe('pmtiles.compression');

    expect((await problemOf(fileOf(new Uint8Array(), 'empty.pmtiles'))).code).toBe('pmtiles.not-pmtiles');
  });
});
