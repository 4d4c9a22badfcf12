import type { Feature, FeatureCollection } from 'geojson';
import { DistanceField } from './distance-field';
import {
  assertFeatureCollection,
  type GreenFeature,
  polygonRings,
  polygonsBoundingBox,
  prepareGreenFeature,
} from './features';
import { type BoundingBox, createGrid, fullWindow, type Grid } from './grid';
import { InputError } from './input-error';
import { addToNetwork, computeWalk, removeFromNetwork } from './network/coverage-network';
import { buildNetworkSteps, type NetworkCache, type NetworkState } from './network/network-model';
import { spreadPopulation } from './population';
import { type CriterionId, defaultSnapMaxMeters, qualifies, type RuleSet, reachMeters } from './rules';
import { type RowScales, rowScales, scanPolygon } from './stamp';

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
  if (walking) {
    if (!layers.streets)
      throw InputError.inLayer('streets', null, 'walking distance (distance "network") needs a streets layer', 'empty');
    assertFeatureCollection(layers.streets, 'streets');
    if (layers.barriers) assertFeatureCollection(layers.barriers, 'barriers');
    if (layers.entrances) assertFeatureCollection(layers.entrances, 'entrances');
  }
  assertFeatureCollection(layers.communities, 'communities');
  assertFeatureCollection(layers.greenways, 'greenways');
  assertFeatureCollection(layers.greenspaces, 'greenspaces');
  if (layers.residential) assertFeatureCollection(layers.residential, 'residential');
  const skipped: SkippedFeature[] = [];

  const communityPolygons = areaPolygons(layers.communities, 'communities', skipped);
  const residentialPolygons = layers.residential ? areaPolygons(layers.residential, 'residential', skipped) : null;
  if (communityPolygons.length === 0) throw InputError.inLayer('communities', null, 'has no polygons', 'empty');
  if (residentialPolygons && residentialPolygons.length === 0)
    throw InputError.inLayer('residential', null, 'has no polygons', 'empty');

  const communities: Community[] = communityPolygons.map(({ feature, polygons }) => {
    const properties = feature.properties ?? {};
    return {
      name: typeof properties.name === 'string' || typeof properties.name === 'number' ? String(properties.name) : '',
      nameEnglish: typeof properties.name_en === 'string' ? properties.name_en : null,
      population: positiveNumber(properties.population),
      bbox: polygonsBoundingBox(polygons),
    };
  });

  const features = new Map<number, GreenFeature>();
  let nextFeatureId = 0;
  for (const [layer, collection] of [
    ['greenways', layers.greenways],
    ['greenspaces', layers.greenspaces],
  ] as const) {
    collection.features.forEach((feature, index) => {
      const prepared = prepareGreenFeature(feature, nextFeatureId, layer, index);
      if (prepared) features.set(nextFeatureId++, prepared);
      else skipped.push({ layer, featureIndex: index, reason: 'null or empty geometry' });
    });
  }
  yield { phase: 'prepare', fraction: 0.05 };

  // The grid covers the communities and the residential land; green features outside still reach in.
  const bbox: BoundingBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { polygons } of [...communityPolygons, ...(residentialPolygons ?? [])]) {
    const box = polygonsBoundingBox(polygons);
    bbox[0] = Math.min(bbox[0], box[0]);
    bbox[1] = Math.min(bbox[1], box[1]);
    bbox[2] = Math.max(bbox[2], box[2]);
    bbox[3] = Math.max(bbox[3], box[3]);
  }
  const grid = createGrid(bbox, cellMeters);
  const scales = rowScales(grid);
  const cellCount = grid.rows * grid.columns;

  // Each cell belongs to the first community (and the first residential polygon) holding its centre.
  const gridCommunity = ownerGrid(grid, communityPolygons);
  // Without a residential layer, communities are the residential land: reuse their scan.
  const residentialOwner = residentialPolygons ? ownerGrid(grid, residentialPolygons) : gridCommunity;
  let residentialCount = 0;
  for (let i = 0; i < cellCount; i++) if (residentialOwner[i] >= 0) residentialCount++;
  const residentialCells = new Uint32Array(residentialCount);
  const cellCommunity = new Int32Array(residentialCount);
  const cellResidentialPolygon = new Int32Array(residentialCount);
  for (let i = 0, k = 0; i < cellCount; i++) {
    if (residentialOwner[i] < 0) continue;
    residentialCells[k] = i;
    cellCommunity[k] = gridCommunity[i];
    cellResidentialPolygon[k++] = residentialOwner[i];
  }
  yield { phase: 'residential', fraction: 0.1 };

  // Population: from residential polygons when they carry it, else each community's spread evenly
  // over its residential cells (cells are equal in area, so that is "by area").
  let cellPopulation: Float64Array | null = null;
  let populationSource: CoverageModel['populationSource'] = null;
  let populationUnplaced: number | null = null;
  const residentialPopulations = residentialPolygons?.map(({ feature }) =>
    positiveNumber(feature.properties?.population),
  );
  if (layers.population) {
    // The planner's own population layer, spread by floor area where buildings are given.
    assertFeatureCollection(layers.population, 'population');
    const spread = spreadPopulation(grid, residentialCells, layers.population, {
      buildings: layers.buildings ?? null,
      defaultLevels: options.defaultBuildingLevels,
    });
    populationSource = 'population';
    cellPopulation = spread.cellPopulation;
    populationUnplaced = Math.round(spread.unplaced * 10) / 10;
  } else if (residentialPopulations?.some((population) => population !== null)) {
    populationSource = 'residential';
    cellPopulation = spread(residentialPopulations, cellResidentialPolygon);
  } else if (communities.some((community) => community.population !== null)) {
    populationSource = 'communities';
    cellPopulation = spread(
      communities.map((community) => community.population),
      cellCommunity,
    );
  }
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

