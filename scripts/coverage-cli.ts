/**
 * The coverage CLI (a stable interface: other tools and tests call it).
 *
 *   npm run coverage -- --communities F [--residential F] --greenways F --greenspaces F
 *     [--rules chengdu|who|eu|gbt51346|natural-england|FILE.json] [--cell 50] [--format geojson|fgb] --out DIR
 *     [--add FILE] [--suggest N [--candidates FILE]]
 *
 * Writes DIR/cells.geojson (or cells.fgb), DIR/communities.geojson and DIR/summary.json. `--add` applies a
 * scenario (new features with `kind`: lines are greenways, polygons green spaces) before the figures are
 * taken; `--suggest N` also writes DIR/suggestions.geojson, the N best new pocket parks in rank order. Bad input:
 * one line on stderr naming the file, the feature and the problem, exit status 2, nothing written.
 */
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { FeatureCollection } from 'geojson';
import {
  addFeature,
  buildCoverage,
  type CoverageLayers,
  InputError,
  parseRules,
  prepareGreenFeature,
  presetRules,
  presets,
  type RuleSet,
  snapshotCoverage,
} from '../src/coverage';
import { type SuggestResult, suggestionCollection, suggestSites } from '../src/coverage/suggest';
import {
  cellColumns,
  cellFeatures,
  cellGeoJsonChunks,
  communityCollection,
  summaryRecord,
} from '../src/io/coverage-export';
import { flatGeobufChunks, readFlatGeobuf } from '../src/io/flatgeobuf';
import { readGeoJson, writeGeoJson } from '../src/io/geojson';
import { FileError } from '../src/io/input-error';

const usage = `usage: npm run coverage -- --communities F [--residential F] --greenways F --greenspaces F
       [--rules ${Object.keys(presets).join('|')}|FILE.json] [--cell 50] [--format geojson|fgb] --out DIR
       [--add FILE] [--suggest N [--candidates FILE]]`;

/** A problem the user can fix: printed as one line, exit status 2. */
class UsageError extends Error {}

type LayerName = 'communities' | 'residential' | 'greenways' | 'greenspaces';

function readLayer(path: string): FeatureCollection {
  const name = basename(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : 'cannot be read'}`,
    );
  }
  const extension = extname(path).toLowerCase();
  if (extension === '.fgb')
    return readFlatGeobuf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), name);
  if (extension === '.geojson' || extension === '.json' || extension === '.geojsonl' || extension === '.ndjson') {
    return readGeoJson(bytes.toString('utf8'), name);
  }
  throw new UsageError(`${path}: unsupported format "${extension}" (use .geojson, .json or .fgb)`);
}

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

function progressLine(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(40)}`);
}

