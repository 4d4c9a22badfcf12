import type { BoundingBox, Grid } from './grid';

/** What the gap search needs from a coverage result (a subset of CoverageResult's arrays). */
export interface GapInput {
  grid: Grid;
  /** Grid indices of residential cells, ascending. */
  cellIndex: Uint32Array;
  /** Bit flags per cell; a cell without flag 4 misses at least one criterion ("uncovered"). */
  verdicts: Uint8Array;
  cellPopulation: Float64Array | null;
  cellCommunity: Int32Array;
  greenMeters: Float32Array | null;
  parkMeters: Float32Array | null;
}

/**
 * One gap area: a connected group of uncovered residential cells (any cell failing a rule in use) of
 * one community. Areas are split at community boundaries, so a community's gap residents add up to its
 * uncovered residents.
 */
export interface GapArea {
  /** Rank, 0 = most residents (or most cells when population is unknown). */
  rank: number;
  cells: number;
  /** Residents of its cells, or null when the data gives no population. */
  residents: number | null;
  /** Shortest distance from any of its cells to a qualifying park (`Infinity` beyond reach; null without a park rule). */
  nearestParkMeters: number | null;
  /** Same for green space. */
  nearestGreenMeters: number | null;
  /** Index of the community holding all of its cells, or -1 (cells outside every community). */
  community: number;
  /** `[west, south, east, north]` of its cells, in degrees. */
  bbox: BoundingBox;
}

export interface GapAnalysis {
  /** Ranked, most residents first. */
  areas: GapArea[];
  /** Per residential cell (same order as `cellIndex`): rank of its gap area, or -1 when covered. */
  cellGap: Int32Array;
  /** 4 or 8: how cells connect. */
  connectivity: 4 | 8;
}

/**
 * Groups uncovered residential cells into connected gap areas (4- or 8-connected on the grid, never
 * across a community boundary) and ranks them by residents. Linear in the number of residential cells: cells are visited in grid
 * order, and the neighbours in the row below are found with a pointer that only moves forward.
 */
export function findGapAreas(input: GapInput, connectivity: 4 | 8 = 8): GapAnalysis {
  const { grid, cellIndex, verdicts } = input;
  const count = cellIndex.length;
  const columns = grid.columns;
  const parent = new Int32Array(count).fill(-1);
  const find = (k: number): number => {
    let root = k;
    while (parent[root] !== root) root = parent[root];
    while (parent[k] !== root) {
      const next = parent[k];
      parent[k] = root;
      k = next;
    }
    return root;
  };
  const union = (a: number, b: number) => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
  };
  const uncovered = (k: number) => (verdicts[k] & 4) === 0;
  const community = input.cellCommunity;
  // Cells join only within one community: a gap across a boundary would credit one community with
  // another's residents, so the per-community gap figures would not add up.
  const joins = (k: number, q: number) => uncovered(q) && community[q] === community[k];

  let pointer = 0;
  for (let k = 0; k < count; k++) {
    if (!uncovered(k)) continue;
    parent[k] = k;
    const index = cellIndex[k];
    const column = index % columns;
    // West neighbour.
    if (column > 0 && k > 0 && cellIndex[k - 1] === index - 1 && joins(k, k - 1)) union(k, k - 1);
    // Neighbours in the row below: indices index - columns - 1 … index - columns + 1.
    const low = index - columns - (connectivity === 8 && column > 0 ? 1 : 0);
    const high = index - columns + (connectivity === 8 && column < columns - 1 ? 1 : 0);
    if (high < 0) continue;
    while (pointer < k && cellIndex[pointer] < low) pointer++;
    for (let q = pointer; q < k && cellIndex[q] <= high; q++) {
      if (cellIndex[q] === index - columns || connectivity === 8) {
        if (joins(k, q)) union(k, q);
      }
    }
  }

  // Totals per root.
  interface Totals {
    root: number;
    cells: number;
    residents: number;
    park: number;
    green: number;
    minRow: number;
    maxRow: number;
    minColumn: number;
    maxColumn: number;
    communityCells: Map<number, number>;
  }
  const byRoot = new Map<number, Totals>();
  for (let k = 0; k < count; k++) {
    if (parent[k] < 0) continue;
    const root = find(k);
    let totals = byRoot.get(root);
    if (!totals) {
      totals = {
        root,
        cells: 0,
        residents: 0,
        park: Infinity,
        green: Infinity,
        minRow: Infinity,
        maxRow: -Infinity,
        minColumn: Infinity,
        maxColumn: -Infinity,
        communityCells: new Map(),
      };
      byRoot.set(root, totals);
    }
    const index = cellIndex[k];
    const row = Math.floor(index / columns);
    const column = index - row * columns;
    totals.cells++;
    if (input.cellPopulation) totals.residents += input.cellPopulation[k];
    if (input.parkMeters && input.parkMeters[k] < totals.park) totals.park = input.parkMeters[k];
    if (input.greenMeters && input.greenMeters[k] < totals.green) totals.green = input.greenMeters[k];
    if (row < totals.minRow) totals.minRow = row;
    if (row > totals.maxRow) totals.maxRow = row;
    if (column < totals.minColumn) totals.minColumn = column;
    if (column > totals.maxColumn) totals.maxColumn = column;
    const community = input.cellCommunity[k];
    totals.communityCells.set(community, (totals.communityCells.get(community) ?? 0) + 1);
  }

  const hasPopulation = input.cellPopulation !== null;
  const ranked = [...byRoot.values()].sort(
    (a, b) => (hasPopulation ? b.residents - a.residents : 0) || b.cells - a.cells || a.root - b.root,
  );
  const rankOfRoot = new Map<number, number>();
  const areas: GapArea[] = ranked.map((totals, rank) => {
    rankOfRoot.set(totals.root, rank);
    let community = -1;
    let most = 0;
    for (const [id, cells] of totals.communityCells) {
      if (cells > most || (cells === most && id < community)) {
        most = cells;
        community = id;
      }
    }
    return {
      rank,
      cells: totals.cells,
      residents: hasPopulation ? totals.residents : null,
      nearestParkMeters: input.parkMeters ? totals.park : null,
      nearestGreenMeters: input.greenMeters ? totals.green : null,
      community,
      bbox: [
        grid.west + totals.minColumn * grid.longitudeStep,
        grid.south + totals.minRow * grid.latitudeStep,
        grid.west + (totals.maxColumn + 1) * grid.longitudeStep,
        grid.south + (totals.maxRow + 1) * grid.latitudeStep,
      ],
    };
  });
  const cellGap = new Int32Array(count).fill(-1);
  for (let k = 0; k < count; k++) if (parent[k] >= 0) cellGap[k] = rankOfRoot.get(find(k))!;
  return { areas, cellGap, connectivity };
}
