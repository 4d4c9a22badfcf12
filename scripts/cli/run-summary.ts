/**
 * A coverage run's summary.json: the engine's figures (src/io/coverage-export.ts) with the run's inputs,
 * output files, skipped features, how each layer was imported, and the extract's and population grid's
 * figures.
 */
import { basename } from 'node:path';
import type { CoverageResult } from '../../src/coverage';
import type { SuggestResult } from '../../src/coverage/suggest';
import { summaryRecord } from '../../src/io/coverage-export';
import type { ReadLayerResult } from '../../src/io/read-layer';
import type { CliValues } from './arguments';
import { type LayerName, layerNames } from './layer-files';
import type { OutputFormat } from './output-folder';
import type { RunInputs } from './read-inputs';

/** One decimal, as summary.json gives times and residents. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** summary.json of a run whose cells went to `cellsName` in `format`. */
export function runSummary(
  result: CoverageResult,
  inputs: RunInputs,
  values: CliValues,
  format: OutputFormat,
  cellsName: string,
  suggestions: SuggestResult | null,
) {
  const { osm, populationGrid, imported } = inputs;
  return summaryRecord(result, {
    inputs: {
      ...inputs.files,
      ...inputs.networkFiles,
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
