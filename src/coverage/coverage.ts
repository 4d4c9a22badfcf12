import type { FeatureCollection } from 'geojson';
import { type CoveragePlan, planCoverage, residentialCellsOf, residentsOf } from './coverage-plan';
import { DistanceField } from './distance-field';
import { assertFeatureCollection, type GreenFeature } from './features';
import { type BoundingBox, fullWindow, type Grid } from './grid';
import { InputError } from './input-error';
import { addToNetwork, computeWalk, removeFromNetwork } from './network/coverage-network';
import { buildNetworkSteps, type NetworkCache, type NetworkState } from './network/network-model';
import { type CriterionId, defaultSnapMaxMeters, qualifies, type RuleSet, reachMeters } from './rules';
import type { RowScales } from './stamp';

/** The four input layers, as WGS84 GeoJSON. Without `residential`, communities are the residential area. */
export interface CoverageLayers {
  communities: FeatureCollection;
  residential?: FeatureCollection | null;
  greenways: FeatureCollection;
  greenspaces: FeatureCollection;
  /** Walking distance only: the walkable network (LineStrings; OSM tags are filtered by the walk rules). */
  streets?: FeatureCollection | null;
  /** Walking distance only: rivers, railways, motorways (lines or polygons) no snap or entrance link crosses. */
  barriers?: FeatureCollection | null;
  /** Walking distance only: given entrances (points; OSM `entrance=*` / `barrier=gate`). */
  entrances?: FeatureCollection | null;
  /** Residents: points or polygons with a `population` (or `pop`, `count`); wins over the other sources. */
  population?: FeatureCollection | null;
  /** Building footprints: with a population layer, residents are spread by floor area (footprint × levels). */
  buildings?: FeatureCollection | null;
}

/** Options of a run. */
export interface CoverageOptions {
  /** Reuse the graph, snapping and entrances of an earlier run on the same layer objects (warm rule changes). */
  networkCache?: NetworkCache;
  /** With a population layer and buildings: the levels of a building that does not say (default 3). */
  defaultBuildingLevels?: number;
  /** The plan of these layers, rules and cell size if already made (the CLI plans first to decide whether to tile). */
  plan?: CoveragePlan;
}

export interface Community {
  name: string;
  nameEnglish: string | null;
  population: number | null;
  bbox: BoundingBox;
}

/** A feature the engine skipped (null or empty geometry), so callers can count and report them. */
export interface SkippedFeature {
  layer: string;
  featureIndex: number;
  reason: string;
}

/** Everything the engine knows after a run; edits (addFeature/removeFeature) update it in place. */
export interface CoverageModel {
  grid: Grid;
  scales: RowScales;
  rules: RuleSet;
  communities: Community[];
  /** Grid indices of residential cells, ascending. The per-cell arrays below follow this order. */
  residentialCells: Uint32Array;
  /** Index into `communities` of each residential cell, or -1 when no community holds its centre. */
  cellCommunity: Int32Array;
  /** Residents of each residential cell, or null when no layer gives a population. */
  cellPopulation: Float64Array | null;
  populationSource: 'population' | 'residential' | 'communities' | null;
  /** With a population layer: its residents that lie in no residential cell (nor near one); else null. */
  populationUnplaced: number | null;
  /** With a population layer: the buildings whose floor area spread it (0: spread by area); else null. */
  populationBuildings: number | null;
  features: Map<number, GreenFeature>;
  fields: Record<CriterionId, DistanceField | null>;
  skipped: SkippedFeature[];
  nextFeatureId: number;
  /** Walking distance (rules.distance = "network"): the graph, the cached snapping and the walks; else null. */
  network: NetworkState | null;
}

export interface CoverageProgress {
  /** Straight-line phases, then in network mode the graph, snapping, entrances and one walk per criterion. */
  phase:
    | 'prepare'
    | 'residential'
    | 'communities'
    | CriterionId
    | 'graph'
    | 'snapping'
    | 'entrances'
    | 'walk-green'
    | 'walk-park';
  /** 0–1 over the whole run. */
  fraction: number;
}

/** Runs the engine to completion. */
export function buildCoverage(
  layers: CoverageLayers,
  rules: RuleSet,
  cellMeters: number,
  onProgress?: (progress: CoverageProgress) => void,
  options: CoverageOptions = {},
): CoverageModel {
  const steps = buildCoverageSteps(layers, rules, cellMeters, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.(step.value);
  }
}

/**
 * The engine as a generator that yields progress every few milliseconds of work, so a worker can
 * report it and stop between steps when a run is cancelled.
 */
