import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {} from '../../src/app/test-hooks';
import {
  browserSuiteOptions,
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  recordErrors,
  screenshotPixels,
  startServer,
  stopProcess,
  testBuild,
  waitForCoverage,
} from './harness';
import { copyBuild, killServer, precacheList, running } from './kiosk-build';

// Software WebGL (SwiftShader) on a shared CPU: generous limits.
const testTimeoutMs = 240_000;
const slow = { timeout: 90_000, interval: 100 };

const executable = chromiumForTests();

describe.skipIf(!executable)('kiosk in Chromium', browserSuiteOptions, () => {
  let browser: Browser;
  let server: ChildProcess | undefined;
  let origin = '';
  const contexts: BrowserContext[] = [];
  /** A snapshot of dist/ taken right after the build (other test runs may rebuild dist/ meanwhile). */
  let build = '';
  const temporary: string[] = [];

  beforeAll(async () => {
    buildIfStale();
    build = copyBuild(testBuild);
    temporary.push(build);
    const { files } = precacheList(build);
    const missing = files.filter((file) => !existsSync(join(build, file)));
    if (missing.length > 0) throw new Error(`dist-test/ changed while it was copied: ${missing.join(', ')}`);
    const started = await startServer();
    server = started.process;
    origin = started.url;
    browser = await launchBrowser(executable!);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    stopProcess(server);
    for (const directory of temporary.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  async function openKiosk(
    search: string,
    base = origin,
  ): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      hasTouch: true,
      reducedMotion: 'reduce',
    });
    contexts.push(context);
    context.setDefaultTimeout(120_000);
    const page = await context.newPage();
    // Console errors fail a test as page errors do (as the planner suites' pages record them).
    const errors = recordErrors(page);
    await page.goto(`${base}${search}`);
    await waitForCoverage(page, 120_000);
    return { page, context, errors };
  }

  const kiosk = (page: Page) =>
    page.evaluate(() => ({ ...window.__greenreach!.kiosk!, mode: document.documentElement.dataset.kiosk }));

  /** Waits until the kiosk's map has drawn the data set and is still (`<html data-kiosk-map="ready">`). */
  const mapReady = (page: Page) =>
    page.waitForFunction(() => document.documentElement.dataset.kioskMap === 'ready', null, {
      timeout: slow.timeout,
      polling: 100,
    });

  /** Whether the caption shows the tour's current stop: "matches", or what it shows instead. */
  const captionMatchesStop = (page: Page) =>
    page.evaluate(() => {
      const caption = document.querySelector<HTMLElement>('.kiosk-caption');
      const stop = caption?.dataset.stop;
      if (!caption || stop === undefined) return 'no tour stop in the caption';
      const name = window.__greenreach!.kiosk!.tour[Number(stop)];
      const title = caption.querySelector('h2')?.textContent ?? '';
      const expected = name === 'summary' ? '全区' : name;
      return title.includes(expected) ? 'matches' : `stop ${stop} (${name}) but the caption says ${title}`;
    });

  /** Distinct colours in a 64 × 40 sample of the MapLibre canvas (a blank or lost canvas has one). */
  const mapColours = (page: Page) =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('.maplibregl-canvas')!;
      const sample = document.createElement('canvas');
      sample.width = 64;
      sample.height = 40;
      const context = sample.getContext('2d')!;
      context.drawImage(canvas, 0, 0, sample.width, sample.height);
      const pixels = context.getImageData(0, 0, sample.width, sample.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < pixels.length; i += 4) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
      return colours.size;
    });

  it(
    'opens read-only: no rules, import, export or editing controls; no context menu or text selection',
    async () => {
      // 10 s a stop: on a loaded machine the map can take several seconds to settle on the first stop,
      // and the checks of that stop must run before the tour moves on (it did at 4 s, load 8–11).
      const { page, errors } = await openKiosk('?kiosk&stop=10&idle=30');
      await mapReady(page);
      /** Where the stop's area lies on screen, against the title, caption and legend. */
      const layoutOf = (community: number | null) =>
        page.evaluate((community) => {
          const rectOf = (selector: string) => document.querySelector(selector)!.getBoundingClientRect().toJSON();
          const { communities } = window.__greenreach!.state().result!;
          const boxes = community === null ? communities.map((entry) => entry.bbox) : [communities[community].bbox];
          const west = Math.min(...boxes.map((box) => box[0]));
          const south = Math.min(...boxes.map((box) => box[1]));
          const east = Math.max(...boxes.map((box) => box[2]));
          const north = Math.max(...boxes.map((box) => box[3]));
          const map = document.querySelector('.maplibregl-map')!.getBoundingClientRect();
          const corners = [
            window.__greenreachMap!.project(west, north),
            window.__greenreachMap!.project(east, south),
          ].map(([x, y]) => [x + map.left, y + map.top]);
          return {
            title: rectOf('.kiosk-title'),
            caption: rectOf('.kiosk-caption'),
            legend: rectOf('.kiosk-legend'),
            map: map.toJSON(),
            step: document.querySelector('.kiosk-step')?.textContent ?? '',
            corners,
          };
        }, community);
      const expectClear = (layout: Awaited<ReturnType<typeof layoutOf>>, what: string) => {
        const [[left, top], [right, bottom]] = layout.corners;
        expect(top, `${what} below the title`).toBeGreaterThanOrEqual(layout.title.bottom - 1);
        expect(bottom, `${what} above the caption`).toBeLessThanOrEqual(layout.caption.top + 1);
        expect(right, `${what} left of the legend`).toBeLessThanOrEqual(layout.legend.left + 1);
        expect(left, `${what} inside the map`).toBeGreaterThanOrEqual(0);
        return { width: right - left, height: bottom - top };
      };
      // The first stop is the whole district ("1 / N"), fitted into the free middle and filling it, not a blob.
      await expect.poll(async () => (await kiosk(page)).log.includes('show:0'), slow).toBe(true);
      await expect.poll(() => page.evaluate(() => window.__greenreachMap?.isIdle()), slow).toBe(true);
      expect((await kiosk(page)).name).toBe('summary');
      const district = await layoutOf(null);
      const { stops } = await kiosk(page);
      expect(district.step).toBe(`1 / ${stops}`);
      const districtSize = expectClear(district, 'district');
      const free = {
        width: district.legend.left - district.map.left,
        height: district.caption.top - district.title.bottom,
      };
      expect(
        Math.max(districtSize.width / free.width, districtSize.height / free.height),
        'district fills the free space',
      ).toBeGreaterThan(0.6);
      // The next stop is a community, "2 / N": a counter never names two stops alike.
      await expect.poll(() => page.evaluate(() => window.__greenreach!.state().selectedCommunity), slow).not.toBeNull();
      await expect.poll(() => page.evaluate(() => window.__greenreachMap?.isIdle()), slow).toBe(true);
      const selected = (await page.evaluate(() => window.__greenreach!.state().selectedCommunity))!;
      const layout = await layoutOf(selected);
      expect(layout.step).toBe(`2 / ${stops}`);
      expectClear(layout, 'community');

      // The caption is drawn over the map, not under its cells: its pixels are the panel's (white,
      // or grey type), never a cell colour.
      const pixels = await screenshotPixels(page, layout.caption);
      let neutral = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const spread =
          Math.max(pixels[i], pixels[i + 1], pixels[i + 2]) - Math.min(pixels[i], pixels[i + 1], pixels[i + 2]);
        if (spread <= 24) neutral++;
      }
      const neutralShare = neutral / (pixels.length / 4);
      console.log(`caption: ${(neutralShare * 100).toFixed(2)}% panel or type pixels`);
      expect(neutralShare, 'caption pixels that are panel or type').toBeGreaterThan(0.99);
      expect(errors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'tours: advances stop by stop with a caption per community; a touch pauses it, idle resets and resumes it',
    async () => {
      const { page, errors } = await openKiosk('?kiosk&stop=1.5&idle=4');
      await mapReady(page);
      // Stop after stop, in order from the first, each with its own caption.
      await expect.poll(async () => (await kiosk(page)).shown, slow).toBeGreaterThanOrEqual(2);
      const touring = await kiosk(page);
      expect(touring.stops).toBeGreaterThan(2);
      expect(touring.tour).toHaveLength(touring.stops);
      expect(touring.tour[0]).toBe('summary');
      expect(touring.log.filter((event) => event.startsWith('show:')).slice(0, 2)).toEqual(['show:0', 'show:1']);
      await expect.poll(() => captionMatchesStop(page), slow).toBe('matches');
      // A touch on the map pauses the tour (logged, so a slow poll cannot miss a short pause).
      await page.touchscreen.tap(640, 300);
      await expect.poll(async () => (await kiosk(page)).pauses, slow).toBe(1);
      // After the idle time (4 s) the view is reset and the tour resumes from its first stop.
      await expect.poll(async () => (await kiosk(page)).resumes, slow).toBe(1);
      await expect
        .poll(async () => {
          const { log } = await kiosk(page);
          return log.slice(log.lastIndexOf('resume')).find((event) => event.startsWith('show:')) ?? null;
        }, slow)
        .toBe('show:0');
      const { log, mode, pauses } = await kiosk(page);
      const paused = log.indexOf('pause');
      const resumed = log.indexOf('resume');
      expect(paused).toBeGreaterThanOrEqual(0);
      expect(resumed).toBeGreaterThan(paused);
      // No stop was shown while the visitor had the kiosk.
      expect(log.slice(paused, resumed).filter((event) => event.startsWith('show:'))).toEqual([]);
      expect(mode).toBe('touring');
      expect(pauses).toBe(1);
      await expect.poll(() => captionMatchesStop(page), slow).toBe('matches');
      expect(errors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'tours the communities named in a JSON config file',
    async () => {
      const { page, errors } = await openKiosk('?kiosk=data/demo/manifest.json&stop=1');
      // manifest.json has no kiosk settings: defaults (the most populous communities), not an error.
      await expect.poll(async () => (await kiosk(page)).index, slow).toBeGreaterThanOrEqual(1);
      const names = await page.evaluate(() =>
        window
          .__greenreach!.state()
          .result!.communities.slice(0, 3)
          .map((community) => community.name),
      );
      await page.goto(`${origin}?kiosk&stop=1&tour=${encodeURIComponent(names.reverse().join(','))}`);
      await waitForCoverage(page, 120_000);
      await expect.poll(async () => (await kiosk(page)).stops, slow).toBe(4);
      expect((await kiosk(page)).tour).toEqual(['summary', ...names]);
      await expect.poll(async () => (await kiosk(page)).name, slow).toBe(names[0]);
      expect(errors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'recovers from a worker crash: the run is retried and the figures come back',
    async () => {
      const { page, errors } = await openKiosk('?kiosk&stop=30');
      const before = await page.evaluate(() => window.__greenreach!.summary!.city);
      await page.evaluate(() => window.__greenreach!.kiosk!.crashWorker());
      // The failed run and its retry are counted and logged (the error state lasts only ~2 s).
      await expect.poll(async () => (await kiosk(page)).recoveries, { ...slow, timeout: 120_000 }).toBe(1);
      await expect
        .poll(() => page.evaluate(() => document.documentElement.dataset.coverage), { ...slow, timeout: 120_000 })
        .toBe('ready');
      const after = await kiosk(page);
      expect(after.workerRestarts).toBe(1);
      expect(after.recoveries).toBe(1);
      expect(after.log.filter((event) => event === 'run-failed' || event === 'retry')).toEqual(['run-failed', 'retry']);
      expect(await page.evaluate(() => window.__greenreach!.summary!.city)).toEqual(before);
      await expect.poll(() => page.locator('[data-figures="en"]').textContent(), slow).toMatch(/\d+% of/);
      expect(errors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'rebuilds the map after a WebGL context loss, without a reload',
    async () => {
      // Stops every 2 s, so the tour is due to move on while the map is lost: it must hold, not throw.
      const { page, errors } = await openKiosk('?kiosk&stop=2');
      await mapReady(page);
      expect(await mapColours(page)).toBeGreaterThan(2);
      await page.evaluate(() => {
        (window as unknown as { marker: number }).marker = 1;
        document.querySelector<HTMLElement>('.maplibregl-canvas')!.dataset.lost = 'yes';
      });
      expect(await page.evaluate(() => window.__greenreach!.kiosk!.loseWebGL())).toBe(true);
      // The rebuild counts once the new map has drawn; the lost map is never waited on.
      await expect.poll(async () => (await kiosk(page)).mapRebuilds, slow).toBe(1);
      const after = await kiosk(page);
      expect(after.map).toBe('ready');
      const lost = after.log.indexOf('map-lost');
      const rebuilt = after.log.indexOf('map-rebuilt');
      expect(lost).toBeGreaterThanOrEqual(0);
      expect(rebuilt).toBeGreaterThan(lost);
      expect(after.log.filter((event) => event.startsWith('map-'))).toEqual(['map-ready', 'map-lost', 'map-rebuilt']);
      // No stop was shown on the lost map.
      expect(after.log.slice(lost, rebuilt).filter((event) => event.startsWith('show:'))).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.dataset.kioskMap)).toBe('ready');
      // The same page (no reload), one map canvas: the new one, and it draws.
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
      expect(await page.locator('.maplibregl-canvas').count()).toBe(1);
      expect(await page.locator('.maplibregl-canvas[data-lost]').count()).toBe(0);
      expect(await mapColours(page)).toBeGreaterThan(2);
      // The new map is the one tests reach (window.__greenreachMap), and it settles.
      await expect.poll(() => page.evaluate(() => window.__greenreachMap?.isIdle()), slow).toBe(true);
      await expect.poll(() => page.locator('[data-figures="en"]').textContent(), slow).toMatch(/\d+% of/);
      expect(errors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'works offline: once the service worker precached the build and controls the page, a reload with no network shows map and figures',
    async () => {
      const directory = copyBuild(build);
      temporary.push(directory);
      const { version, files } = precacheList(directory);
      // Every file of the build is listed, the demo data included.
      for (const name of readdirSync(join(directory, 'data/demo'))) expect(files).toContain(`data/demo/${name}`);
      expect(files).toContain('index.html');
      expect(files.some((file) => /^assets\/coverage-worker-.*\.js$/.test(file))).toBe(true);
      const served = await startServer(directory);
      try {
        const { page, context, errors } = await openKiosk('?kiosk&stop=30', served.url);
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.precache), slow).toBe('ready');
        const worker = await page.evaluate(async () => {
          const registration = await navigator.serviceWorker.ready;
          const names = await caches.keys();
          const precache = names.find((name) => name.startsWith('greenreach-precache-'));
          const cached = precache ? (await (await caches.open(precache)).keys()).map((request) => request.url) : [];
          return {
            active: registration.active?.state,
            controlled: navigator.serviceWorker.controller !== null,
            version: window.__greenreach!.kiosk!.precacheVersion,
            names,
            cached,
          };
        });
        expect(worker.active).toBe('activated');
        expect(worker.controlled).toBe(true);
        expect(worker.version).toBe(version);
        expect(worker.names.filter((name) => name.startsWith('greenreach-precache-'))).toEqual([
          `greenreach-precache-${version}`,
        ]);
        expect(worker.cached.map((url) => url.slice(served.url.length)).sort()).toEqual([...files].sort());

        // No network: the browser is offline and the server is gone.
        await context.setOffline(true);
        await killServer(served.process);
        const responses: Response[] = [];
        page.on('response', (response) => responses.push(response));
        await page.reload();
        await waitForCoverage(page, 120_000);
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.kiosk), slow).toBe('touring');
        await mapReady(page);
        expect(await page.locator('[data-figures="zh"]').textContent()).toMatch(/\d+% 的/);
        expect(await page.locator('.maplibregl-canvas').count()).toBe(1);
        expect(await mapColours(page)).toBeGreaterThan(2);
        // Everything came from the service worker's cache.
        const paths = responses.map((response) => new URL(response.url()).pathname);
        expect(paths).toContain('/');
        expect(paths).toContain('/data/demo/residential.fgb');
        expect(responses.filter((response) => !response.fromServiceWorker()).map((response) => response.url())).toEqual(
          [],
        );
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.precache), slow).toBe('ready');
        expect(errors).toEqual([]);
        await context.setOffline(false);
      } finally {
        if (running(served.process)) stopProcess(served.process);
      }
    },
    2 * testTimeoutMs,
  );

  it(
    'does not hang on a network that connects but never answers: the cached build shows after a short timeout',
    async () => {
      const directory = copyBuild(build);
      temporary.push(directory);
      const served = await startServer(directory);
      try {
        const { page, errors } = await openKiosk('?kiosk&stop=30', served.url);
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.precache), slow).toBe('ready');
        await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), slow).toBe(true);
        // A stopped server: the kernel still accepts connections, nothing ever answers.
        process.kill(served.process.pid!, 'SIGSTOP');
        const started = Date.now();
        // Without the service worker's timeout this reload waits for the browser's own (minutes).
        await page.reload({ timeout: 30_000 });
        await waitForCoverage(page, 60_000);
        await mapReady(page);
        const elapsedMs = Date.now() - started;
        console.log(`hanging network: reload to map drawn in ${elapsedMs} ms`);
        expect(await page.locator('[data-figures="zh"]').textContent()).toMatch(/\d+% 的/);
        expect(await mapColours(page)).toBeGreaterThan(2);
        expect(elapsedMs).toBeLessThan(45_000);
        expect(errors).toEqual([]);
      } finally {
        await killServer(served.process);
      }
    },
    testTimeoutMs,
  );

  it(
    'a new build is never hidden by the old cache: the planner page gets the new files, the old cache is deleted',
    async () => {
      const directory = copyBuild(build);
      temporary.push(directory);
      const { version } = precacheList(directory);
      const served = await startServer(directory);
      try {
        const { page, context, errors: kioskErrors } = await openKiosk('?kiosk&stop=30', served.url);
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.precache), slow).toBe('ready');
        expect((await kiosk(page)).precacheVersion).toBe(version);
        expect(kioskErrors).toEqual([]);
        // A new build in place: same file names for the page and the data, new contents, a new worker.
        const next = `${version.slice(0, 8)}00000000`;
        const index = join(directory, 'index.html');
        writeFileSync(
          index,
          readFileSync(index, 'utf8').replace('</head>', '<meta name="greenreach-build" content="next"></head>'),
        );
        const manifest = join(directory, 'data/demo/manifest.json');
        writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), build: 'next' }));
        const worker = join(directory, 'sw.js');
        writeFileSync(worker, readFileSync(worker, 'utf8').replace(JSON.stringify(version), JSON.stringify(next)));

        // The planner page in the same browser, still controlled by the old build's worker.
        const planner = await context.newPage();
        const errors = recordErrors(planner);
        await planner.goto(served.url);
        await waitForCoverage(planner, 120_000);
        expect(await planner.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
        expect(await planner.locator('[data-testid="kiosk"]').count()).toBe(0);
        expect(await planner.locator('.side').count()).toBeGreaterThan(0);
        expect(
          await planner.evaluate(() =>
            document.querySelector('meta[name="greenreach-build"]')?.getAttribute('content'),
          ),
        ).toBe('next');
        expect(
          await planner.evaluate(
            async () => ((await (await fetch('data/demo/manifest.json')).json()) as { build?: string }).build,
          ),
        ).toBe('next');
        // The browser's update check installs the new worker, which deletes the old build's cache.
        await planner.evaluate(async () => {
          await (await navigator.serviceWorker.getRegistration())?.update();
        });
        await expect
          .poll(
            () =>
              planner.evaluate(async () =>
                (await caches.keys()).filter((name) => name.startsWith('greenreach-precache-')),
              ),
            slow,
          )
          .toEqual([`greenreach-precache-${next}`]);
        expect(
          await planner.evaluate(
            async () => ((await (await fetch('data/demo/manifest.json')).json()) as { build?: string }).build,
          ),
        ).toBe('next');
        expect(errors).toEqual([]);
      } finally {
        if (running(served.process)) stopProcess(served.process);
      }
    },
    2 * testTimeoutMs,
  );
});
