import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Feature } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addFeature,
  buildCoverage,
  type CoverageModel,
  type CoverageTotals,
  prepareGreenFeature,
  type RuleSet,
  summarizeCoverage,
} from '../../src/coverage';
import {
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  openPage,
  type RecordedPage,
  readDemoLayer,
  root,
  startServer,
  stopProcess,
  waitForCoverage,
  waitForGaps,
  waitForMapIdle,
} from './harness';

const testTimeoutMs = 300_000;
const executable = chromiumForTests();

const readLayer = readDemoLayer;

/** The demo data's model in Node (the CLI's path), for the same rules and cell size as the page. */
function engineModel(rules: RuleSet, cellMeters: number): CoverageModel {
  return buildCoverage(
    {
      communities: readLayer('communities')!,
      residential: readLayer('residential'),
      greenways: readLayer('greenways')!,
      greenspaces: readLayer('greenspaces')!,
    },
    rules,
    cellMeters,
  );
}

function addToModel(model: CoverageModel, layer: 'greenspaces' | 'greenways', feature: Feature): void {
  const prepared = prepareGreenFeature(feature, model.nextFeatureId, layer, 0);
  if (prepared) addFeature(model, prepared);
}

function uncovered(totals: CoverageTotals): number {
  return totals.population !== null && totals.populationMeetingBoth !== null
    ? totals.population - totals.populationMeetingBoth
    : totals.cells - totals.cellsMeetingBoth;
}

interface PageScenario {
  features: number;
  synced: boolean;
  city: CoverageTotals | null;
  baselineCity: CoverageTotals | null;
  changed: number;
}

function scenarioState(page: Page): Promise<PageScenario> {
  return page.evaluate(() => {
    const controller = window.__greenreach!.scenario!.controller;
    const state = controller.store.get();
    return {
      features: state.features.length,
      synced: state.synced && window.__greenreach!.state().status === 'ready',
      city: state.result?.summary.city ?? null,
      baselineCity: state.baseline?.summary.city ?? null,
      changed: state.changedCells?.length ?? 0,
    };
  });
}

/** Waits until the worker holds the scenario's `count` features and the page shows their result. */
async function waitForScenario(page: Page, count: number): Promise<PageScenario> {
  await page.waitForFunction(
    (expected) => {
      const hook = window.__greenreach?.scenario;
      if (!hook) return false;
      const state = hook.controller.store.get();
      return (
        state.features.length === expected &&
        state.synced &&
        state.result !== null &&
        window.__greenreach!.state().status === 'ready' &&
        window.__greenreach!.state().result === state.result
      );
    },
    count,
    { polling: 50, timeout: 60_000 },
  );
  return scenarioState(page);
}

