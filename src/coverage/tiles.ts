import type { CoverageLayers, CoverageOptions } from './coverage';
import {
  type CoveragePlan,
  planCoverage,
  type ResidentialCells,
  residentialCellsOf,
  residentsOf,
} from './coverage-plan';
import { DistanceField } from './distance-field';
import type { Grid, GridWindow } from './grid';
import type { CoverageResult } from './result';
import { type CriterionId, qualifies, type RuleSet, reachMeters } from './rules';
import { markAllMet, markWithin, summarizeCells } from './summary';

/**
 * Tiled runs: the plan's one grid cut into windows, each computed on its own (in a worker, on another
 * core, in a job of its own) and stitched into the result a whole run gives, bit for bit. A window needs
 * no margin of its own: every feature whose reach touches the window is stamped onto it, measured in the
 * whole grid's rows and columns, and each cell keeps the minimum, which does not depend on the order.
 * Residents are spread after stitching, since a polygon's or a community's residents spread over all its
 * cells. Straight-line distance only (walking distance needs the network's reach around each tile).
 */

/** One computed window: its residential cells (whole-grid indices, ascending) and their squared distances. */
export interface CoverageTile extends ResidentialCells {
  window: GridWindow;
  /** Squared metres from each residential cell to the nearest qualifying feature, per criterion in use. */
  greenSquaredMeters: Float32Array | null;
  parkSquaredMeters: Float32Array | null;
}

/**
 * Windows of at most `tileCells` × `tileCells` cells covering the grid: bands of rows from the south,
 * each band cut into tiles from the west (the order {@link stitchTiles} expects).
 */
export function tileWindows(grid: Grid, tileCells: number): GridWindow[] {
  if (!(Number.isInteger(tileCells) && tileCells >= 1))
    throw new RangeError(`a tile must be 1 cell or more, got ${tileCells}`);
  const windows: GridWindow[] = [];
  for (let rowStart = 0; rowStart < grid.rows; rowStart += tileCells) {
    for (let columnStart = 0; columnStart < grid.columns; columnStart += tileCells) {
      windows.push({
        rowStart,
        rowEnd: Math.min(grid.rows, rowStart + tileCells),
        columnStart,
        columnEnd: Math.min(grid.columns, columnStart + tileCells),
      });
    }
  }
  return windows;
}

/** Computes one window of the plan's grid; its fields hold only the window (memory ∝ the tile, not the area). */
export function computeTile(plan: CoveragePlan, window: GridWindow): CoverageTile {
  const cells = residentialCellsOf(plan, window);
  const squared: Record<CriterionId, Float32Array | null> = { green: null, park: null };
  for (const id of ['green', 'park'] as const) {
    const criterion = plan.rules[id];
    if (!criterion) continue;
    const field = new DistanceField(plan.grid, plan.scales, reachMeters(plan.rules, criterion), window);
    for (const feature of plan.features.values()) {
      if (!qualifies(criterion, feature.kind, feature.areaSquareMeters)) continue;
      // Most features of a large area reach no cell of a given tile: skip them before any stamping.
      const reach = field.windowOf(feature);
      if (reach.rowStart >= reach.rowEnd || reach.columnStart >= reach.columnEnd) continue;
      field.add(feature);
    }
    const out = new Float32Array(cells.residentialCells.length);
    const { columns } = plan.grid;
    for (let k = 0; k < out.length; k++) {
      const index = cells.residentialCells[k];
      const row = Math.floor(index / columns);
      out[k] = field.squaredMeters[field.offsetOf(row, index - row * columns)];
    }
    squared[id] = out;
  }
  return { window, ...cells, greenSquaredMeters: squared.green, parkSquaredMeters: squared.park };
}

/**
 * The result of a whole run from the tiles of {@link tileWindows} (any order of arrival): cells in
 * grid order, residents spread over the whole grid, verdicts and summary as `snapshotCoverage` makes them.
 */
