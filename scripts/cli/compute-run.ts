/**
 * The compute step of a coverage run: one piece or tiles in worker threads (`--tile-km`, or automatically
 * over `--memory-mb`), the `--add` scenario, and the `--suggest` sites.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { FeatureCollection } from 'geojson';
import {
  addFeature,
  buildCoverage,
  type CoverageLayers,
  type CoverageResult,
  type GreenFeature,
  InputError,
  type NetworkLayers,
  planCoverage,
  planWalking,
  prepareGreenFeature,
  type SkippedFeature,
  snapshotCoverage,
  tileWindows,
  type WalkingPlan,
} from '../../src/coverage';
import { SitePlaces } from '../../src/coverage/site-places';
import { placeSites, type SuggestResult, suggestSites } from '../../src/coverage/suggest';
import type { CliValues, RunOptions } from './arguments';
import type { LayerName, NetworkLayerName } from './layer-files';
import { UsageError } from './number-options';
import type { RunInputs } from './read-inputs';
import { progressLine } from './run-text';
import { computeTiledInWorkers, tilesWithinBudget } from './tile-workers';

/** What the compute step hands the writing step. */
export interface ComputedRun {
  result: CoverageResult;
  /** The `--suggest` sites, placed in their communities and streets, or null. */
  suggestions: SuggestResult | null;
  /** The coverage's time, without the suggestions. */
  computeMs: number;
}

/** Computes the coverage of the inputs (with the scenario) and, with `--suggest`, the best new sites. */
export async function computeRun(inputs: RunInputs, options: RunOptions, values: CliValues): Promise<ComputedRun> {
  const { rules, cellMeters, suggestCount, budget } = options;
  const { addLayer, files, imported, networkFiles, populationLayers } = inputs;
  let tiling = options.tiling;
  const computeStarted = performance.now();
  const allLayers = { ...inputs.layers, ...inputs.networkLayers, ...populationLayers } as CoverageLayers;
  // The engine's errors name the file and the feature's position in it; a bad number is a usage error.
  const engineError = (error: unknown): unknown => {
    if (error instanceof InputError) {
      const layer = (error.layer ?? error.fileName) as LayerName;
      const file = files[layer] ?? networkFiles[layer as unknown as NetworkLayerName] ?? error.fileName;
      // The engine numbers the features it was given; name the feature's position in the file.
      return error.inFile(file, imported[layer]?.sourceIndex);
    }
    if (error instanceof RangeError) return new UsageError(error.message);
    return error;
  };
  // A tiled run plans the one grid over the whole area; its tiles are windows of it, computed in workers.
  let model: ReturnType<typeof buildCoverage> | null = null;
  let plan: ReturnType<typeof planCoverage> | null = null;
  try {
    // With a memory budget, a run that can be tiled is planned first to see whether one piece would fit
    // (not with --suggest: the suggestions need the whole model in one piece anyway).
    const tileable = suggestCount === null;
    if (tiling || (budget !== null && tileable)) plan = planCoverage(allLayers, rules, cellMeters);
    if (!tiling && plan && budget !== null) {
      const threads = availableParallelism();
      const automatic = tilesWithinBudget(
        plan.grid.rows * plan.grid.columns,
        budget,
        threads,
        rules.distance === 'network',
      );
      if (automatic) {
        tiling = { tileCells: automatic.tileCells, threads };
        const kilometers = Math.round(automatic.tileCells * cellMeters) / 1000;
        process.stdout.write(
          `a grid of ${plan.grid.rows * plan.grid.columns} cells needs about ${automatic.onePieceMegabytes} MB in one piece, over --memory-mb ${budget}: computing it in tiles of ${kilometers} km on ${threads} threads\n`,
        );
      }
    }
    if (!tiling)
      model = buildCoverage(
        allLayers,
        rules,
        cellMeters,
        (progress) => progressLine(`computing coverage ${Math.round(progress.fraction * 100)}% (${progress.phase})`),
        { plan: plan ?? undefined },
      );
  } catch (error) {
    throw engineError(error);
  }
  let result: CoverageResult;
  if (plan && tiling) {
    const tiled = plan;
    // The scenario's features join the plan before any tile is computed.
    if (addLayer) {
      const add = (feature: GreenFeature) => {
        tiled.features.set(feature.id, feature);
        tiled.nextFeatureId = feature.id + 1;
      };
      applyScenario(tiled, add, addLayer, basename(values.add!));
    }
    // Walking tiles share the network that does not depend on the cells: the graph and every area's entrances.
    let walking: WalkingPlan | null = null;
    if (rules.distance === 'network') {
      progressLine('building the walking network…');
      try {
        walking = planWalking(tiled, allLayers as CoverageLayers & NetworkLayers);
      } catch (error) {
        throw engineError(error);
      }
    }
    const threads = tiling.threads;
    result = await computeTiledInWorkers(
      tiled,
      tileWindows(tiled.grid, tiling.tileCells),
      threads,
      populationLayers,
      (done, total) => progressLine(`computing tile ${done} of ${total} (${threads} threads)`),
      walking,
    );
    if (suggestCount !== null) {
      // The suggestions add and remove candidate sites on the whole model: it is built in one piece as a
      // run without tiles builds it (the scenario added the same way), so the sites are the same.
      progressLine('computing the whole grid for the suggestions…');
      const whole = buildCoverage(allLayers, rules, cellMeters);
      if (addLayer) applyScenario(whole, (feature) => addFeature(whole, feature), addLayer, basename(values.add!));
      model = whole;
    }
  } else {
    const built = model!;
    if (addLayer) applyScenario(built, (feature) => addFeature(built, feature), addLayer, basename(values.add!));
    result = snapshotCoverage(built);
  }
  const computeMs = performance.now() - computeStarted;
  let suggestions: SuggestResult | null = null;
  if (suggestCount !== null && model) {
    progressLine('suggesting sites…');
    try {
      suggestions = suggestSites(model, suggestCount, { candidates: inputs.candidateLayer });
    } catch (error) {
      if (error instanceof InputError) throw error.inFile(basename(values.candidates!));
      throw error;
    }
    // Each site's community and nearest named street (the walking network's, --streets, or the extract's).
    const streets = inputs.networkLayers.streets ?? inputs.namingStreets ?? inputs.osm?.network.get('streets') ?? null;
    suggestions = placeSites(suggestions, new SitePlaces(inputs.layers.communities ?? null, streets));
  }
  return { result, suggestions, computeMs };
}

/**
 * Adds a scenario's features (lines are greenways, everything else a green space with `kind`) to a model
 * or, in a tiled run, to the plan before any tile is computed: each cell's minimum is the same either way.
 */
function applyScenario(
  target: { nextFeatureId: number; skipped: SkippedFeature[] },
  add: (feature: GreenFeature) => void,
  layer: FeatureCollection,
  file: string,
): void {
  layer.features.forEach((feature, index) => {
    const type = feature.geometry?.type;
    const kind = type === 'LineString' || type === 'MultiLineString' ? 'greenways' : 'greenspaces';
    let prepared: ReturnType<typeof prepareGreenFeature>;
    try {
      prepared = prepareGreenFeature(feature, target.nextFeatureId, kind, index);
    } catch (error) {
      if (error instanceof InputError) throw error.inFile(file);
      throw error;
    }
    if (prepared) add(prepared);
    else target.skipped.push({ layer: 'add', featureIndex: index, reason: 'null or empty geometry' });
  });
}
