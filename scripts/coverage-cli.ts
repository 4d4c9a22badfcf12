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
 */
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { InputError } from '../src/coverage';
import { suggestionCollection } from '../src/coverage/suggest';
import {
  cellGeoJsonChunks,
  communityCollection,
  communityCsv,
  gapCollection,
  rulesRecord,
  summaryRecord,
} from '../src/io/coverage-export';
import { flatGeobufCellChunks } from '../src/io/flatgeobuf-cells';
import { writeGeoJson } from '../src/io/geojson';
import { cellsParquetChunks, communitiesParquetBytes } from '../src/io/geoparquet-cells';
import { geotiffChunks } from '../src/io/geotiff-cells';
import type { ReadLayerResult } from '../src/io/read-layer';
import { parseCliArguments, runOptions, usage } from './cli/arguments';
import { computeRun } from './cli/compute-run';
import { type LayerName, layerNames } from './cli/layer-files';
import { mergeRun } from './cli/merge-run';
import { MergeError } from './cli/merge-summaries';
import { UsageError } from './cli/number-options';
import {
  createStaging,
  estimateCellsBytes,
  OutputError,
  removeStaleOutputs,
  removeStaleStaging,
  yieldToSignals,
} from './cli/output-folder';
import { parquetGzip } from './cli/parquet-compression';
import { readInputs } from './cli/read-inputs';
import { describeRun, describeSuggestions, megabytes, progressLine } from './cli/run-text';
import { isTileWorker } from './cli/tile-workers';

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
  const { outDirectory, cellMeters, format, maxOutputMegabytes } = options;
  const inputs = await readInputs(values, options.rules, options.suggestCount);
  const { files, layers, imported, networkFiles, osm } = inputs;
  const { populationGrid } = inputs;
  const readMs = performance.now() - started;
  progressLine('computing coverage…');

  const { result, suggestions, computeMs } = await computeRun(inputs, options, values);
  progressLine(`writing ${result.cellIndex.length} cells…`);

  // Write everything into a fresh directory beside the target, then move the files in: a failure
  // leaves no partial output behind.
  const cellsName = cellsFileName(format);
  const estimate = estimateCellsBytes(result, format);
  if (estimate > maxOutputMegabytes * 2 ** 20) {
    const tif =
      format === 'tif'
        ? ''
        : `; --format tif writes the grid as a raster of about ${megabytes(estimateCellsBytes(result, 'tif'))} MB at most`;
    throw new UsageError(
      `${cellsName} would be about ${megabytes(estimate)} MB (${result.cellIndex.length} cells), over the limit of --max-output-mb ${maxOutputMegabytes}${tif}; or use larger cells, or raise --max-output-mb`,
    );
  }
  // Runs killed outright (SIGKILL) leave their staging folder: the next run into the folder removes it.
  removeStaleStaging(outDirectory);
  const stagingFolder = createStaging(outDirectory);
  const staging = stagingFolder.path;
  try {
    // The gap areas are analysis (src/coverage/gap-areas.ts), not writing: timed on their own.
    const gapsStarted = performance.now();
    const gaps = gapCollection(result);
    const gapsMs = performance.now() - gapsStarted;
    const writeStarted = performance.now();
    const written = [cellsName, 'communities.geojson', 'communities.csv', 'gaps.geojson', 'summary.json'];
    if (format === 'tif') {
      // The grid as rasters: distances (Float32 bands) and verdicts (UInt8 categories with a colour table).
      // DEFLATE level 1: 1.8× faster than level 6 for files 18% larger (1.4 against 1.2 MB for 270k cells).
      const rasters = geotiffChunks(result, (bytes) => deflateSync(bytes, { level: 1 }));
      await writeChunks(join(staging, cellsName), rasters.cells);
      await writeChunks(join(staging, 'cells-verdicts.tif'), rasters.verdicts);
      written.push('cells-verdicts.tif');
    } else if (format === 'parquet') {
      // Streamed row group by row group.
      await writeChunks(join(staging, cellsName), cellsParquetChunks(result, { compression: parquetGzip }));
      const communities = communityCollection(result, layers.communities!).features;
      writeFileSync(join(staging, 'communities.parquet'), communitiesParquetBytes(result, communities));
      written.push('communities.parquet');
    } else {
      // Cells are streamed to disk in both vector formats: a million cells never become one object in memory.
      await writeChunks(
        join(staging, cellsName),
        format === 'fgb'
          ? flatGeobufCellChunks(result, {
              layerName: 'cells',
              description: `GreenReach cells: ${rulesRecord(result).description.en}; cell ${result.grid.cellMeters} m`,
              metadata: JSON.stringify({ rules: rulesRecord(result) }),
            })
          : cellGeoJsonChunks(result),
      );
    }
    writeFileSync(join(staging, 'communities.geojson'), writeGeoJson(communityCollection(result, layers.communities!)));
    writeFileSync(join(staging, 'communities.csv'), communityCsv(result));
    writeFileSync(join(staging, 'gaps.geojson'), writeGeoJson(gaps));
    if (osm) written.push(...osm.write(staging));
    if (suggestions) {
      writeFileSync(join(staging, 'suggestions.geojson'), writeGeoJson(suggestionCollection(suggestions)));
      written.push('suggestions.geojson');
    }
    const writeMs = performance.now() - writeStarted;
    result.timingsMs = {
      read: round(readMs),
      compute: round(computeMs),
      gaps: round(gapsMs),
      write: round(writeMs),
      total: round(performance.now() - started),
    };
    const summary = summaryRecord(result, {
      inputs: {
        ...files,
        ...networkFiles,
        ...(values.add ? { add: basename(values.add) } : {}),
        ...(values.osm ? { osm: basename(values.osm) } : {}),
        ...(values.population ? { population: basename(values.population) } : {}),
        ...(values.buildings
          ? { buildings: basename(values.buildings) }
          : values.population && osm
            ? { buildings: 'derived/buildings.fgb' }
            : {}),
      },
      cells_file: cellsName,
      ...(format === 'tif' ? { verdicts_file: 'cells-verdicts.tif' } : {}),
      ...(format === 'parquet' ? { communities_parquet_file: 'communities.parquet' } : {}),
      skipped_features: skippedFeatures(imported, result.skipped),
      import: importRecord(imported),
      ...(suggestions ? { suggestions_file: 'suggestions.geojson' } : {}),
      ...(osm ? { osm: osm.summary } : {}),
      ...(populationGrid
        ? {
            population_grid: {
              width: populationGrid.width,
              height: populationGrid.height,
              pixels_read: populationGrid.pixelsRead,
              pixels_kept: populationGrid.pixelsKept,
              residents: round(populationGrid.residents),
              bytes_read: populationGrid.bytesRead,
              file_bytes: populationGrid.fileBytes,
            },
          }
        : {}),
    });
    writeFileSync(join(staging, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    if (osm) mkdirSync(join(outDirectory, 'derived'), { recursive: true });
    for (const name of written) renameSync(join(staging, name), join(outDirectory, name));
    // Files of an earlier run that this one did not write (suggestions, another format's cells) would be
    // read as this run's results: remove them.
    const stale = removeStaleOutputs(outDirectory, written);
    if (stale.length) process.stdout.write(`removed files of an earlier run: ${stale.join(', ')}\n`);
    progressLine('');
    if (process.stderr.isTTY) process.stderr.write('\r');
    process.stdout.write(`${describeRun(result, cellMeters, outDirectory, started)}\n`);
    if (suggestions) process.stdout.write(`${describeSuggestions(suggestions)}\n`);
  } finally {
    stagingFolder.dispose();
  }
}

/** The cells file of each `--format`. */
function cellsFileName(format: 'geojson' | 'fgb' | 'tif' | 'parquet'): string {
  return format === 'geojson' ? 'cells.geojson' : `cells.${format}`;
}

/** Streams chunks to a file, letting SIGINT/SIGTERM be handled every ~50 ms (the staging is removed then). */
async function writeChunks(path: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  const descriptor = openSync(path, 'w');
  try {
    let yielded = performance.now();
    for (const chunk of chunks) {
      writeSync(descriptor, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      if (performance.now() - yielded > 50) {
        await yieldToSignals();
        yielded = performance.now();
      }
    }
  } finally {
    closeSync(descriptor);
  }
}

/** Features skipped while reading (by file position) and by the engine (mapped back to file positions). */
function skippedFeatures(
  imported: Partial<Record<LayerName, ReadLayerResult>>,
  engine: { layer: string; featureIndex: number; reason: string }[],
) {
  const out: { layer: string; featureIndex: number; reason: string }[] = [];
  for (const layer of layerNames) {
    for (const skip of imported[layer]?.skipped ?? []) out.push({ layer, ...skip });
  }
  for (const skip of engine) {
    const sourceIndex = imported[skip.layer as LayerName]?.sourceIndex;
    out.push({ ...skip, featureIndex: sourceIndex?.[skip.featureIndex] ?? skip.featureIndex });
  }
  return out;
}

/** summary.json `import`: per layer, what was read and how it was converted and repaired. */
function importRecord(imported: Partial<Record<LayerName, ReadLayerResult>>) {
  const out: Record<string, unknown> = {};
  for (const layer of layerNames) {
    const read = imported[layer];
    if (!read) continue;
    const skippedByReason: Record<string, number> = {};
    for (const { reason } of read.skipped) skippedByReason[reason] = (skippedByReason[reason] ?? 0) + 1;
    out[layer] = {
      format: read.format,
      crs: read.crs.code,
      crs_name: read.crs.name,
      crs_source: read.crs.source,
      gcj02: read.gcj02,
      features_read: read.featuresRead,
      features_used: read.collection.features.length,
      features_skipped: read.skipped.length,
      skipped_by_reason: skippedByReason,
      repairs: read.repairs,
      warnings: read.warnings,
    };
  }
  return out;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
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
