import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCoverage,
  type CoverageLayers,
  type CoverageSummary,
  type RuleSet,
  snapshotCoverage,
} from '../../src/coverage';
import { collectionBounds } from '../../src/coverage/geometry';
import { readLayerFile } from '../../src/io/read-layer';
import { applyMapping, guessMapping } from '../../src/state/import-guess';
import { gdalAvailable, rectangle, writePopulationTiff } from '../support/population-grid';
import {
  browserSuiteOptions,
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  openPage,
  type RecordedPage,
  readDemoLayer,
  startServer,
  stopProcess,
  waitForCoverage,
} from './harness';

/**
 * A planner's population layer in Chromium: points with a count (under a Chinese column name) and a
 * GeoTIFF grid written by GDAL, imported through the file input and the role dialog. The figures equal the
 * engine's in Node on the same layers (the data set's buildings weighing the residents, as the CLI's
 * --buildings does), the summary names the source, the layer survives a reload, a cut GeoTIFF is said by
 * name while the figures stay, and removing the layer goes back to the communities' residents.
 */
const testTimeoutMs = 300_000;
const executable = chromiumForTests();

const communities = readDemoLayer('communities')!;
const residential = readDemoLayer('residential')!;
const greenways = readDemoLayer('greenways')!;
const greenspaces = readDemoLayer('greenspaces')!;
const buildings = readDemoLayer('buildings');
const [west, south, east, north] = collectionBounds(residential)!;

/**
 * The page's figures against the engine's: counts exactly; residents to 1e-9 of their size, since
 * building areas (turf's trigonometry) may differ in the last bits between Chromium's V8 and Node's.
 */