describe.skipIf(!executable)('scenarios in Chromium', () => {
  let browser: Browser;
  let server: ChildProcess | undefined;
  let origin = '';
  let recorded: RecordedPage;
  let page: Page;
  let rules: RuleSet;
  let cellMeters: number;
  let parkFeature: Feature;

  beforeAll(async () => {
    buildIfStale();
    const started = await startServer();
    server = started.process;
    origin = started.url;
    browser = await launchBrowser(executable!);
    recorded = await openPage(browser, origin, { locale: 'en-GB' });
    page = recorded.page;
    await waitForCoverage(page);
    await waitForGaps(page);
  }, 240_000);

  afterAll(async () => {
    await recorded?.context.close().catch(() => undefined);
    await browser?.close();
    stopProcess(server);
  }, 30_000);

  it(
    'a pocket park placed in a gap with the tool lowers the uncovered count by exactly what the engine computes; undo and redo restore the figures',
    async () => {
      rules = (await page.evaluate(() => window.__greenreach!.rules))!;
      cellMeters = (await page.evaluate(() => window.__greenreach!.cellMeters))!;
      // The cell of the largest gap area nearest its centre.
      const target = await page.evaluate(() => {
        const state = window.__greenreach!.state();
        const result = state.result!;
        const gaps = state.gaps!;
        const area = gaps.areas[0];
        const cx = (area.bbox[0] + area.bbox[2]) / 2;
        const cy = (area.bbox[1] + area.bbox[3]) / 2;
        const { grid, cellIndex } = result;
        let best: [number, number] | null = null;
        let bestDistance = Infinity;
        for (let k = 0; k < cellIndex.length; k++) {
          if (gaps.cellGap[k] !== 0) continue;
          const row = Math.floor(cellIndex[k] / grid.columns);
          const column = cellIndex[k] - row * grid.columns;
          const x = grid.west + (column + 0.5) * grid.longitudeStep;
          const y = grid.south + (row + 0.5) * grid.latitudeStep;
          const distance = Math.hypot((x - cx) * Math.cos((cy * Math.PI) / 180), y - cy);
          if (distance < bestDistance) {
            bestDistance = distance;
            best = [x, y];
          }
        }
        return best!;
      });
      await page.evaluate(
        ([longitude, latitude]) => window.__greenreachMap!.jumpTo({ longitude, latitude, zoom: 15.5 }),
        target,
      );
      await waitForMapIdle(page);
      const box = (await page.locator('section.map').boundingBox())!;
      const [x, y] = await page.evaluate(([lng, lat]) => window.__greenreachMap!.project(lng, lat), target);
      const before = await scenarioState(page);
      expect(before.features).toBe(0);

      await page.getByTestId('tool-park').click();
      await page.mouse.click(box.x + x, box.y + y);
      const after = await waitForScenario(page, 1);
      parkFeature = (await page.evaluate(() => window.__greenreach!.scenario!.lastAdded!.feature))!;
      expect(parkFeature.geometry.type).toBe('Polygon');

      // The same square in Node: the engine's figures before and after.
      const model = engineModel(rules, cellMeters);
      const nodeBefore = summarizeCoverage(model).city;
      addToModel(model, 'greenspaces', parkFeature);
      const nodeAfter = summarizeCoverage(model).city;
      expect(after.baselineCity).toEqual(nodeBefore);
      expect(after.city).toEqual(nodeAfter);
      const drop = uncovered(nodeBefore) - uncovered(nodeAfter);
      expect(drop).toBeGreaterThan(0);
      expect(uncovered(after.baselineCity!) - uncovered(after.city!)).toBe(drop);
      expect(after.changed).toBeGreaterThan(0);
      console.log(
        `pocket park: uncovered ${uncovered(nodeBefore).toFixed(1)} → ${uncovered(nodeAfter).toFixed(1)} (−${drop.toFixed(1)}), ${after.changed} cells changed`,
      );

      // Undo (Ctrl+Z) returns exactly to the baseline's figures; redo (Ctrl+Shift+Z) to the park's.
      await page.getByTestId('tool-pan').click();
      await page.locator('section.map').focus();
      await page.keyboard.press('Control+z');
      const undone = await waitForScenario(page, 0);
      expect(undone.city).toEqual(nodeBefore);
      expect(undone.changed).toBe(0);
      await page.keyboard.press('Control+Shift+z');
      const redone = await waitForScenario(page, 1);
      expect(redone.city).toEqual(nodeAfter);
      // The buttons do the same.
      await page.getByTestId('undo').click();
      expect((await waitForScenario(page, 0)).city).toEqual(nodeBefore);
      await page.getByTestId('redo').click();
      expect((await waitForScenario(page, 1)).city).toEqual(nodeAfter);
      // Before/after toggle: the summary shows the baseline, then the scenario again.
      const shownCity = () => page.evaluate(() => window.__greenreach!.state().result!.summary.city);
      await page.getByTestId('show-baseline').check();
      await expect.poll(shownCity).toEqual(nodeBefore);
      await page.getByTestId('show-baseline').uncheck();
      await expect.poll(shownCity).toEqual(nodeAfter);
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'dragging the park sends edits at most once a frame and ends on the engine figures for the final position',
    async () => {
      const box = (await page.locator('section.map').boundingBox())!;
      const centre = (parkFeature.geometry as GeoJSON.Polygon).coordinates[0]
        .slice(0, 4)
        .reduce((sum, [lng, lat]) => [sum[0] + lng / 4, sum[1] + lat / 4], [0, 0]);
      const [x, y] = await page.evaluate(([lng, lat]) => window.__greenreachMap!.project(lng, lat), centre);
      const editsBefore = await page.evaluate(() => window.__greenreach!.scenario!.editTimesMs.length);
      await page.getByTestId('tool-select').click();
      await page.mouse.move(box.x + x, box.y + y);
      await page.mouse.down();
      const steps = 12;
      for (let step = 1; step <= steps; step++) {
        await page.mouse.move(box.x + x + step * 8, box.y + y + step * 4);
      }
      await page.mouse.up();
      const moved = await waitForScenario(page, 1);
      const { feature, editTimes } = await page.evaluate(() => ({
        feature: window.__greenreach!.scenario!.controller.store.get().features[0].feature,
        editTimes: window.__greenreach!.scenario!.editTimesMs,
      }));
      const dragEdits = editTimes.slice(editsBefore);
      expect(dragEdits.length).toBeGreaterThan(0);
      expect(dragEdits.length).toBeLessThanOrEqual(steps);
      expect(feature.geometry).not.toEqual(parkFeature.geometry);
      const model = engineModel(rules, cellMeters);
      addToModel(model, 'greenspaces', feature);
      expect(moved.city).toEqual(summarizeCoverage(model).city);
      const sorted = [...dragEdits].sort((a, b) => a - b);
      console.log(
        `drag: ${steps} pointer moves → ${dragEdits.length} edits (remove + add); engine time per edit median ${sorted[sorted.length >> 1].toFixed(2)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms`,
      );
      // One undo step for the whole drag.
      await page.getByTestId('undo').click();
      const back = await waitForScenario(page, 1);
      const original = engineModel(rules, cellMeters);
      addToModel(original, 'greenspaces', parkFeature);
      expect(back.city).toEqual(summarizeCoverage(original).city);
    },
    testTimeoutMs,
  );

  it(
    'the scenario survives a reload (IndexedDB autosave)',
    async () => {
      const saved = await page.evaluate(async () => {
        const controller = window.__greenreach!.scenario!.controller;
        await controller.flushSave();
        return controller.store.get().activeId;
      });
      await page.reload();
      await waitForCoverage(page);
      const restored = await waitForScenario(page, 1);
      expect(await page.evaluate(() => window.__greenreach!.scenario!.controller.store.get().activeId)).toBe(saved);
      const model = engineModel(rules, cellMeters);
      addToModel(model, 'greenspaces', parkFeature);
      expect(restored.city).toEqual(summarizeCoverage(model).city);
      // A crash-like reload (no pagehide flush needed): the debounced autosave already wrote it.
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'suggested sites: coverage grows monotonically with N, and accepting the sites one by one never lowers the figures and reproduces their gains',
    async () => {
      await page.evaluate(() => window.__greenreach!.scenario!.controller.newScenario());
      const empty = await waitForScenario(page, 0);
      const base = empty.baselineCity!;
      expect(empty.city).toEqual(base);
      const totals: number[] = [];
      for (const n of [1, 2, 3, 5]) {
        const after = await page.evaluate(
          async (count) => (await window.__greenreach!.scenario!.controller.suggest(count))!.after,
          n,
        );
        totals.push(after.populationMeetingBoth ?? after.cellsMeetingBoth);
      }
      for (let k = 1; k < totals.length; k++) expect(totals[k]).toBeGreaterThanOrEqual(totals[k - 1]);
      expect(totals[0]).toBeGreaterThan(base.populationMeetingBoth ?? base.cellsMeetingBoth);

      // The UI: N = 5, suggest, accept one by one.
      await page.getByTestId('suggest-count').fill('5');
      await page.getByTestId('suggest-count').dispatchEvent('change');
      const started = Date.now();
      await page.getByTestId('suggest').click();
      await page.getByTestId('suggestions').waitFor();
      const suggestMs = Date.now() - started;
      const sites = await page.evaluate(() =>
        window.__greenreach!.scenario!.controller.store.get().suggest.result!.sites.map((site) => ({
          rank: site.rank,
          residents: site.newResidentsCovered,
          cells: site.newCellsCovered,
        })),
      );
      expect(sites.length).toBe(5);
      let previous = base;
      let expectedCells = base.cellsMeetingBoth;
      for (const site of sites) {
        await page.getByTestId(`accept-${site.rank}`).click();
        const now = await waitForScenario(page, site.rank);
        expect(now.city!.cellsMeetingBoth).toBeGreaterThanOrEqual(previous.cellsMeetingBoth);
        if (now.city!.populationMeetingBoth !== null) {
          expect(now.city!.populationMeetingBoth).toBeGreaterThanOrEqual(previous.populationMeetingBoth!);
          // Gains are stated at 0.1-resident resolution.
          const gained = now.city!.populationMeetingBoth - previous.populationMeetingBoth!;
          expect(Math.abs(gained - site.residents!)).toBeLessThanOrEqual(0.1 + 1e-9);
        }
        expectedCells += site.cells;
        expect(now.city!.cellsMeetingBoth).toBe(expectedCells);
        previous = now.city!;
      }
      console.log(
        `suggest 5 (UI round trip ${suggestMs} ms): residents meeting both ${base.populationMeetingBoth} → ${previous.populationMeetingBoth}; gains ${sites.map((s) => s.residents).join(', ')}`,
      );
      // The compare table lists both scenarios and the baseline.
      await expect.poll(() => page.getByTestId('scenario-compare').locator('tbody tr').count()).toBe(3);
      // Exports: GeoJSON of the five sites and a CSV with a BOM.
      const geojson = await page.evaluate(async () => {
        const link = document.querySelector<HTMLAnchorElement>('[data-testid="export-geojson"]')!;
        return (await fetch(link.href)).text();
      });
      expect(JSON.parse(geojson).features.length).toBe(5);
      const csv = await page.evaluate(async () => {
        const link = document.querySelector<HTMLAnchorElement>('[data-testid="export-csv"]')!;
        return new Uint8Array(await (await fetch(link.href)).arrayBuffer()).slice(0, 3).join(',');
      });
      expect(csv).toBe('239,187,191');
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  /** The engine's city figures in Node with the page's scenario features added in order. */
  async function nodeCityOfPage(): Promise<CoverageTotals> {
    const features = await page.evaluate(() =>
      window
        .__greenreach!.scenario!.controller.store.get()
        .features.map((f) => ({ layer: f.layer, feature: f.feature })),
    );
    const model = engineModel(rules, cellMeters);
    for (const { layer, feature } of features) addToModel(model, layer, feature);
    return summarizeCoverage(model).city;
  }

  it(
    'greenway tool (click points, Enter ends), kind edit and delete each match the engine',
    async () => {
      const start = (await waitForScenario(page, 5)).features;
      const box = (await page.locator('section.map').boundingBox())!;
      await page.getByTestId('tool-greenway').click();
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      await page.mouse.click(cx - 150, cy + 40);
      await page.mouse.click(cx, cy + 120);
      await page.mouse.click(cx + 150, cy + 60);
      await page.keyboard.press('Enter');
      const drawn = await waitForScenario(page, start + 1);
      const greenway = await page.evaluate(() => window.__greenreach!.scenario!.lastAdded!);
      expect(greenway.layer).toBe('greenways');
      expect((greenway.feature.geometry as GeoJSON.LineString).coordinates.length).toBe(3);
      expect(drawn.city).toEqual(await nodeCityOfPage());

      // Kind of the first site: pocket park → micro-green (green, no longer a park).
      await page.getByTestId('tool-select').click();
      await page.evaluate(() => {
        const controller = window.__greenreach!.scenario!.controller;
        controller.select(controller.store.get().features[0].key);
      });
      await page.getByTestId('selected-feature').locator('select').selectOption('micro_green');
      await page.waitForFunction(
        () =>
          window.__greenreach!.scenario!.controller.store.get().features[0].feature.properties?.kind === 'micro_green',
      );
      const rekinded = await waitForScenario(page, start + 1);
      expect(rekinded.city).toEqual(await nodeCityOfPage());
      expect(rekinded.city!.cellsMeetingBoth).toBeLessThanOrEqual(drawn.city!.cellsMeetingBoth);

      await page.getByTestId('delete-feature').click();
      const deleted = await waitForScenario(page, start);
      expect(deleted.city).toEqual(await nodeCityOfPage());
      await waitForMapIdle(page);
      await page.screenshot({ path: join(root, 'test-output/scenario.png') });
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );
});
