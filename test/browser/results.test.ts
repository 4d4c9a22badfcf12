import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSuiteOptions,
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  openPage,
  startServer,
  stopProcess,
  waitForCoverage,
  waitForGaps,
} from './harness';

// One source of truth for results: what the summary, the gap list and the exported gaps show is the
// same result (the baseline, or the open scenario's), and the summary says which one it is.

const executable = chromiumForTests();

describe.skipIf(!executable)('shown result in Chromium', browserSuiteOptions, () => {
  let browser: Browser;
  let server: { url: string; process: ChildProcess };
  let work: string;

  beforeAll(async () => {
    buildIfStale();
    server = await startServer();
    browser = await launchBrowser(executable!);
    work = mkdtempSync(join(tmpdir(), 'greenreach-results-'));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    stopProcess(server?.process);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** The gap list's count, from its heading "Gap areas (N)". */
  async function listedGaps(page: Page): Promise<number> {
    const heading = (await page.locator('#gaps-heading').textContent()) ?? '';
    const match = /\((\d+)\)/.exec(heading);
    if (!match) throw new Error(`no count in the gap heading: ${heading}`);
    return Number(match[1]);
  }

  /** The gaps file the export button writes for the state on screen. */
  async function exportedGaps(page: Page): Promise<FeatureCollection> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-gaps').click()]);
    const path = join(work, `${Date.now()}-${download.suggestedFilename()}`);
    await download.saveAs(path);
    return JSON.parse(readFileSync(path, 'utf8'));
  }

  /** Waits until the gap areas on screen are those of the result on screen. */
  async function waitForShownGaps(page: Page, source: 'baseline' | 'scenario'): Promise<void> {
    await page.waitForFunction(
      (expected) => {
        const hook = window.__greenreach;
        if (!hook || hook.state().gaps === null) return false;
        const scenario = hook.scenario!.controller.store.get();
        const shown = hook.state().result;
        const shownSource =
          shown === hook.app.store.get().baseline ? 'baseline' : shown === scenario.result ? 'scenario' : '';
        return (
          shownSource === expected &&
          document.querySelector('[data-testid="summary-source"]')?.getAttribute('data-source') === expected
        );
      },
      source,
      { polling: 50, timeout: 60_000 },
    );
  }

  it('labels the summary, and lists as many gaps as the exported file holds, for the baseline and after an edit', async () => {
    const { page } = await openPage(browser, `${server.url}?lang=en`);
    await waitForCoverage(page);
    await waitForGaps(page);
    await waitForShownGaps(page, 'baseline');
    expect(await page.getByTestId('summary-source').textContent()).toContain('baseline');

    const baselineCount = await listedGaps(page);
    const baselineFile = await exportedGaps(page);
    expect(baselineCount).toBeGreaterThan(10);
    expect(baselineFile.features).toHaveLength(baselineCount);
    expect(await page.evaluate(() => window.__greenreach!.gapAreas)).toBe(baselineCount);
    const residents = (collection: FeatureCollection) =>
      collection.features.reduce((sum, feature) => sum + (feature.properties?.residents ?? 0), 0);

    // A pocket park in the middle of the largest gap area: the scenario's gaps are smaller there.
    await page.evaluate(async () => {
      const hook = window.__greenreach!;
      const area = hook.state().gaps!.areas[0];
      const [west, south, east, north] = area.bbox;
      hook.scenario!.controller.addPocketPark((west + east) / 2, (south + north) / 2, 'test park');
    });
    await waitForShownGaps(page, 'scenario');
    const name = await page.evaluate(() => {
      const state = window.__greenreach!.scenario!.controller.store.get();
      return state.scenarios.find((scenario) => scenario.id === state.activeId)!.name;
    });
    expect(await page.getByTestId('summary-source').textContent()).toContain(name);
    const scenarioCount = await listedGaps(page);
    const scenarioFile = await exportedGaps(page);
    expect(scenarioFile.features).toHaveLength(scenarioCount);
    expect(await page.evaluate(() => window.__greenreach!.gapAreas)).toBe(scenarioCount);
    // The list is the scenario's: fewer uncovered residents than the baseline's, and its first entry
    // is the exported file's first gap.
    expect(residents(scenarioFile)).toBeLessThan(residents(baselineFile));
    const firstListed = await page.locator('[data-gap="0"] .gap-figures').textContent();
    const firstResidents = scenarioFile.features[0].properties!.residents as number;
    expect(firstListed).toContain(new Intl.NumberFormat('en-GB').format(Math.round(firstResidents)));

    // Before/after: the baseline again, labelled, with its own gaps.
    await page.getByTestId('show-baseline').check();
    await waitForShownGaps(page, 'baseline');
    expect(await listedGaps(page)).toBe(baselineCount);
    expect((await exportedGaps(page)).features).toHaveLength(baselineCount);
  }, 300_000);
});
