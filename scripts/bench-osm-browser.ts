/**
 * An OpenStreetMap extract dropped on the planner in headless Chromium: the seconds until the dialog
 * lists the derived layers (or names a failure), the page's longest stall meanwhile (the slowest round
 * trip of a trivial evaluate, polled every 250 ms) and the peak resident memory of its renderer process. The extract is bench-osm's seeded synthetic
 * PBF of about --mb megabytes (cached in the OS temp folder; needs osmium-tool).
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

const file = syntheticPbf(option('--mb', 100), option('--seed', 12));
const executable = chromiumForTests();
if (!executable) process.exit(1);
buildIfStale();
const server = await startServer();
const browser = await launchBrowser(executable);
try {
  const { page, consoleErrors } = await openPage(browser, `${server.url}?lang=en`);
  await waitForCoverage(page);
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
    `peak resident memory of the page's renderer process (page and workers): ${Math.round(peakMegabytes)} MB`,
  );
  if (consoleErrors.length > 0) console.log('console errors:', consoleErrors.slice(0, 5));
} finally {
  await browser.close();
  stopProcess(server.process);
}
