/**
 * `--merge DIR…`: adds up the summary.json files of independent runs (one per city, district or tile of a
 * country) into one summary. Counts and residents are sums, shares are recomputed from the sums (never
 * averaged), and every part must have used the same rules, cell size and distance mode, or the sum would
 * mean nothing. A `--population` layer's figures (residents placed nowhere, buildings that weighed them,
 * a GeoTIFF grid's pixels and residents read) are summed over the parts that had one; each part's
 * population source and file are listed.
 */
import { share } from '../../src/coverage/summary';

/** A problem with the parts the user can fix (exit 2). */
export class MergeError extends Error {}

type Summary = Record<string, unknown>;
type Totals = Record<string, number | null>;

const counts = ['cells', 'cells_meeting_green', 'cells_meeting_park', 'cells_meeting_both'] as const;
const residents = [
  'population',
  'population_meeting_green',
  'population_meeting_park',
  'population_meeting_both',
] as const;
const networkCounts = [
  'nodes',
  'edges',
  'walkable_length_km',
  'lines_not_walkable',
  'entrances_given',
  'entrances_generated',
  'unreachable_areas',
  'cells_off_network',
] as const;

/** Sum of a key over parts; null when any part has null (a rule not in use, or residents unknown there). */
function sum(parts: Totals[], key: string): number | null {
  let total = 0;
  for (const part of parts) {
    const value = part[key];
    if (value === null || value === undefined) return null;
    total += value;
  }
  return Math.round(total * 1000) / 1000;
}

/** Totals with shares recomputed, in summary.json's key order. */
function mergeTotals(parts: Totals[]): Totals {
  const out: Totals = {};
  for (const key of counts) out[key] = sum(parts, key);
  for (const rule of ['green', 'park', 'both']) {
    out[`share_cells_meeting_${rule}`] = share(out[`cells_meeting_${rule}`], out.cells);
  }
  for (const key of residents) out[key] = sum(parts, key);
  for (const rule of ['green', 'park', 'both']) {
    out[`share_population_meeting_${rule}`] = share(out[`population_meeting_${rule}`], out.population);
  }
  return out;
}

/** A part's `--population` figures: the layer's residents on no cell, the buildings that weighed them, the grid's. */
const layerKeys = ['population_unplaced', 'population_buildings'] as const;
const gridSums = ['pixels_read', 'pixels_kept', 'residents', 'bytes_read'] as const;

/**
 * The population layer's figures over the parts that had one (a part without a layer adds nothing to
 * them, and a part's own figures add up: population = the layer's residents − population_unplaced, so
 * the sums do too); the grid's size is each part's own file's, listed in `parts`.
 */
function mergePopulationLayer(summaries: Summary[]): Summary {
  const out: Summary = {};
  for (const key of layerKeys) {
    const having = summaries.filter((summary) => typeof summary[key] === 'number') as Totals[];
    if (having.length > 0) out[key] = sum(having, key);
  }
  const grids = summaries.map((summary) => summary.population_grid as Totals | undefined).filter((grid) => grid);
  if (grids.length > 0) {
    out.population_grid = {
      parts: grids.length,
      ...Object.fromEntries(gridSums.map((key) => [key, sum(grids as Totals[], key)])),
    };
  }
  return out;
}

/** What must agree between parts for their sum to mean something. */
function ruleKey(summary: Summary): string {
  const { description: _description, ...rules } = (summary.rules ?? {}) as Record<string, unknown>;
  return JSON.stringify([rules, summary.cell_meters, summary.distance]);
}

/** The merged summary of `parts` (name: where it came from, summary: its parsed summary.json). */
export function mergeSummaries(parts: { name: string; summary: Summary }[]): Summary {
  if (parts.length === 0) throw new MergeError('--merge needs at least one folder with a summary.json');
  const first = parts[0];
  for (const part of parts) {
    if (part.summary.generator !== 'GreenReach' || typeof part.summary.cells !== 'number') {
      throw new MergeError(`${part.name}: not a GreenReach summary.json`);
    }
    if (ruleKey(part.summary) !== ruleKey(first.summary)) {
      throw new MergeError(
        `${part.name}: its rules, cell size or distance differ from ${first.name}'s; merge only runs made with the same --rules, --cell and --distance`,
      );
    }
  }
  const summaries = parts.map((part) => part.summary);
  const sources = new Set(summaries.map((summary) => summary.population_source ?? null));
  const { population_grid: populationGrid, ...populationLayer } = mergePopulationLayer(summaries);
  const network = summaries.every((summary) => summary.network)
    ? Object.fromEntries([
        ...networkCounts.map((key) => [
          key,
          sum(
            summaries.map((s) => s.network as Totals),
            key,
          ),
        ]),
        ['snap_max_m', (first.summary.network as Totals).snap_max_m],
      ])
    : null;
  return {
    generator: 'GreenReach',
    merged: true,
    ...mergeTotals(summaries as Totals[]),
    population_source: sources.size === 1 ? first.summary.population_source : 'mixed',
    population_sources: [...sources],
    ...populationLayer,
    outside_communities: mergeTotals(summaries.map((summary) => summary.outside_communities as Totals)),
    communities: sum(summaries as Totals[], 'communities'),
    rules: first.summary.rules,
    cell_meters: first.summary.cell_meters,
    reach_meters: first.summary.reach_meters,
    distance: first.summary.distance,
    network,
    ...(first.summary.distance === 'network'
      ? { cells_meeting_both_straight: sum(summaries as Totals[], 'cells_meeting_both_straight') }
      : {}),
    skipped_features: parts.flatMap((part) =>
      ((part.summary.skipped_features ?? []) as Record<string, unknown>[]).map((skip) => ({
        part: part.name,
        ...skip,
      })),
    ),
    parts: parts.map((part) => ({
      name: part.name,
      cells: part.summary.cells,
      cells_meeting_both: part.summary.cells_meeting_both,
      population: part.summary.population ?? null,
      population_meeting_both: part.summary.population_meeting_both ?? null,
      population_source: part.summary.population_source ?? null,
      ...Object.fromEntries(
        [...layerKeys, 'population_grid'].filter((key) => key in part.summary).map((key) => [key, part.summary[key]]),
      ),
      inputs: part.summary.inputs ?? null,
    })),
    ...(populationGrid ? { population_grid: populationGrid } : {}),
  };
}
