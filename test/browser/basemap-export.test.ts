import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRoad, isWater, waitForBasemap, writeSampleBasemap } from './basemap-sample';
import {
  browserSuiteOptions,
  chromiumForTests,
  openPage,
  screenshotPixels,
  waitForCoverage,
  waitForMapIdle,
} from './harness';
import { browserSuite } from './suite';

// The PNG export and the report draw the planner's basemap too: the off-screen map gets the same archive
// (same language, shown or hidden with the streets switch), waits for its tiles, and the sources name it.
// Oracle: points where the screen's map shows Protomaps' water or roads are found, by longitude and
// latitude, in the exported PNG (through the area the PNG shows) in the same colours; with the switch off
// they are not.

const executable = chromiumForTests();

type Point = { longitude: number; latitude: number; kind: 'water' | 'road' };

/**
 * Water and road points of the map as a person sees it (a screenshot: basemap, cells and all; every 4th
 * pixel, 60 px clear of the map's edges and controls), as longitude and latitude.
 */
async function screenPoints(page: Page, bounds: [number, number, number, number]): Promise<Point[]> {
  const box = (await page.locator('section.map').boundingBox())!;
  const margin = 60;
  const clip = { x: box.x + margin, y: box.y + margin, width: box.width - 2 * margin, height: box.height - 2 * margin };
  const pixels = await screenshotPixels(page, clip);
  const candidates: { x: number; y: number; kind: Point['kind'] }[] = [];
  for (let y = 0; y < clip.height; y += 4)
    for (let x = 0; x < clip.width; x += 4) {
      const i = (y * clip.width + x) * 4;
      const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
      const kind = isWater(r, g, b) ? 'water' : isRoad(r, g, b) ? 'road' : null;
      if (kind) candidates.push({ x: x + margin, y: y + margin, kind });
    }
  const places = await page.evaluate(
    (positions) =>
      positions.map(([x, y]) => {
        const at = window.__greenreachMap!.map.unproject([x, y]);
        return [at.lng, at.lat];
      }),
    candidates.map(({ x, y }) => [x, y]),
  );
  const [west, south, east, north] = bounds;
  return candidates
    .map(({ kind }, index) => ({ longitude: places[index][0], latitude: places[index][1], kind }))
    .filter(({ longitude, latitude }) => longitude > west && longitude < east && latitude > south && latitude < north);
}

const mercatorY = (latitude: number) => Math.log(Math.tan(Math.PI / 4 + (latitude * Math.PI) / 360));

/** Share of `points` (by kind) whose place in the PNG (or a pixel next to it) has their colour. */
async function sharesInPng(page: Page, png: Buffer, points: Point[]): Promise<{ water: number; road: number }> {
  const rendered = await page.evaluate(() => window.__greenreach!.renderedMap!);
  const [west, south, east, north] = rendered.bounds!;
  const places = points.map(({ longitude, latitude }) => [
    Math.round(((longitude - west) / (east - west)) * rendered.width),
    Math.round(((mercatorY(north) - mercatorY(latitude)) / (mercatorY(north) - mercatorY(south))) * rendered.height),
  ]);
  const neighbourhoods = await page.evaluate(
    async ({ base64, places }) => {
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      return places.map(([x, y]) => Array.from(context.getImageData(x - 1, y - 1, 3, 3).data));
    },
    { base64: png.toString('base64'), places },
  );
  const shares = { water: 0, road: 0 };
  const totals = { water: 0, road: 0 };
  points.forEach((point, index) => {
    const test = point.kind === 'water' ? isWater : isRoad;
    const pixels = neighbourhoods[index];
    let hit = false;
    for (let p = 0; p < pixels.length; p += 4) hit ||= test(pixels[p], pixels[p + 1], pixels[p + 2]);
    totals[point.kind]++;
    if (hit) shares[point.kind]++;
  });
  return { water: shares.water / totals.water, road: shares.road / totals.road };
}

