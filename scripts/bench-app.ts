/**
 * App benchmark in headless Chromium (Debian's, WebGL on SwiftShader): time from navigation to
 * coverage drawn, and the longest main-thread task while computing, on the demo and on a city-scale
 * synthetic set (the demo generator at a larger scale, ≥ 1M residential cells).
 *
 *   npx tsx scripts/bench-app.ts [--scale 7] [--cell 20] [--skip-city] [--runs 3]
 *   npx tsx scripts/bench-app.ts --ab dist-a dist-b [dist-c …] [--runs 6] [--skip-city]
 *
 * `--ab` compares builds (each made with VITE_TEST_HOOKS=1, e.g. one from main and one from a
 * branch): all are served at once and their loads alternate in one browser (the order reversed every
 * other run), start-up figures only (no recompute, no baseline), medians per build and set. On a
 * shared machine the ratio to A is the figure to read, not the absolute times.
 *
 * The city-scale set is written as FlatGeobuf to node_modules/.cache/greenreach/bench-city/ (reused
 * while its scale matches), copied into dist/bench-city/ after the build and opened with
 * `?data=bench-city/`. Figures go to stdout and test-output/bench-app.json.
 *
 * Baseline, in the same page: the same engine (src/coverage, bundled by esbuild and added as a script)
 * run on the main thread on the page's own data and rules, as an app without a worker would; its
 * duration is the freeze such an app shows. Median of 3 after a warm-up run.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { writeFlatGeobuf } from '../src/io/flatgeobuf-write';
import {
  buildIfStale,
  findChromium,
  launchBrowser,
  root,
  startServer,
  stopProcess,
  testBuild,
} from '../test/browser/harness';
import { demoLayers, generateDistrict } from './demo-district';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const scale = option('scale', 7);
const cellMeters = option('cell', 20);
const runs = option('runs', 3);
const skipCity = process.argv.includes('--skip-city');
const abIndex = process.argv.indexOf('--ab');
/** The builds `--ab` compares: the arguments after it, up to the next flag. */
const abEnd = process.argv.findIndex((arg, k) => k > abIndex && arg.startsWith('--'));
const abBuilds = abIndex >= 0 ? process.argv.slice(abIndex + 1, abEnd < 0 ? undefined : abEnd) : null;
abIndex >= 0
  ? process.argv.slice(abIndex + 1).filter((_, k, rest) => !rest.slice(0, k + 1).some((arg) => arg.startsWith('--')))
  : null;

interface Figures {
  label: string;
  residentialCells: number;
  /** Navigation start → coverage drawn (deck.gl has rendered the cells). */
  readyMs: number;
  /** Navigation start → data loaded, computing starts. */
  dataLoadedMs: number;
  /** Computing start → coverage drawn. */
  computeToDrawnMs: number;
  /** Engine time inside the worker. */
  workerComputeMs: number;
  /** Main-thread task time from navigation to ready (CDP `TaskDuration`). */
  mainThreadTaskMs: number;
  /** CPU time of every Chromium process (page, workers, GPU process) from navigation to ready (polled every 100 ms). */
  browserCpuMs: number;
  /** Longest main-thread task between "computing" and "ready". */
  longestTaskWhileComputingMs: number;
  /** The same with the shader compile time inside each task taken out. */
  longestTaskWhileComputingWithoutCompileMs: number;
  /** Longest main-thread task from navigation to ready (includes start-up: parsing, shader compiles). */
  longestTaskLoadMs: number;
  longestTaskLoadWithoutCompileMs: number;
  /** Recompute after a preset change: time to drawn and the longest task meanwhile. */
  recomputeMs: number;
  longestTaskRecomputeMs: number;
  longestTaskRecomputeWithoutCompileMs: number;
  /** Baseline: the same engine run on the main thread in the same page (median of 3, after a warm-up). */
  mainThreadEngineMs: number;
  /** The baseline's first run: cold, as the worker's first run is (each has its own JIT). */
  mainThreadEngineColdMs: number;
  /** The tab survived (no crash) and stayed responsive to a trivial evaluate. */
  crashed: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

let engineScript: string | null = null;
/** src/coverage as one script that defines `GreenReachEngine` (for the main-thread baseline). */
async function engineBundle(): Promise<string> {
  if (engineScript) return engineScript;
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(root, 'src/coverage/index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'GreenReachEngine',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
  });
  engineScript = result.outputFiles[0].text;
  return engineScript;
}

