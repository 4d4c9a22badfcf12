import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuiteOptions, chromiumForTests, openPage, root, waitForCoverage } from './harness';
import { browserSuite } from './suite';

// From the moment the inputs change until the new result is drawn, the planner never shows figures
// that no longer hold. The test holds the new result back (the coverage client's answer waits for the
// test), samples every frame what the map drew (the results whose cell textures the last frame showed,
// `PlannerMap.drawnCellResults`) and what the summary says, then lets the result land.

const executable = chromiumForTests();
const extract = join(root, 'data/three-rivers/three-rivers.osm.pbf');

/** One animation frame's sample. */
interface Sample {
  /** The old result's cells were drawn (`faded`: drawn marked out of date). */
  oldCells: boolean;
  oldCellsFaded: boolean;
  /** Cells of another result were drawn. */
  otherCells: boolean;
  /** The summary's figures as on screen, or null when none are shown. */
  summary: string | null;
  outOfDateNote: boolean;
  status: string;
}

/**
 * Holds every new coverage answer until `release` and samples each frame into `window.__samples`
 * (the result on screen now is the "old" one the samples compare with).
 */
async function holdAndSample(page: Page): Promise<string> {
  return page.evaluate(() => {
    const hook = window.__greenreach!;
    const map = window.__greenreachMap!;
    const old = hook.state().baseline;
    const client = hook.app.client;
    const compute = client.compute.bind(client);
    const held = window as unknown as { __release: () => void; __samples: unknown[]; __sampling: boolean };
    const gate = new Promise<void>((resolve) => {
      held.__release = resolve;
    });
    client.compute = async (...args: Parameters<typeof compute>) => {
      const result = await compute(...args);
      await gate;
      return result;
    };
    held.__samples = [];
    held.__sampling = true;
    const summaryText = () => document.querySelector('[data-testid="city-summary"]')?.textContent ?? null;
    const sample = () => {
      const drawn = map.drawnCellResults();
      held.__samples.push({
        oldCells: drawn.some((cells) => cells.result === old),
        oldCellsFaded: drawn.some((cells) => cells.result === old && cells.outOfDate),
        otherCells: drawn.some((cells) => cells.result !== old),
        summary: summaryText(),
        outOfDateNote: document.querySelector('[data-testid="results-out-of-date"]') !== null,
        status: hook.state().status,
      });
      if (held.__sampling) requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
    return summaryText() ?? '';
  });
}

/** The samples taken since the `from`-th (and the count now). */
async function samplesSince(page: Page, from: number): Promise<Sample[]> {
  return page.evaluate((start) => (window as unknown as { __samples: Sample[] }).__samples.slice(start), from);
}

const sampleCount = (page: Page) =>
  page.evaluate(() => (window as unknown as { __samples: unknown[] }).__samples.length);

/** Waits until `frames` more frames have been sampled. */
async function waitFrames(page: Page, frames: number): Promise<void> {
  const start = await sampleCount(page);
  await page.waitForFunction(
    (target) => (window as unknown as { __samples: unknown[] }).__samples.length >= target,
    start + frames,
    { polling: 20 },
  );
}

describe.skipIf(!executable)('No figures that no longer hold, in Chromium', browserSuiteOptions, () => {
  const suite = browserSuite(executable);

  it('"Use these layers" of an OSM city clears the demo\'s cells and figures at once, until the city\'s are drawn', async () => {
    const { page, consoleErrors } = await openPage(suite.browser, `${suite.url}?lang=en`);
    await waitForCoverage(page);
    const demoCells = await page.evaluate(() => window.__greenreach!.residentialCells);
    const demoSummary = await holdAndSample(page);
    expect(demoSummary).not.toBe('');
    await waitFrames(page, 3);
    const before = await samplesSince(page, 0);
    // The sampler sees the demo's cells while they are current (it would see nothing if it were broken).
    expect(before.every((sample) => sample.oldCells && sample.summary === demoSummary)).toBe(true);
    await page.getByTestId('import-file').setInputFiles(extract);
    await expect.poll(() => page.getByTestId('osm-layers').isVisible(), { timeout: 60_000 }).toBe(true);
    await waitFrames(page, 3);
    // While the dialog previews the extract's layers on the map the cells step aside; the demo's
    // figures stay (they are still current: nothing is in use yet).
    const previewing = (await samplesSince(page, before.length)).slice(-2);
    expect(previewing.every((sample) => !sample.oldCells && sample.summary === demoSummary)).toBe(true);
    const clicked = await sampleCount(page);
    await page.getByTestId('osm-use').click();
    // The city's result is computed and held back: the planner is computing the new data set.
    await waitFrames(page, 20);
    expect(await page.evaluate(() => window.__greenreach!.state().status)).toBe('computing');
    // From the first frame that sees the new inputs (the status is no longer "ready"); the frame itself
    // may have been sampled before deck.gl drew the update, none after it may show the old result.
    const sinceUse = async () => {
      const samples = await samplesSince(page, clicked);
      return samples.slice(samples.findIndex((sample) => sample.status !== 'ready') + 1);
    };
    const held = await sinceUse();
    expect(held.length).toBeGreaterThanOrEqual(15);
    expect(held.filter((sample) => sample.oldCells)).toEqual([]);
    expect(held.filter((sample) => sample.summary !== null)).toEqual([]);
    expect(await page.getByTestId('results-computing').textContent()).toContain('Computing');
    expect(await page.getByTestId('export-cellsGeojson').isDisabled()).toBe(true);
    expect(await page.evaluate(() => window.__greenreach!.state().result)).toBeNull();

    await page.evaluate(() => (window as unknown as { __release: () => void }).__release());
    await waitForCoverage(page);
    await page.waitForFunction((cells) => window.__greenreach!.residentialCells !== cells, demoCells, {
      polling: 50,
    });
    await waitFrames(page, 3);
    await page.evaluate(() => {
      (window as unknown as { __sampling: boolean }).__sampling = false;
    });
    // From the click to the city drawn: never a demo cell, never the demo's figures.
    const after = await sinceUse();
    expect(after.filter((sample) => sample.oldCells)).toEqual([]);
    expect(after.filter((sample) => sample.summary === demoSummary)).toEqual([]);
    const last = after.at(-1)!;
    expect(last).toMatchObject({ otherCells: true, oldCells: false, status: 'ready' });
    expect(last.summary).not.toBeNull();
    // Figures appear only with the city's cells (the summary waits for the result the map draws).
    expect(after.filter((sample) => sample.summary !== null && sample.status === 'computing')).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 300_000);

  it('a rule edit marks the old figures and cells out of date (exports refused) until the new result lands', async () => {
    const { page, consoleErrors } = await openPage(suite.browser, `${suite.url}?lang=en`);
    await waitForCoverage(page);
    const oldSummary = await holdAndSample(page);
    const edited = await sampleCount(page);
    const radius = page.getByTestId('greenRadiusMeters');
    await radius.fill('150');
    await radius.dispatchEvent('change');
    // At once: the state says out of date, the panels are marked busy and nothing exports.
    expect(await page.evaluate(() => window.__greenreach!.state().outOfDate)).toBe(true);
    expect(await page.locator('aside.side-right').getAttribute('data-out-of-date')).toBe('true');
    expect(await page.getByTestId('results-out-of-date').isVisible()).toBe(true);
    expect(await page.getByTestId('export-cellsGeojson').isDisabled()).toBe(true);
    // Past the grace (250 ms) the old cells are drawn faded and greyed.
    await page.waitForTimeout(600);
    await waitFrames(page, 3);
    const waiting = await samplesSince(page, edited);
    expect(waiting.at(-1)).toMatchObject({ oldCells: true, oldCellsFaded: true, outOfDateNote: true });
    // Whenever the old cells or figures were on screen after the grace, they were marked out of date.
    const late = waiting.slice(-3);
    expect(late.every((sample) => sample.summary !== oldSummary || sample.outOfDateNote)).toBe(true);
    // The community table's panel fades (its opacity transition starts after the grace).
    const tableOpacity = () =>
      page.evaluate(() => {
        const panel = document.querySelector('.side-right > .table-panel');
        return panel ? Number(getComputedStyle(panel).opacity) : 1;
      });
    await expect.poll(tableOpacity, { timeout: 10_000 }).toBeLessThan(0.9);

    await page.evaluate(() => (window as unknown as { __release: () => void }).__release());
    await waitForCoverage(page);
    await page.waitForFunction(() => window.__greenreach!.rules?.green?.radiusMeters === 150, null, { polling: 50 });
    await waitFrames(page, 3);
    await page.evaluate(() => {
      (window as unknown as { __sampling: boolean }).__sampling = false;
    });
    const landed = (await samplesSince(page, edited)).at(-1)!;
    expect(landed).toMatchObject({ oldCells: false, otherCells: true, outOfDateNote: false, status: 'ready' });
    expect(landed.summary).not.toBe(oldSummary);
    expect(await page.evaluate(() => window.__greenreach!.state().outOfDate)).toBe(false);
    expect(await page.locator('aside.side-right').getAttribute('data-out-of-date')).toBeNull();
    expect(await page.getByTestId('export-cellsGeojson').isDisabled()).toBe(false);
    // Drawn current: no cell raster is faded.
    expect(await page.evaluate(() => window.__greenreachMap!.drawnCellResults().some((cells) => cells.outOfDate))).toBe(
      false,
    );
    expect(consoleErrors).toEqual([]);
  }, 300_000);
});
