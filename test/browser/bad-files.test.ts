import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
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
  startServer,
  stopProcess,
  waitForCoverage,
} from './harness';

/**
 * Bad files as a planner meets them in the Chinese interface (issue 13, "messages that do not help"):
 * random bytes, a JSON array, attributes nested 100,000 levels deep, a 3 GiB file, an empty FlatGeobuf
 * by URL and a damaged saved layer each give a Chinese message that names the file and says what is
 * wrong, never `unsupported format ".geojson"`, a stack overflow or a DataView offset; and the app goes
 * on computing on the layers it has.
 */
const testTimeoutMs = 300_000;
const executable = chromiumForTests();
const directory = mkdtempSync(join(tmpdir(), 'greenreach-bad-files-browser-'));

const noise = Buffer.from(new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24));
const deepNesting = Buffer.from(
  `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}},"geometry":{"type":"Point","coordinates":[104.06,30.66]}}]}`,
);

describe.skipIf(!executable)('bad files in Chromium, in Chinese', browserSuiteOptions, () => {
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
    rmSync(directory, { recursive: true, force: true });
  });

  /** The import error list's entries once `count` are shown. */
  async function importErrors(page: Page, count: number): Promise<string[]> {
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=import-errors] li').length >= n, count, {
      timeout: 120_000,
    });
    return page.locator('[data-testid=import-errors] li').allTextContents();
  }

  it(
    'dropped files: random bytes, a JSON array, deep nesting and 3 GiB are said in Chinese, naming the file',
    async () => {
      const recorded = await openPage(browser, `${origin}?lang=zh`);
      const { page, context } = recorded;
      await waitForCoverage(page, 180_000);
      const input = page.getByTestId('import-file');
      await input.setInputFiles({ name: 'garbage.geojson', mimeType: 'application/geo+json', buffer: noise });
      let errors = await importErrors(page, 1);
      expect(errors[0]).toContain(
        'garbage.geojson：不是 GeoJSON 文件：文件开头是二进制字节（00 9e 3c da 78 17 b5 53），不是文本',
      );

      await input.setInputFiles({
        name: 'array.geojson',
        mimeType: 'application/json',
        buffer: Buffer.from('[1,2,3]'),
      });
      errors = await importErrors(page, 2);
      expect(errors[1]).toContain('array.geojson：不是 GeoJSON 文件：这是一个 JSON 数组，不是 GeoJSON 对象');

      await input.setInputFiles({ name: 'deep_nesting.geojson', mimeType: 'application/json', buffer: deepNesting });
      errors = await importErrors(page, 3);
      expect(errors[2]).toContain('deep_nesting.geojson · 第 0 个要素：“a”嵌套了 100,000 层（上限 100），无法处理');

      // A sparse 3 GiB file, handed over by path: refused from its size without being read.
      const huge = join(directory, 'huge.fgb');
      writeFileSync(huge, '');
      truncateSync(huge, 3 * 2 ** 30);
      const started = Date.now();
      await input.setInputFiles(huge);
      errors = await importErrors(page, 4);
      expect(errors[3]).toContain(
        'huge.fgb：文件大小 3 GiB，超过浏览器可读取的 500 MiB：请裁剪到研究区域，或使用命令行工具',
      );
      expect(Date.now() - started).toBeLessThan(30_000);

      for (const text of errors) {
        expect(text).not.toMatch(/unsupported format|call stack|postMessage|the file/);
      }
      // The demo's layers stay in use and computed.
      expect(await page.evaluate(() => document.documentElement.dataset.coverage)).toBe('ready');
      expect(recorded.consoleErrors).toEqual([]);
      await context.close();
    },
    testTimeoutMs,
  );

  it(
    'an empty .fgb by URL and a damaged saved layer: said in Chinese, the app starts on what it has',
    async () => {
      const recorded = await openPage(browser, `${origin}?lang=zh`);
      const { page, context } = recorded;
      await waitForCoverage(page, 180_000);
      // A saved green-space layer whose ring is two numbers, as a damaged disk or an old version leaves it.
      await page.evaluate(async () => {
        await new Promise<void>((resolve, reject) => {
          // The database as the app opened it (version 2, chunks beside the layers): a version-1 layer record
          // still loads from its `layers` store.
          const request = indexedDB.open('greenreach-imports');
          request.onupgradeneeded = () => request.result.createObjectStore('layers', { keyPath: 'role' });
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const transaction = request.result.transaction('layers', 'readwrite');
            transaction.objectStore('layers').put({
              role: 'greenspaces',
              source: 'parks.geojson',
              collection: {
                type: 'FeatureCollection',
                features: [
                  {
                    type: 'Feature',
                    properties: { kind: 'park' },
                    geometry: { type: 'Polygon', coordinates: [[1, 2]] },
                  },
                ],
              },
              mapping: null,
              crs: 'EPSG:4326',
              gcj02: false,
              featureCount: 1,
              savedAt: 0,
            });
            transaction.oncomplete = () => {
              request.result.close();
              resolve();
            };
            transaction.onerror = () => reject(transaction.error);
          };
        });
      });
      // A server that answers an empty body, without range support.
      await context.route(
        (url) => url.pathname === '/empty.fgb',
        (route) => void route.fulfill({ status: 200, body: '', contentType: 'application/octet-stream' }),
      );
      await page.goto(`${origin}?lang=zh&layer:greenspaces=/empty.fgb`);
      await waitForCoverage(page, 180_000);
      const errors = await importErrors(page, 2);
      expect(errors.join('\n')).toContain('/empty.fgb：文件为空（0 字节）');
      expect(errors.join('\n')).toContain('跳过了 1 个已损坏的已保存图层');
      expect(errors.join('\n')).not.toMatch(/Offset is outside|DataView|slice is not a function/);
      // The damaged layer is not in use: the demo's green spaces are, and computed.
      const parks = await page.evaluate(() => window.__greenreach!.state().data!.greenspaces.features.length);
      expect(parks).toBeGreaterThan(1);
      expect(recorded.consoleErrors).toEqual([]);
      await context.close();
    },
    testTimeoutMs,
  );
});
