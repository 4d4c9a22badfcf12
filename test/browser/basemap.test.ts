import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoad, isWater, waitForBasemap, writeSampleBasemap } from './basemap-sample';
import {
  browserSuiteOptions,
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  openPage,
  screenshotPixels,
  startServer,
  stopProcess,
  waitForCoverage,
  waitForMapIdle,
} from './harness';

// A basemap the planner supplies, with no network at all: a PMTiles archive of Three Rivers in
// Protomaps' schema (written by scripts/pmtiles for this test) picked in the basemap panel is drawn with
// the Protomaps light style under the coverage (its water and roads on screen by their colours), its
// names placed as labels in the interface language, kept over a reload, and a bad file is named with
// its problem while the basemap in use stays.

const executable = chromiumForTests();
let output: string;
let archivePath: string;

/** The sample's `[west, south, east, north]` (where the archive has tiles). */
let sampleBounds: [number, number, number, number];

/**
 * Protomaps light's water (#80deea) and road (#ffffff) pixels on screen, inside the archive's area (clear
 * of the map's panels, which are white too).
 */
async function basemapPixels(page: Page): Promise<{ water: number; road: number }> {
  const box = (await page.locator('section.map').boundingBox())!;
  const [west, south, east, north] = sampleBounds;
  const [[left, bottom], [right, top]] = await page.evaluate(
    (corners) => corners.map(([longitude, latitude]) => window.__greenreachMap!.project(longitude, latitude)),
    [
      [west, south],
      [east, north],
    ],
  );
  const inset = 12;
  const x = Math.max(box.x, box.x + left + inset);
  const y = Math.max(box.y + 60, box.y + top + inset);
  const clip = {
    x,
    y,
    width: Math.min(box.x + box.width - 60, box.x + right - inset) - x,
    height: Math.min(box.y + box.height - 60, box.y + bottom - inset) - y,
  };
  const pixels = await screenshotPixels(page, clip);
  let water = 0;
  let road = 0;
  for (let p = 0; p < pixels.length; p += 4) {
    const [r, g, b] = [pixels[p], pixels[p + 1], pixels[p + 2]];
    if (isWater(r, g, b)) water++;
    // Protomaps' roads and casings are neutral light greys to white (#e0e0e0, #ebebeb, #ffffff); the app's
    // own roads, background and district fill are warm (blue a few steps under red).
    if (isRoad(r, g, b)) road++;
  }
  return { water, road };
}

/** The texts of the basemap's labels MapLibre placed on screen (place and road names). */
function placedLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const map = window.__greenreachMap!.map;
    const layers = ['places_locality', 'roads_labels_major', 'roads_labels_minor', 'water_waterway_label']
      .map((id) => `planner-basemap-${id}`)
      .filter((id) => map.getLayer(id));
    return map
      .queryRenderedFeatures({ layers })
      .map((feature) => String((feature.layer.layout as Record<string, unknown>)?.['text-field'] ?? ''));
  });
}

