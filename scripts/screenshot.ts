/**
 * A screenshot of the app as a person sees it: builds the app (with its test hooks) if stale, serves it,
 * opens `URL_SEARCH` in headless Chromium, waits until coverage is drawn and the map is still, and
 * writes a PNG. `npm run screenshot` writes the README's docs/screenshot.png.
 *
 *   tsx scripts/screenshot.ts [URL_SEARCH] [OUT.png] [--width 1400] [--height 900]
 */
import { parseArgs } from 'node:util';
import {
  buildIfStale,
  findChromium,
  launchBrowser,
  openPage,
  startServer,
  stopProcess,
  waitForCoverage,
  waitForMapIdle,
} from '../test/browser/harness';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { width: { type: 'string', default: '1400' }, height: { type: 'string', default: '900' } },
});
const search = positionals[0] ?? '?lang=en';
const out = positionals[1] ?? 'docs/screenshot.png';
const executable = findChromium();
if (!executable) throw new Error('no Chromium: apt-get install chromium');
buildIfStale();
const server = await startServer();
const browser = await launchBrowser(executable);
try {
  const { page, consoleErrors } = await openPage(browser, `${server.url}${search}`, {
    width: Number(values.width),
    height: Number(values.height),
  });
  await waitForCoverage(page, 120_000);
  await page.waitForFunction(() => window.__greenreach?.gapAreas !== null, null, { polling: 50 });
  await waitForMapIdle(page);
  await page.screenshot({ path: out });
  if (consoleErrors.length > 0) console.warn('console errors:', consoleErrors);
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  stopProcess(server.process);
}
