import type { Community, CoverageModel, SkippedFeature } from './coverage';
import { criterionDistances, residentialDistances } from './coverage';
import type { Grid } from './grid';
import { type EntrancePoints, entrancePoints } from './network/network-model';
import type { DistanceMode } from './rules';
import { type RuleSet, reachMeters } from './rules';
import { type CoverageSummary, cellVerdicts, summarizeCoverage } from './summary';

/**
 * A plain snapshot of a run, made of typed arrays and JSON: what the worker transfers to the page and
 * what the CLI writes. Per-cell arrays follow `cellIndex` (grid indices of residential cells).
 */
export interface CoverageResult {
  grid: Grid;
  rules: RuleSet;
  /** Distances are exact up to these; beyond, they are `Infinity` ("farther than the reach"). */
  reachMeters: { green: number | null; park: number | null };
  cellIndex: Uint32Array;
  cellCommunity: Int32Array;
  cellPopulation: Float64Array | null;
  populationSource: CoverageModel['populationSource'];
  populationUnplaced: CoverageModel['populationUnplaced'];
  populationBuildings: CoverageModel['populationBuildings'];
  /** How `greenMeters` and `parkMeters` were measured. */
  distance: DistanceMode;
  /**
   * Metres to the nearest qualifying feature in the rules' mode (the walk in network mode), or null when
   * the rules do not use the criterion. `Infinity` beyond the reach, and for off-network cells in network mode.
   */
  greenMeters: Float32Array | null;
  parkMeters: Float32Array | null;
  /** Network mode: the straight-line distances as well; null in straight mode (they are `greenMeters`). */
  greenStraightMeters: Float32Array | null;
  parkStraightMeters: Float32Array | null;
  /** Network mode: 1 for cells with no walkable edge within the snap distance; null in straight mode. */
  offNetwork: Uint8Array | null;
  /** Network mode: every area's entrances (for the map at high zoom); null in straight mode. */
  entrances: EntrancePoints | null;
  /** Bit flags per cell: 1 meets green, 2 meets park, 4 meets every criterion in use. */
  verdicts: Uint8Array;
  communities: Community[];
  summary: CoverageSummary;
  skipped: SkippedFeature[];
  timingsMs: Record<string, number>;
}

export function snapshotCoverage(model: CoverageModel, timingsMs: Record<string, number> = {}): CoverageResult {
  const verdicts = cellVerdicts(model);
  return {
    grid: model.grid,
    rules: model.rules,
    reachMeters: {
      green: model.rules.green ? reachMeters(model.rules, model.rules.green) : null,
      park: model.rules.park ? reachMeters(model.rules, model.rules.park) : null,
    },
    cellIndex: model.residentialCells.slice(),
    cellCommunity: model.cellCommunity.slice(),
    cellPopulation: model.cellPopulation ? model.cellPopulation.slice() : null,
    populationSource: model.populationSource,
    populationUnplaced: model.populationUnplaced,
    populationBuildings: model.populationBuildings,
    distance: model.network ? 'network' : 'straight',
    greenMeters: criterionDistances(model, 'green'),
    parkMeters: criterionDistances(model, 'park'),
    greenStraightMeters: model.network ? residentialDistances(model, 'green') : null,
    parkStraightMeters: model.network ? residentialDistances(model, 'park') : null,
    offNetwork: model.network ? Uint8Array.from(model.network.snap.edge, (edge) => (edge < 0 ? 1 : 0)) : null,
    entrances: model.network ? entrancePoints(model.network) : null,
    verdicts,
    communities: model.communities,
    summary: summarizeCoverage(model, verdicts),
    skipped: model.skipped,
    timingsMs,
  };
}

/** The typed arrays of a result, for `postMessage(result, transferables(result))`. */
export function transferables(result: CoverageResult): ArrayBuffer[] {
  return [
    result.cellIndex,
    result.cellCommunity,
    result.cellPopulation,
    result.greenMeters,
    result.parkMeters,
    result.greenStraightMeters,
    result.parkStraightMeters,
    result.offNetwork,
    result.entrances?.lngLat ?? null,
    result.entrances?.featureId ?? null,
    result.entrances?.given ?? null,
    result.verdicts,
  ]
    .filter((array) => array !== null)
    .map((array) => array!.buffer as ArrayBuffer);
}
