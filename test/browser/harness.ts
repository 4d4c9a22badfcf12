import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FeatureCollection } from 'geojson';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type {} from '../../src/app/test-hooks';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';

/** Repository root. */
export const root = resolve(import.meta.dirname, '../..');

/**
 * Options for each browser suite: on CI a failed browser test runs once more (a retry is reported
 * as such by vitest). CI machines are shared and slower than this one; a feature that is broken
 * fails both runs.
 */
export const browserSuiteOptions = { retry: process.env.CI ? 1 : 0 };

/** Flags for headless Chromium with WebGL on SwiftShader and no background traffic. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** The Chromium executable: CHROMIUM_PATH, else Debian's, else null. */
export function findChromium(): string | null {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  return candidates.find((path): path is string => Boolean(path) && existsSync(path!)) ?? null;
}

/**
 * The Chromium the browser tests drive, or null (the caller skips its tests). Under CI=true a missing
 * browser fails the run instead, so CI can never pass by skipping every browser test.
 */
export function chromiumForTests(): string | null {
  const executable = findChromium();
  if (!executable && process.env.CI) {
    throw new Error(
      'Browser tests need Chromium: none at CHROMIUM_PATH, /usr/bin/chromium or /usr/bin/chromium-browser (apt-get install chromium). CI is set, so this fails instead of skipping.',
    );
  }
  if (!executable)
    console.warn('Skipping browser tests: no Chromium found (set CHROMIUM_PATH or apt-get install chromium).');
  return executable;
}

function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestModification(join(path, name)));
  return newest;
}

/**
 * Where the browser tests' build goes: the app as `npm start` builds it plus the test hooks
 * (`window.__greenreach`, installed by the composition root only when VITE_TEST_HOOKS=1).
 */
export const testBuild = join(root, 'dist-test');