describe.skipIf(!executable)('the planner’s basemap in the PNG export and the report', browserSuiteOptions, () => {
  const suite = browserSuite(executable);
  let sample: ReturnType<typeof writeSampleBasemap>;

  beforeAll(async () => {
    sample = writeSampleBasemap('basemap-export');
  }, 300_000);

  it('the PNG at a chosen size shows the basemap where the screen does, credited; the streets switch hides both', async () => {
    const { page, consoleErrors, requests } = await openPage(
      suite.browser,
      `${suite.url}?lang=en&data=data/three-rivers/`,
      {
        offline: true,
      },
    );
    await waitForCoverage(page);
    expect(await page.getByTestId('layer-streets').locator('xpath=..').textContent()).toBe('Streets');
    await page.getByTestId('basemap-file').setInputFiles(sample.path);
    await waitForBasemap(page, true);
    // The switch says what it toggles now.
    await expect.poll(() => page.getByTestId('layer-streets').locator('xpath=..').textContent()).toBe('Basemap');
    await waitForMapIdle(page);
    await page.screenshot({ path: join(sample.output, 'screen.png') });
    const points = await screenPoints(page, sample.bounds);
    expect(points.filter((point) => point.kind === 'water').length).toBeGreaterThan(100);
    expect(points.filter((point) => point.kind === 'road').length).toBeGreaterThan(300);

    // What the PNG's canvas is given as text (its legend and sources note).
    await page.evaluate(() => {
      const texts: string[] = [];
      (window as unknown as { pngTexts: string[] }).pngTexts = texts;
      const original = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
        texts.push(String(text));
        return original.call(this, text, ...rest);
      };
    });
    const texts = () => page.evaluate(() => (window as unknown as { pngTexts: string[] }).pngTexts.splice(0));
    const save = async (name: string): Promise<Buffer> => {
      await page.getByTestId('png-size').selectOption('1600x1200');
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 240_000 }),
        page.getByTestId('export-png').click(),
      ]);
      const path = join(sample.output, name);
      await download.saveAs(path);
      return readFileSync(path);
    };

    const png = await save('export-basemap.png');
    const shown = await sharesInPng(page, png, points);
    console.log(
      `basemap in the PNG: ${(shown.water * 100).toFixed(1)}% of water points, ${(shown.road * 100).toFixed(1)}% of road points`,
    );
    expect(shown.water).toBeGreaterThan(0.9);
    expect(shown.road).toBeGreaterThan(0.75);
    const note = (await texts()).find((text) => text.startsWith('Data sources:'));
    expect(note).toContain('Basemap: © OpenStreetMap');

    // The streets switch hides the basemap on screen and in the PNG, and its credit goes with it.
    await page.getByTestId('layer-streets').uncheck();
    await waitForMapIdle(page);
    const hidden = await sharesInPng(page, await save('export-basemap-hidden.png'), points);
    console.log(`hidden: ${(hidden.water * 100).toFixed(1)}% water, ${(hidden.road * 100).toFixed(1)}% road`);
    expect(hidden.water).toBeLessThan(0.05);
    expect(hidden.road).toBeLessThan(shown.road - 0.4);
    expect((await texts()).find((text) => text.startsWith('Data sources:'))).not.toContain('Basemap');

    await page.getByTestId('basemap-remove').click();
    await waitForBasemap(page, false);
    expect(await page.getByTestId('layer-streets').locator('xpath=..').textContent()).toBe('Streets');
    expect(requests.filter((url) => !url.startsWith(suite.url) && !/^(data|blob):/.test(url))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 600_000);

  it('the report draws the basemap kept by the planner under its map and names it in the sources', async () => {
    const { page, context, consoleErrors } = await openPage(
      suite.browser,
      `${suite.url}?lang=en&data=data/three-rivers/`,
      {
        offline: true,
      },
    );
    await waitForCoverage(page);
    await page.getByTestId('basemap-file').setInputFiles(sample.path);
    await waitForBasemap(page, true);
    const report = await context.newPage();
    await report.goto(`${suite.url}?report&lang=en&data=data/three-rivers/`);
    await report.waitForFunction(() => document.documentElement.dataset.report, null, { timeout: 240_000 });
    expect(await report.evaluate(() => document.documentElement.dataset.report)).toBe('ready');
    expect(await report.getByTestId('report-basemap').textContent()).toBe('Basemap: © OpenStreetMap');
    // The report's image holds Protomaps' water.
    const src = await report.getByTestId('report-map-image').getAttribute('src');
    const water = await report.evaluate(async (url) => {
      const bitmap = await createImageBitmap(await (await fetch(url!)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
      let count = 0;
      for (let i = 0; i < data.length; i += 4)
        if (Math.abs(data[i] - 0x80) < 8 && Math.abs(data[i + 1] - 0xde) < 8 && Math.abs(data[i + 2] - 0xea) < 8)
          count++;
      return count;
    }, src);
    writeFileSync(join(sample.output, 'report.png'), await report.screenshot({ fullPage: true }));
    console.log(`report map: ${water} water pixels`);
    expect(water).toBeGreaterThan(2000);
    await page.getByTestId('basemap-remove').click();
    await waitForBasemap(page, false);
    expect(consoleErrors).toEqual([]);
  }, 600_000);
});