/** The engine on the main thread on the page's data and rules: milliseconds per run, the cold one first. */
async function mainThreadEngineMs(page: Page): Promise<number[]> {
  await page.addScriptTag({ content: await engineBundle() });
  return page.evaluate(() => {
    const engine = (window as unknown as { GreenReachEngine: typeof import('../src/coverage') }).GreenReachEngine;
    const { data, rules, cellMeters } = window.__greenreach!.state();
    const layers = {
      communities: data!.communities,
      residential: data!.residential,
      greenways: data!.greenways,
      greenspaces: data!.greenspaces,
    };
    const times: number[] = [];
    for (let run = 0; run < 4; run++) {
      const started = performance.now();
      const model = engine.buildCoverage(layers, rules, cellMeters);
      engine.snapshotCoverage(model, {});
      times.push(performance.now() - started);
    }
    return times;
  });
}

/**
 * CPU time (ms, user + system) of each Chromium process this script started, by PID (Linux /proc; empty
 * elsewhere). Their sum covers the page, its workers and the GPU process, where SwiftShader draws: a
 * figure a busy machine inflates much less than wall-clock times.
 */
function chromiumCpuMs(): Map<number, number> {
  const processes: { pid: number; parent: number; command: string; cpuMs: number }[] = [];
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  for (const name of existsSync('/proc') ? readdirSync('/proc') : []) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      processes.push({
        pid: Number(name),
        parent: Number(fields[1]),
        command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        cpuMs: (Number(fields[11]) + Number(fields[12])) / ticksPerMs,
      });
    } catch {
      // The process ended meanwhile.
    }
  }
  const descendants = new Set([process.pid]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const { pid, parent } of processes) {
      if (!descendants.has(parent) || descendants.has(pid)) continue;
      descendants.add(pid);
      grown = true;
    }
  }
  return new Map(
    processes
      .filter(({ pid, command }) => pid !== process.pid && descendants.has(pid) && /chrom/i.test(command))
      .map(({ pid, cpuMs }) => [pid, cpuMs]),
  );
}

/** CPU time the Chromium processes spent since `before` (processes that ended meanwhile are left out). */
function chromiumCpuSinceMs(before: Map<number, number>): number {
  let sum = 0;
  for (const [pid, cpuMs] of chromiumCpuMs()) sum += cpuMs - (before.get(pid) ?? 0);
  return sum;
}

/**
 * Records long tasks, every change of `<html data-coverage>` with its time, from the first byte, and
 * the time spent waiting for WebGL shader programs to compile and link (a synchronous
 * `getProgramParameter`/`getShaderParameter` blocks until the GPU process has compiled; on SwiftShader
 * that is the CPU, and it is a one-time cost per shader).
 */