function expectFigures(actual: unknown, expected: unknown, path = 'summary'): void {
  if (typeof expected === 'number' && typeof actual === 'number' && !Number.isInteger(expected)) {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    expect(actual, path).toEqual(expected);
    return;
  }
  expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected))
    expectFigures((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
}

describe.skipIf(!executable || !gdalAvailable)('a population layer in Chromium', browserSuiteOptions, () => {
  let browser: Browser;
  let server: ChildProcess | undefined;
  let origin = '';
  let recorded: RecordedPage | undefined;
  let page: Page;
  const work = mkdtempSync(join(tmpdir(), 'greenreach-population-browser-'));
  const pointsPath = join(work, 'census-points.geojson');
  let tiffPath = '';
  const cutPath = join(work, 'cut-grid.tif');
  const unpeopledPath = join(work, 'communities-no-counts.geojson');
  let censusSummary: CoverageSummary;

  beforeAll(async () => {
    // A lattice of census points over the residential land (residents under 常住人口), and three points
    // 5 km east of it, which no residential cell is near: they are said as unplaced.
    const features: FeatureCollection['features'] = [];
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 10; j++) {
        const x = west + ((i + 0.5) / 12) * (east - west);
        const y = south + ((j + 0.5) / 10) * (north - south);
        features.push({
          type: 'Feature',
          properties: { 常住人口: 100 + ((i * 37 + j * 11) % 400) },
          geometry: { type: 'Point', coordinates: [x, y] },
        });
      }
    }
    for (let k = 0; k < 3; k++) {
      features.push({
        type: 'Feature',
        properties: { 常住人口: 50 + k },
        geometry: { type: 'Point', coordinates: [east + 0.05, south + 0.02 * (k + 1)] },
      });
    }
    // And census blocks: 4 × 2 rectangles over the residential land, whose residents spread over the
    // residential cells they hold by the buildings' floor area (so the buildings change the figures).
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 2; j++) {
        const [x0, x1] = [west + (i / 4) * (east - west), west + ((i + 1) / 4) * (east - west)];
        const [y0, y1] = [south + (j / 2) * (north - south), south + ((j + 1) / 2) * (north - south)];
        features.push(rectangle(x0, y0, x1, y1, { 常住人口: 5000 + 1000 * i + 300 * j }));
      }
    }
    writeFileSync(pointsPath, JSON.stringify({ type: 'FeatureCollection', features }));
    // The data set's communities without their counts: then nothing gives a population.
    const unpeopled = communities.features.map((feature) => ({
      ...feature,
      properties: { name: feature.properties?.name, name_en: feature.properties?.name_en },
    }));
    writeFileSync(unpeopledPath, JSON.stringify({ type: 'FeatureCollection', features: unpeopled }));
    // A WorldPop-like grid of 0.004° pixels over the residential land and 0.01° beyond: counts by a
    // pattern with zeros and negatives, and a row of nodata.
    const columns = Math.ceil((east - west + 0.02) / 0.004);
    const rows = Math.ceil((north - south + 0.02) / 0.004);
    const values = Array.from({ length: rows }, (_, row) =>
      Array.from({ length: columns }, (_, column) => (row === 3 ? -1 : ((column * 31 + row * 17) % 23) - 3)),
    );
    tiffPath = writePopulationTiff(
      work,
      'worldpop-grid',
      { west: west - 0.01, south: south - 0.01, cellSize: 0.004, rows: values },
      'EPSG:4326',
    );
    const tiff = readFileSync(tiffPath);
    writeFileSync(cutPath, tiff.subarray(0, Math.floor(tiff.length / 2)));
    buildIfStale();
    const started = await startServer();
    server = started.process;
    origin = started.url;
    browser = await launchBrowser(executable!);
  }, 180_000);

  afterAll(async () => {
    await recorded?.context.close().catch(() => undefined);
    await browser?.close();
    stopProcess(server);
    rmSync(work, { recursive: true, force: true });
  }, 30_000);

  /** The engine in Node on the data set's layers, with a population layer read as the app reads it. */
  async function engine(path: string | null, rules: RuleSet, cellMeters: number, weighed = true) {
    const layers: CoverageLayers = { communities, residential, greenways, greenspaces };
    if (path) {
      const name = path.split('/').pop()!;
      const read = await readLayerFile(new Uint8Array(readFileSync(path)), name, {
        role: 'population',
        clipBounds: [west, south, east, north],
      });
      layers.population = applyMapping(read.collection, guessMapping(read.collection), 'population');
      layers.buildings = weighed ? buildings : null;
    }
    return snapshotCoverage(buildCoverage(layers, rules, cellMeters));
  }

  async function pageFigures() {
    return page.evaluate(() => {
      const hook = window.__greenreach!;
      const result = hook.state().result!;
      return {
        summary: hook.summary!,
        rules: hook.rules!,
        cellMeters: hook.cellMeters!,
        source: result.populationSource,
        unplaced: result.populationUnplaced,
        buildings: result.populationBuildings,
      };
    });
  }

  /** Waits until the shown result is drawn and its residents come from `source` (null: none given). */
  async function waitForSource(source: string | null, name?: string): Promise<void> {
    await page.waitForFunction(
      ([wanted, file]) => {
        const state = window.__greenreach?.state();
        return (
          state?.status === 'ready' &&
          state.result?.populationSource === wanted &&
          (file === null || state.data?.populationName === file)
        );
      },
      [source, name ?? null] as const,
      { timeout: 120_000, polling: 100 },
    );
  }

  /** Imports a file through the file input and confirms the guessed role, which must be population. */
  async function importPopulation(path: string): Promise<void> {
    await page.getByTestId('import-file').setInputFiles(path);
    await page.getByTestId('import-dialog').waitFor();
    await page.waitForFunction(
      () => !document.querySelector<HTMLButtonElement>('[data-testid=import-confirm]')?.disabled,
    );
    expect(await page.getByTestId('import-role').inputValue()).toBe('population');
    await page.getByTestId('import-confirm').click();
  }

  it(
    'a GeoTIFF grid read over the residential land: figures equal the engine on the grid as points',
    async () => {
      recorded = await openPage(browser, `${origin}?lang=en`, { locale: 'en-GB' });
      page = recorded.page;
      await waitForCoverage(page, 180_000);
      const before = await pageFigures();
      expect(before.source).toBe('communities');
      expect(await page.getByTestId('population-source').textContent()).toMatch(/communities’ population/);

      await importPopulation(tiffPath);
      await waitForSource('population', 'worldpop-grid.tif');
      const figures = await pageFigures();
      const expected = await engine(tiffPath, figures.rules, figures.cellMeters);
      expectFigures(figures.summary, expected.summary);
      expect(figures.unplaced).toBe(expected.populationUnplaced);
      expect(figures.summary.city.population).toBeGreaterThan(0);
      const listed = (await page.getByTestId('imported-layers').textContent()) ?? '';
      expect(listed).toContain('worldpop-grid.tif');
    },
    testTimeoutMs,
  );

  it(
    'census points and blocks: the figures equal the engine on the same layers and buildings; the summary names the source',
    async () => {
      await importPopulation(pointsPath);
      await waitForSource('population', 'census-points.geojson');
      const after = await pageFigures();
      const expected = await engine(pointsPath, after.rules, after.cellMeters);
      censusSummary = expected.summary;
      expectFigures(after.summary, expected.summary);
      // The blocks are spread by floor area: without the buildings the figures would differ.
      const byArea = (await engine(pointsPath, after.rules, after.cellMeters, false)).summary.city;
      expect(Math.abs(after.summary.city.populationMeetingBoth! - byArea.populationMeetingBoth!)).toBeGreaterThan(100);
      expect(after.unplaced).toBe(expected.populationUnplaced);
      expect(after.buildings).toBe(expected.populationBuildings);
      // The data set's buildings weighed the residents.
      expect(expected.populationBuildings).toBeGreaterThan(1000);
      // At least the three points 5 km away (50 + 51 + 52) land on no residential cell.
      expect(expected.populationUnplaced).toBeGreaterThanOrEqual(153);
      const source = (await page.getByTestId('population-source').textContent()) ?? '';
      expect(source).toContain('census-points.geojson');
      expect(source).toContain(`floor area of ${expected.populationBuildings!.toLocaleString('en-GB')} buildings`);
      expect(await page.getByTestId('population-unplaced').textContent()).toContain(
        `${Math.round(expected.populationUnplaced!).toLocaleString('en-GB')} residents`,
      );
      expect(page.url()).toMatch(/imported=[^&]*population/);
    },
    testTimeoutMs,
  );

  it(
    'a reload keeps the population layer and its figures',
    async () => {
      await page.reload();
      await waitForCoverage(page, 180_000);
      // Restored before the first run, which waits for the buildings (not loaded after the first answer).
      await waitForSource('population', 'census-points.geojson');
      expectFigures((await pageFigures()).summary, censusSummary);
      expect(await page.getByTestId('population-source').textContent()).toContain('census-points.geojson');
    },
    testTimeoutMs,
  );

  it(
    'a cut GeoTIFF is said by its name and the problem; the population in use stays',
    async () => {
      await page.getByTestId('import-file').setInputFiles(cutPath);
      const errors = page.getByTestId('import-errors');
      await errors.waitFor();
      expect(await errors.textContent()).toMatch(/cut-grid\.tif: the GeoTIFF is cut off/);
      expect(await page.getByTestId('import-dialog').count()).toBe(0);
      await waitForSource('population', 'census-points.geojson');
      expectFigures((await pageFigures()).summary, censusSummary);
    },
    testTimeoutMs,
  );

  it(
    'removing the population layer goes back to the communities’ residents',
    async () => {
      await page.getByTestId('remove-layer-population').click();
      await waitForSource('communities');
      const figures = await pageFigures();
      expectFigures(figures.summary, (await engine(null, figures.rules, figures.cellMeters)).summary);
      expect(await page.getByTestId('population-source').textContent()).toMatch(/communities’ population/);
      await page.reload();
      await waitForCoverage(page, 180_000);
      await waitForSource('communities');
    },
    testTimeoutMs,
  );

  it(
    'with no population anywhere every figure says so (in both languages) and no resident is invented',
    async () => {
      await page.getByTestId('import-file').setInputFiles(unpeopledPath);
      await page.getByTestId('import-dialog').waitFor();
      await page.waitForFunction(
        () => !document.querySelector<HTMLButtonElement>('[data-testid=import-confirm]')?.disabled,
      );
      await page.getByTestId('import-role').selectOption('communities');
      await page.getByTestId('import-confirm').click();
      await waitForSource(null);
      const figures = await pageFigures();
      expect(figures.summary.city.population).toBeNull();
      expect(figures.summary.city.cells).toBeGreaterThan(0);
      const summary = page.getByTestId('city-summary');
      expect(await summary.locator('[data-figure=population]').textContent()).toBe('—');
      expect(await summary.locator('[data-figure=uncovered]').textContent()).not.toBe('—');
      expect(await page.getByTestId('population-source').textContent()).toMatch(/^No population given/);
      expect(await page.getByTestId('community-no-population').textContent()).toMatch(/^No population given/);
      await page.getByTestId('language').click();
      await expect.poll(() => page.getByTestId('population-source').textContent()).toMatch(/^未提供人口/);
    },
    testTimeoutMs,
  );
});
