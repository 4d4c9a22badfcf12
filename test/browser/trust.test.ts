import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSuiteOptions,
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  openPage,
  root,
  screenshotPixels,
  startServer,
  stopProcess,
  waitForCoverage,
  waitForMapIdle,
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

  it(
    'a grid too large clears the figures, says so in Chinese with the numbers, and offers the cell size that fits',
    async () => {
      const { page, context } = await openPage(browser, `${origin}?lang=zh&cell=10`);
      await waitForCoverage(page, 180_000);
      expect(await page.getByTestId('summary-source').count()).toBe(1);
      // Residential land of about 87 × 100 km around the demo: too many 10 m cells, 20 m ones fit.
      const land = JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { population: 1000 },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [103.7, 30.2],
                  [104.6, 30.2],
                  [104.6, 31.1],
                  [103.7, 31.1],
                  [103.7, 30.2],
                ],
              ],
            },
          },
        ],
      });
      await importFile(page, 'land.geojson', land);
      await page.getByTestId('import-role').selectOption('residential');
      await page.getByTestId('import-confirm').click();
      const banner = page.getByTestId('app-error');
      await banner.waitFor({ timeout: 120_000 });
      const text = (await banner.textContent()) ?? '';
      expect(text).toMatch(/10 米网格覆盖此区域有 [\d,]+万 个网格（上限 6,400万）；使用 \d+ 米或更大的网格即可/);
      expect(text).not.toMatch(/use larger cells|more than/);
      // The old figures are gone: no summary, no community rows, no cells.
      expect(await page.evaluate(() => window.__greenreach!.summary)).toBeNull();
      expect(await page.getByTestId('summary-source').count()).toBe(0);
      expect(await page.locator('[data-testid=community-table] tbody tr').count()).toBe(0);
      // The button applies the cell size that fits.
      const fix = page.getByTestId('app-error-fix');
      const size = Number(/(\d+)/.exec((await fix.textContent()) ?? '')![1]);
      expect(size).toBeGreaterThanOrEqual(20);
      await fix.click();
      expect(await page.evaluate(() => window.__greenreach!.state().cellMeters)).toBe(size);
      expect(await page.getByTestId('app-error').count()).toBe(0);
      await context.close();
    },
    testTimeoutMs,
  );

  it(
    'a stalled ?layer: URL does not block start-up: the app runs on what it has, the failure is shown with a retry',
    async () => {
      const context = await browser.newContext({
        viewport: { width: 1400, height: 900 },
        locale: 'en-GB',
        reducedMotion: 'reduce',
      });
      context.setDefaultTimeout(120_000);
      let stall = true;
      // A server that never answers: the request is held, neither fulfilled nor aborted.
      await context.route(
        (url) => url.pathname === '/stall.fgb',
        (route) => {
          if (!stall) void route.continue({ url: `${origin}data/demo/greenspaces.fgb` });
        },
      );
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(`${origin}?lang=en&layer:greenspaces=/stall.fgb`, { waitUntil: 'commit' });
      await waitForCoverage(page, 60_000);
      // Start-up waited a bounded time, then computed on the demo's layers.
      expect(Date.now() - started).toBeLessThan(45_000);
      const errors = page.getByTestId('import-errors');
      await errors.waitFor({ timeout: 60_000 });
      expect(await errors.textContent()).toMatch(/stall\.fgb.*no data arrived for 20 s|server stopped answering/s);
      stall = false;
      await page.getByTestId('import-retry').click();
      await page.getByTestId('imported-note').waitFor();
      expect(await page.getByTestId('imported-note').textContent()).toContain('stall.fgb');
      await context.close();
    },
    testTimeoutMs,
  );

  it(
    'damaged stored scenarios are skipped and reported, a newer-version database is said, never a page error',
    async () => {
      const recorded = await openPage(browser, `${origin}?lang=en`, { locale: 'en-GB' });
      const { page, context } = recorded;
      await waitForCoverage(page, 180_000);
      await page.getByTestId('scenario-select').waitFor();
      // Garbage beside a good scenario, written straight into the store.
      await page.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            const opening = indexedDB.open('greenreach-scenarios');
            opening.onsuccess = () => {
              const tx = opening.result.transaction('scenarios', 'readwrite');
              const store = tx.objectStore('scenarios');
              store.put({ id: 'zz-garbage', name: 'g', dataPath: 'data/demo/', features: 'garbage' });
              store.put({ id: 'zz-nofeatures', name: 'n', dataPath: 'data/demo/' });
              store.put({
                id: 'zz-good',
                name: 'Kept',
                dataPath: 'data/demo/',
                features: [],
                figures: null,
                updatedAt: 1,
              });
              tx.oncomplete = () => {
                opening.result.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error);
            };
          }),
      );
      await page.reload();
      await waitForCoverage(page, 180_000);
      const problem = page.getByTestId('scenario-storage-problem');
      await problem.waitFor();
      expect(await problem.textContent()).toContain('Skipped 2 damaged scenario record(s)');
      const names = await page.locator('[data-testid=scenario-select] option').allTextContents();
      expect(names).toContain('Kept');
      expect(recorded.consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);

      // A database of a newer version: said in the panel, the app still runs.
      await page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const deleting = indexedDB.deleteDatabase('greenreach-scenarios');
            deleting.onsuccess = () => {
              const opening = indexedDB.open('greenreach-scenarios', 99);
              opening.onupgradeneeded = () => opening.result.createObjectStore('scenarios', { keyPath: 'id' });
              opening.onsuccess = () => {
                opening.result.close();
                resolve();
              };
            };
            deleting.onblocked = () => resolve();
          }),
      );
      await page.reload();
      await waitForCoverage(page, 180_000);
      await problem.waitFor();
      expect(await problem.textContent()).toContain('newer GreenReach');
      expect(recorded.consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
      await context.close();
    },
    testTimeoutMs,
  );

  it(
    "reset to demo restores the demo's view and cell size",
    async () => {
      const { page, context } = await openPage(browser, `${origin}?lang=en`, { locale: 'en-GB' });
      await waitForCoverage(page, 180_000);
      const demoCells = await page.evaluate(() => window.__greenreach!.state().cellMeters);
      await importFile(page, 'berlin-parks.geojson', berlinParks);
      await page.getByTestId('import-role').selectOption('greenspaces');
      await page.getByTestId('import-confirm').click();
      await page.getByTestId('import-extent-use').click();
      // The map went to where the layer lies; the planner changed the cells.
      await page.waitForFunction(() => (window.__greenreach!.state().view?.longitude ?? 104) < 60, null, {
        polling: 100,
      });
      await page.getByTestId('cellMeters').fill('60');
      await page.getByTestId('cellMeters').dispatchEvent('change');
      await page.waitForFunction(() => window.__greenreach!.state().cellMeters === 60);
      await page.getByTestId('reset-demo').click();
      await page.waitForFunction(
        (cells) => {
          const state = window.__greenreach!.state();
          return state.cellMeters === cells && Math.abs((state.view?.longitude ?? 0) - 104.1) < 1;
        },
        demoCells,
        { polling: 100, timeout: 60_000 },
      );
      await context.close();
    },
    testTimeoutMs,
  );

  it(
    'suggested sites are drawn on the map as numbered candidates before adoption',
    async () => {
      const { page, context } = await openPage(browser, `${origin}?lang=en`, { locale: 'en-GB' });
      await waitForCoverage(page, 180_000);
      await waitForMapIdle(page);
      const box = (await page.locator('section.map').first().boundingBox())!;
      const clip = { x: box.x, y: box.y, width: box.width, height: box.height };
      const amber = (pixels: number[]) => {
        let count = 0;
        for (let i = 0; i < pixels.length; i += 4)
          if (Math.abs(pixels[i] - 217) < 12 && Math.abs(pixels[i + 1] - 119) < 12 && pixels[i + 2] < 40) count++;
        return count;
      };
      const before = amber(await screenshotPixels(page, clip));
      await page.getByTestId('suggest').click();
      await page.getByTestId('suggestions').waitFor();
      await waitForMapIdle(page);
      await page.waitForTimeout(500);
      const after = amber(await screenshotPixels(page, clip));
      // Five badges of 10 px radius, and their outlines.
      expect(after - before).toBeGreaterThan(300);
      await context.close();
    },
    testTimeoutMs,
  );
  it(
    'a panel whose code fails to load is tried again and appears; one that never loads says so in the interface language',
    async () => {
      for (const failures of [2, Number.POSITIVE_INFINITY]) {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' });
        context.setDefaultTimeout(120_000);
        let refused = 0;
        // The scenario panel's chunk: the first `failures` requests for it fail as a dropped connection would.
        await context.route(/\/assets\/scenario-panel-[^/]*\.js$/, (route) => {
          if (refused < failures) {
            refused++;
            return route.abort('connectionreset');
          }
          return route.continue();
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        await page.goto(`${origin}?lang=zh`);
        await waitForCoverage(page, 180_000);
        if (Number.isFinite(failures)) {
          expect(refused).toBe(failures);
          await page.getByTestId('scenario-panel').waitFor();
          expect(await page.locator('.lazy-failed').count()).toBe(0);
        } else {
          expect(refused).toBeGreaterThan(3);
          await expect
            .poll(() => page.locator('.lazy-failed').first().textContent())
            .toBe('此面板未能加载，请刷新页面。');
          expect(await page.getByTestId('scenario-panel').count()).toBe(0);
          expect(errors.some((text) => text.includes('a panel could not be loaded'))).toBe(true);
        }
        await context.close();
      }
    },
    testTimeoutMs,
  );
  it(
    'a layer named by an https:// URL on another origin loads (the page may fetch what the planner names), by range requests',
    async () => {
      // A second origin: an https server on 127.0.0.1 with a certificate made for this test.
      const folder = mkdtempSync(join(tmpdir(), 'greenreach-https-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(folder, 'key.pem'),
          '-out',
          join(folder, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const file = join(root, 'data/demo/greenspaces.fgb');
      const bytes = readFileSync(file);
      const ranges: string[] = [];
      const server = createHttpsServer(
        { key: readFileSync(join(folder, 'key.pem')), cert: readFileSync(join(folder, 'cert.pem')) },
        (request, response) => {
          const cors = {
            'Access-Control-Allow-Origin': '*',
            'Access-Control-Allow-Headers': 'Range',
            'Access-Control-Expose-Headers': 'Content-Range, Content-Length',
          };
          if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end();
          if (request.url !== '/parks/greenspaces.fgb') return void response.writeHead(404, cors).end();
          const match = /bytes=(\d+)-(\d*)/.exec(request.headers.range ?? '');
          if (!match) return void response.writeHead(200, { ...cors, 'Content-Length': bytes.length }).end(bytes);
          ranges.push(match[0]);
          const start = Number(match[1]);
          const end = Math.min(match[2] ? Number(match[2]) : bytes.length - 1, bytes.length - 1);
          response
            .writeHead(206, { ...cors, 'Content-Range': `bytes ${start}-${end}/${bytes.length}` })
            .end(bytes.subarray(start, end + 1));
        },
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const secondOrigin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const context = await browser.newContext({ locale: 'en-GB', reducedMotion: 'reduce', ignoreHTTPSErrors: true });
      context.setDefaultTimeout(120_000);
      const requests: string[] = [];
      context.on('request', (request) => requests.push(request.url()));
      try {
        const page = await context.newPage();
        const url = `${secondOrigin}/parks/greenspaces.fgb`;
        await page.goto(`${origin}?lang=en&layer:greenspaces=${encodeURIComponent(url)}`);
        await waitForCoverage(page, 180_000);
        await page.getByTestId('imported-note').waitFor();
        expect(await page.getByTestId('imported-note').textContent()).toContain('greenspaces.fgb');
        expect(await page.getByTestId('import-errors').count()).toBe(0);
        expect(ranges.length).toBeGreaterThan(0);
        const greenspaces = await page.evaluate(() => window.__greenreach!.state().data!.greenspaces.features.length);
        expect(greenspaces).toBeGreaterThan(0);
        // Nothing else left the machine: every request went to the app's origin or the named one.
        expect(
          requests.filter(
            (address) =>
              !address.startsWith(origin) && !address.startsWith(secondOrigin) && !/^(data|blob):/.test(address),
          ),
        ).toEqual([]);
      } finally {
        await context.close();
        server.close();
        rmSync(folder, { recursive: true, force: true });
      }
    },
    testTimeoutMs,
  );
  it(
    'a pocket park drawn on housing says how many homes it sits on (zh); one on open land says none',
    async () => {
      const { page, context, consoleErrors } = await openPage(browser, `${origin}?lang=zh`);
      await waitForCoverage(page, 180_000);
      await page.waitForFunction(() => window.__greenreach?.gapAreas);
      // A park at the centre of the largest gap (uncovered homes), then one far outside the residential land.
      const [housing, open] = await page.evaluate(() => {
        const state = window.__greenreach!.state();
        const area = state.gaps!.areas[0];
        const { grid } = state.result!;
        return [
          [(area.bbox[0] + area.bbox[2]) / 2, (area.bbox[1] + area.bbox[3]) / 2],
          [grid.west - 0.01, grid.south - 0.01],
        ];
      });
      for (const [position, onHomes] of [
        [housing, true],
        [open, false],
      ] as const) {
        await page.evaluate(([lng, lat]) => {
          const controller = window.__greenreach!.scenario!.controller;
          const key = controller.addPocketPark(lng, lat, 'Test park')!;
          controller.select(key);
        }, position);
        const homes = page.getByTestId('selected-homes');
        await homes.waitFor();
        const cells = Number(await homes.getAttribute('data-cells'));
        if (onHomes) {
          expect(cells).toBeGreaterThan(0);
          expect(await homes.textContent()).toMatch(/^⚠ 占用 [\d,]+ 个居住网格/);
        } else {
          await expect.poll(async () => Number(await homes.getAttribute('data-cells'))).toBe(0);
          expect(await homes.textContent()).toBe('占用 0 个居住网格');
        }
      }
      expect(consoleErrors).toEqual([]);
      await context.close();
    },
    testTimeoutMs,
  );
});
