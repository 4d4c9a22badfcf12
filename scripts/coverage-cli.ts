/**
 * The coverage CLI (a stable interface: other tools and tests call it).
 *
 *   npm run coverage -- --communities F [--residential F] --greenways F --greenspaces F
 *     [--rules chengdu|who|eu|gbt51346|natural-england|FILE.json] [--cell 50] [--format geojson|fgb|tif|parquet] --out DIR
 *     [--add FILE] [--suggest N [--candidates FILE]] [--crs LAYER=EPSG:NNNN]… [--gcj02 LAYER]…
 *     [--distance network|straight] [--streets F] [--barriers F] [--entrances F] [--reach-m N]
 *     [--tile-km N [--threads K]] [--memory-mb M]
 *   npm run coverage -- --osm FILE [--communities F]… --out DIR   (layers derived from an OSM extract)
 *   npm run coverage -- --merge DIR… --out DIR   (adds up the summary.json files of independent runs)
 *
 * Walking distance (`--distance network`, or rules with "distance": "network" such as `--rules parkserve`)
 * needs `--streets` (LineStrings; OSM tags are filtered by the walk rules), or an `--osm` extract whose
 * streets are derived; `--barriers` (lines/polygons) and `--entrances` (points) are optional. Cells then
 * also get green_straight_m, park_straight_m and off_network, and summary.json `network` and
 * `cells_meeting_both_straight`.
 *
 * Every input may be GeoJSON (also newline-delimited), FlatGeobuf, a zipped Shapefile or (points) CSV:
 * src/io/read-layer.ts reads it, converts it to WGS84 and validates it for its layer.
 * Writes DIR/cells.geojson (or cells.fgb, cells.tif + cells-verdicts.tif, cells.parquet + communities.parquet), DIR/communities.geojson, DIR/communities.csv, DIR/gaps.geojson
 * and DIR/summary.json. `--add` applies a
 * scenario (new features with `kind`: lines are greenways, polygons green spaces) before the figures are
 * taken; `--suggest N` also writes DIR/suggestions.geojson, the N best new pocket parks in rank order. Bad input:
 * one line on stderr naming the file, the feature and the problem, exit status 2, nothing written.
 *
 * This entry only composes the steps in scripts/cli/: arguments.ts (usage, flags, checks), read-inputs.ts
 * (with layer-files.ts and osm-input.ts), compute-run.ts (with tile-workers.ts), write-outputs.ts (with
 * run-summary.ts and output-folder.ts), run-text.ts (progress and descriptions) and merge-run.ts.
 */
import { resolve } from 'node:path';
import { InputError } from '../src/coverage';
import { parseCliArguments, runOptions, usage } from './cli/arguments';
import { computeRun } from './cli/compute-run';
import { mergeRun } from './cli/merge-run';
import { MergeError } from './cli/merge-summaries';
import { UsageError } from './cli/number-options';
import { OutputError } from './cli/output-folder';
import { readInputs } from './cli/read-inputs';
import { progressLine } from './cli/run-text';
import { isTileWorker } from './cli/tile-workers';
import { writeOutputs } from './cli/write-outputs';

/** One run: flags, then the inputs, the coverage (and suggestions), and the outputs. */
async function main(argv: string[]): Promise<void> {
  const started = performance.now();
  const { values, positionals } = parseCliArguments(argv);
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (values.merge) {
    if (!values.out) throw new UsageError(`--out is required\n${usage}`);
    mergeRun(positionals, resolve(values.out));
    return;
  }
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}" (folders are given only with --merge)\n${usage}`);
  }
  const options = runOptions(values);
  const inputs = await readInputs(values, options.rules, options.suggestCount);
  const readMs = performance.now() - started;
  progressLine('computing coverage…');
  const computed = await computeRun(inputs, options, values);
  await writeOutputs(computed, inputs, options, values, started, readMs);
}

// The same script runs the tile workers of a tiled run (scripts/cli/tile-workers.ts serves them).
if (!isTileWorker()) runCli();

function runCli(): void {
  main(process.argv.slice(2)).catch((error) => {
    if (process.stderr.isTTY) process.stderr.write('\r');
    if (
      error instanceof UsageError ||
      error instanceof InputError ||
      error instanceof OutputError ||
      error instanceof MergeError
    ) {
      process.stderr.write(`greenreach: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`greenreach: internal error: ${(error as Error)?.message ?? error}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
    process.exit(1);
  });
}
