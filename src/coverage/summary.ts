import type { CoverageModel } from './coverage';
import { type NetworkStats, networkStats } from './network/network-model';
import type { CriterionId, DistanceMode } from './rules';

/** Counts for one area (the city, or one community). Criteria the rules do not use count as null. */
export interface CoverageTotals {
  cells: number;
  cellsMeetingGreen: number | null;
  cellsMeetingPark: number | null;
  /** Cells meeting every criterion the rules use. */
  cellsMeetingBoth: number;
  /** Null when no layer gives a population. */
  population: number | null;
  populationMeetingGreen: number | null;
  populationMeetingPark: number | null;
  populationMeetingBoth: number | null;
}

export interface CoverageSummary {
  city: CoverageTotals;
  /** One entry per `model.communities`, same order. */
  communities: CoverageTotals[];
  /** Residential cells outside every community. */
  outsideCommunities: CoverageTotals;
  /** How the distances were measured. */
  distance: DistanceMode;
  /** Network mode: the network's figures; null for straight-line distance. */
  network: NetworkStats | null;
  /** Network mode: cells of the city meeting every criterion in a straight line (to compare with the walk); else null. */
  cellsMeetingBothStraight: number | null;
}

/**
 * Bit flags per residential cell: 1 = meets green, 2 = meets park, 4 = meets every criterion in use.
 * A criterion the rules do not use counts as met for flag 4 and as not met for its own flag.
 */
export function cellVerdicts(
  model: CoverageModel,
  distance: DistanceMode = model.network ? 'network' : 'straight',
): Uint8Array {
  const verdicts = new Uint8Array(model.residentialCells.length);
  const checks: [CriterionId, number][] = [
    ['green', 1],
    ['park', 2],
  ];
  const inUse = checks.filter(([id]) => model.fields[id]);
  const allFlags = inUse.reduce((sum, [, flag]) => sum | flag, 0);
  for (const [id, flag] of inUse) {
    const walk = distance === 'network' ? model.network?.criteria[id] : null;
    if (walk) {
      // Walking distance: each residential cell's own walk against the radius.
      const radius = model.rules[id]!.radiusMeters;
      const meters = walk.cellMeters;
      for (let k = 0; k < verdicts.length; k++) if (meters[k] <= radius) verdicts[k] |= flag;
      continue;
    }
    markWithin(verdicts, flag, model.rules[id]!.radiusMeters, model.fields[id]!.squaredMeters, model.residentialCells);
  }
  markAllMet(verdicts, allFlags);
  return verdicts;
}

/**
 * Sets `flag` on each cell `k` whose distance, the square root of `squaredMeters[cells[k]]` (of
 * `squaredMeters[k]` when `cells` is null), is within `radiusMeters`.
 */
export function markWithin(
  verdicts: Uint8Array,
  flag: number,
  radiusMeters: number,
  squaredMeters: Float32Array,
  cells: Uint32Array | null,
): void {
  if (cells) {
    for (let k = 0; k < verdicts.length; k++)
      if (Math.sqrt(squaredMeters[cells[k]]) <= radiusMeters) verdicts[k] |= flag;
  } else {
    for (let k = 0; k < verdicts.length; k++) if (Math.sqrt(squaredMeters[k]) <= radiusMeters) verdicts[k] |= flag;
  }
}

/** Sets flag 4 ("meets every criterion in use") on the cells that carry all of `allFlags`. */
export function markAllMet(verdicts: Uint8Array, allFlags: number): void {
  for (let k = 0; k < verdicts.length; k++) if ((verdicts[k] & allFlags) === allFlags) verdicts[k] |= 4;
}

/** What the totals are taken from: the residential cells' owners and residents, and the rules in use. */
export type SummaryCells = Pick<CoverageModel, 'rules' | 'communities' | 'cellCommunity' | 'cellPopulation'>;

function emptyTotals(model: SummaryCells): CoverageTotals {
  const hasPopulation = model.cellPopulation !== null;
  return {
    cells: 0,
    cellsMeetingGreen: model.rules.green ? 0 : null,
    cellsMeetingPark: model.rules.park ? 0 : null,
    cellsMeetingBoth: 0,
    population: hasPopulation ? 0 : null,
    populationMeetingGreen: hasPopulation && model.rules.green ? 0 : null,
    populationMeetingPark: hasPopulation && model.rules.park ? 0 : null,
    populationMeetingBoth: hasPopulation ? 0 : null,
  };
}

function accumulate(totals: CoverageTotals, verdict: number, population: number): void {
  totals.cells++;
  if (totals.cellsMeetingGreen !== null && verdict & 1) totals.cellsMeetingGreen++;
  if (totals.cellsMeetingPark !== null && verdict & 2) totals.cellsMeetingPark++;
  if (verdict & 4) totals.cellsMeetingBoth++;
  if (totals.population !== null) {
    totals.population += population;
    if (totals.populationMeetingGreen !== null && verdict & 1) totals.populationMeetingGreen += population;
    if (totals.populationMeetingPark !== null && verdict & 2) totals.populationMeetingPark += population;
    if (verdict & 4) totals.populationMeetingBoth! += population;
  }
}

/** City and per-community totals from the model's current fields (pass `verdicts` if already computed). */
export function summarizeCoverage(model: CoverageModel, verdicts = cellVerdicts(model)): CoverageSummary {
  const { city, communities, outsideCommunities } = summarizeCells(model, verdicts);
  let cellsMeetingBothStraight: number | null = null;
  if (model.network) {
    cellsMeetingBothStraight = 0;
    const straight = cellVerdicts(model, 'straight');
    for (let k = 0; k < straight.length; k++) if (straight[k] & 4) cellsMeetingBothStraight++;
  }
  return {
    city,
    communities,
    outsideCommunities,
    distance: model.network ? 'network' : 'straight',
    network: model.network ? networkStats(model.network) : null,
    cellsMeetingBothStraight,
  };
}

/** City and per-community totals of residential cells with their verdicts, in cell order. */
export function summarizeCells(
  model: SummaryCells,
  verdicts: Uint8Array,
): Pick<CoverageSummary, 'city' | 'communities' | 'outsideCommunities'> {
  const city = emptyTotals(model);
  const communities = model.communities.map(() => emptyTotals(model));
  const outsideCommunities = emptyTotals(model);
  for (let k = 0; k < verdicts.length; k++) {
    const population = model.cellPopulation ? model.cellPopulation[k] : 0;
    accumulate(city, verdicts[k], population);
    const community = model.cellCommunity[k];
    accumulate(community >= 0 ? communities[community] : outsideCommunities, verdicts[k], population);
  }
  return { city, communities, outsideCommunities };
}

/** `part / whole`, or null when either is unknown or the whole is zero. */
export function share(part: number | null, whole: number | null): number | null {
  return part === null || whole === null || whole === 0 ? null : part / whole;
}
