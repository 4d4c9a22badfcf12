import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { threeRiversProtomapsLayers, vectorTiles } from '../../scripts/pmtiles/protomaps-sample';
import { writePmtiles } from '../../scripts/pmtiles/write-pmtiles';
import { BasemapController, basemapCredit } from '../../src/state/basemap-controller';
import { Store } from '../../src/state/store';
import { root } from '../browser/harness';

// What the basemap hands on: its credit (the archive's attribution, else its file name) and, for the
// link, the screen's `basemapUrl` kept in step with where the basemap in use came from (a URL travels,
// a picked file does not); a URL someone else names is opened only from https or this server.

describe('the basemap’s credit', () => {
  it('is the archive’s attribution, else the file’s name or the URL’s last path segment', () => {
    expect(basemapCredit({ name: 'city.pmtiles', attribution: '© OpenStreetMap' })).toBe('© OpenStreetMap');
    expect(basemapCredit({ name: '成都.pmtiles', attribution: null })).toBe('成都.pmtiles');
    expect(basemapCredit({ name: 'https://tiles.example.org/a/chengdu.pmtiles?v=2#x', attribution: null })).toBe(
      'chengdu.pmtiles',
    );
  });
});

describe('the basemap and the link', () => {
  let archive: Uint8Array;
  beforeAll(() => {
    const { layers, bounds } = threeRiversProtomapsLayers(root);
    archive = writePmtiles({
      tiles: vectorTiles(layers, 12, 12),
      tileType: 1,
      bounds,
      minZoom: 12,
      maxZoom: 12,
      gzip: true,
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('a picked file clears the link’s basemap URL; removing it leaves none', async () => {
    const screen = { store: new Store({ basemapUrl: 'https://tiles.example.org/old.pmtiles' as string | null }) };
    const controller = new BasemapController(screen);
    await controller.pickFile(new File([archive.slice()], 'three-rivers.pmtiles'), false);
    expect(controller.store.get().source).toMatchObject({ kind: 'file' });
    expect(controller.store.get().basemap?.name).toBe('three-rivers.pmtiles');
    expect(screen.store.get().basemapUrl).toBeNull();
    await controller.remove();
    expect(controller.store.get().source).toBeNull();
    expect(screen.store.get().basemapUrl).toBeNull();
  });

  it('a link naming another host over plain http is refused with a coded message and nothing is fetched', async () => {
    vi.stubGlobal('location', new URL('http://127.0.0.1:5173/index.html'));
    vi.stubGlobal('document', { baseURI: 'http://127.0.0.1:5173/index.html' });
    const fetched = vi.fn();
    vi.stubGlobal('fetch', fetched);
    const screen = { store: new Store({ basemapUrl: 'http://tiles.example.org/city.pmtiles' as string | null }) };
    const controller = new BasemapController(screen);
    await controller.restore();
    expect(controller.store.get().error).toMatchObject({
      code: 'pmtiles.link-host',
      fileName: 'http://tiles.example.org/city.pmtiles',
    });
    expect(controller.store.get().basemap).toBeNull();
    expect(fetched).not.toHaveBeenCalled();
    // The link still names what it asked for.
    expect(screen.store.get().basemapUrl).toBe('http://tiles.example.org/city.pmtiles');
  });
});
