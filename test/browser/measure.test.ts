import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haversineMeters } from '../../src/state/measure';
import { measureWalk, walkNetworkOf } from '../../src/state/walk-measure';
import {
  browserSuiteOptions,
  buildIfStale,
  centreMapOn,
  chromiumForTests,
  launchBrowser,
  openPage,
  readDemoLayer,
  root,
  screenshotPixels,
  startServer,
  stopProcess,
  waitForCoverage,
  waitForGaps,
  waitForMapIdle,
} from './harness';

// Measuring on the map (straight line, area) and the figures of a drawn area, with the mouse.

const executable = chromiumForTests();

describe.skipIf(!executable)('measure and area figures in Chromium', browserSuiteOptions, () => {
  let browser: Browser;
  let server: { url: string; process: ChildProcess };
  let work: string;

  beforeAll(async () => {
    buildIfStale();
    server = await startServer();
    browser = await launchBrowser(executable!);
    work = mkdtempSync(join(tmpdir(), 'greenreach-measure-'));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    stopProcess(server?.process);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Clicks the map at `[lng, lat]`; returns the position the click lands on. */
  async function clickAt(page: Page, position: readonly number[]): Promise<[number, number]> {
    const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
    const [x, y] = await page.evaluate(([lng, lat]) => window.__greenreachMap!.project(lng, lat), [...position]);
    const pixel = [Math.round(x), Math.round(y)];
    await page.mouse.click(box.x + pixel[0], box.y + pixel[1]);
    return page.evaluate(([px, py]) => window.__greenreachMap!.map.unproject([px, py]).toArray(), pixel) as Promise<
      [number, number]
    >;
  }

  it('measures a straight line and an area, and gives the area’s figures as on screen and as CSV', async () => {
    const { page, context, consoleErrors } = await openPage(browser, `${server.url}?lang=en`, { locale: 'en-GB' });
    await waitForCoverage(page, 180_000);
    await waitForGaps(page);
    await waitForMapIdle(page);
    const community = await page.evaluate(() => {
      const result = window.__greenreach!.state().result!;
      return { bbox: result.communities[0].bbox, cells: result.summary.communities[0].cells };
    });
    const [w, s, e, n] = community.bbox;

    await page.getByTestId('measure-distance').click();
    expect(await page.getByTestId('measure-distance').getAttribute('aria-pressed')).toBe('true');
    const a = await clickAt(page, [w, s]);
    const b = await clickAt(page, [e, n]);
    const meters = haversineMeters(a, b);
    const shown = (await page.getByTestId('measure-meters').textContent())!;
    const value = shown.endsWith('km') ? Number.parseFloat(shown) * 1000 : Number.parseFloat(shown);
    expect(Math.abs(value - meters)).toBeLessThanOrEqual(meters >= 1000 ? 6 : 1);
    // Measuring clicks select no community.
    expect(await page.evaluate(() => window.__greenreach!.state().selectedCommunity)).toBeNull();

    await page.getByTestId('measure-area').click();
    for (const corner of [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
    ])
      await clickAt(page, corner);
    await page.getByTestId('area-figures').waitFor();
    const cells = Number(((await page.getByTestId('area-cells').textContent()) ?? '').replace(/[^\d]/g, ''));
    // The community's box holds all of its cells and maybe some of its neighbours'.
    expect(cells).toBeGreaterThanOrEqual(community.cells * 0.97);
    expect(await page.getByTestId('measure-square-meters').textContent()).toMatch(/ha|m²/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('area-csv').click()]);
    const path = join(work, download.suggestedFilename());
    await download.saveAs(path);
    const [header, row] = readFileSync(path, 'utf8').slice(1).trim().split('\r\n');
    const record = Object.fromEntries(header.split(',').map((key, i) => [key, row.split(',')[i]]));
    expect(Number(record.cells)).toBe(cells);
    expect(record.rules).toBe('chengdu');
    const both = (await page.getByTestId('area-figures').locator('[data-figure=both]').textContent())!;
    expect(`${(Number(record.share_both) * 100).toFixed(1)}%`).toBe(both);
    mkdirSync(join(root, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-output/measure-area.png') });
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 300_000);
  it('picks a gap area, then a community, with a click: each selected (outlined on the map) in turn, with the figures of the gap list and the community table', async () => {
    const { page, context, consoleErrors } = await openPage(browser, `${server.url}?lang=en`, { locale: 'en-GB' });
    await waitForCoverage(page, 180_000);
    await waitForGaps(page);
    // The centre of a cell of gap 1, and of a covered cell inside a community (none in a gap).
    const targets = await page.evaluate(() => {
      const state = window.__greenreach!.state();
      const result = state.result!;
      const gaps = state.gaps!;
      const { grid, cellIndex } = result;
      const centre = (k: number) => {
        const row = Math.floor(cellIndex[k] / grid.columns);
        const column = cellIndex[k] - row * grid.columns;
        return [grid.west + (column + 0.5) * grid.longitudeStep, grid.south + (row + 0.5) * grid.latitudeStep];
      };
      const inGap = gaps.cellGap.indexOf(0);
      // A covered cell whose eight neighbours are covered too: a click there cannot land in a gap.
      let covered = -1;
      for (let k = 0; k < cellIndex.length && covered < 0; k++) {
        if (gaps.cellGap[k] >= 0 || result.cellCommunity[k] < 0) continue;
        const around = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => cellIndex[k] + dy * grid.columns + dx));
        const isGap = around.some((index) => {
          const q = cellIndex.indexOf(index);
          return q >= 0 && gaps.cellGap[q] >= 0;
        });
        if (!isGap) covered = k;
      }
      return {
        gap: { position: centre(inGap), cells: gaps.areas[0].cells, community: gaps.areas[0].community },
        community: {
          position: centre(covered),
          index: result.cellCommunity[covered],
          name: result.communities[result.cellCommunity[covered]].nameEnglish,
          cells: result.summary.communities[result.cellCommunity[covered]].cells,
        },
      };
    });
    await page.getByTestId('measure-pick').click();
    await centreMapOn(page, targets.gap.position, 16);
    await clickAt(page, targets.gap.position);
    await expect.poll(() => page.getByTestId('measure-picked').textContent()).toMatch(/^Gap 1 \(/);
    await expect.poll(() => page.evaluate(() => window.__greenreach!.state().selectedGap)).toBe(0);
    const cellsShown = async () =>
      Number(((await page.getByTestId('area-cells').textContent()) ?? '').replace(/[^\d]/g, ''));
    expect(await cellsShown()).toBe(targets.gap.cells);
    expect(await page.getByTestId('area-figures').locator('[data-figure=both]').textContent()).toBe('0.0%');

    await centreMapOn(page, targets.community.position, 16);
    await clickAt(page, targets.community.position);
    await expect
      .poll(() => page.getByTestId('measure-picked').textContent())
      .toBe(`Community: ${targets.community.name}`);
    await expect
      .poll(() => page.evaluate(() => window.__greenreach!.state().selectedCommunity))
      .toBe(targets.community.index);
    expect(await cellsShown()).toBe(targets.community.cells);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('area-csv').click()]);
    const path = join(work, `picked-${download.suggestedFilename()}`);
    await download.saveAs(path);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('"MULTIPOLYGON(((');
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 300_000);
  it('measures on foot: the walk along the streets between two clicks, drawn on the map, equal to the engine in Node', async () => {
    const { page, context, consoleErrors } = await openPage(browser, `${server.url}?lang=en`, { locale: 'en-GB' });
    await waitForCoverage(page, 180_000);
    // Two street vertices 600–1200 m apart, the map fitted to them.
    const ends = await page.evaluate(() => {
      const streets = window.__greenreach!.state().data!.streets!.features;
      const first = (streets[0].geometry as { coordinates: number[][] }).coordinates[0];
      const metres = (a: number[], b: number[]) => Math.hypot((a[0] - b[0]) * 96_000, (a[1] - b[1]) * 111_000);
      for (const feature of streets) {
        const vertex = (feature.geometry as { coordinates: number[][] }).coordinates[0];
        if (metres(first, vertex) > 600 && metres(first, vertex) < 1200) return [first, vertex];
      }
      return null;
    });
    expect(ends).not.toBeNull();
    const [a, b] = ends!;
    await centreMapOn(page, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], 14.5);
    const box = (await page.locator('section.map').boundingBox())!;
    const before = await screenshotPixels(page, box);
    await page.getByTestId('measure-walk').click();
    const from = await clickAt(page, a);
    const to = await clickAt(page, b);
    await expect.poll(() => page.getByTestId('measure-walk-meters').textContent()).not.toBe('0 m');
    const shown = (await page.getByTestId('measure-walk-meters').textContent())!;
    const value = shown.endsWith('km') ? Number.parseFloat(shown) * 1000 : Number.parseFloat(shown);
    // The same walk in Node, on the demo's own layers.
    const network = walkNetworkOf({
      streets: readDemoLayer('streets'),
      greenways: readDemoLayer('greenways')!,
      barriers: readDemoLayer('barriers'),
    })!;
    const expected = measureWalk(network, [from, to]);
    expect(expected.unreachableLegs).toBe(0);
    expect(Math.abs(value - expected.meters)).toBeLessThanOrEqual(expected.meters >= 1000 ? 6 : 1);
    expect(expected.meters).toBeGreaterThanOrEqual(haversineMeters(from, to));
    expect(await page.getByTestId('measure-readout').textContent()).toContain('straight line');
    // The walk is drawn: orange pixels along it where there were none.
    await waitForMapIdle(page);
    const after = await screenshotPixels(page, box);
    const orange = (pixels: number[]) => {
      let count = 0;
      for (let i = 0; i < pixels.length; i += 4)
        if (pixels[i] > 200 && pixels[i + 1] > 60 && pixels[i + 1] < 130 && pixels[i + 2] < 60) count++;
      return count;
    };
    expect(orange(after) - orange(before)).toBeGreaterThan(300);
    await page.screenshot({ path: join(root, 'test-output/measure-walk.png') });
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 300_000);
});
