/**
 * Soak test of the kiosk (not part of `npm test`): `npm run soak:kiosk -- [--cycles 20] [--stop 0.3]`.
 * Builds the app if stale, serves dist/, opens `?kiosk&stop=<s>&idle=1` in headless Chromium and lets
 * the tour run for a fixed number of rounds (a visitor's tap every fifth round, so pause and idle
 * reset run too). Reports the JS heap after a forced GC (CDP HeapProfiler.collectGarbage +
 * Runtime.getHeapUsage), DOM nodes and event listeners (CDP Performance.getMetrics) at the start and
 * the end. Exits 1 when the heap grew by more than 20% (and 5 MB).
 */
import type { CDPSession, Page } from 'playwright-core';
import type {} from '../src/state/kiosk';
import {
  buildIfStale,
  findChromium,
  launchBrowser,
  startServer,
  stopProcess,
  waitForCoverage,
} from '../test/browser/harness';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const cycles = option('cycles', 20);
const stopSeconds = option('stop', 0.3);

interface Sample {
  heapUsedMB: number;
  heapTotalMB: number;
  nodes: number;
  listeners: number;
}

async function sample(cdp: CDPSession): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? Number.NaN;
  return {
    heapUsedMB: heap.usedSize / 1e6,
    heapTotalMB: heap.totalSize / 1e6,
    nodes: metric('Nodes'),
    listeners: metric('JSEventListeners'),
  };
}

const round = (page: Page) => page.evaluate(() => window.__greenreach?.kiosk?.round ?? 0);

const executable = findChromium();
if (!executable) {
  console.error('soak-kiosk: no Chromium (set CHROMIUM_PATH or apt-get install chromium)');
  process.exit(2);
}
buildIfStale();
const { url, process: server } = await startServer();
const browser = await launchBrowser(executable);
let exitCode = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const started = performance.now();
  await page.goto(`${url}?kiosk&stop=${stopSeconds}&idle=1`);
  await waitForCoverage(page, 180_000);
  const stops = await page.evaluate(() => window.__greenreach?.kiosk?.stops ?? 0);
  // Warm-up: one full round (shaders compiled, caches filled) before the first sample.
  await page.waitForFunction(() => (window.__greenreach?.kiosk?.round ?? 0) >= 1, null, { timeout: 300_000 });
  const first = await sample(cdp);
  const firstRound = await round(page);
  console.log(`soak-kiosk: ${stops} stops per round, ${stopSeconds} s per stop, ${cycles} rounds`);
  console.log(
    `  start (round ${firstRound}): heap ${first.heapUsedMB.toFixed(1)} MB used / ${first.heapTotalMB.toFixed(1)} MB, ${first.nodes} DOM nodes, ${first.listeners} listeners`,
  );
  let taps = 0;
  for (let target = firstRound + 1; target <= firstRound + cycles; target++) {
    await page.waitForFunction((wanted) => (window.__greenreach?.kiosk?.round ?? 0) >= wanted, target, {
      timeout: 300_000,
      polling: 100,
    });
    if (target % 5 === 0) {
      // A visitor: tap the map, the tour pauses; idle (1 s) resets the view and the tour resumes.
      await page.touchscreen.tap(640, 360);
      taps++;
      await page.waitForFunction(() => document.documentElement.dataset.kiosk === 'touring', null, {
        timeout: 60_000,
      });
    }
  }
  const last = await sample(cdp);
  const hook = await page.evaluate(() => ({ ...window.__greenreach!.kiosk! }));
  const minutes = (performance.now() - started) / 60_000;
  console.log(
    `  end (round ${hook.round}): heap ${last.heapUsedMB.toFixed(1)} MB used / ${last.heapTotalMB.toFixed(1)} MB, ${last.nodes} DOM nodes, ${last.listeners} listeners`,
  );
  const growth = last.heapUsedMB - first.heapUsedMB;
  console.log(
    `  heap change ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB (${((growth / first.heapUsedMB) * 100).toFixed(1)}%) over ${cycles} rounds, ${cycles * stops} stops, ${taps} taps, ${minutes.toFixed(1)} min; page errors: ${errors.length}`,
  );
  if (errors.length > 0) console.log(errors.slice(0, 5).join('\n'));
  if (growth > 5 && growth / first.heapUsedMB > 0.2) {
    console.error('soak-kiosk: the heap grew by more than 20%');
    exitCode = 1;
  }
  await context.close();
} finally {
  await browser.close();
  stopProcess(server);
}
process.exit(exitCode);