export function* buildCoverageSteps(
  layers: CoverageLayers,
  rules: RuleSet,
  cellMeters: number,
  options: CoverageOptions = {},
): Generator<CoverageProgress, CoverageModel> {
  const walking = isNetworkMode(rules);
  if (walking) checkNetworkLayers(layers);
  const plan = options.plan ?? planCoverage(layers, rules, cellMeters);
  const { grid, scales, communities, features, skipped, nextFeatureId } = plan;
  yield { phase: 'prepare', fraction: 0.05 };

  const residential = residentialCellsOf(plan, fullWindow(grid));
  const { residentialCells, cellCommunity } = residential;
  yield { phase: 'residential', fraction: 0.1 };

  const { cellPopulation, populationSource, populationUnplaced, populationBuildings } = residentsOf(
    plan,
    layers,
    residential,
    options,
  );
  yield { phase: 'communities', fraction: 0.15 };

  const fields: Record<CriterionId, DistanceField | null> = { green: null, park: null };
  const criteria = (['green', 'park'] as const).filter((id) => rules[id]);
  let done = 0;
  const total = criteria.length * Math.max(1, features.size);
  // In network mode the straight-line fields are the first half of the run (they still give 0 inside areas).
  const span = walking ? 0.35 : 0.85;
  for (const id of criteria) {
    const criterion = rules[id]!;
    const field = new DistanceField(grid, scales, reachMeters(rules, criterion));
    fields[id] = field;
    let budget = 0;
    for (const feature of features.values()) {
      done++;
      if (!qualifies(criterion, feature.kind, feature.areaSquareMeters)) continue;
      field.add(feature);
      // Yield about every 2,000 segments so progress and cancellation stay responsive.
      budget += feature.paths.reduce((sum, path) => sum + path.length / 2, 0);
      if (budget > 2000) {
        budget = 0;
        yield { phase: id, fraction: 0.15 + (span * done) / total };
      }
    }
  }

  let network: NetworkState | null = null;
  if (walking) {
    const steps = buildNetworkSteps(
      { streets: layers.streets!, barriers: layers.barriers, entrances: layers.entrances },
      features,
      grid,
      scales,
      residentialCells,
      rules.snapMaxMeters ?? defaultSnapMaxMeters,
      options.networkCache,
      {
        greenways: options.networkCache ? layers.greenways : {},
        greenspaces: options.networkCache ? layers.greenspaces : {},
        grid: [options.networkCache ? layers.communities : {}, layers.residential ?? null, cellMeters],
      },
    );
    for (;;) {
      const step = steps.next();
      if (step.done) {
        network = step.value;
        break;
      }
      const start = { graph: 0.5, snapping: 0.55, entrances: 0.8 }[step.value.phase];
      const width = { graph: 0.05, snapping: 0.25, entrances: 0.05 }[step.value.phase];
      yield { phase: step.value.phase, fraction: start + width * step.value.fraction };
    }
  }
  const model: CoverageModel = {
    grid,
    scales,
    rules,
    communities,
    residentialCells,
    cellCommunity,
    cellPopulation,
    populationSource,
    populationUnplaced,
    populationBuildings,
    features,
    fields,
    skipped,
    nextFeatureId,
    network,
  };
  if (network) {
    for (const id of criteria) {
      computeWalk(model, id);
      yield {
        phase: id === 'green' ? 'walk-green' : 'walk-park',
        fraction: id === 'green' && criteria.length > 1 ? 0.92 : 1,
      };
    }
  }
  return model;
}

/** Walking distance: throws InputError unless a streets layer is given and every network layer is a FeatureCollection. */
export function checkNetworkLayers(layers: Pick<CoverageLayers, 'streets' | 'barriers' | 'entrances'>): void {
  if (!layers.streets)
    throw InputError.inLayer('streets', null, 'walking distance (distance "network") needs a streets layer', 'empty');
  assertFeatureCollection(layers.streets, 'streets');
  if (layers.barriers) assertFeatureCollection(layers.barriers, 'barriers');
  if (layers.entrances) assertFeatureCollection(layers.entrances, 'entrances');
}

/** Whether rules ask for walking distance. */
export function isNetworkMode(rules: RuleSet): boolean {
  return rules.distance === 'network';
}

/** Adds a green feature to every field it qualifies for; returns the cells it may have changed, per criterion. */
export function addFeature(model: CoverageModel, feature: GreenFeature): void {
  if (model.features.has(feature.id)) throw new Error(`feature id ${feature.id} is already used`);
  model.features.set(feature.id, feature);
  model.nextFeatureId = Math.max(model.nextFeatureId, feature.id + 1);
  for (const id of ['green', 'park'] as const) {
    const criterion = model.rules[id];
    if (criterion && qualifies(criterion, feature.kind, feature.areaSquareMeters)) model.fields[id]!.add(feature);
  }
  if (model.network) addToNetwork(model, feature);
}

/** Removes a green feature and recomputes the cells it reached. Returns false when there was no such feature. */
export function removeFeature(model: CoverageModel, id: number): boolean {
  const feature = model.features.get(id);
  if (!feature || !model.features.delete(id)) return false;
  for (const criterionId of ['green', 'park'] as const) model.fields[criterionId]?.remove(id);
  if (model.network) removeFromNetwork(model, feature);
  return true;
}

/**
 * Distance in metres from each residential cell to the nearest qualifying feature in the rules' mode:
 * the walk in network mode (Infinity beyond the reach or off the network), else the straight line.
 */
export function criterionDistances(model: CoverageModel, id: CriterionId): Float32Array | null {
  const walk = model.network?.criteria[id];
  if (model.network) return walk ? walk.cellMeters.slice() : null;
  return residentialDistances(model, id);
}

/**
 * Distance in metres from each residential cell to the nearest qualifying feature of a criterion:
 * `Infinity` beyond the reach, and null when the rules do not use the criterion.
 */
export function residentialDistances(model: CoverageModel, id: CriterionId): Float32Array | null {
  const field = model.fields[id];
  if (!field) return null;
  const out = new Float32Array(model.residentialCells.length);
  const squared = field.squaredMeters;
  for (let k = 0; k < out.length; k++) out[k] = Math.sqrt(squared[model.residentialCells[k]]);
  return out;
}
