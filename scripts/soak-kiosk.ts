/**
 * Soak test of the kiosk (not part of `npm test`):
 * `npm run soak:kiosk -- [--cycles 20] [--stop 0.3] [--idle 1] [--every 10] [--warmup 1] [--snapshots DIR]`.
 * Builds the app (with its test hooks, into dist-test/) if stale, serves it, opens `?kiosk&stop=<s>&idle=<s>` in headless Chromium and lets
 * the tour run for a fixed number of rounds (a visitor's tap every fifth round, so pause and idle
 * reset run too). Reports the JS heap after a forced GC (CDP HeapProfiler.collectGarbage +
 * Runtime.getHeapUsage), DOM nodes and event listeners (CDP Performance.getMetrics) after `--warmup`
 * rounds (shaders compiled, tiles and JIT code warm), every `--every` rounds and at the end, with the heap's trend over the second half of the run
 * (a leak keeps growing; warm-up levels off). `--snapshots DIR` also writes heap snapshots at the start
 * and the end (open them in Chromium's DevTools, Memory, "Comparison"). Exits 1 when the heap grew by
 * more than 20% (and 5 MB).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import type {} from '../src/app/test-hooks';
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

function textOption(name: string): string | null {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] && !process.argv[index + 1].startsWith('--')
    ? process.argv[index + 1]
    : null;
}

const cycles = option('cycles', 20);
const stopSeconds = option('stop', 0.3);
const idleSeconds = option('idle', 1);
const every = Math.round(option('every', 10));
const warmup = Math.round(option('warmup', 1));
const snapshots = textOption('snapshots');

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

/** Writes a heap snapshot (after a GC) to `path`. */
async function heapSnapshot(cdp: CDPSession, path: string): Promise<void> {
  const chunks: string[] = [];
  const collect = (event: { chunk: string }) => chunks.push(event.chunk);
  await cdp.send('HeapProfiler.enable');
  cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
  writeFileSync(path, chunks.join(''));
}

/** Least-squares slope of `y` over `x`. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const [x, y] of points) {
    numerator += (x - mx) * (y - my);
    denominator += (x - mx) ** 2;
  }
  return denominator > 0 ? numerator / denominator : 0;
}

const describe = (sample: Sample) =>
  `heap ${sample.heapUsedMB.toFixed(1)} MB used / ${sample.heapTotalMB.toFixed(1)} MB, ${sample.nodes} DOM nodes, ${sample.listeners} listeners`;

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
  if (snapshots) mkdirSync(snapshots, { recursive: true });
  const started = performance.now();
  await page.goto(`${url}?kiosk&stop=${stopSeconds}&idle=${idleSeconds}`);
  await waitForCoverage(page, 180_000);
  const stops = await page.evaluate(() => window.__greenreach?.kiosk?.stops ?? 0);
  // Warm-up: full rounds (shaders compiled, caches filled) before the first sample.
  await page.waitForFunction((rounds) => (window.__greenreach?.kiosk?.round ?? 0) >= rounds, warmup, {
    timeout: 300_000 * warmup,
    polling: 100,
  });
  const first = await sample(cdp);
  const firstRound = await round(page);
  console.log(
    `soak-kiosk: ${stops} stops per round, ${stopSeconds} s per stop, idle ${idleSeconds} s, ${warmup} warm-up rounds, then ${cycles} rounds`,
  );
  console.log(`  start (round ${firstRound}): ${describe(first)}`);
  if (snapshots) await heapSnapshot(cdp, join(snapshots, 'start.heapsnapshot'));
  const samples: [number, number][] = [[0, first.heapUsedMB]];
  let taps = 0;
  for (let done = 1; done <= cycles; done++) {
    await page.waitForFunction((wanted) => (window.__greenreach?.kiosk?.round ?? 0) >= wanted, firstRound + done, {
      timeout: 300_000,
      polling: 100,
    });
    if (done % 5 === 0) {
      // A visitor: tap the map, the tour pauses; the idle time resets the view and the tour resumes.
      await page.touchscreen.tap(640, 360);
      taps++;
      await page.waitForFunction((count) => (window.__greenreach?.kiosk?.resumes ?? 0) >= count, taps, {
        timeout: 60_000,
        polling: 100,
      });
    }
    if (done % every === 0 && done < cycles) {
      const now = await sample(cdp);
      samples.push([done, now.heapUsedMB]);
      console.log(`  round ${firstRound + done}: ${describe(now)}`);
    }
  }
  const last = await sample(cdp);
  samples.push([cycles, last.heapUsedMB]);
  if (snapshots) await heapSnapshot(cdp, join(snapshots, 'end.heapsnapshot'));
  const hook = await page.evaluate(() => ({ ...window.__greenreach!.kiosk! }));
  const minutes = (performance.now() - started) / 60_000;
  console.log(`  end (round ${hook.round}): ${describe(last)}`);
  const growth = last.heapUsedMB - first.heapUsedMB;
  const secondHalf = samples.filter(([done]) => done >= cycles / 2);
  const trend = secondHalf.length >= 3 ? `${(slope(secondHalf) * 100).toFixed(2)} MB per 100 rounds` : 'n/a';
  console.log(
    `  heap change ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB (${((growth / first.heapUsedMB) * 100).toFixed(1)}%) over ${cycles} rounds, ${hook.shown} stops shown, ${taps} taps (${hook.pauses} pauses, ${hook.resumes} resumes), ${minutes.toFixed(1)} min; trend over the second half: ${trend}; page errors: ${errors.length}`,
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
