import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bbox as turfBoundingBox } from '@turf/turf';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCoverage, type CoverageSummary, type RuleSet, summarizeCoverage } from '../../src/coverage';
import { knownCrs } from '../../src/io/coordinates';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { readLayerFile } from '../../src/io/read-layer';
import { applyMapping, guessMapping, guessRole } from '../../src/state/import-guess';
import {
  browserSuiteOptions,
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  openPage,
  type RecordedPage,
  root,
  startServer,
  stopProcess,
  unnamedControls,
  waitForCoverage,
} from './harness';

/**
 * The app half of GIS interop in Chromium: import a planner's file through the file input and the role
 * dialog, check the figures against the engine in Node on the same layers, a bad file, persistence over a
 * reload, reset to demo, every export button (files parsed here; the FlatGeobuf read by GDAL), and a
 * FlatGeobuf layer from a URL read with HTTP range requests.
 */
const testTimeoutMs = 300_000;
const executable = chromiumForTests();
const ogrinfo = ['/usr/bin/ogrinfo', '/usr/local/bin/ogrinfo'].find((path) => existsSync(path)) ?? null;
if (!ogrinfo && process.env.CI)
  throw new Error('the FlatGeobuf export check needs GDAL (apt-get install gdal-bin); CI is set.');

const demo = join(root, 'data/demo');
function readDemo(name: string): FeatureCollection {
  const collection = readFlatGeobuf(new Uint8Array(readFileSync(join(demo, `${name}.fgb`))), `${name}.fgb`);
  return { ...collection, features: collection.features.filter((feature) => feature.geometry) };
}

/** A square park polygon of `half` metres half-side around a point. */
function square(lng: number, lat: number, half: number): Polygon {
  const dy = half / 111_320;
  const dx = dy / Math.cos((lat * Math.PI) / 180);
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lng - dx, lat - dy],
        [lng + dx, lat - dy],
        [lng + dx, lat + dy],
        [lng - dx, lat + dy],
        [lng - dx, lat - dy],
      ],
    ],
  };
}