const instrumentation = () => {
  const w = window as unknown as BenchWindow;
  w.__bench = { tasks: [], statuses: [], compiles: [] };
  const prototype = WebGL2RenderingContext.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['getProgramParameter', 'getShaderParameter']) {
    const original = prototype[name];
    prototype[name] = function (this: unknown, ...args: unknown[]) {
      const start = performance.now();
      const value = original.apply(this, args);
      const duration = performance.now() - start;
      if (duration > 1) w.__bench.compiles.push([start, duration]);
      return value;
    };
  }
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.__bench.tasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver(() => {
    w.__bench.statuses.push([document.documentElement.dataset.coverage ?? '', performance.now()]);
    // The document has no <html> element yet when init scripts run: observe the whole tree.
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-coverage'] });
};

type BenchWindow = Window & {
  __bench: { tasks: [number, number][]; statuses: [string, number][]; compiles: [number, number][] };
};

/**
 * Longest task overlapping [from, to], and the longest once the shader compile time inside each task is
 * taken out: what the page would block for where shaders compile in parallel (KHR_parallel_shader_compile
 * on a GPU) or are cached.
 */
const longestTasks = (bench: BenchWindow['__bench'], from: number, to: number) => {
  const tasks = bench.tasks.filter(([start, duration]) => start + duration > from && start < to);
  const compileInside = ([start, duration]: [number, number]) =>
    bench.compiles
      .filter(([at, length]) => at >= start && at + length <= start + duration)
      .reduce((sum, [, length]) => sum + length, 0);
  return {
    longest: Math.max(0, ...tasks.map(([, duration]) => duration)),
    longestWithoutCompile: Math.max(0, ...tasks.map((task) => task[1] - compileInside(task))),
  };
};

async function measure(browser: Browser, url: string, label: string, loadOnly = false): Promise<Figures> {
  // bypassCSP: the page's CSP (rightly) refuses inline scripts; the baseline adds the engine as one.
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    locale: 'zh-CN',
    bypassCSP: true,
  });
  const page = await context.newPage();
  let crashed = false;
  page.on('crash', () => {
    crashed = true;
  });
  // tsx (esbuild keepNames) wraps functions in `__name(…)`; functions sent to the page need it too.
  await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  await page.addInitScript(instrumentation);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const cpuBefore = chromiumCpuMs();
  await page.goto(url);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.documentElement.dataset.coverage ?? ''), null, {
    timeout: 600_000,
    polling: 100,
  });
  const browserCpuMs = chromiumCpuSinceMs(cpuBefore);
  const status = await page.evaluate(() => document.documentElement.dataset.coverage);
  if (status !== 'ready')
    throw new Error(`${label}: the app reported ${await page.evaluate(() => window.__greenreach?.state().error)}`);
  const first = await page.evaluate(() => ({
    bench: (window as unknown as BenchWindow).__bench,
    cells: window.__greenreach!.residentialCells,
    workerMs: window.__greenreach!.computeMs ?? Number.NaN,
  }));
  const at = (name: string) => first.bench.statuses.find(([status]) => status === name)?.[1] ?? Number.NaN;
  const computing = at('computing');
  const ready = at('ready');
  const whileComputing = longestTasks(first.bench, computing, ready);
  const load = longestTasks(first.bench, 0, ready);
  // Main-thread busy time so far (CDP TaskDuration, seconds): less sensitive to a loaded machine than ready.
  const { metrics } = await cdp.send('Performance.getMetrics');
  const mainThreadTaskMs = (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN) * 1000;
  const loadFigures = {
    label,
    residentialCells: first.cells,
    readyMs: ready,
    dataLoadedMs: computing,
    computeToDrawnMs: ready - computing,
    workerComputeMs: first.workerMs,
    mainThreadTaskMs,
    browserCpuMs,
    longestTaskWhileComputingMs: whileComputing.longest,
    longestTaskWhileComputingWithoutCompileMs: whileComputing.longestWithoutCompile,
    longestTaskLoadMs: load.longest,
    longestTaskLoadWithoutCompileMs: load.longestWithoutCompile,
  };
  if (loadOnly) {
    await context.close();
    const skipped = Number.NaN;
    return {
      ...loadFigures,
      recomputeMs: skipped,
      longestTaskRecomputeMs: skipped,
      longestTaskRecomputeWithoutCompileMs: skipped,
      mainThreadEngineMs: skipped,
      mainThreadEngineColdMs: skipped,
      crashed,
    };
  }

  // A recompute: switch preset, wait for the new coverage to be drawn.
  const recomputeStart = await page.evaluate(() => performance.now());
  await page.getByTestId('preset').selectOption('who');
  await page.waitForFunction(
    () => window.__greenreach?.rules?.id === 'who' && document.documentElement.dataset.coverage === 'ready',
    null,
    { timeout: 600_000, polling: 100 },
  );
  const after = await page.evaluate(() => (window as unknown as BenchWindow).__bench);
  const recomputeReady = [...after.statuses].reverse().find(([status]) => status === 'ready')![1];
  const recompute = longestTasks(after, recomputeStart, recomputeReady);
  // The baseline last, so its long tasks fall outside the figures above.
  const [coldMs, ...warmMs] = await mainThreadEngineMs(page);
  await page
    .evaluate(() => 1)
    .catch(() => {
      crashed = true;
    });
  await context.close();
  return {
    ...loadFigures,
    recomputeMs: recomputeReady - recomputeStart,
    longestTaskRecomputeMs: recompute.longest,
    longestTaskRecomputeWithoutCompileMs: recompute.longestWithoutCompile,
    mainThreadEngineMs: median(warmMs),
    mainThreadEngineColdMs: coldMs,
    crashed,
  };
}

