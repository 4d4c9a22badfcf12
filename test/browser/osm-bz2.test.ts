import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bzip2 } from '../support/bzip2';
import {
  browserSuiteOptions,
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  openPage,
  root,
  startServer,
  stopProcess,
  waitForCoverage,
} from './harness';

// A bzip2-compressed extract dropped on the planner: the Three Rivers XML compressed with the `bzip2`
// command (six blocks) is read in the OSM worker, which loads the decoder on first use, and gives the
// layers the PBF gives; a truncated one ends with a message naming the file, and the data stays.

const executable = chromiumForTests();
const compressed = bzip2(new Uint8Array(readFileSync(join(root, 'data/three-rivers/three-rivers.osm'))), 1);

describe.skipIf(!executable)('.osm.bz2 extracts in Chromium', browserSuiteOptions, () => {
  let browser: Browser;
  let server: { url: string; process: ChildProcess };

  beforeAll(async () => {
    buildIfStale();
    server = await startServer();
    browser = await launchBrowser(executable!);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    stopProcess(server?.process);
  });

  it('reads a .osm.bz2 in the worker and lists the layers of the extract', async () => {
    const { page, consoleErrors } = await openPage(browser, `${server.url}?lang=en`);
    await waitForCoverage(page);
    await page.getByTestId('import-file').setInputFiles({
      name: 'three-rivers.osm.bz2',
      mimeType: 'application/x-bzip2',
      buffer: Buffer.from(compressed),
    });
    await expect.poll(() => page.getByTestId('osm-layers').isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByTestId('osm-counts').textContent()).toContain('5,015 nodes');
    // The counts the CLI derives from the same extract (data/three-rivers/manifest.json).
    expect(await page.getByTestId('osm-count-greenspaces').textContent()).toBe('17');
    expect(await page.getByTestId('osm-count-streets').textContent()).toBe('329');
    await page.screenshot({ path: join(tmpdir(), 'greenreach-osm-bz2.png') });
    expect(consoleErrors).toEqual([]);
  }, 300_000);

  it('a truncated .osm.bz2 ends with a message naming the file, in the interface language, and keeps the data', async () => {
    const { page } = await openPage(browser, `${server.url}?lang=zh`);
    await waitForCoverage(page);
    const before = await page.evaluate(() => window.__greenreach!.summary!.city);
    await page.getByTestId('import-file').setInputFiles({
      name: 'cut.osm.bz2',
      mimeType: 'application/x-bzip2',
      buffer: Buffer.from(compressed.subarray(0, compressed.length >> 1)),
    });
    await expect
      .poll(() => page.getByTestId('osm-error').textContent(), { timeout: 60_000 })
      .toMatch(/^cut\.osm\.bz2: bzip2 数据提前结束/);
    await page.getByTestId('osm-cancel').click();
    expect(await page.evaluate(() => window.__greenreach!.summary!.city)).toEqual(before);
  });
});
