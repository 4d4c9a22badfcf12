/**
 * The coverage CLI's flags: the usage text, parsing (`node:util` parseArgs, strict) and the checks of a
 * coverage run's options, each failure a {@link UsageError} naming the flag and the value.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseRules, presetRules, presets, type RuleSet } from '../../src/coverage';
import { applyReach, decimal, memoryBudget, tilingOptions, UsageError } from './number-options';
import { checkOutputFolder, type OutputFormat } from './output-folder';

/** Printed by `--help` and after every flag error. */
export const usage = `usage: npm run coverage -- --communities F [--residential F] --greenways F --greenspaces F
       [--rules ${Object.keys(presets).join('|')}|FILE.json] [--cell 50] [--format geojson|fgb|tif|parquet] --out DIR
       [--add FILE] [--suggest N [--candidates FILE]] [--crs LAYER=EPSG:NNNN]... [--gcj02 LAYER]...
       [--distance network|straight] [--streets F] [--barriers F] [--entrances F] [--max-output-mb 4096]
       [--reach-m N]  (distances measured up to N m, so failing homes get their real distance; default the largest radius + 100)
       [--tile-km N [--threads K]]  (computes tiles of N km in K worker threads; the same outputs as one run)
       [--memory-mb M]  (tiles automatically, on every core, when one piece would need more than M MB)
       [--osm FILE.osm.pbf|.osm|.osm.gz|.osm.bz2|.json]  (derives the layers not given as flags; writes DIR/derived/)
       [--population F [--buildings F]]  (residents as points or polygons with a count, or a GeoTIFF grid, spread by floor area)
       npm run coverage -- --merge DIR... --out DIR  (adds up the runs' summary.json files)`;

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      communities: { type: 'string' },
      residential: { type: 'string' },
      greenways: { type: 'string' },
      greenspaces: { type: 'string' },
      rules: { type: 'string', default: 'chengdu' },
      cell: { type: 'string', default: '50' },
      format: { type: 'string', default: 'geojson' },
      out: { type: 'string' },
      add: { type: 'string' },
      suggest: { type: 'string' },
      candidates: { type: 'string' },
      osm: { type: 'string' },
      population: { type: 'string' },
      buildings: { type: 'string' },
      crs: { type: 'string', multiple: true },
      gcj02: { type: 'string', multiple: true },
      distance: { type: 'string' },
      streets: { type: 'string' },
      barriers: { type: 'string' },
      entrances: { type: 'string' },
      'max-output-mb': { type: 'string', default: '4096' },
      'reach-m': { type: 'string' },
      'tile-km': { type: 'string' },
      'memory-mb': { type: 'string' },
      threads: { type: 'string' },
      merge: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
}

/** The parsed command line: flags by name and the positionals (`--merge`'s folders). */
export type CliArguments = ReturnType<typeof parse>;
/** The parsed flags by name. */
export type CliValues = CliArguments['values'];

/** Parses the command line; an unknown flag or a missing value is a {@link UsageError} followed by the usage. */
export function parseCliArguments(argv: string[]): CliArguments {
  try {
    return parse(argv);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
}

/** A coverage run's checked options (everything but the input layers). */
export interface RunOptions {
  /** `--out`, resolved; checked to be a writable folder. */
  outDirectory: string;
  cellMeters: number;
  format: OutputFormat;
  /** The rules with `--distance` and `--reach-m` applied. */
  rules: RuleSet;
  /** `--suggest N`, or null. */
  suggestCount: number | null;
  maxOutputMegabytes: number;
  /** `--tile-km` / `--threads`, or null for one piece. */
  tiling: { tileCells: number; threads: number } | null;
  /** `--memory-mb`, or null. */
  budget: number | null;
}

/**
 * Checks a coverage run's flags in the order the user reads them; the output folder is checked before
 * any input is read, so a bad `--out` is found in a millisecond.
 */
export function runOptions(values: CliValues): RunOptions {
  for (const required of ['communities', 'greenways', 'greenspaces', 'out'] as const) {
    if (!values[required] && !(values.osm && required !== 'out')) {
      throw new UsageError(`--${required} is required\n${usage}`);
    }
  }
  const outDirectory = resolve(values.out!);
  checkOutputFolder(outDirectory);
  const cellMeters = decimal(values.cell);
  if (!Number.isFinite(cellMeters) || cellMeters < 10 || cellMeters > 500) {
    throw new UsageError(`--cell ${values.cell}: the cell size must be a number of metres from 10 to 500`);
  }
  const format = values.format;
  if (format !== 'geojson' && format !== 'fgb' && format !== 'tif' && format !== 'parquet') {
    throw new UsageError(`--format ${format}: use geojson, fgb, tif or parquet`);
  }
  const rules = readRules(values.rules);
  if (values.distance !== undefined) {
    if (values.distance !== 'network' && values.distance !== 'straight')
      throw new UsageError(`--distance ${values.distance}: use network or straight`);
    rules.distance = values.distance;
  }
  if (values['reach-m'] !== undefined) applyReach(rules, values['reach-m']);
  if (rules.distance === 'network' && !values.streets && !values.osm) {
    throw new UsageError(
      `walking distance (${values.distance ? '--distance network' : `rules "${rules.id}"`}) needs --streets FILE (the walkable network, LineStrings) or --osm FILE`,
    );
  }
  const suggestCount = values.suggest === undefined ? null : decimal(values.suggest);
  const maxOutputMegabytes = decimal(values['max-output-mb']);
  if (!(maxOutputMegabytes > 0)) {
    throw new UsageError(`--max-output-mb ${values['max-output-mb']}: give a number of megabytes above 0`);
  }
  if (suggestCount !== null && !(Number.isInteger(suggestCount) && suggestCount >= 1 && suggestCount <= 1000)) {
    throw new UsageError(`--suggest ${values.suggest}: the number of sites must be a whole number from 1 to 1000`);
  }
  if (values.candidates && suggestCount === null) throw new UsageError('--candidates needs --suggest N');
  const tiling = tilingOptions(values['tile-km'], values.threads, cellMeters);
  const budget = memoryBudget(values['memory-mb']);
  return { outDirectory, cellMeters, format, rules, suggestCount, maxOutputMegabytes, tiling, budget };
}

/** `--rules`: a preset's name or a rules .json file. */
function readRules(value: string): RuleSet {
  if (Object.hasOwn(presets, value)) return presetRules(value);
  if (!/\.json$/i.test(value)) {
    throw new UsageError(
      `--rules "${value}" is neither a preset (${Object.keys(presets).join(', ')}) nor a .json file`,
    );
  }
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch {
    throw new UsageError(`${value}: no such rules file`);
  }
  try {
    return parseRules(JSON.parse(text.replace(/^\uFEFF/, '')));
  } catch (error) {
    throw new UsageError(`${basename(value)}: ${(error as Error).message}`);
  }
}