describe.skipIf(!executable)('a planner’s PMTiles basemap in Chromium, offline', browserSuiteOptions, () => {
  let browser: Browser;
  let server: { url: string; process: ChildProcess };
  let archive: Uint8Array;

  beforeAll(async () => {
    buildIfStale();
    // The same archive served by the test server (HTTP range requests), for the URL box.
    const sample = writeSampleBasemap('basemap');
    ({ archive, bounds: sampleBounds, path: archivePath, output } = sample);
    server = await startServer();
    browser = await launchBrowser(executable!);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    stopProcess(server?.process);
  });

  it('draws a picked archive under the coverage, labels in the interface language, kept over a reload', async () => {
    const { page, consoleErrors, requests } = await openPage(browser, `${server.url}?lang=en&data=data/three-rivers/`, {
      offline: true,
    });
    await waitForCoverage(page);
    await waitForMapIdle(page);
    const before = await basemapPixels(page);
    await page.screenshot({ path: join(output, 'before.png') });

    await page.getByTestId('basemap-file').setInputFiles(archivePath);
    await expect.poll(() => page.getByTestId('basemap-in-use').textContent()).toContain('three-rivers.pmtiles');
    expect(await page.getByTestId('basemap-in-use').textContent()).toContain('zoom 10–15');
    expect(await page.getByTestId('basemap-attribution').textContent()).toBe('Data: © OpenStreetMap');
    await waitForBasemap(page, true);
    const after = await basemapPixels(page);
    await page.screenshot({ path: join(output, 'after.png') });
    // Protomaps' water and white roads appear where the data set's own basemap had none of those colours.
    expect(before.water).toBeLessThan(20);
    expect(after.water).toBeGreaterThan(300);
    expect(after.road).toBeGreaterThan(before.road + 3000);
    // The archive lies under the data: no "far from your data" note.
    expect(await page.getByTestId('basemap-far').count()).toBe(0);

    // Names placed on the map, in English; in Chinese after switching the language (Protomaps' names:
    // `name:zh-Hans` first, the local name under it).
    await expect.poll(() => placedLabels(page), { timeout: 30_000 }).toContain('Main Street');
    await page.getByTestId('language').click();
    await expect.poll(() => placedLabels(page), { timeout: 30_000 }).toContain('主街\nMain Street');
    await waitForMapIdle(page);
    // Past MapLibre's label fade-in, so the screenshot shows them.
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(output, 'labels-zh.png') });

    // A reload brings the basemap back from IndexedDB.
    await page.reload();
    await waitForCoverage(page);
    await expect.poll(() => page.getByTestId('basemap-in-use').textContent()).toContain('three-rivers.pmtiles');
    await waitForBasemap(page, true);
    expect((await basemapPixels(page)).water).toBeGreaterThan(300);

    // Removing it brings the data set's own streets and water back.
    await page.getByTestId('basemap-remove').click();
    await waitForBasemap(page, false);
    expect((await basemapPixels(page)).water).toBeLessThan(20);
    await page.reload();
    await waitForCoverage(page);
    await waitForMapIdle(page);
    expect(await page.evaluate(() => Boolean(window.__greenreachMap!.map.getSource('planner-basemap')))).toBe(false);

    expect(requests.filter((url) => !url.startsWith(server.url) && !/^(data|blob):/.test(url))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 300_000);

  it('a file that is not PMTiles, or cut short, is named with its problem and the basemap in use stays', async () => {
    const { page, consoleErrors } = await openPage(browser, `${server.url}?lang=zh&data=data/three-rivers/`, {
      offline: true,
    });
    await waitForCoverage(page);
    await page.getByTestId('basemap-file').setInputFiles(archivePath);
    await waitForBasemap(page, true);
    const key = () =>
      page.evaluate(() =>
        JSON.stringify(
          (window.__greenreachMap!.map.getSource('planner-basemap') as unknown as { tiles: string[] }).tiles,
        ),
      );
    const inUse = await key();

    const random = Buffer.from(Array.from({ length: 2048 }, (_, index) => (index * 7919 + 13) % 251));
    await page
      .getByTestId('basemap-file')
      .setInputFiles({ name: 'x.pmtiles', mimeType: 'application/octet-stream', buffer: random });
    await expect.poll(() => page.getByTestId('basemap-error').textContent()).toContain('x.pmtiles');
    expect(await page.getByTestId('basemap-error').textContent()).toContain('不是 PMTiles 文件');

    const cut = Buffer.from(archive.subarray(0, Math.floor(archive.length / 2)));
    await page
      .getByTestId('basemap-file')
      .setInputFiles({ name: 'cut.pmtiles', mimeType: 'application/octet-stream', buffer: cut });
    await expect.poll(() => page.getByTestId('basemap-error').textContent()).toContain('cut.pmtiles');
    expect(await page.getByTestId('basemap-error').textContent()).toContain('文件不完整');
    // In English the same problem in English.
    await page.getByTestId('language').click();
    expect(await page.getByTestId('basemap-error').textContent()).toContain('cut short');

    // The basemap in use is the one picked first, still drawn.
    expect(await page.getByTestId('basemap-in-use').textContent()).toContain('three-rivers.pmtiles');
    expect(await key()).toBe(inUse);
    await waitForMapIdle(page);
    expect((await basemapPixels(page)).water).toBeGreaterThan(300);
    await page.getByTestId('basemap-remove').click();
    await waitForBasemap(page, false);
    expect(consoleErrors).toEqual([]);
  }, 300_000);

  it('an archive of another place than the data says how far it lies', async () => {
    const { page } = await openPage(browser, `${server.url}?lang=en`, { offline: true });
    await waitForCoverage(page);
    await page.getByTestId('basemap-file').setInputFiles(archivePath);
    await expect
      .poll(() => page.getByTestId('basemap-far').textContent())
      .toMatch(/^The basemap covers 85\.65°W – 85\.59°W, 41\.93°N – 41\.97°N, [\d,]+ km from your data/);
    await page.getByTestId('basemap-remove').click();
    await waitForBasemap(page, false);
  }, 300_000);

  it('an archive by URL is read by range requests and kept over a reload; an unreachable one is named', async () => {
    const { page, consoleErrors, requests } = await openPage(browser, `${server.url}?lang=en&data=data/three-rivers/`, {
      offline: true,
    });
    await waitForCoverage(page);
    const url = `${server.url}test-basemap/three-rivers.pmtiles`;
    await page.getByTestId('basemap-url').fill(url);
    await page.getByTestId('basemap-url').press('Enter');
    await expect.poll(() => page.getByTestId('basemap-in-use').textContent()).toContain(url);
    await waitForBasemap(page, true);
    expect((await basemapPixels(page)).water).toBeGreaterThan(300);
    expect(requests.filter((address) => address === url).length).toBeGreaterThan(1);

    await page.reload();
    await waitForCoverage(page);
    await expect.poll(() => page.getByTestId('basemap-in-use').textContent()).toContain(url);
    await waitForBasemap(page, true);

    const missing = `${server.url}test-basemap/missing.pmtiles`;
    await page.getByTestId('basemap-url').fill(missing);
    await page.getByTestId('basemap-url').press('Enter');
    await expect.poll(() => page.getByTestId('basemap-error').textContent()).toContain(`${missing}: could not be read`);
    expect(await page.getByTestId('basemap-in-use').textContent()).toContain(url);
    await page.getByTestId('basemap-remove').click();
    await waitForBasemap(page, false);
    // The 404 of the missing archive is the only error the browser logs.
    expect(consoleErrors.filter((message) => !message.includes('404'))).toEqual([]);
  }, 300_000);
});
