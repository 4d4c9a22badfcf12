import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildIfStale, launchBrowser, startServer, stopProcess } from './harness';

/** What a browser suite's tests share: one Chromium and one server of the test build. */
export interface BrowserSuite {
  /** The browser the suite's pages open in (valid inside its tests). */
  readonly browser: Browser;
  /** The server's address, ending in `/` (valid inside its tests). */
  readonly url: string;
}

/**
 * Registers, for the enclosing `describe`, a build of the app if stale, a server of it on 127.0.0.1 and
 * a Chromium (`executable`), started before the suite's tests and stopped after them. Kept apart from
 * the harness, which the benchmarks import outside vitest.
 */
export function browserSuite(executable: string | null): BrowserSuite {
  let browser: Browser | undefined;
  let server: { url: string; process: ChildProcess } | undefined;
  beforeAll(async () => {
    buildIfStale();
    server = await startServer();
    browser = await launchBrowser(executable!);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    stopProcess(server?.process);
  });
  return {
    get browser() {
      if (!browser) throw new Error('the suite has no browser outside its tests');
      return browser;
    },
    get url() {
      if (!server) throw new Error('the suite has no server outside its tests');
      return server.url;
    },
  };
}
