import type { FeatureCollection } from 'geojson';
import type { RuleSet } from '../coverage';
import type { DataSet } from './load-data';

/**
 * What a coverage run was computed from: the engine's layers (the collection objects themselves: a layer
 * replaced is a new object), the rules and the cell size. A result holds only while these are still in use.
 */
export interface RunInputs {
  /** The layers that place cells and green features (a new one is another grid or other geometry). */
  communities: FeatureCollection;
  residential: FeatureCollection | null;
  greenways: FeatureCollection;
  greenspaces: FeatureCollection;
  population: FeatureCollection | null;
  /** The buildings weigh residents only with a population layer; otherwise they are not an input. */
  buildings: FeatureCollection | null;
  /** The walking network (compared only when both runs walk: a straight-line run never reads it). */
  streets: FeatureCollection | null;
  barriers: FeatureCollection | null;
  entrances: FeatureCollection | null;
  rules: RuleSet;
  cellMeters: number;
}

/**
 * How a result stands against the inputs in use now:
 * - `current`: computed from exactly these inputs;
 * - `outOfDate`: same layers and cells, other rules (its cells lie where the new ones will, their verdicts
 *   may change): shown marked as out of date until the new result lands;
 * - `void`: other layers or another cell size (another data set, an imported or removed layer, a project):
 *   its cells and figures describe another place or grid and are not shown at all.
 */
export type ResultStanding = 'current' | 'outOfDate' | 'void';

/** The inputs a run on `data` with `rules` and `cellMeters` reads, or null without data. */
export function runInputs(state: { data: DataSet | null; rules: RuleSet; cellMeters: number }): RunInputs | null {
  const { data, rules, cellMeters } = state;
  if (!data) return null;
  return {
    communities: data.communities,
    residential: data.residential,
    greenways: data.greenways,
    greenspaces: data.greenspaces,
    population: data.population,
    buildings: data.population ? data.buildings : null,
    streets: data.streets,
    barriers: data.barriers,
    entrances: data.entrances,
    rules,
    cellMeters,
  };
}

const placeLayers = ['communities', 'residential', 'greenways', 'greenspaces', 'population', 'buildings'] as const;
const networkLayers = ['streets', 'barriers', 'entrances'] as const;

/** Whether two rule sets say the same (a preset picked again, or a project's rules, is a new equal object). */
function sameRules(a: RuleSet, b: RuleSet): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** How a result computed from `computedFrom` stands against the inputs `now` (see `ResultStanding`). */
export function resultStanding(computedFrom: RunInputs | null, now: RunInputs | null): ResultStanding {
  // A result of unknown inputs, or no data in use any more, holds nothing that can be vouched for.
  if (!computedFrom || !now) return 'void';
  if (computedFrom.cellMeters !== now.cellMeters) return 'void';
  if (placeLayers.some((layer) => computedFrom[layer] !== now[layer])) return 'void';
  const bothWalk = computedFrom.rules.distance === 'network' && now.rules.distance === 'network';
  if (bothWalk && networkLayers.some((layer) => computedFrom[layer] !== now[layer])) return 'void';
  return sameRules(computedFrom.rules, now.rules) ? 'current' : 'outOfDate';
}