export function stitchTiles(
  plan: CoveragePlan,
  tiles: CoverageTile[],
  populationLayers: Pick<CoverageLayers, 'population' | 'buildings'> = {},
  options: CoverageOptions = {},
): CoverageResult {
  const { grid, rules } = plan;
  const ordered = [...tiles].sort(
    (a, b) => a.window.rowStart - b.window.rowStart || a.window.columnStart - b.window.columnStart,
  );
  const count = ordered.reduce((sum, tile) => sum + tile.residentialCells.length, 0);
  const cells: ResidentialCells = {
    residentialCells: new Uint32Array(count),
    cellCommunity: new Int32Array(count),
    cellResidentialPolygon: new Int32Array(count),
  };
  const squared: Record<CriterionId, Float32Array | null> = {
    green: rules.green ? new Float32Array(count) : null,
    park: rules.park ? new Float32Array(count) : null,
  };
  // Grid order is row by row: within a band of tiles, each row takes its run of cells from each tile, west to east.
  let written = 0;
  for (let first = 0; first < ordered.length; ) {
    let last = first;
    while (last < ordered.length && ordered[last].window.rowStart === ordered[first].window.rowStart) last++;
    const band = ordered.slice(first, last);
    const cursors = band.map(() => 0);
    for (let row = band[0].window.rowStart; row < band[0].window.rowEnd; row++) {
      const rowEnd = (row + 1) * grid.columns;
      band.forEach((tile, t) => {
        const from = cursors[t];
        let to = from;
        while (to < tile.residentialCells.length && tile.residentialCells[to] < rowEnd) to++;
        cells.residentialCells.set(tile.residentialCells.subarray(from, to), written);
        cells.cellCommunity.set(tile.cellCommunity.subarray(from, to), written);
        cells.cellResidentialPolygon.set(tile.cellResidentialPolygon.subarray(from, to), written);
        squared.green?.set(tile.greenSquaredMeters!.subarray(from, to), written);
        squared.park?.set(tile.parkSquaredMeters!.subarray(from, to), written);
        written += to - from;
        cursors[t] = to;
      });
    }
    first = last;
  }
  const residents = residentsOf(plan, populationLayers, cells, options);
  const verdicts = new Uint8Array(count);
  let allFlags = 0;
  for (const [id, flag] of [
    ['green', 1],
    ['park', 2],
  ] as const) {
    if (!rules[id]) continue;
    markWithin(verdicts, flag, rules[id].radiusMeters, squared[id]!, null);
    allFlags |= flag;
  }
  markAllMet(verdicts, allFlags);
  const summaryCells = { rules, communities: plan.communities, cellCommunity: cells.cellCommunity, ...residents };
  return {
    grid,
    rules,
    reachMeters: {
      green: rules.green ? reachMeters(rules, rules.green) : null,
      park: rules.park ? reachMeters(rules, rules.park) : null,
    },
    cellIndex: cells.residentialCells,
    cellCommunity: cells.cellCommunity,
    cellPopulation: residents.cellPopulation,
    populationSource: residents.populationSource,
    populationUnplaced: residents.populationUnplaced,
    distance: 'straight',
    greenMeters: squared.green && distances(squared.green),
    parkMeters: squared.park && distances(squared.park),
    greenStraightMeters: null,
    parkStraightMeters: null,
    offNetwork: null,
    entrances: null,
    verdicts,
    communities: plan.communities,
    summary: {
      ...summarizeCells(summaryCells, verdicts),
      distance: 'straight',
      network: null,
      cellsMeetingBothStraight: null,
    },
    skipped: plan.skipped,
    timingsMs: {},
  };
}

/**
 * A whole straight-line run computed tile by tile in this thread (tests, and where workers are not
 * wanted): equal, bit for bit, to `snapshotCoverage(buildCoverage(layers, rules, cellMeters))`.
 */
export function computeTiled(
  layers: CoverageLayers,
  rules: RuleSet,
  cellMeters: number,
  tileCells: number,
  options: CoverageOptions = {},
): CoverageResult {
  const plan = planCoverage(layers, rules, cellMeters);
  const tiles = tileWindows(plan.grid, tileCells).map((window) => computeTile(plan, window));
  return stitchTiles(plan, tiles, layers, options);
}

/** Metres from squared metres, as the whole run's `residentialDistances` takes them. */
function distances(squaredMeters: Float32Array): Float32Array {
  const out = new Float32Array(squaredMeters.length);
  for (let k = 0; k < out.length; k++) out[k] = Math.sqrt(squaredMeters[k]);
  return out;
}
