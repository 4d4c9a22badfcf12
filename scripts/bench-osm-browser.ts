/**
 * An OpenStreetMap extract dropped on the planner in headless Chromium: the seconds until the dialog
 * lists the derived layers (or names a failure), the page's longest stall meanwhile (the slowest round
 * trip of a trivial evaluate, polled every 250 ms) and memory: the peak resident set of the renderer
 * process (the page and all its workers: Chromium runs dedicated workers in the page's process), its
 * growth over the figure before the drop (an upper bound for the OSM worker's own memory, which holds at
 * most that growth), and the peak JS heap of each worker (`performance.memory`, sampled in the worker).
 * The extract is bench-osm's seeded synthetic PBF of about --mb megabytes (cached in the OS temp folder;
 * needs osmium-tool).
 *
 *   tsx scripts/bench-osm-browser.ts [--mb 100] [--seed 12]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import {
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  openPage,
  startServer,
  stopProcess,
  waitForCoverage,
} from '../test/browser/harness';
import { syntheticPbf } from './bench-osm';

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
/**
 * Resident memory (MB) of the largest Chromium process now, the renderer that runs the page and its
 * workers, from /proc (Linux; 0 elsewhere).
 */
function largestChromiumMegabytes(): number {
  let largest = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (!/^Name:\s*(chromium|chrome)/m.test(status)) continue;
      const kilobytes = Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1] ?? 0);
      largest = Math.max(largest, kilobytes / 1024);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return largest;
}

/**
 * The heap of every dedicated worker of the browser, by the DevTools protocol (Runtime.getHeapUsage in
 * each worker target: V8's heap plus array-buffer backing stores), keeping each worker's peak in MB.
 * Why CDP: `performance.memory` is not exposed in workers, and the renderer's resident set mixes the
 * page with all its workers.
 */
async function workerHeapSampler(browser: import('playwright-core').Browser) {
  const cdp = await browser.newBrowserCDPSession();
  const sessions = new Map<string, { sessionId: string; name: string }>();
  const pending = new Map<number, (result: Record<string, number> | undefined) => void>();
  let nextId = 1;
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { id?: number; result?: Record<string, number> };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const call = (sessionId: string) =>
    new Promise<Record<string, number> | undefined>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      setTimeout(() => resolve(undefined), 2000); // a worker that does not answer in time is skipped
      cdp
        .send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }),
        })
        .catch(() => resolve(undefined));
    });
  const peakMegabytes = new Map<string, number>();
  return {
    peakMegabytes,
    async sample() {
      const { targetInfos } = await cdp.send('Target.getTargets');
      for (const target of targetInfos.filter((info) => info.type === 'worker')) {
        if (!sessions.has(target.targetId)) {
          // A worker's name (`new Worker(url, {name})`) is its title; else the file, without the hash.
          const file = target.url
            .split('/')
            .pop()
            ?.replace(/-[\w-]{8}\.m?js$/, '');
          const name = target.title && !target.title.includes('/') ? target.title : file || 'worker';
          const attached = await cdp
            .send('Target.attachToTarget', { targetId: target.targetId, flatten: false })
            .catch(() => null);
          if (!attached) continue;
          sessions.set(target.targetId, { sessionId: attached.sessionId, name });
        }
      }
      await Promise.all(
        [...sessions.values()].map(async ({ sessionId, name }) => {
          const usage = await call(sessionId);
          if (!usage) return;
          const megabytes = ((usage.totalSize ?? 0) + (usage.backingStorageSize ?? 0)) / 1048576;
          peakMegabytes.set(name, Math.max(peakMegabytes.get(name) ?? 0, megabytes));
        }),
      );
    },
  };
}

const file = syntheticPbf(option('--mb', 100), option('--seed', 12));
const executable = chromiumForTests();
if (!executable) process.exit(1);
buildIfStale();
const server = await startServer();
const browser = await launchBrowser(executable);
try {
  const { page, consoleErrors } = await openPage(browser, `${server.url}?lang=en`);
  await waitForCoverage(page);
  const workerHeaps = await workerHeapSampler(browser);
  const beforeMegabytes = largestChromiumMegabytes();
  const started = performance.now();
  await page.getByTestId('import-file').setInputFiles(file);
  let longestStallMs = 0;
  let peakMegabytes = 0;
  let outcome = 'timed out after 15 min';
  while (performance.now() - started < 15 * 60_000) {
    const before = performance.now();
    await page.evaluate(() => 1);
    longestStallMs = Math.max(longestStallMs, performance.now() - before);
    peakMegabytes = Math.max(peakMegabytes, largestChromiumMegabytes());
    await workerHeaps.sample();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (await page.getByTestId('osm-layers').isVisible()) {
      const leftOut = (await page.getByTestId('osm-left-out').count()) > 0;
      outcome = `layers listed after ${seconds} s${leftOut ? ' (buildings and basemap left out)' : ''}`;
      break;
    }
    if ((await page.getByTestId('osm-error').count()) > 0) {
      outcome = `failed after ${seconds} s: ${await page.getByTestId('osm-error').textContent()}`;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const megabytes = (statSync(file).size / 1e6).toFixed(1);
  console.log(`OSM extract in Chromium, ${megabytes} MB PBF, Node ${process.version}: ${outcome}`);
  console.log(`longest main-thread stall (evaluate round trip): ${Math.round(longestStallMs)} ms`);
  console.log(
    `peak resident memory of the page's renderer process (page and workers): ${Math.round(peakMegabytes)} MB, ${Math.round(beforeMegabytes)} MB before the drop: growth ${Math.round(peakMegabytes - beforeMegabytes)} MB (bounds the OSM worker)`,
  );
  const heaps = [...workerHeaps.peakMegabytes].map(([name, megabytes]) => `${name} ${Math.round(megabytes)} MB`);
  console.log(`peak heap per worker (V8 heap + array buffers, by CDP): ${heaps.join(', ') || 'none seen'}`);
  if (consoleErrors.length > 0) console.log('console errors:', consoleErrors.slice(0, 5));
} finally {
  await browser.close();
  stopProcess(server.process);
}
