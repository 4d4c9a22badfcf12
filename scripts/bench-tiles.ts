/**
 * Tiled runs against one piece (`npm run bench:tiles`): the CLI end to end on a seeded 40 × 40 km city at
 * 10 m cells (16M cells; a Chengdu-density synthetic city of bench-engine.ts, scaled to the area), written
 * as GeoTIFF, in one piece and with `--tile-km N --threads K`. Wall time and the process's peak resident
 * set (VmHWM, every worker thread included) of each run; the outputs are compared byte for byte. Then the
 * engine alone, each in a fresh process: the whole grid in one piece, the tiles in 2 worker threads, and
 * one tile of `--worker-tile-km` computed in the main thread (an upper bound for what a worker holds).
 *
 *   npm run bench:tiles [-- --size-km 40] [--cell 10] [--runs 1] [--tile-km 10] [--worker-tile-km 20]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCoverage, computeTile, planCoverage, presetRules, snapshotCoverage, tileWindows } from '../src/coverage';
import { computeTiledInWorkers } from './cli/tile-workers';
import { syntheticCity } from './synthetic-city';

const { values } = parseArgs({
  options: {
    'size-km': { type: 'string', default: '40' },
    cell: { type: 'string', default: '10' },
    runs: { type: 'string', default: '1' },
    'tile-km': { type: 'string', default: '10' },
    'worker-tile-km': { type: 'string', default: '20' },
    probe: { type: 'string' },
  },
});
const sizeKm = Number(values['size-km']);
const scale = (sizeKm / 50) ** 2;
const city = syntheticCity({
  seed: 1,
  sizeMeters: sizeKm * 1000,
  communitiesPerSide: Math.round(20 * (sizeKm / 50)),
  greenwayCount: Math.round(187 * scale),
  microParkCount: Math.round(240 * scale),
  parkCount: Math.round(400 * scale),
  otherGreenCount: Math.round(600 * scale),
});
const cellMeters = Number(values.cell);

if (values.probe) {
  // Child mode: the engine alone, then this process's peak resident set (every thread included).
  const rules = presetRules('chengdu');
  const started = performance.now();
  let cells = 0;
  if (values.probe === 'whole') cells = snapshotCoverage(buildCoverage(city, rules, cellMeters)).cellIndex.length;
  else {
    const plan = planCoverage(city, rules, cellMeters);
    if (values.probe === 'tiled') {
      const windows = tileWindows(plan.grid, Math.floor((Number(values['tile-km']) * 1000) / cellMeters));
      cells = (await computeTiledInWorkers(plan, windows, 2, {})).cellIndex.length;
    } else {
      const [window] = tileWindows(plan.grid, Math.floor((Number(values['worker-tile-km']) * 1000) / cellMeters));
      cells = (window.rowEnd - window.rowStart) * (window.columnEnd - window.columnStart);
      computeTile(plan, window);
    }
  }
  const ms = performance.now() - started;
  const highWater = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  process.stdout.write(JSON.stringify({ ms, cells, peakMegabytes: Number(highWater![1]) / 1024 }));
  process.exit(0);
}

const directory = mkdtempSync(join(tmpdir(), 'greenreach-bench-tiles-'));
for (const name of ['communities', 'greenways', 'greenspaces'] as const) {
  writeFileSync(join(directory, `${name}.geojson`), JSON.stringify(city[name]));
}
const root = new URL('..', import.meta.url).pathname;

/** One CLI run: wall time, peak RSS and the run's own timings. */
function runCli(out: string, extra: string[]) {
  const peakFile = join(directory, `${out}.peak`);
  const args = ['--import', './scripts/peak-memory.mjs', 'scripts/run-cli.mjs'];
  for (const name of ['communities', 'greenways', 'greenspaces'])
    args.push(`--${name}`, join(directory, `${name}.geojson`));
  args.push('--cell', values.cell, '--format', 'tif', '--out', join(directory, out), ...extra);
  const started = performance.now();
  const done = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GREENREACH_PEAK_FILE: peakFile },
  });
  const wallMs = performance.now() - started;
  if (done.status !== 0) throw new Error(`CLI ${extra.join(' ')} failed: ${done.stderr}`);
  const summary = JSON.parse(readFileSync(join(directory, out, 'summary.json'), 'utf8'));
  return { wallMs, peakMegabytes: Number(readFileSync(peakFile, 'utf8')) / 1024, summary };
}

/** A run's files, summary.json without its timings. */
function outputs(out: string): string {
  return readdirSync(join(directory, out))
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(directory, out, name));
      if (name !== 'summary.json') return bytes.toString('base64');
      const { timings_ms: _, ...summary } = JSON.parse(bytes.toString('utf8'));
      return JSON.stringify(summary);
    })
    .join('\n');
}

const cases = [
  { label: 'one piece', extra: [] as string[] },
  { label: `--tile-km ${values['tile-km']} --threads 1`, extra: ['--tile-km', values['tile-km'], '--threads', '1'] },
  { label: `--tile-km ${values['tile-km']} --threads 2`, extra: ['--tile-km', values['tile-km'], '--threads', '2'] },
];
console.log(
  `GreenReach tiled-run benchmark — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0].toFixed(1)}`,
);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let reference: string | null = null;
for (const [index, { label, extra }] of cases.entries()) {
  const runs = Array.from({ length: Number(values.runs) }, (_, run) => runCli(`case-${index}-${run}`, extra));
  const same = outputs(`case-${index}-0`);
  reference ??= same;
  const { summary } = runs[0];
  const timings = summary.timings_ms;
  if (index === 0) {
    console.log(
      `city: ${sizeKm} × ${sizeKm} km, ${summary.grid.rows * summary.grid.columns} cells of ${values.cell} m (${summary.cells} residential), GeoTIFF output; median of ${runs.length}\n`,
    );
  }
  console.log(
    `${label.padEnd(26)} wall ${median(runs.map((r) => r.wallMs))
      .toFixed(0)
      .padStart(6)} ms  peak RSS ${median(runs.map((r) => r.peakMegabytes))
      .toFixed(0)
      .padStart(
        5,
      )} MB  (read ${timings.read}, compute ${timings.compute}, gaps ${timings.gaps}, write ${timings.write} ms)  outputs ${same === reference ? 'identical' : 'DIFFER'}`,
  );
  if (same !== reference) process.exitCode = 1;
}

console.log('\nengine alone, fresh process each (input included):');
for (const [probe, label] of [
  ['whole', 'one piece'],
  ['tiled', `tiles of ${values['tile-km']} km, 2 worker threads`],
  ['tile', `one tile of ${values['worker-tile-km']} km, main thread`],
]) {
  const done = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1], ...process.argv.slice(2), '--probe', probe],
    { encoding: 'utf8' },
  );
  if (done.status !== 0) throw new Error(`probe ${probe} failed: ${done.stderr}`);
  const { ms, cells, peakMegabytes } = JSON.parse(done.stdout);
  console.log(
    `${label.padEnd(40)} ${String(cells).padStart(9)} cells  ${ms.toFixed(0).padStart(6)} ms  peak RSS ${peakMegabytes.toFixed(0).padStart(5)} MB`,
  );
}
rmSync(directory, { recursive: true, force: true });
