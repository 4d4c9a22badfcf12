/**
 * Tiled runs against one piece (`npm run bench:tiles`): the CLI end to end on a seeded 40 × 40 km city at
 * 10 m cells (16M cells; a Chengdu-density synthetic city of bench-engine.ts, scaled to the area), written
 * as GeoTIFF, in one piece and with `--tile-km N --threads K`. Wall time and the process's peak resident
 * set (VmHWM, every worker thread included) of each run; the outputs are compared byte for byte. Then the
 * engine alone, each in a fresh process: the whole grid in one piece, the tiles in 2 worker threads, and
 * one tile of `--worker-tile-km` computed in the main thread (an upper bound for what a worker holds).
 * Walking distance: the CLI in one piece and tiled on 2 threads on a city of `--walk-size-km` at
 * `--walk-cell` m with a street lattice (scripts/street-lattice.ts), outputs compared; then, in one fresh
 * process, the engine in one piece and tiled on 2 worker threads, alternately, `--time-runs` times each,
 * in both distance modes: the medians and their ratio.
 *
 *   npm run bench:tiles [-- --size-km 40] [--cell 10] [--runs 1] [--tile-km 10] [--worker-tile-km 20]
 *     [--walk-size-km 40] [--walk-cell 20] [--time-runs 3] [--skip-straight-cli]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildCoverage,
  computeTile,
  planCoverage,
  planWalking,
  presetRules,
  snapshotCoverage,
  tileWindows,
} from '../src/coverage';
import { computeTiledInWorkers } from './cli/tile-workers';
import { streetLattice } from './street-lattice';
import { syntheticCity } from './synthetic-city';

const { values } = parseArgs({
  options: {
    'size-km': { type: 'string', default: '40' },
    cell: { type: 'string', default: '10' },
    runs: { type: 'string', default: '1' },
    'tile-km': { type: 'string', default: '10' },
    'worker-tile-km': { type: 'string', default: '20' },
    probe: { type: 'string' },
    'walk-size-km': { type: 'string', default: '40' },
    'walk-cell': { type: 'string', default: '20' },
    'time-runs': { type: 'string', default: '3' },
    'skip-straight-cli': { type: 'boolean', default: false },
  },
});
/** The engine benchmark's Chengdu-density city scaled to a square of `sizeKm`. */
function scaledCity(sizeKm: number) {
  const scale = (sizeKm / 50) ** 2;
  return syntheticCity({
    seed: 1,
    sizeMeters: sizeKm * 1000,
    communitiesPerSide: Math.round(20 * (sizeKm / 50)),
    greenwayCount: Math.round(187 * scale),
    microParkCount: Math.round(240 * scale),
    parkCount: Math.round(400 * scale),
    otherGreenCount: Math.round(600 * scale),
  });
}
const sizeKm = Number(values['size-km']);
const city = scaledCity(sizeKm);
const cellMeters = Number(values.cell);
const walkSizeKm = Number(values['walk-size-km']);
const walkCellMeters = Number(values['walk-cell']);
/** The walking city: the same city with bench-network.ts's street lattice (158 m) and rivers, scaled. */
function walkingLayers() {
  return { ...scaledCity(walkSizeKm), ...streetLattice(walkSizeKm * 1000, 158, { lng: 104.07, lat: 30.66 }) };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (values.probe === 'time') {
  // Child mode: one piece and tiles on 2 threads, alternately, in both modes; medians and their ratio.
  const walkCity = walkingLayers();
  const tileCells = Math.floor((Number(values['tile-km']) * 1000) / walkCellMeters);
  for (const distance of ['straight', 'network'] as const) {
    const rules = presetRules('chengdu');
    rules.distance = distance;
    const whole: number[] = [];
    const tiled: number[] = [];
    let same = true;
    for (let run = 0; run < Number(values['time-runs']); run++) {
      let started = performance.now();
      const one = snapshotCoverage(buildCoverage(walkCity, rules, walkCellMeters));
      whole.push(performance.now() - started);
      started = performance.now();
      const plan = planCoverage(walkCity, rules, walkCellMeters);
      const walking = distance === 'network' ? planWalking(plan, walkCity) : null;
      const tiles = await computeTiledInWorkers(plan, tileWindows(plan.grid, tileCells), 2, {}, () => {}, walking);
      tiled.push(performance.now() - started);
      const bytes = (array: Float32Array | null) => Buffer.from(array!.buffer, array!.byteOffset, array!.byteLength);
      same &&=
        bytes(one.parkMeters).equals(bytes(tiles.parkMeters)) &&
        bytes(one.greenMeters).equals(bytes(tiles.greenMeters));
    }
    process.stdout.write(
      `${JSON.stringify({ distance, cells: (walkSizeKm * 1000) ** 2 / walkCellMeters ** 2, whole, tiled, same })}\n`,
    );
  }
  process.exit(0);
}

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
const root = new URL('..', import.meta.url).pathname;

/** Writes a city's layers as GeoJSON into `folder` of the bench directory; returns the CLI's input options. */
function writeInputs(folder: string, layers: object, names: string[]): string[] {
  mkdirSync(join(directory, folder), { recursive: true });
  return names.flatMap((name) => {
    const file = join(directory, folder, `${name}.geojson`);
    writeFileSync(file, JSON.stringify((layers as Record<string, unknown>)[name]));
    return [`--${name}`, file];
  });
}
const straightInputs = writeInputs('straight-input', city, ['communities', 'greenways', 'greenspaces']);

/** One CLI run: wall time, peak RSS and the run's own timings. */
function runCli(out: string, extra: string[]) {
  const peakFile = join(directory, `${out}.peak`);
  const args = ['--import', './scripts/peak-memory.mjs', 'scripts/run-cli.mjs'];
  args.push('--format', 'tif', '--out', join(directory, out), ...extra);
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

console.log(
  `GreenReach tiled-run benchmark — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0].toFixed(1)}`,
);
const tileKm = values['tile-km'];

/** Runs each case `--runs` times and prints a row per case; the outputs must equal the first case's. */
function cliTable(
  title: (summary: { grid: { rows: number; columns: number }; cells: number }) => string,
  prefix: string,
  cases: { label: string; extra: string[] }[],
) {
  let reference: string | null = null;
  for (const [index, { label, extra }] of cases.entries()) {
    const runs = Array.from({ length: Number(values.runs) }, (_, run) => runCli(`${prefix}-${index}-${run}`, extra));
    const same = outputs(`${prefix}-${index}-0`);
    reference ??= same;
    const { summary } = runs[0];
    const timings = summary.timings_ms;
    if (index === 0) console.log(`\n${title(summary)}; median of ${runs.length}\n`);
    console.log(
      `${label.padEnd(34)} wall ${median(runs.map((r) => r.wallMs))
        .toFixed(0)
        .padStart(6)} ms  peak RSS ${median(runs.map((r) => r.peakMegabytes))
        .toFixed(0)
        .padStart(
          5,
        )} MB  (read ${timings.read}, compute ${timings.compute}, gaps ${timings.gaps}, write ${timings.write} ms)  outputs ${same === reference ? 'identical' : 'DIFFER'}`,
    );
    if (same !== reference) process.exitCode = 1;
  }
}

if (!values['skip-straight-cli']) {
  const base = [...straightInputs, '--cell', values.cell];
  cliTable(
    (summary) =>
      `city: ${sizeKm} × ${sizeKm} km, ${summary.grid.rows * summary.grid.columns} cells of ${values.cell} m (${summary.cells} residential), GeoTIFF output`,
    'straight',
    [
      { label: 'one piece', extra: base },
      { label: `--tile-km ${tileKm} --threads 1`, extra: [...base, '--tile-km', tileKm, '--threads', '1'] },
      { label: `--tile-km ${tileKm} --threads 2`, extra: [...base, '--tile-km', tileKm, '--threads', '2'] },
    ],
  );
}

const walkCity = walkingLayers();
const walkBase = [
  ...writeInputs('walking-input', walkCity, ['communities', 'greenways', 'greenspaces', 'streets', 'barriers']),
  '--cell',
  values['walk-cell'],
  '--distance',
  'network',
];
cliTable(
  (summary) =>
    `walking distance: ${walkSizeKm} × ${walkSizeKm} km, ${summary.grid.rows * summary.grid.columns} cells of ${values['walk-cell']} m (${summary.cells} residential), ${walkCity.streets.features.length} street lines, GeoTIFF output`,
  'walking',
  [
    { label: 'walking, one piece', extra: walkBase },
    { label: `walking, --tile-km ${tileKm} --threads 2`, extra: [...walkBase, '--tile-km', tileKm, '--threads', '2'] },
  ],
);

console.log('\nengine alone, fresh process each (input included):');
for (const [probe, label] of [
  ['whole', 'one piece'],
  ['tiled', `tiles of ${tileKm} km, 2 worker threads`],
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

console.log(
  `\nengine time, one process, ${walkSizeKm} × ${walkSizeKm} km at ${values['walk-cell']} m, one piece and tiles of ${tileKm} km on 2 worker threads alternately (${values['time-runs']} runs each, medians):`,
);
const timed = spawnSync(
  process.execPath,
  [...process.execArgv, process.argv[1], ...process.argv.slice(2), '--probe', 'time'],
  { encoding: 'utf8', maxBuffer: 2 ** 26 },
);
if (timed.status !== 0) throw new Error(`time probe failed: ${timed.stderr}`);
for (const line of timed.stdout.trim().split('\n')) {
  const { distance, cells, whole, tiled, same } = JSON.parse(line);
  const format = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(
    `${distance.padEnd(9)} ${cells} cells: one piece ${median(whole).toFixed(0)} ms (${format(whole)}), tiled ${median(tiled).toFixed(0)} ms (${format(tiled)}), tiled / one piece ${(median(tiled) / median(whole)).toFixed(2)}×, distances ${same ? 'identical' : 'DIFFER'}`,
  );
  if (!same) process.exitCode = 1;
}
rmSync(directory, { recursive: true, force: true });
