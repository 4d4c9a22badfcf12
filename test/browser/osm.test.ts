import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import {
  browserSuiteOptions,
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  openPage,
  root,
  screenshotPixels,
  startServer,
  stopProcess,
  waitForCoverage,
  waitForMapIdle,
} from './harness';

// A whole city from an OpenStreetMap extract in the browser: the Three Rivers PBF (ODbL) dropped on
// the planner is read in the OSM worker, its derived layers listed with counts and rules, used in place
// of the demo's, and computed; the shipped Three Rivers data set draws its own basemap.

const executable = chromiumForTests();
const extract = join(root, 'data/three-rivers/three-rivers.osm.pbf');

describe.skipIf(!executable)('OpenStreetMap extracts in Chromium', browserSuiteOptions, () => {
  let browser: Browser;
  let server: { url: string; process: ChildProcess };

  beforeAll(async () => {
    buildIfStale();
    server = await startServer();
    browser = await launchBrowser(executable!);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    stopProcess(server?.process);
  });

  it('reads a .osm.pbf in a worker, lists the derived layers, uses them and computes on foot', async () => {
    const { page, consoleErrors } = await openPage(browser, `${server.url}?lang=en`);
    await waitForCoverage(page);
    const demoCells = await page.evaluate(() => window.__greenreach!.residentialCells);
    await page.getByTestId('import-file').setInputFiles(extract);
    await expect.poll(() => page.getByTestId('osm-layers').isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByTestId('osm-counts').textContent()).toContain('5,015 nodes');
    // The counts the CLI derives from the same file (data/three-rivers/manifest.json).
    expect(await page.getByTestId('osm-count-greenspaces').textContent()).toBe('17');
    expect(await page.getByTestId('osm-count-streets').textContent()).toBe('329');
    // Switching a tag rule off derives again without it.
    await page
      .locator('[data-layer="greenspaces"] label', { hasText: 'leisure=playground' })
      .locator('input')
      .uncheck();
    await expect.poll(() => page.getByTestId('osm-count-greenspaces').textContent()).toBe('15');
    // Everything derived can be downloaded (FlatGeobuf in a zip) to fix in QGIS and load back.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('osm-download').click()]);
    expect(download.suggestedFilename()).toBe('three-rivers-layers.zip');
    const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
    const greenspaces = readFlatGeobuf(files['greenspaces.fgb'], 'greenspaces.fgb');
    expect(greenspaces.features).toHaveLength(15);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['streets.fgb', 'communities.fgb', 'basemap.fgb']));
    await page.getByTestId('osm-use').click();
    // The real layers take over from the preview.
    await page.waitForFunction(() => !window.__greenreachMap!.map.getSource('import-preview-greenspaces'), null, {
      polling: 50,
    });
    await waitForCoverage(page);
    await page.waitForFunction((cells) => window.__greenreach!.residentialCells !== cells, demoCells, {
      polling: 50,
    });
    expect(await page.getByTestId('osm-in-use').textContent()).toContain('three-rivers.osm.pbf');
    expect(await page.getByTestId('attribution').textContent()).toContain('OpenStreetMap');
    expect(await page.getByTestId('synthetic-note').count()).toBe(0);
    // The extract's own streets walk: the figures change and the walk reaches no more homes.
    const straight = await page.evaluate(() => window.__greenreach!.summary!.city.cellsMeetingBoth);
    await page.getByTestId('distance-network').check();
    await page.waitForFunction(() => window.__greenreach?.rules?.distance === 'network', null, { polling: 50 });
    await waitForCoverage(page);
    const walk = await page.evaluate(() => window.__greenreach!.summary!.city.cellsMeetingBoth);
    expect(walk).toBeLessThan(straight);
    // Reset to demo brings back every layer of the data set: its communities, streets and district.
    await page.getByTestId('reset-demo').click();
    await page.waitForFunction((cells) => window.__greenreach!.residentialCells === cells, demoCells, { polling: 50 });
    expect(await page.getByTestId('synthetic-note').count()).toBe(1);
    expect(await page.getByTestId('osm-in-use').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  }, 300_000);

  it('previews the derived layers on the map at the extract, follows a dropped layer, and cancel restores the camera', async () => {
    const { page, consoleErrors } = await openPage(browser, `${server.url}?lang=en`);
    await waitForCoverage(page);
    await waitForMapIdle(page);
    const cameraOf = () =>
      page.evaluate(() => {
        const map = window.__greenreachMap!.map;
        return { center: map.getCenter().toArray(), zoom: map.getZoom() };
      });
    const before = await cameraOf();
    await page.getByTestId('import-file').setInputFiles(extract);
    await expect.poll(() => page.getByTestId('osm-layers').isVisible(), { timeout: 60_000 }).toBe(true);
    const previewCount = (layer: string) =>
      page.evaluate(async (id) => {
        const source = window.__greenreachMap!.map.getSource(id) as import('maplibre-gl').GeoJSONSource | undefined;
        if (!source) return null;
        const data = (await source.getData()) as import('geojson').FeatureCollection;
        return data.features.length;
      }, `import-preview-${layer}`);
    // The preview's sources hold what the dialog lists.
    await expect.poll(() => previewCount('greenspaces')).toBe(17);
    await expect.poll(() => previewCount('streets')).toBe(329);
    await waitForMapIdle(page);
    // The camera moved to the extract (Three Rivers, Michigan), far from the demo's Chengdu.
    const shown = await page.evaluate(() => window.__greenreachMap!.map.getBounds().toArray());
    expect(shown[0][0]).toBeLessThan(-85.6);
    expect(shown[1][0]).toBeGreaterThan(-85.7);
    expect(shown[0][1]).toBeLessThan(41.95);
    expect(shown[1][1]).toBeGreaterThan(41.9);
    // The dialog docks beside the map: the middle of the map is not covered.
    const mapBox = (await page.locator('section.map').boundingBox())!;
    const dialogBox = (await page.getByTestId('osm-dialog').boundingBox())!;
    expect(dialogBox.x).toBeGreaterThan(mapBox.x + mapBox.width * 0.75);
    // Green where the largest green space lies (its box on the screenshot).
    const parkBox = await page.evaluate(async () => {
      const map = window.__greenreachMap!;
      const source = map.map.getSource('import-preview-greenspaces') as import('maplibre-gl').GeoJSONSource;
      const data = (await source.getData()) as import('geojson').FeatureCollection;
      let best: number[] | null = null;
      for (const feature of data.features) {
        const positions = JSON.stringify(feature.geometry).match(/-?\d+\.\d+,-?\d+\.\d+/g) ?? [];
        const points = positions.map((pair) => pair.split(',').map(Number));
        const xs = points.map(([longitude, latitude]) => map.project(longitude, latitude));
        const box = [
          Math.min(...xs.map((p) => p[0])),
          Math.min(...xs.map((p) => p[1])),
          Math.max(...xs.map((p) => p[0])),
          Math.max(...xs.map((p) => p[1])),
        ];
        if (!best || (box[2] - box[0]) * (box[3] - box[1]) > (best[2] - best[0]) * (best[3] - best[1])) best = box;
      }
      return best!;
    });
    const park = {
      x: mapBox.x + parkBox[0],
      y: mapBox.y + parkBox[1],
      width: Math.max(4, parkBox[2] - parkBox[0]),
      height: Math.max(4, parkBox[3] - parkBox[1]),
    };
    const greenShare = async () => {
      const pixels = await screenshotPixels(page, park);
      let green = 0;
      for (let p = 0; p < pixels.length; p += 4)
        if (pixels[p + 1] > pixels[p] + 30 && pixels[p + 1] > pixels[p + 2] + 10) green++;
      return green / (pixels.length / 4);
    };
    await page.screenshot({ path: join(root, 'test-output/osm-preview.png') });
    // The park's box is not all park (its outline is not a rectangle): measured 0.42 here.
    expect(await greenShare()).toBeGreaterThan(0.3);
    // Dropping the layer takes it off the map.
    await page.getByTestId('osm-layer-greenspaces').uncheck();
    await expect.poll(() => previewCount('greenspaces')).toBe(0);
    await waitForMapIdle(page);
    expect(await greenShare()).toBeLessThan(0.05);
    expect(await previewCount('streets')).toBe(329);
    // Switching a tag rule off derives again, and the preview follows.
    await page.getByTestId('osm-layer-greenspaces').check();
    await page
      .locator('[data-layer="greenspaces"] label', { hasText: 'leisure=playground' })
      .locator('input')
      .uncheck();
    await expect.poll(() => previewCount('greenspaces')).toBe(15);
    // Cancel removes the preview and takes the camera back.
    await page.getByTestId('osm-cancel').click();
    await expect.poll(() => previewCount('greenspaces')).toBeNull();
    expect(
      await page.evaluate(
        () =>
          window.__greenreachMap!.map.getStyle().layers.filter((layer) => layer.id.startsWith('import-preview-'))
            .length,
      ),
    ).toBe(0);
    await waitForMapIdle(page);
    const after = await cameraOf();
    expect(after.zoom).toBeCloseTo(before.zoom, 6);
    expect(after.center[0]).toBeCloseTo(before.center[0], 6);
    expect(after.center[1]).toBeCloseTo(before.center[1], 6);
    await page.screenshot({ path: join(root, 'test-output/osm-preview-cancelled.png') });
    expect(consoleErrors).toEqual([]);
  }, 300_000);

  it('a broken extract ends with a message naming the file, in the interface language, and keeps the data', async () => {
    const { page } = await openPage(browser, `${server.url}?lang=zh`);
    await waitForCoverage(page);
    const before = await page.evaluate(() => window.__greenreach!.summary!.city);
    await page.getByTestId('import-file').setInputFiles({
      name: 'broken.osm.pbf',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from([0, 0, 0, 13, 10, 9, 79, 83, 77, 72, 101, 97, 100, 101, 114, 24]),
    });
    await expect
      .poll(() => page.getByTestId('osm-error').textContent(), { timeout: 60_000 })
      .toMatch(/^broken\.osm\.pbf: /);
    expect(await page.getByTestId('osm-error').textContent()).toMatch(/[\u4e00-\u9fff]/);
    await page.getByTestId('osm-cancel').click();
    expect(await page.evaluate(() => window.__greenreach!.summary!.city)).toEqual(before);
  });

  it('the shipped Three Rivers data set draws its basemap: roads and water on screen, ODbL credited', async () => {
    const { page, consoleErrors } = await openPage(browser, `${server.url}?lang=en&data=data/three-rivers/`);
    await waitForCoverage(page);
    await waitForMapIdle(page);
    expect(await page.getByTestId('attribution').textContent()).toContain('ODbL');
    expect(await page.getByTestId('dataset').inputValue()).toBe('data/three-rivers/');
    const box = (await page.locator('section.map').boundingBox())!;
    const pixels = await screenshotPixels(page, box);
    let water = 0;
    let road = 0;
    for (let p = 0; p < pixels.length; p += 4) {
      const [r, g, b] = [pixels[p], pixels[p + 1], pixels[p + 2]];
      if (b > r + 40 && b > 200) water++;
      if (Math.abs(r - 0xd4) < 12 && Math.abs(g - 0xc6) < 12 && Math.abs(b - 0xa6) < 12) road++;
    }
    expect(water).toBeGreaterThan(200);
    expect(road).toBeGreaterThan(50);
    expect(consoleErrors).toEqual([]);
  });
});
