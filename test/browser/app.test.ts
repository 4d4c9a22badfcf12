import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cellStateColors } from '../../src/theme/cell-colors';

// Software WebGL (SwiftShader) compiles shaders slowly, more so on a busy machine: generous limits.
const testTimeoutMs = 240_000;
/** Polling limits for expectations that wait on the page. */
const slow = { timeout: 60_000, interval: 100 };

import {
  buildCoverage,
  type CoverageSummary,
  presets,
  type RuleSet,
  share,
  summarizeCoverage,
} from '../../src/coverage';
import { runCoverageCli } from '../support/run-cli';
import {
  browserSuiteOptions,
  buildIfStale,
  centreMapOn,
  chromiumForTests,
  demoDirectory,
  launchBrowser,
  openPage,
  type RecordedPage,
  readDemoLayer,
  root,
  screenshotPixels,
  startServer,
  stopProcess,
  unnamedControls,
  waitForCoverage,
  waitForGaps,
  waitForMapIdle,
} from './harness';

const executable = chromiumForTests();

const demo = demoDirectory;
const readLayer = readDemoLayer;

/** What the engine computes in Node for the demo data (the CLI's path), for the same rules and cell size. */
function engineSummary(rules: RuleSet, cellMeters: number): CoverageSummary {
  const model = buildCoverage(
    {
      communities: readLayer('communities')!,
      residential: readLayer('residential'),
      greenways: readLayer('greenways')!,
      greenspaces: readLayer('greenspaces')!,
    },
    rules,
    cellMeters,
  );
  return summarizeCoverage(model);
}

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