/** Each owner's total divided evenly among the cells it owns (`owners[k]`, -1 for none). */
function spread(totals: (number | null)[], owners: Int32Array): Float64Array {
  const counts = new Float64Array(totals.length);
  for (let k = 0; k < owners.length; k++) if (owners[k] >= 0) counts[owners[k]]++;
  const perCell = totals.map((total, owner) => (total !== null && counts[owner] > 0 ? total / counts[owner] : 0));
  const out = new Float64Array(owners.length);
  for (let k = 0; k < owners.length; k++) if (owners[k] >= 0) out[k] = perCell[owners[k]];
  return out;
}

/** Per grid cell, the index of the first polygon whose area holds the cell centre, or -1. */
function ownerGrid(grid: Grid, owners: { polygons: Float64Array[][] }[]): Int32Array {
  const owner = new Int32Array(grid.rows * grid.columns).fill(-1);
  const whole = fullWindow(grid);
  owners.forEach(({ polygons }, index) => {
    for (const rings of polygons) {
      scanPolygon(grid, rings, whole, (row, columnStart, columnEnd) => {
        const base = row * grid.columns;
        for (let column = columnStart; column < columnEnd; column++) {
          if (owner[base + column] < 0) owner[base + column] = index;
        }
      });
    }
  });
  return owner;
}

function positiveNumber(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : null;
}

function areaPolygons(
  collection: FeatureCollection,
  layer: string,
  skipped: SkippedFeature[],
): { feature: Feature; polygons: Float64Array[][] }[] {
  const out: { feature: Feature; polygons: Float64Array[][] }[] = [];
  collection.features.forEach((feature, index) => {
    if (typeof feature !== 'object' || feature === null || feature.type !== 'Feature') {
      throw InputError.inLayer(layer, index, 'is not a GeoJSON Feature', 'geometry');
    }
    if (!feature.geometry) {
      skipped.push({ layer, featureIndex: index, reason: 'null geometry' });
      return;
    }
    const polygons = polygonRings(feature.geometry, layer, index);
    if (polygons === null) {
      throw InputError.inLayer(
        layer,
        index,
        `geometry is ${feature.geometry.type}; ${layer} must be Polygon or MultiPolygon`,
        'geometry',
      );
    }
    if (polygons.length === 0) {
      skipped.push({ layer, featureIndex: index, reason: 'empty geometry' });
      return;
    }
    out.push({ feature, polygons });
  });
  return out;
}