/**
 * Writes the city-scale set to the cache unless it is there at this scale already, and copies it into
 * each build served (which every build empties).
 */
export function writeCitySet(builds: string[] = [testBuild]): string {
  const directory = join(root, 'node_modules/.cache/greenreach/bench-city');
  const manifestPath = join(directory, 'manifest.json');
  const publish = () => {
    for (const build of builds) cpSync(directory, join(build, 'bench-city'), { recursive: true });
    return 'bench-city/';
  };
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { scale?: number };
    if (manifest.scale === scale) return publish();
  }
  mkdirSync(directory, { recursive: true });
  const started = performance.now();
  const district = generateDistrict({ scale });
  let bytes = 0;
  for (const layer of demoLayers) {
    const data = writeFlatGeobuf(district[layer]);
    bytes += data.byteLength;
    writeFileSync(join(directory, `${layer}.fgb`), data);
  }
  writeFileSync(
    manifestPath,
    JSON.stringify({ name: `bench city (scale ${scale}, synthetic)`, synthetic: true, scale, layers: demoLayers }),
  );
  console.log(
    `city-scale set: scale ${scale}, ${(bytes / 1e6).toFixed(1)} MB of FlatGeobuf, generated in ${Math.round(performance.now() - started)} ms`,
  );
  return publish();
}