function centre(feature: Feature): [number, number] {
  const ring =
    (feature.geometry as Polygon).coordinates?.[0] ??
    (feature.geometry as unknown as { coordinates: number[][][][] }).coordinates[0][0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

describe.skipIf(!executable)('import and export in Chromium', browserSuiteOptions, () => {
  let browser: Browser;
  let server: ChildProcess | undefined;
  let origin = '';
  let recorded: RecordedPage | undefined;
  let page: Page;
  const work = mkdtempSync(join(tmpdir(), 'greenreach-interop-'));
  const parksPath = join(work, 'my-parks.geojson');
  const badPath = join(work, 'broken-parks.geojson');
  let parksBytes: Uint8Array;
  let demoSummary: CoverageSummary;
  let importedSummary: CoverageSummary;

  beforeAll(async () => {
    // Three parks on community centres, with attributes under other names (名称, type) and markup in a name.
    const communities = readDemo('communities');
    const parks: FeatureCollection = {
      type: 'FeatureCollection',
      features: [0, 3, 7].map((i, n) => ({
        type: 'Feature',
        properties: {
          名称: n === 0 ? '<img src=x onerror="window.__pwned=1">公园' : `导入公园 ${n}`,
          type: 'park',
        },
        geometry: square(...centre(communities.features[i % communities.features.length]), 60 + n * 20),
      })),
    };
    parksBytes = new TextEncoder().encode(JSON.stringify(parks));
    writeFileSync(parksPath, parksBytes);
    writeFileSync(badPath, '{"type": "FeatureCollection", "features": [ {"type": "Feature", "geometry": ');
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

  async function engine(greenspaces: FeatureCollection, rules: RuleSet, cellMeters: number): Promise<CoverageSummary> {
    return summarizeCoverage(
      buildCoverage(
        {
          communities: readDemo('communities'),
          residential: readDemo('residential'),
          greenways: readDemo('greenways'),
          greenspaces,
        },
        rules,
        cellMeters,
      ),
    );
  }

  async function pageFigures() {
    return page.evaluate(() => ({
      summary: window.__greenreach!.summary!,
      rules: window.__greenreach!.rules!,
      cellMeters: window.__greenreach!.cellMeters!,
      greenspaces: window.__greenreach!.state().data!.greenspaces.features.length,
    }));
  }

  /** Waits for a computation on `greenspaces` features to be drawn. */
  async function waitForGreenspaces(count: number): Promise<void> {
    await page.waitForFunction(
      (n) => {
        const hook = window.__greenreach;
        return (
          hook?.state().data?.greenspaces.features.length === n &&
          hook.state().status === 'ready' &&
          hook.state().result !== null
        );
      },
      count,
      { timeout: 120_000, polling: 100 },
    );
  }

  it(
    'imports a GeoJSON file through the file input and the role dialog; figures equal the engine in Node',
    async () => {
      recorded = await openPage(browser, `${origin}?lang=en`, { locale: 'en-GB' });
      page = recorded.page;
      await waitForCoverage(page, 180_000);
      const before = await pageFigures();
      demoSummary = await engine(readDemo('greenspaces'), before.rules, before.cellMeters);
      expect(before.summary).toEqual(demoSummary);

      await page.getByTestId('import-file').setInputFiles(parksPath);
      const dialog = page.getByTestId('import-dialog');
      await dialog.waitFor();
      await page.getByTestId('import-confirm').isEnabled();
      await page.waitForFunction(
        () => !document.querySelector<HTMLButtonElement>('[data-testid=import-confirm]')?.disabled,
      );
      expect(await page.getByTestId('import-role').inputValue()).toBe('greenspaces');
      expect(await page.getByTestId('import-map-name').inputValue()).toBe('名称');
      expect(await page.getByTestId('import-map-kind').inputValue()).toBe('type');
      expect(await page.getByTestId('import-crs').textContent()).toContain('EPSG:4326');
      // The preview shows the markup as text; nothing ran.
      expect(await page.getByTestId('import-preview').textContent()).toContain('<img src=x');
      expect(await page.locator('[data-testid=import-preview] img').count()).toBe(0);
      // Every control of the dialog has a name a screen reader can announce.
      expect(await unnamedControls(page), 'unnamed controls with the import dialog open').toEqual([]);
      await page.getByTestId('import-confirm').click();
      await waitForGreenspaces(3);
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

      const after = await pageFigures();
      const read = await readLayerFile(parksBytes, 'my-parks.geojson', { role: 'greenspaces' });
      const mapped = applyMapping(read.collection, guessMapping(read.collection), 'greenspaces');
      importedSummary = await engine(mapped, after.rules, after.cellMeters);
      expect(after.summary).toEqual(importedSummary);
      expect(after.summary).not.toEqual(demoSummary);
      const note = await page.getByTestId('imported-note').textContent();
      expect(note).toContain('my-parks.geojson');
      expect(await page.getByTestId('synthetic-note').count()).toBe(0);
    },
    testTimeoutMs,
  );

  it(
    'a bad file shows a message naming the file; the layers in use stay',
    async () => {
      await page.getByTestId('import-file').setInputFiles(badPath);
      const errors = page.getByTestId('import-errors');
      await errors.waitFor();
      const text = (await errors.textContent()) ?? '';
      expect(text).toContain('broken-parks.geojson');
      expect(text).toMatch(/line \d+|column \d+|JSON/i);
      expect(await page.getByTestId('import-dialog').count()).toBe(0);
      const figures = await pageFigures();
      expect(figures.greenspaces).toBe(3);
      expect(figures.summary).toEqual(importedSummary);
      expect(await page.evaluate(() => document.documentElement.dataset.coverage)).toBe('ready');
    },
    testTimeoutMs,
  );

  it(
    'a reload keeps the imported layer (IndexedDB)',
    async () => {
      await page.reload();
      await waitForCoverage(page, 180_000);
      await waitForGreenspaces(3);
      expect((await pageFigures()).summary).toEqual(importedSummary);
      expect(await page.getByTestId('imported-note').textContent()).toContain('my-parks.geojson');
    },
    testTimeoutMs,
  );

  it(
    'every export button produces a file that parses; the FlatGeobuf reads in GDAL',
    async () => {
      const cells = await page.evaluate(() => window.__greenreach!.residentialCells);
      const save = async (testId: string): Promise<string> => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
        const path = join(work, download.suggestedFilename());
        await download.saveAs(path);
        return path;
      };
      const cellsGeojson = JSON.parse(readFileSync(await save('export-cellsGeojson'), 'utf8'));
      expect(cellsGeojson.features).toHaveLength(cells);
      expect(
        cellsGeojson.rules.cell_meters ?? cellsGeojson.rules.cellMeters ?? JSON.stringify(cellsGeojson.rules),
      ).toBeTruthy();
      const gaps = JSON.parse(readFileSync(await save('export-gaps'), 'utf8'));
      expect(gaps.type).toBe('FeatureCollection');
      expect(gaps.features.length).toBeGreaterThan(0);
      const communities = JSON.parse(readFileSync(await save('export-communitiesGeojson'), 'utf8'));
      expect(communities.features).toHaveLength(readDemo('communities').features.length);
      const csv = readFileSync(await save('export-communitiesCsv'), 'utf8');
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      expect(csv.trim().split('\r\n')).toHaveLength(readDemo('communities').features.length + 1);
      const pngPath = await save('export-png');
      const png = readFileSync(pngPath);
      mkdirSync(join(root, 'test-output'), { recursive: true });
      copyFileSync(pngPath, join(root, 'test-output/interop-map.png'));
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.length).toBeGreaterThan(20_000);
      const fgbPath = await save('export-cellsFgb');
      expect(fgbPath.endsWith('.fgb')).toBe(true);
      expect(readFlatGeobuf(new Uint8Array(readFileSync(fgbPath)), 'cells.fgb').features).toHaveLength(cells);
      if (ogrinfo) {
        const info = execFileSync(ogrinfo, ['-so', '-al', fgbPath], { encoding: 'utf8' });
        expect(info).toContain(`Feature Count: ${cells}`);
        expect(info).toMatch(/green_m: Real/);
      }
      // The grid as GeoTIFF: GDAL reads the distances' bands and the verdicts' colour table.
      const tifPath = await save('export-cellsTif');
      const verdictsPath = await save('export-verdictsTif');
      const gdalinfo = ogrinfo ? ogrinfo.replace(/ogrinfo$/, 'gdalinfo') : null;
      if (gdalinfo) {
        const bands = JSON.parse(execFileSync(gdalinfo, ['-json', tifPath], { encoding: 'utf8' })).bands;
        expect(bands.map((band: { description: string }) => band.description)).toEqual(['green_m', 'park_m']);
        const verdicts = JSON.parse(execFileSync(gdalinfo, ['-json', verdictsPath], { encoding: 'utf8' }));
        expect(verdicts.bands[0].colorTable).toBeDefined();
      } else {
        expect(readFileSync(tifPath).subarray(0, 2).toString('latin1')).toBe('II');
      }
    },
    testTimeoutMs,
  );

  it(
    'takes a dropped file in projected coordinates once the planner chooses its system in the dialog',
    async () => {
      const definition = knownCrs(4544)!.definition!;
      const projected: FeatureCollection = JSON.parse(new TextDecoder().decode(parksBytes));
      for (const feature of projected.features) {
        const polygon = feature.geometry as Polygon;
        polygon.coordinates = polygon.coordinates.map((ring) => ring.map((p) => proj4('EPSG:4326', definition, p)));
      }
      const text = JSON.stringify(projected);
      await page.evaluate(() => {
        (window as { __before?: unknown }).__before = window.__greenreach!.state().data!.greenspaces;
      });
      await page.evaluate(
        ({ name, text }) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([text], name, { type: 'application/geo+json' }));
          const target = document.querySelector('.main')!;
          for (const type of ['dragenter', 'dragover', 'drop']) {
            target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
          }
        },
        { name: 'parks-cgcs2000.geojson', text },
      );
      const problem = page.getByTestId('import-dialog-error');
      await problem.waitFor();
      expect(await problem.textContent()).toMatch(/parks-cgcs2000\.geojson: feature 0: .*not longitude\/latitude/);
      expect(await page.getByTestId('import-confirm').isDisabled()).toBe(true);
      await page.getByTestId('import-crs-input').fill('EPSG:4544');
      await page.getByRole('button', { name: 'Read again' }).click();
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLButtonElement>('[data-testid=import-confirm]')?.disabled === false ||
          !document.querySelector('[data-testid=import-dialog]'),
      );
      const errors = await page.locator('[data-testid=import-errors]').allTextContents();
      expect(errors).toEqual([]);
      expect(await page.getByTestId('import-crs').textContent()).toContain('EPSG:4544');
      await page.getByTestId('import-confirm').click();
      await page.waitForFunction(
        () => {
          const state = window.__greenreach!.state();
          return (
            state.data!.greenspaces !== (window as { __before?: unknown }).__before &&
            state.status === 'ready' &&
            state.result !== null
          );
        },
        null,
        { timeout: 120_000, polling: 100 },
      );
      const figures = await pageFigures();
      const read = await readLayerFile(new TextEncoder().encode(text), 'parks-cgcs2000.geojson', {
        role: 'greenspaces',
        crs: 'EPSG:4544',
      });
      const mapped = applyMapping(read.collection, guessMapping(read.collection), 'greenspaces');
      expect(figures.summary).toEqual(await engine(mapped, figures.rules, figures.cellMeters));
      expect(await page.getByTestId('imported-note').textContent()).toContain('parks-cgcs2000.geojson');
    },
    testTimeoutMs,
  );

  it(
    'reset to demo forgets the imported layer, also after a reload',
    async () => {
      const demoCount = readDemo('greenspaces').features.length;
      await page.getByTestId('reset-demo').click();
      await waitForGreenspaces(demoCount);
      expect((await pageFigures()).summary).toEqual(demoSummary);
      expect(await page.getByTestId('synthetic-note').count()).toBe(1);
      await page.reload();
      await waitForCoverage(page, 180_000);
      await waitForGreenspaces(demoCount);
      expect(await page.getByTestId('imported-note').count()).toBe(0);
    },
    testTimeoutMs,
  );

  it(
    'loads a FlatGeobuf layer from a URL with HTTP range requests (study-area features only)',
    async () => {
      const ranges: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('greenspaces.fgb') && request.headers().range) ranges.push(request.headers().range!);
      });
      await page.goto(`${origin}?lang=en&layer:greenspaces=data/demo/greenspaces.fgb`);
      await waitForCoverage(page, 180_000);
      expect(ranges.length).toBeGreaterThan(0);
      expect(await page.getByTestId('imported-note').textContent()).toContain('greenspaces.fgb');
      const figures = await pageFigures();
      expect(figures.greenspaces).toBeGreaterThan(0);
      expect(figures.greenspaces).toBeLessThanOrEqual(readDemo('greenspaces').features.length);
      await page.getByTestId('reset-demo').click();
      await waitForGreenspaces(readDemo('greenspaces').features.length);
      expect(recorded!.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'a community layer of 150 communities: the table lists the first 100 in sort order, "show all" the rest',
    async () => {
      // 15 × 10 rectangles tiling the demo district's bounding box, imported as the community layer.
      const demoCommunities = readDemo('communities');
      const [west, south, east, north] = turfBoundingBox(demoCommunities);
      const columnsOfTiles = 15;
      const rowsOfTiles = 10;
      const tiles: FeatureCollection = {
        type: 'FeatureCollection',
        features: Array.from({ length: columnsOfTiles * rowsOfTiles }, (_, n) => {
          const x0 = west + ((east - west) * (n % columnsOfTiles)) / columnsOfTiles;
          const y0 = south + ((north - south) * Math.floor(n / columnsOfTiles)) / rowsOfTiles;
          const x1 = x0 + (east - west) / columnsOfTiles;
          const y1 = y0 + (north - south) / rowsOfTiles;
          return {
            type: 'Feature' as const,
            properties: { name: `片区 ${n + 1}`, population: 1000 + n },
            geometry: {
              type: 'Polygon' as const,
              coordinates: [
                [
                  [x0, y0],
                  [x1, y0],
                  [x1, y1],
                  [x0, y1],
                  [x0, y0],
                ],
              ],
            },
          };
        }),
      };
      const tilesPath = join(work, 'tiles.geojson');
      writeFileSync(tilesPath, JSON.stringify(tiles));
      const own = await openPage(browser, `${origin}?lang=en`, { locale: 'en-GB' });
      try {
        const tablePage = own.page;
        await waitForCoverage(tablePage, 180_000);
        await tablePage.getByTestId('import-file').setInputFiles(tilesPath);
        await tablePage.getByTestId('import-dialog').waitFor();
        await tablePage.getByTestId('import-role').selectOption('communities');
        await tablePage.waitForFunction(
          () => !document.querySelector<HTMLButtonElement>('[data-testid=import-confirm]')?.disabled,
        );
        await tablePage.getByTestId('import-confirm').click();
        await tablePage.waitForFunction(
          () => {
            const state = window.__greenreach?.state();
            return state?.data?.communities.features.length === 150 && state.status === 'ready' && state.result;
          },
          null,
          { timeout: 120_000, polling: 100 },
        );
        const table = tablePage.getByTestId('community-table');
        const rowCount = () => table.locator('tbody tr').count();
        expect(await tablePage.locator('#communities-heading').textContent()).toContain('150');
        expect(await rowCount()).toBe(100);
        // The default sort is by uncovered residents, most first: the first 100 are the 100 largest.
        const expected = await tablePage.evaluate(() => {
          const communities = window.__greenreach!.state().result!.summary.communities;
          return communities
            .map((totals, index) => ({
              index,
              uncovered: (totals.population ?? 0) - (totals.populationMeetingBoth ?? 0),
            }))
            .sort((a, b) => b.uncovered - a.uncovered)
            .map((row) => row.uncovered);
        });
        const shownUncovered = await table
          .locator('tbody tr td:last-child')
          .evaluateAll((cells) => cells.map((cell) => Number((cell.textContent ?? '').replace(/[^0-9.]/g, ''))));
        expect(expected[0], 'the figures differ between communities').toBeGreaterThan(expected[99]);
        expect(shownUncovered).toEqual(expected.slice(0, 100).map((value) => Math.round(value)));
        const showAll = tablePage.getByTestId('show-all-communities');
        expect(await showAll.textContent()).toContain('150');
        await showAll.click();
        expect(await rowCount()).toBe(150);
        expect(await tablePage.getByTestId('show-all-communities').count()).toBe(0);
        expect(own.consoleErrors).toEqual([]);
      } finally {
        await own.context.close();
      }
    },
    testTimeoutMs,
  );
});

describe('import checks made before the browser reads a file', () => {
  it('guesses the role from geometry, name, OSM tags and attributes', () => {
    const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
    const line: Feature = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'LineString',
        coordinates: [
          [104, 30],
          [104.01, 30],
        ],
      },
    };
    const area = (properties: Record<string, unknown>): Feature => ({
      type: 'Feature',
      properties,
      geometry: square(104, 30, 50),
    });
    expect(guessRole(collection([line, line]), 'layer.geojson')).toBe('greenways');
    expect(guessRole(collection([area({ leisure: 'park' })]), 'export.geojson')).toBe('greenspaces');
    expect(guessRole(collection([area({ landuse: 'residential' })]), 'osm.geojson')).toBe('residential');
    expect(guessRole(collection([area({ name: '某社区', population: 5000 })]), 'shequ.geojson')).toBe('communities');
    expect(guessRole(collection([area({ 名称: 'x' })]), '社区边界.geojson')).toBe('communities');
    expect(guessMapping(collection([area({ NAME: 'a', NAME_EN: 'b', POP: 3, TYPE: 'park' })]))).toEqual({
      name: 'NAME',
      name_en: 'NAME_EN',
      population: 'POP',
      kind: 'TYPE',
    });
  });
});
