import type { ChildProcess } from 'node:child_process';
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
} from './harness';

/**
 * Numbers a planner can trust (issue 13), as a person sees them: a layer lying elsewhere is not used
 * without a word.
 */
const testTimeoutMs = 300_000;
const executable = chromiumForTests();

/** Parks of Berlin, about 7,600 km from the demo's Chengdu communities. */
const berlinParks = JSON.stringify({
  type: 'FeatureCollection',
  features: [0, 1, 2].map((i) => ({
    type: 'Feature',
    properties: { name: `Park ${i}`, kind: 'park' },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [13.4 + i * 0.01, 52.5],
          [13.405 + i * 0.01, 52.5],
          [13.405 + i * 0.01, 52.505],
          [13.4 + i * 0.01, 52.505],
          [13.4 + i * 0.01, 52.5],
        ],
      ],
    },
  })),
});

describe.skipIf(!executable)('numbers a planner can trust, in Chromium', browserSuiteOptions, () => {
  let server: ChildProcess | undefined;
  let origin = '';
  let browser: Browser;

  beforeAll(async () => {
    buildIfStale();
    const started = await startServer();
    server = started.process;
    origin = started.url;
    browser = await launchBrowser(executable!);
  }, testTimeoutMs);

  afterAll(async () => {
    await browser?.close();
    stopProcess(server);
  });

  async function importFile(page: Page, name: string, text: string): Promise<void> {
    await page
      .getByTestId('import-file')
      .setInputFiles({ name, mimeType: 'application/geo+json', buffer: Buffer.from(text) });
    await page.getByTestId('import-dialog').waitFor();
    await page.waitForFunction(
      () => !document.querySelector<HTMLButtonElement>('[data-testid=import-confirm]')?.disabled,
    );
  }

  it(
    'a green-space layer far from the communities is not used without a warning with the distance (zh and en)',
    async () => {
      const { page, context } = await openPage(browser, `${origin}?lang=zh`);
      await waitForCoverage(page, 180_000);
      const demoParks = await page.evaluate(() => window.__greenreach!.state().data!.greenspaces.features.length);
      await importFile(page, 'berlin-parks.geojson', berlinParks);
      await page.getByTestId('import-role').selectOption('greenspaces');
      await page.getByTestId('import-confirm').click();
      const warning = page.getByTestId('import-extent');
      await warning.waitFor();
      const zh = (await warning.textContent()) ?? '';
      expect(zh).toMatch(/距离您的社区约 7,[2-7]\d\d 公里/);
      // Cancel: the demo's green spaces stay in use.
      await page.getByTestId('import-cancel').click();
      expect(await page.getByTestId('import-dialog').count()).toBe(0);
      expect(await page.evaluate(() => window.__greenreach!.state().data!.greenspaces.features.length)).toBe(demoParks);

      // In English, and "use it anyway" puts it in use.
      await page.getByTestId('language').click();
      await importFile(page, 'berlin-parks.geojson', berlinParks);
      await page.getByTestId('import-role').selectOption('greenspaces');
      await page.getByTestId('import-confirm').click();
      await warning.waitFor();
      expect(await warning.textContent()).toMatch(/lies 7,[2-7]\d\d km from your communities/);
      await page.getByTestId('import-extent-use').click();
      await page.waitForFunction(() => window.__greenreach!.state().data!.greenspaces.features.length === 3);
      await context.close();
    },
    testTimeoutMs,
  );
});
