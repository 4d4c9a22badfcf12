import { buildIfStale, findChromium, launchBrowser, openPage, startServer, stopProcess, waitForCoverage, waitForMapIdle } from '../test/browser/harness';
const url = process.argv[2] ?? '';
const out = process.argv[3] ?? '/tmp/shot.png';
const actions = process.argv[4] ?? '';
buildIfStale();
const server = await startServer();
const browser = await launchBrowser(findChromium()!);
try {
  const { page, consoleErrors } = await openPage(browser, `${server.url}${url}`);
  await waitForCoverage(page, 120000);
  for (const id of actions.split(',').filter(Boolean)) { await page.getByTestId(id).check(); await waitForCoverage(page, 120000); }
  await page.waitForTimeout(1500);
  await waitForMapIdle(page);
  await page.screenshot({ path: out });
  console.log('errors', consoleErrors);
} finally { await browser.close(); stopProcess(server.process); }