describe.skipIf(!executable)('planner map in Chromium', browserSuiteOptions, () => {
  let browser: Browser;
  let server: ChildProcess | undefined;
  let origin = '';
  const pages: RecordedPage[] = [];
  /** One page (Chinese browser, default URL) that the tests below drive in order, to load the map once. */
  let shared: RecordedPage | undefined;

  beforeAll(async () => {
    buildIfStale();
    const started = await startServer();
    server = started.process;
    origin = started.url;
    browser = await launchBrowser(executable!);
  }, 180_000);

  /** Closes every page but `keep`: SwiftShader renders on the CPU, and idle pages would compete for it. */
  async function closePages(keep?: RecordedPage): Promise<void> {
    for (const recorded of pages.splice(0)) {
      if (recorded === keep) pages.push(recorded);
      else await recorded.context.close().catch(() => undefined);
    }
  }
  afterEach(async () => closePages(shared));

  afterAll(async () => {
    await closePages();
    await browser?.close();
    stopProcess(server);
  }, 30_000);

  async function open(search = '', locale = 'zh-CN'): Promise<RecordedPage> {
    const recorded = await openPage(browser, `${origin}${search}`, { locale });
    pages.push(recorded);
    await waitForCoverage(recorded.page);
    return recorded;
  }

  it(
    'loads offline: no console errors, no request beyond the local server, coverage drawn',
    async () => {
      shared = await open('', 'zh-CN');
      const { page, consoleErrors, requests } = shared;
      await waitForGaps(page);
      expect(consoleErrors).toEqual([]);
      const foreign = requests.filter(
        (url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'),
      );
      expect(foreign).toEqual([]);
      expect(requests.some((url) => url.endsWith('data/demo/communities.fgb'))).toBe(true);
      expect(await page.evaluate(() => window.__greenreach!.residentialCells)).toBeGreaterThan(1000);
      expect(await page.getByTestId('synthetic-note').textContent()).toContain('合成示例数据');
      mkdirSync(join(root, 'test-output'), { recursive: true });
      await waitForMapIdle(page);
      await page.screenshot({ path: join(root, 'test-output/app.png') });
      if (process.env.UPDATE_SCREENSHOT)
        copyFileSync(join(root, 'test-output/app.png'), join(root, 'docs/screenshot.png'));
    },
    testTimeoutMs,
  );

  it(
    'shows the same city summary as the engine computes in Node',
    async () => {
      const { page } = shared!;
      const { summary, rules, cellMeters } = await page.evaluate(() => ({
        summary: window.__greenreach!.summary!,
        rules: window.__greenreach!.rules!,
        cellMeters: window.__greenreach!.cellMeters!,
      }));
      const expected = engineSummary(rules, cellMeters);
      expect(summary).toEqual(expected);
      const city = expected.city;
      const shown = page.getByTestId('city-summary');
      expect(await shown.locator('[data-figure=both]').textContent()).toBe(
        percent(share(city.populationMeetingBoth, city.population)),
      );
      expect(await shown.locator('[data-figure=green]').textContent()).toBe(
        percent(share(city.populationMeetingGreen, city.population)),
      );
      expect(await shown.locator('[data-figure=park]').textContent()).toBe(
        percent(share(city.populationMeetingPark, city.population)),
      );
      const uncovered = Math.round(city.population! - city.populationMeetingBoth!).toLocaleString('zh-CN');
      expect(await shown.locator('[data-figure=uncovered]').textContent()).toBe(uncovered);

      // And what the CLI writes for the same files, rules and cell size.
      const directory = mkdtempSync(join(tmpdir(), 'greenreach-app-cli-'));
      writeFileSync(join(directory, 'rules.json'), JSON.stringify(rules));
      const args = ['--rules', join(directory, 'rules.json'), '--cell', String(cellMeters), '--out', directory];
      for (const layer of ['communities', 'residential', 'greenways', 'greenspaces']) {
        args.push(`--${layer}`, join(demo, `${layer}.fgb`));
      }
      const done = runCoverageCli(args);
      expect(done.stderr).toBe('');
      const written = JSON.parse(readFileSync(join(directory, 'summary.json'), 'utf8'));
      expect(written.cells).toBe(summary.city.cells);
      expect(written.cells_meeting_green).toBe(summary.city.cellsMeetingGreen);
      expect(written.cells_meeting_park).toBe(summary.city.cellsMeetingPark);
      expect(written.cells_meeting_both).toBe(summary.city.cellsMeetingBoth);
      expect(written.population_meeting_both).toBeCloseTo(summary.city.populationMeetingBoth!, 0);
      rmSync(directory, { recursive: true, force: true });
    },
    testTimeoutMs,
  );

  it(
    'reaches controls with the keyboard, with a visible focus ring',
    async () => {
      const { page } = shared!;
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement;
        return { tag: element.tagName, outline: getComputedStyle(element).outlineStyle };
      });
      // The header's first stop: the search box, then its buttons.
      expect(['BUTTON', 'INPUT']).toContain(focused.tag);
      expect(focused.outline).toBe('solid');
      // Tab through every stop of the page, once round: each shows a ring, on itself or (a file input
      // drawn as a button) on the label around it.
      const seen = new Set<string>();
      for (let stop = 0; stop < 400; stop++) {
        await page.keyboard.press('Tab');
        const ring = await page.evaluate(() => {
          const element = document.activeElement as HTMLElement;
          if (element === document.body) return null;
          (element as HTMLElement & { __stop?: number }).__stop ??= Math.random();
          const own = getComputedStyle(element).outlineStyle;
          const label = element.closest('label');
          const around = label ? getComputedStyle(label).outlineStyle : 'none';
          const name = element.getAttribute('data-testid') ?? element.getAttribute('aria-label') ?? element.textContent;
          return {
            id: String((element as HTMLElement & { __stop?: number }).__stop),
            what: `${element.tagName} ${(name ?? '').slice(0, 30)}`,
            ring: own !== 'none' || around !== 'none',
          };
        });
        if (ring === null || seen.has(ring.id)) break;
        seen.add(ring.id);
        expect(ring.ring, `focus ring on ${ring.what}`).toBe(true);
      }
      expect(seen.size, 'Tab stops checked').toBeGreaterThan(100);
      expect(await unnamedControls(page), 'controls without an accessible name (zh)').toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'switches the interface language, defaulting to the browser’s',
    async () => {
      const { page } = shared!;
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      expect(await page.locator('#summary-heading').textContent()).toBe('全区概况');
      await page.getByTestId('language').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#summary-heading').textContent(), slow).toBe('District summary');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await expect.poll(() => new URL(page.url()).searchParams.get('lang'), slow).toBe('en');
      expect(await unnamedControls(page), 'controls without an accessible name (en)').toEqual([]);

      const english = await openPage(browser, origin, { locale: 'en-GB' });
      pages.push(english);
      await english.page.waitForFunction(() => document.querySelector('#summary-heading') !== null);
      expect(await english.page.locator('#summary-heading').textContent()).toBe('District summary');
      expect(await english.page.getByTestId('synthetic-note').textContent()).toContain('Synthetic demo data');
    },
    testTimeoutMs,
  );

  it(
    'shows a community’s figures when it is clicked in the table and on the map',
    async () => {
      const { page } = shared!;
      const button = page.locator('button[data-community]').nth(3);
      const index = Number(await button.getAttribute('data-community'));
      const name = (await button.textContent())!;
      await button.click();
      const panel = page.getByTestId('community-panel');
      await expect.poll(() => panel.getByTestId('community-name').textContent(), slow).toBe(name);
      const totals = await page.evaluate((i) => window.__greenreach!.summary!.communities[i], index);
      expect(await panel.locator('[data-figure=both]').textContent()).toBe(
        percent(share(totals.populationMeetingBoth, totals.population)),
      );
      await expect.poll(() => new URL(page.url()).searchParams.get('community'), slow).toBe(String(index));

      // On the map: click a residential cell of another community, away from green features (those show a popup).
      await page.getByRole('button', { name: 'Clear selection' }).click();
      await waitForMapIdle(page);
      const target = await page.evaluate((selected) => {
        const result = window.__greenreach!.state().result!;
        const { grid } = result;
        const box = document.querySelector('.map')!.getBoundingClientRect();
        for (let k = 1; k < result.cellIndex.length - 1; k++) {
          const community = result.cellCommunity[k];
          if (community < 0 || community === selected || result.cellCommunity[k - 1] !== community) continue;
          if (!(result.greenMeters![k] > 40)) continue;
          const index = result.cellIndex[k];
          const row = Math.floor(index / grid.columns);
          const column = index - row * grid.columns;
          const longitude = grid.west + (column + 0.5) * grid.longitudeStep;
          const latitude = grid.south + (row + 0.5) * grid.latitudeStep;
          const [x, y] = window.__greenreachMap!.project(longitude, latitude);
          if (x > 60 && y > 60 && x < box.width - 80 && y < box.height - 80)
            return { community, x: x + box.left, y: y + box.top };
        }
        return null;
      }, index);
      expect(target).not.toBeNull();
      await page.mouse.click(target!.x, target!.y);
      await expect
        .poll(() => page.evaluate(() => window.__greenreach!.state().selectedCommunity), slow)
        .toBe(target!.community);
      await expect.poll(() => panel.isVisible(), slow).toBe(true);
      // The click also reports the cell's two distances, as text.
      const info = await page.getByTestId('cell-info').textContent();
      expect(info).toMatch(/to green: (\d+|> \d+) m/);
      expect(info).toMatch(/to a park: (\d+|> \d+) m/);
    },
    testTimeoutMs,
  );

  it(
    'draws cells in their state colour with "neither" hatched, names a green space on hover, outlines a selected gap area',
    async () => {
      const { page } = shared!;
      await page
        .getByRole('button', { name: 'Clear selection' })
        .click()
        .catch(() => undefined);
      // The centre of a 7 × 7 block of residential cells all in one state, or null.
      const blockOf = (state: 'neither' | 'both') =>
        page.evaluate((wanted) => {
          const result = window.__greenreach!.state().result!;
          const { grid, cellIndex, verdicts } = result;
          const stateOf = new Map<number, boolean>();
          for (let k = 0; k < cellIndex.length; k++)
            stateOf.set(cellIndex[k], wanted === 'both' ? (verdicts[k] & 4) !== 0 : (verdicts[k] & 3) === 0);
          for (let k = 0; k < cellIndex.length; k += 7) {
            const row = Math.floor(cellIndex[k] / grid.columns);
            const column = cellIndex[k] - row * grid.columns;
            let all = true;
            for (let dy = -3; dy <= 3 && all; dy++)
              for (let dx = -3; dx <= 3 && all; dx++)
                all = stateOf.get((row + dy) * grid.columns + column + dx) === true;
            if (all)
              return [grid.west + (column + 0.5) * grid.longitudeStep, grid.south + (row + 0.5) * grid.latitudeStep];
          }
          return null;
        }, state);
      // RGBA pixels of a square of the page around the map's centre.
      const pixelsAtCentre = async (half: number) => {
        const box = (await page.locator('.map').boundingBox())!;
        const clip = {
          x: box.x + box.width / 2 - half,
          y: box.y + box.height / 2 - half,
          width: half * 2,
          height: half * 2,
        };
        return screenshotPixels(page, clip);
      };
      const shareOf = (pixels: number[], test: (r: number, g: number, b: number) => boolean) => {
        let count = 0;
        for (let i = 0; i < pixels.length; i += 4) if (test(pixels[i], pixels[i + 1], pixels[i + 2])) count++;
        return count / (pixels.length / 4);
      };
      const near = (target: number[], tolerance: number) => (r: number, g: number, b: number) =>
        Math.abs(r - target[0]) + Math.abs(g - target[1]) + Math.abs(b - target[2]) <= tolerance;
      const blend = (rgba: number[], under = [251, 250, 246]) =>
        rgba.slice(0, 3).map((value, i) => value * (rgba[3] / 255) + under[i] * (1 - rgba[3] / 255));
      const white = near([255, 255, 255], 30);
      const neitherColour = blend([...cellStateColors.neither]);
      const bothColour = blend([...cellStateColors.both]);

      for (const [state, colour, hatched] of [
        ['neither', neitherColour, true],
        ['both', bothColour, false],
      ] as const) {
        const centre = await blockOf(state);
        expect(centre, `a block of "${state}" cells`).not.toBeNull();
        await centreMapOn(page, centre!, 17);
        await page.evaluate(
          () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
        );
        // 50 × 50 px: well inside the 7 × 7 block (20 m cells are ~17 px wide at zoom 17 here).
        const pixels = await pixelsAtCentre(25);
        expect(shareOf(pixels, near(colour, 45)), `${state} colour`).toBeGreaterThan(0.5);
        if (hatched) expect(shareOf(pixels, white), 'hatching').toBeGreaterThan(0.1);
        else expect(shareOf(pixels, white), 'no hatching').toBe(0);
      }

      // Hover over a named green space: its name and kind, as text.
      const park = await page.evaluate(() => {
        const features = window.__greenreach!.state().data!.greenspaces.features;
        const feature = features.find(
          (f) => f.properties?.name && f.properties?.kind === 'park' && f.geometry.type === 'Polygon',
        );
        const ring = (feature!.geometry as GeoJSON.Polygon).coordinates[0];
        const longitude = ring.slice(1).reduce((sum, [x]) => sum + x, 0) / (ring.length - 1);
        const latitude = ring.slice(1).reduce((sum, [, y]) => sum + y, 0) / (ring.length - 1);
        const english = window.__greenreach!.state().language === 'en' && feature!.properties!.name_en;
        return { name: String(english || feature!.properties!.name), longitude, latitude };
      });
      await centreMapOn(page, [park.longitude, park.latitude], 15);
      const box = (await page.locator('.map').boundingBox())!;
      // Hover info follows pointer moves, so each poll moves the pointer by a pixel (as a hand does).
      let wiggle = 0;
      await expect
        .poll(async () => {
          wiggle = 1 - wiggle;
          await page.mouse.move(box.x + box.width / 2 + wiggle, box.y + box.height / 2);
          return page
            .locator('[data-testid=feature-info]')
            .textContent({ timeout: 200 })
            .catch(() => '');
        }, slow)
        .toContain(park.name);

      // Select the first gap area: its outline (orange over dark) is drawn around it.
      await page.locator('[data-testid=gap-list] button').first().click();
      await expect.poll(() => page.evaluate(() => window.__greenreach!.state().selectedGap), slow).toBe(0);
      await waitForMapIdle(page);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const half = Math.floor(Math.min(box.width, box.height) / 2) - 10;
      expect(shareOf(await pixelsAtCentre(half), near([255, 140, 0], 40)), 'gap outline').toBeGreaterThan(0.002);
    },
    testTimeoutMs,
  );

  it(
    'recomputes when the preset changes, and when a rule number changes',
    async () => {
      const { page } = shared!;
      const before = await page.evaluate(() => window.__greenreach!.summary!.city);
      await page.getByTestId('preset').selectOption('who');
      await expect.poll(() => page.evaluate(() => window.__greenreach!.rules?.id), slow).toBe('who');
      await waitForCoverage(page);
      const after = await page.evaluate(() => window.__greenreach!.summary!.city);
      expect(after).not.toEqual(before);
      expect(after.cellsMeetingPark).toBeNull();
      expect(await page.getByTestId('rules-in-force').textContent()).toContain('WHO');
      // The standard's whole name is readable under the select (a native select cuts a long name off).
      const presetName = page.getByTestId('preset-name');
      expect(await presetName.textContent()).toBe(
        presets.who.name[await page.evaluate(() => window.__greenreach!.state().language)],
      );
      expect(await presetName.evaluate((element) => element.scrollWidth <= element.clientWidth + 1)).toBe(true);

      // Two edits in quick succession: the first run is cancelled, the second one is what is shown.
      const radius = page.getByTestId('greenRadiusMeters');
      await radius.fill('200');
      await radius.dispatchEvent('change');
      await radius.fill('150');
      await radius.dispatchEvent('change');
      await expect.poll(() => page.evaluate(() => window.__greenreach!.rules?.green?.radiusMeters), slow).toBe(150);
      await waitForCoverage(page);
      const rules = await page.evaluate(() => window.__greenreach!.rules!);
      const cellMeters = await page.evaluate(() => window.__greenreach!.cellMeters!);
      expect(await page.evaluate(() => window.__greenreach!.summary)).toEqual(engineSummary(rules, cellMeters));
      expect(shared!.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'reproduces the screen from its URL',
    async () => {
      const { page } = shared!;
      await page.getByTestId('preset').selectOption('natural-england');
      await expect.poll(() => page.evaluate(() => window.__greenreach!.rules?.id), slow).toBe('natural-england');
      await waitForCoverage(page);
      const park = page.getByTestId('parkMinimumAreaSquareMeters');
      await park.fill('15000');
      await park.dispatchEvent('change');
      await expect
        .poll(() => page.evaluate(() => window.__greenreach!.rules?.park?.minimumAreaSquareMeters), slow)
        .toBe(15000);
      await waitForCoverage(page);
      await page.getByTestId('layer-streets').uncheck();
      await page.getByTestId('layer-gapsOnly').check();
      await page.locator('button[data-community]').first().click();
      await waitForGaps(page);
      await page.locator('button[data-gap]').first().click();
      await page.waitForFunction(() => new URL(location.href).searchParams.has('gap'));
      // The zoom animation ends, then the URL takes the view (debounced).
      await waitForMapIdle(page);
      await expect
        .poll(() => page.evaluate(() => location.search === window.__greenreach!.app.screenSearch()), {
          timeout: 10_000,
        })
        .toBe(true);
      const link = page.url();
      const screenOf = (p: typeof page) =>
        p.evaluate(() => {
          const { language, presetId, numbers, cellMeters, layers, selectedCommunity, selectedGap, view } =
            window.__greenreach!.state();
          return {
            language,
            presetId,
            numbers,
            cellMeters,
            layers,
            selectedCommunity,
            selectedGap,
            view: view && [view.longitude.toFixed(4), view.latitude.toFixed(4), view.zoom.toFixed(1)],
          };
        });
      const texts = async (p: typeof page) => ({
        community: await p.getByTestId('community-name').textContent(),
        both: await p.getByTestId('city-summary').locator('[data-figure=both]').textContent(),
        rules: await p.getByTestId('rules-in-force').textContent(),
        park: await p.getByTestId('parkMinimumAreaSquareMeters').inputValue(),
        gap: await p.locator('button[data-gap][aria-pressed=true]').textContent(),
      });
      const original = await screenOf(page);
      const originalTexts = await texts(page);
      await closePages();

      const copy = await open(new URL(link).search, 'zh-CN');
      await waitForGaps(copy.page);
      await copy.page.waitForSelector('button[data-gap][aria-pressed=true]');
      expect(await screenOf(copy.page)).toEqual(original);
      expect(await texts(copy.page)).toEqual(originalTexts);
      expect(await copy.page.getByTestId('layer-streets').isChecked()).toBe(false);
      expect(await copy.page.getByTestId('layer-gapsOnly').isChecked()).toBe(true);
      expect(copy.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );
});