/** Runs `vite build` (with the test hooks, into dist-test/) unless it is newer than every input of the build. */
export function buildIfStale(): void {
  const index = join(testBuild, 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const inputs = ['src', 'styles', 'public', 'data', 'index.html', 'vite.config.ts', 'package-lock.json'];
  const newest = Math.max(...inputs.map((input) => newestModification(join(root, input))));
  if (built > newest) return;
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', testBuild, '--emptyOutDir'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    // A production build, as `npm start` makes (vitest sets NODE_ENV=test, which libraries read), with the hooks.
    env: { ...process.env, NODE_ENV: 'production', VITE_TEST_HOOKS: '1', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
}

/** Starts scripts/serve.mjs on a free port of 127.0.0.1; resolves to its origin URL and process. */
export function startServer(directory = testBuild): Promise<{ url: string; process: ChildProcess }> {
  return new Promise((resolveServer, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts/serve.mjs'), directory, '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve.mjs printed no URL: ${output}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveServer({ url: match[0], process: child });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}: ${output}`)));
  });
}

/** Stops a process we started, by its PID. */
export function stopProcess(child: ChildProcess | undefined): void {
  if (child?.pid && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
}

/** Launches headless Chromium. */
export function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: chromiumArgs });
}

/**
 * The page's console errors (a missing message key's among them: `t()` logs one) and page errors
 * (`pageerror: …`), as they come; a suite expects the list empty, or filters out the errors it causes.
 */
export function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** A page that records console errors, page errors and every request URL. */
export interface RecordedPage {
  page: Page;
  context: BrowserContext;
  consoleErrors: string[];
  requests: string[];
}

export async function openPage(
  browser: Browser,
  url: string,
  options: { locale?: string; width?: number; height?: number; offline?: boolean } = {},
): Promise<RecordedPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
    locale: options.locale ?? 'zh-CN',
    // The map does not animate for users who prefer reduced motion: no frames to wait for.
    reducedMotion: 'reduce',
  });
  // Software WebGL compiles shaders on a CPU that other work may share: actions get a long limit.
  context.setDefaultTimeout(120_000);
  const page = await context.newPage();
  const recorded: RecordedPage = { page, context, consoleErrors: recordErrors(page), requests: [] };
  context.on('request', (request) => recorded.requests.push(request.url()));
  // No network but the test server: every request elsewhere is aborted (as on a machine offline).
  if (options.offline)
    await context.route(
      (address) => address.hostname !== new URL(url).hostname,
      (route) => route.abort(),
    );
  await page.goto(url);
  return recorded;
}

/** Waits until `<html data-coverage="ready">` (throws on "error"), i.e. coverage computed and drawn. */
export async function waitForCoverage(page: Page, timeoutMs = 60_000): Promise<void> {
  const handle = await page.waitForFunction(
    () => {
      const { coverage: status, lazyPending } = document.documentElement.dataset;
      // The panels that load right after the first page (lazy-component.tsx) are there too.
      if (lazyPending !== undefined && lazyPending !== '0') return false;
      return status === 'ready' || status === 'error' ? status : false;
    },
    null,
    { timeout: timeoutMs, polling: 50 },
  );
  const status = await handle.jsonValue();
  if (status === 'error') {
    const message = await page.evaluate(() => window.__greenreach?.state().error ?? '(no message)');
    throw new Error(`the app reported an error: ${message}`);
  }
}

/** Waits until the gap areas of the current result are known. */
export async function waitForGaps(page: Page): Promise<void> {
  await page.waitForFunction(
    () => window.__greenreach?.gapAreas !== null && window.__greenreach?.gapAreas !== undefined,
    null,
    {
      polling: 50,
    },
  );
}

/** Waits until the map is still (no animation or gesture in progress). */
export async function waitForMapIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__greenreachMap?.isIdle(), null, { polling: 50 });
}

/**
 * RGBA pixels (row by row, 4 numbers each) of a screenshot of `clip` (page CSS pixels): what a
 * person sees there, the GPU canvases composited with the page. Decoded by the page itself.
 */
export async function screenshotPixels(
  page: Page,
  clip: { x: number; y: number; width: number; height: number },
): Promise<number[]> {
  const png = await page.screenshot({ clip });
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    return Array.from(context.getImageData(0, 0, bitmap.width, bitmap.height).data);
  }, png.toString('base64'));
}

/**
 * Interactive controls that a screen reader would announce without a name (Chromium's accessibility
 * tree: label, aria-label, text content or title), as "role (test id)".
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { ignored: boolean; role?: { value: string }; name?: { value: string }; backendDOMNodeId?: number }[];
    };
    const roles = new Set(['button', 'textbox', 'combobox', 'checkbox', 'radio', 'slider', 'spinbutton', 'link']);
    const unnamed = nodes.filter(
      (node) => !node.ignored && roles.has(node.role?.value ?? '') && !node.name?.value?.trim(),
    );
    const described: string[] = [];
    for (const node of unnamed) {
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendDOMNodeId });
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId!,
        functionDeclaration: 'function () { return this.outerHTML.slice(0, 120); }',
        returnByValue: true,
      });
      described.push(`${node.role?.value}: ${result.value}`);
    }
    return described;
  } finally {
    await cdp.detach();
  }
}

/** Centres the planner map on `[lng, lat]` at `zoom` at once, and waits until it is still and drawn. */
export async function centreMapOn(page: Page, position: readonly number[], zoom: number): Promise<void> {
  await page.evaluate(
    ([longitude, latitude, level]) => window.__greenreachMap!.jumpTo({ longitude, latitude, zoom: level }),
    [position[0], position[1], zoom],
  );
  await waitForMapIdle(page);
}

/** The demo data set the browser tests load (GREENREACH_DEMO_DIR overrides it). */
export const demoDirectory = process.env.GREENREACH_DEMO_DIR ?? join(root, 'data/demo');

/** One demo layer as the engine takes it (null geometries dropped), or null when the file is absent. */
export function readDemoLayer(name: string): FeatureCollection | null {
  const path = join(demoDirectory, `${name}.fgb`);
  if (!existsSync(path)) return null;
  const collection = readFlatGeobuf(new Uint8Array(readFileSync(path)), `${name}.fgb`);
  return { ...collection, features: collection.features.filter((feature) => feature.geometry) };
}