async function main(): Promise<void> {
  const executable = findChromium();
  if (!executable) throw new Error('no Chromium found (set CHROMIUM_PATH or apt-get install chromium)');
  if (!abBuilds) buildIfStale();
  const builds = abBuilds ? abBuilds.map((build) => resolve(build)) : [testBuild];
  const cityPath = skipCity ? null : writeCitySet(builds);
  const servers = await Promise.all(builds.map((build) => startServer(build)));
  const browser = await launchBrowser(executable);
  const results: Figures[] = [];
  const names = abBuilds ? abBuilds.map((_, index) => `${String.fromCharCode(65 + index)} `) : [''];
  try {
    for (let run = 0; run < runs; run++) {
      // A/B: A first on even runs, B first on odd ones, so neither always loads right after the other.
      const order = servers.map((_, index) => (run % 2 ? servers.length - 1 - index : index));
      for (const index of order) {
        const { url } = servers[index];
        results.push(await measure(browser, `${url}?lang=zh`, `${names[index]}demo`, Boolean(abBuilds)));
        if (cityPath) {
          results.push(
            await measure(
              browser,
              `${url}?lang=zh&data=${cityPath}&cell=${cellMeters}`,
              `${names[index]}city ×${scale}`,
              Boolean(abBuilds),
            ),
          );
        }
      }
    }
  } finally {
    await browser.close();
    for (const server of servers) stopProcess(server.process);
  }
  const round = (value: number) => (Number.isFinite(value) ? Math.round(value) : value);
  // One row per run, then the median of every figure per set (the first run in a fresh browser compiles
  // every shader; later runs find them in Chromium's program cache).
  const medians: Figures[] = [...new Set(results.map((figures) => figures.label))].map((label) => {
    const runsOfSet = results.filter((figures) => figures.label === label);
    const row = { ...runsOfSet[0], label: `${label} (median of ${runsOfSet.length})` } as Figures;
    for (const key of Object.keys(row) as (keyof Figures)[]) {
      if (typeof row[key] === 'number')
        (row as unknown as Record<string, number>)[key] = median(runsOfSet.map((figures) => figures[key] as number));
    }
    row.crashed = runsOfSet.some((figures) => figures.crashed);
    return row;
  });
  console.log('Longest tasks: all, and in brackets without the time spent compiling shaders.');
  console.log(
    "Baseline: the engine on the main thread in the same page (one task that long), first run (cold, like the worker's first) / median of 3 warm; freeze ratio = cold baseline / max(50 ms, longest task while computing), 50 ms being the long-task threshold; worker/main = worker ms / cold baseline (the cost of slicing the run).",
  );
  console.table(
    [...results, ...(runs > 1 ? medians : [])].map((figures) => ({
      set: figures.label,
      cells: figures.residentialCells,
      'ready ms': round(figures.readyMs),
      'data ms': round(figures.dataLoadedMs),
      'main-thread task ms': round(figures.mainThreadTaskMs),
      'browser CPU ms': round(figures.browserCpuMs),
      'compute→drawn ms': round(figures.computeToDrawnMs),
      'worker ms': round(figures.workerComputeMs),
      'longest task computing ms': `${round(figures.longestTaskWhileComputingMs)} (${round(figures.longestTaskWhileComputingWithoutCompileMs)})`,
      'longest task load ms': `${round(figures.longestTaskLoadMs)} (${round(figures.longestTaskLoadWithoutCompileMs)})`,
      'recompute ms': round(figures.recomputeMs),
      'longest task recompute ms': `${round(figures.longestTaskRecomputeMs)} (${round(figures.longestTaskRecomputeWithoutCompileMs)})`,
      'main-thread engine ms cold/warm (baseline)': `${round(figures.mainThreadEngineColdMs)}/${round(figures.mainThreadEngineMs)}`,
      'freeze ratio': `${(figures.mainThreadEngineColdMs / Math.max(50, figures.longestTaskWhileComputingMs)).toFixed(1)}×`,
      'worker/main': `${(figures.workerComputeMs / figures.mainThreadEngineColdMs).toFixed(2)}×`,
      crashed: figures.crashed,
    })),
  );
  if (abBuilds) {
    // Per set: each build's medians and their ratio to A's, for each start-up figure.
    const keys = [
      'readyMs',
      'dataLoadedMs',
      'computeToDrawnMs',
      'mainThreadTaskMs',
      'browserCpuMs',
      'longestTaskLoadMs',
      'longestTaskWhileComputingMs',
    ] as const;
    const sets = [...new Set(results.map((figures) => figures.label.slice(2)))];
    console.log(
      `${abBuilds.map((build, index) => `${names[index].trim()} = ${build}`).join(', ')}: medians of ${runs} alternating loads each`,
    );
    console.table(
      sets.flatMap((set) => {
        const rows = names.map((name) => medians.find((row) => row.label.startsWith(`${name}${set} (`))!);
        return keys.map((key) => {
          const row: Record<string, string | number> = { set, figure: key };
          rows.forEach((figures, index) => {
            row[names[index].trim()] = round(figures[key]);
            if (index > 0) row[`${names[index].trim()}/A`] = (figures[key] / rows[0][key]).toFixed(2);
          });
          return row;
        });
      }),
    );
  }
  mkdirSync(join(root, 'test-output'), { recursive: true });
  writeFileSync(
    join(root, abBuilds ? 'test-output/bench-app-ab.json' : 'test-output/bench-app.json'),
    `${JSON.stringify({ runs: results, medians }, null, 2)}\n`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