function main(argv: string[]): void {
  const started = performance.now();
  let options: ReturnType<typeof parse>;
  try {
    options = parse(argv);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  const { values } = options;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  for (const required of ['communities', 'greenways', 'greenspaces', 'out'] as const) {
    if (!values[required]) throw new UsageError(`--${required} is required\n${usage}`);
  }
  const cellMeters = Number(values.cell);
  if (!Number.isFinite(cellMeters) || cellMeters < 10 || cellMeters > 500) {
    throw new UsageError(`--cell ${values.cell}: the cell size must be a number of metres from 10 to 500`);
  }
  const format = values.format;
  if (format !== 'geojson' && format !== 'fgb') throw new UsageError(`--format ${format}: use geojson or fgb`);
  const rules = readRules(values.rules);
  const suggestCount = values.suggest === undefined ? null : Number(values.suggest);
  if (suggestCount !== null && !(Number.isInteger(suggestCount) && suggestCount >= 1 && suggestCount <= 1000)) {
    throw new UsageError(`--suggest ${values.suggest}: the number of sites must be a whole number from 1 to 1000`);
  }
  if (values.candidates && suggestCount === null) throw new UsageError('--candidates needs --suggest N');
  const addLayer = values.add ? readLayer(values.add) : null;
  const candidateLayer = values.candidates ? readLayer(values.candidates) : null;

  const files: Partial<Record<LayerName, string>> = {};
  const layers: Partial<Record<LayerName, FeatureCollection>> = {};
  for (const layer of ['communities', 'residential', 'greenways', 'greenspaces'] as const) {
    const path = values[layer];
    if (!path) continue;
    files[layer] = basename(path);
    layers[layer] = readLayer(path);
  }
  const readMs = performance.now() - started;
  progressLine('computing coverage…');

  const computeStarted = performance.now();
  let model: ReturnType<typeof buildCoverage>;
  try {
    model = buildCoverage(layers as CoverageLayers, rules, cellMeters, (progress) =>
      progressLine(`computing coverage ${Math.round(progress.fraction * 100)}%`),
    );
  } catch (error) {
    if (error instanceof InputError) {
      const file = files[error.layer as LayerName] ?? error.layer;
      throw new FileError(file, error.featureIndex, error.problem);
    }
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  if (addLayer) applyScenario(model, addLayer, basename(values.add!));
  const computeMs = performance.now() - computeStarted;
  const result = snapshotCoverage(model);
  let suggestions: SuggestResult | null = null;
  if (suggestCount !== null) {
    progressLine('suggesting sites…');
    try {
      suggestions = suggestSites(model, suggestCount, { candidates: candidateLayer });
    } catch (error) {
      if (error instanceof InputError)
        throw new FileError(basename(values.candidates!), error.featureIndex, error.problem);
      throw error;
    }
  }
  progressLine(`writing ${result.cellIndex.length} cells…`);

  // Write everything into a fresh directory beside the target, then move the files in: a failure
  // leaves no partial output behind.
  const outDirectory = resolve(values.out!);
  mkdirSync(outDirectory, { recursive: true });
  const staging = mkdtempSync(join(outDirectory, '.greenreach-'));
  try {
    const writeStarted = performance.now();
    const cellsName = format === 'fgb' ? 'cells.fgb' : 'cells.geojson';
    // Cells are streamed to disk in both formats: a million cells never become one object in memory.
    const chunks: Iterable<string | Uint8Array> =
      format === 'fgb'
        ? flatGeobufChunks(cellFeatures(result), { layerName: 'cells', columns: cellColumns })
        : cellGeoJsonChunks(result);
    const descriptor = openSync(join(staging, cellsName), 'w');
    try {
      for (const chunk of chunks) writeSync(descriptor, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    } finally {
      closeSync(descriptor);
    }
    writeFileSync(join(staging, 'communities.geojson'), writeGeoJson(communityCollection(result, layers.communities!)));
    const written = [cellsName, 'communities.geojson', 'summary.json'];
    if (suggestions) {
      writeFileSync(join(staging, 'suggestions.geojson'), writeGeoJson(suggestionCollection(suggestions)));
      written.push('suggestions.geojson');
    }
    const writeMs = performance.now() - writeStarted;
    result.timingsMs = {
      read: round(readMs),
      compute: round(computeMs),
      write: round(writeMs),
      total: round(performance.now() - started),
    };
    const summary = summaryRecord(result, {
      inputs: { ...files, ...(values.add ? { add: basename(values.add) } : {}) },
      cells_file: cellsName,
      ...(suggestions ? { suggestions_file: 'suggestions.geojson' } : {}),
    });
    writeFileSync(join(staging, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    for (const name of written) renameSync(join(staging, name), join(outDirectory, name));
    progressLine('');
    if (process.stderr.isTTY) process.stderr.write('\r');
    const city = result.summary.city;
    process.stdout.write(
      `${city.cells} residential cells of ${cellMeters} m; meeting green ${city.cellsMeetingGreen ?? '—'}, park ${city.cellsMeetingPark ?? '—'}, both ${city.cellsMeetingBoth}; wrote ${outDirectory} in ${Math.round(performance.now() - started)} ms\n`,
    );
    if (suggestions) process.stdout.write(`${describeSuggestions(suggestions)}\n`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Adds a scenario's features to the model: lines are greenways, everything else a green space with `kind`. */
function applyScenario(model: ReturnType<typeof buildCoverage>, layer: FeatureCollection, file: string): void {
  layer.features.forEach((feature, index) => {
    const type = feature.geometry?.type;
    const kind = type === 'LineString' || type === 'MultiLineString' ? 'greenways' : 'greenspaces';
    let prepared: ReturnType<typeof prepareGreenFeature>;
    try {
      prepared = prepareGreenFeature(feature, model.nextFeatureId, kind, index);
    } catch (error) {
      if (error instanceof InputError) throw new FileError(file, index, error.problem);
      throw error;
    }
    if (prepared) addFeature(model, prepared);
    else model.skipped.push({ layer: 'add', featureIndex: index, reason: 'null or empty geometry' });
  });
}

function describeSuggestions(suggestions: SuggestResult): string {
  const { sites, before, after } = suggestions;
  if (sites.length === 0) {
    return `suggested no sites: ${suggestions.candidateCount} candidates, none would bring a home within reach of every rule`;
  }
  const residents =
    after.populationMeetingBoth === null
      ? ''
      : `, ${Math.round((after.populationMeetingBoth - before.populationMeetingBoth!) * 10) / 10} residents`;
  return `suggested ${sites.length} sites of ${suggestions.site.areaSquareMeters} m² (${suggestions.site.kind}) from ${suggestions.candidateCount} candidates: +${after.cellsMeetingBoth - before.cellsMeetingBoth} cells${residents} meeting both; wrote suggestions.geojson`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

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
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (process.stderr.isTTY) process.stderr.write('\r');
  if (error instanceof UsageError || error instanceof FileError || error instanceof InputError) {
    process.stderr.write(`greenreach: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`greenreach: internal error: ${(error as Error)?.message ?? error}\n`);
  if (process.env.DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
  process.exit(1);
}
