/**
 * The CLI's output folder: checked before any input is read, a staging folder per run that is removed on
 * failure, on SIGINT/SIGTERM and (when a killed run left one behind) on the next run, an output size
 * estimate checked before writing, and stale files of earlier runs removed once the new ones are in.
 */
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CoverageResult } from '../../src/coverage';
import { cellProperties } from '../../src/io/coverage-export';

/** A problem with the output the user can fix (the CLI prints it and exits 2). */
export class OutputError extends Error {}

export type OutputFormat = 'geojson' | 'fgb' | 'tif' | 'parquet';

/** Every file a run may write into the folder (besides `derived/`), for removing stale ones. */
export const outputFiles = [
  'cells.geojson',
  'cells.fgb',
  'cells.tif',
  'cells-verdicts.tif',
  'cells.parquet',
  'communities.parquet',
  'communities.geojson',
  'communities.csv',
  'gaps.geojson',
  'summary.json',
  'suggestions.geojson',
];

const STAGING_PREFIX = '.greenreach-';

/**
 * Makes sure `out` is a folder we can write (creating it), before inputs are read: a file, a path
 * through a file or an unwritable folder is an OutputError naming the path.
 */
export function checkOutputFolder(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new OutputError(`--out ${out}: is a file, not a folder`);
  }
  try {
    mkdirSync(out, { recursive: true });
    accessSync(out, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'cannot be written (permission denied)'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'lies under a file, not a folder'
          : `cannot be created (${code ?? (error as Error).message})`;
    throw new OutputError(`--out ${out}: ${why}`);
  }
}

/** True when a process with this id is running (so its staging folder is in use). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes staging folders that runs killed outright (SIGKILL, power loss) left behind: `.greenreach-PID-…`
 * of a process that is gone, and those of older versions without a PID. Returns their names.
 */
export function removeStaleStaging(out: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(out)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const match = /^\.greenreach-(\d+)-/.exec(name);
    if (match && (Number(match[1]) === process.pid || isAlive(Number(match[1])))) continue;
    rmSync(join(out, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * A fresh staging folder in `out`, removed by `dispose()`, and also on SIGINT/SIGTERM while it exists
 * (the run then exits 130/143). The handlers are installed only while staging exists, so that an
 * interrupt during reading or computing still stops the process at once, as by default.
 */
export function createStaging(out: string): { path: string; dispose: () => void } {
  const path = mkdtempSync(join(out, `${STAGING_PREFIX}${process.pid}-`));
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(path, { recursive: true, force: true });
    process.stderr.write(`\ngreenreach: interrupted (${signal}); removed the partial output\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    path,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Lets pending signals be handled between pieces of a long synchronous write. */
export function yieldToSignals(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * About how many bytes the cells file(s) of `format` take: GeoJSON from the mean length of sampled
 * features, FlatGeobuf from its fixed per-feature layout, GeoParquet from measured per-cell sizes, and
 * GeoTIFF (uncompressed, an upper bound) from the grid. Good to within tens of percent: it is for
 * refusing a 20 GB run before writing, not for accounting.
 */
export function estimateCellsBytes(result: CoverageResult, format: OutputFormat): number {
  const cells = result.cellIndex.length;
  const { columns, rows } = result.grid;
  const bands = result.distance === 'network' ? 4 : 2;
  if (format === 'tif') return columns * rows * (4 * bands + 1) + 4096;
  const step = Math.max(1, Math.floor(cells / 200));
  let sampled = 0;
  let jsonBytes = 0;
  for (let k = 0; k < cells; k += step) {
    sampled++;
    jsonBytes += JSON.stringify(cellProperties(result, k)).length;
  }
  const propertiesBytes = sampled ? jsonBytes / sampled : 0;
  // Per cell: GeoJSON ~190 bytes of geometry and framing; FlatGeobuf 148 + ~40% of the JSON length
  // for the values and 40 for the index node; Parquet ~100 bytes (WKB 93, bbox 32, values, compressed).
  const perCell = format === 'geojson' ? 190 + propertiesBytes : format === 'fgb' ? 188 + 0.4 * propertiesBytes : 140;
  return Math.round(cells * perCell);
}

/** Removes files an earlier run left that this run did not write (e.g. suggestions.geojson, cells.fgb). */
export function removeStaleOutputs(out: string, written: readonly string[]): string[] {
  const removed: string[] = [];
  for (const name of outputFiles) {
    if (written.includes(name) || !existsSync(join(out, name))) continue;
    rmSync(join(out, name), { force: true });
    removed.push(name);
  }
  return removed;
}
