import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWater, writeSampleBasemap } from './basemap-sample';
import {
  browserSuiteOptions,
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  screenshotPixels,
  startServer,
  stopProcess,
  testBuild,
  waitForCoverage,
} from './harness';
import { copyBuild, killServer, precacheList, running } from './kiosk-build';

// A kiosk configured with a PMTiles basemap shipped beside its data (`kiosk.json`: "basemap"): drawn
// under the coverage, cached whole by the service worker once the kiosk asks for it, and, with the
// network gone and the server stopped, still drawn after a reload (range requests answered from the
// cached copy).

const executable = chromiumForTests();
const slow = { timeout: 90_000, interval: 100 };

/**
 * Protomaps' water pixels on screen, with the map moved to the middle of the sample (where its rivers
 * meet), and how many of the basemap's features MapLibre drew there.
 */
async function waterPixels(page: Page, bounds: number[]): Promise<{ water: number; features: number }> {
  const [west, south, east, north] = bounds;
  await page.evaluate((view) => window.__greenreachMap!.jumpTo(view), {
    longitude: (west + east) / 2,
    latitude: (south + north) / 2,
    zoom: 14,
  });
  await page.waitForFunction(() => window.__greenreachMap!.isIdle(), null, { timeout: slow.timeout, polling: 100 });
  await page.waitForTimeout(300);
  const features = await page.evaluate(() => {
    const map = window.__greenreachMap!.map;
    const layers = (map.getStyle().layers ?? [])
      .map((layer) => layer.id)
      .filter((id) => id.startsWith('planner-basemap-'));
    return map.queryRenderedFeatures({ layers }).length;
  });
  const viewport = page.viewportSize()!;
  const pixels = await screenshotPixels(page, { x: 0, y: 0, width: viewport.width, height: viewport.height });
  let water = 0;
  for (let p = 0; p < pixels.length; p += 4) if (isWater(pixels[p], pixels[p + 1], pixels[p + 2])) water++;
  return { water, features };
}

/** Waits until the kiosk's map has the planner basemap and is still. */
const basemapDrawn = (page: Page) =>
  page.waitForFunction(
    () => Boolean(window.__greenreachMap?.map.getSource('planner-basemap')) && window.__greenreachMap!.isIdle(),
    null,
    { timeout: slow.timeout, polling: 100 },
  );

describe.skipIf(!executable)('kiosk with a PMTiles basemap in Chromium', browserSuiteOptions, () => {
  let browser: Browser;
  let directory = '';
  let output = '';
  let bounds: number[] = [];

  beforeAll(async () => {
    buildIfStale();
    const sample = writeSampleBasemap('kiosk-basemap');
    output = sample.output;
    bounds = sample.bounds;
    directory = copyBuild(testBuild);
    // Beside the data, after the build (as a deployment adds its own basemap): not in the precache list.
    writeFileSync(join(directory, 'data/three-rivers/three-rivers.pmtiles'), sample.archive);
    writeFileSync(
      join(directory, 'kiosk-three-rivers.json'),
      JSON.stringify({
        data: 'data/three-rivers/',
        basemap: 'data/three-rivers/three-rivers.pmtiles',
        stopSeconds: 30,
      }),
    );
    browser = await launchBrowser(executable!);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('draws the configured basemap, caches it whole, and draws it offline after a reload', async () => {
    expect(precacheList(directory).files).not.toContain('data/three-rivers/three-rivers.pmtiles');
    const served = await startServer(directory);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      hasTouch: true,
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(120_000);
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.text().includes('basemap')) errors.push(message.text());
      });
      await page.goto(`${served.url}?kiosk=kiosk-three-rivers.json`);
      await waitForCoverage(page, 120_000);
      await basemapDrawn(page);
      const online = await waterPixels(page, bounds);
      await page.screenshot({ path: join(output, 'online.png') });
      expect(online.water).toBeGreaterThan(500);
      expect(online.features).toBeGreaterThan(20);
      // Ready for offline only once the basemap is cached whole too.
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.precache), slow).toBe('ready');
      const copy = await page.evaluate(async () => {
        const names = await caches.keys();
        const precache = names.find((name) => name.startsWith('greenreach-precache-'))!;
        const response = await (await caches.open(precache)).match(
          new URL('data/three-rivers/three-rivers.pmtiles', location.href).href,
        );
        return response ? (await response.arrayBuffer()).byteLength : null;
      });
      expect(copy).toBeGreaterThan(10_000);

      // No network: offline and the server gone.
      await context.setOffline(true);
      await killServer(served.process);
      const responses: Response[] = [];
      page.on('response', (response) => responses.push(response));
      await page.reload();
      await waitForCoverage(page, 120_000);
      await basemapDrawn(page);
      const offline = await waterPixels(page, bounds);
      await page.screenshot({ path: join(output, 'offline.png') });
      console.log(`kiosk basemap: online ${JSON.stringify(online)}, offline ${JSON.stringify(offline)}`);
      expect(offline.water).toBeGreaterThan(online.water * 0.8);
      expect(offline.features).toBeGreaterThan(online.features * 0.8);
      const ranges = responses.filter((response) => response.url().endsWith('.pmtiles'));
      expect(ranges.length).toBeGreaterThan(1);
      expect(ranges.every((response) => response.status() === 206 && response.fromServiceWorker())).toBe(true);
      expect(responses.filter((response) => !response.fromServiceWorker()).map((response) => response.url())).toEqual(
        [],
      );
      expect(errors).toEqual([]);
      await context.setOffline(false);
    } finally {
      await context.close();
      if (running(served.process)) stopProcess(served.process);
    }
  }, 480_000);
});
