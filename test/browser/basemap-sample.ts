import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { threeRiversProtomapsLayers, vectorTiles } from '../../scripts/pmtiles/protomaps-sample';
import { writePmtiles } from '../../scripts/pmtiles/write-pmtiles';
import { root, testBuild } from './harness';

/**
 * The Three Rivers basemap of the browser tests (Protomaps' schema, zooms 10–15, gzip, credited to
 * OpenStreetMap), written to `test-output/<folder>/three-rivers.pmtiles` and served by the test server
 * at `test-basemap/three-rivers.pmtiles`.
 */
export function writeSampleBasemap(folder: string): {
  archive: Uint8Array;
  bounds: [number, number, number, number];
  path: string;
  output: string;
} {
  const { layers, bounds } = threeRiversProtomapsLayers(root);
  const archive = writePmtiles({
    tiles: vectorTiles(layers, 10, 15),
    tileType: 1,
    bounds,
    minZoom: 10,
    maxZoom: 15,
    gzip: true,
    metadata: { attribution: '<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap</a>' },
  });
  const output = join(root, 'test-output', folder);
  mkdirSync(output, { recursive: true });
  const path = join(output, 'three-rivers.pmtiles');
  writeFileSync(path, archive);
  mkdirSync(join(testBuild, 'test-basemap'), { recursive: true });
  writeFileSync(join(testBuild, 'test-basemap/three-rivers.pmtiles'), archive);
  return { archive, bounds, path, output };
}

/** Protomaps light's water (#80deea). */
export const isWater = (r: number, g: number, b: number) =>
  Math.abs(r - 0x80) < 8 && Math.abs(g - 0xde) < 8 && Math.abs(b - 0xea) < 8;

/** Protomaps light's roads and casings: neutral light greys to white (the app's own roads are warm). */
export const isRoad = (r: number, g: number, b: number) => r >= 224 && Math.abs(r - g) <= 2 && Math.abs(r - b) <= 2;

/** Waits until the map has the planner basemap's source (or not) and is still. */
export async function waitForBasemap(page: Page, present: boolean): Promise<void> {
  await page.waitForFunction(
    (wanted) => Boolean(window.__greenreachMap?.map.getSource('planner-basemap')) === wanted,
    present,
    { polling: 50 },
  );
  await page.waitForFunction(() => window.__greenreachMap?.isIdle(), null, { polling: 50 });
}
