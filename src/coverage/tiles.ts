import type { CoverageLayers, CoverageOptions } from './coverage';
import { type CoveragePlan, type ResidentialCells, residentialCellsOf, residentsOf } from './coverage-plan';
import { DistanceField } from './distance-field';
import type { Grid, GridWindow } from './grid';
import { entrancePoints, type NetworkStatsSource, networkStats } from './network/network-model';
import type { CoverageResult } from './result';
import { type CriterionId, qualifies, reachMeters } from './rules';
import { markAllMet, markWithin, summarizeCells } from './summary';

/**
 * Tiled runs: the plan's one grid cut into windows, each computed on its own (in a worker, on another
 * core, in a job of its own) and stitched into the result a whole run gives, bit for bit. A window needs
 * no margin of its own: every feature whose reach touches the window is stamped onto it, measured in the
 * whole grid's rows and columns, and each cell keeps the minimum, which does not depend on the order.
 * Residents are spread after stitching, since a polygon's or a community's residents spread over all its
 * cells. Walking tiles (walking-tiles.ts) add each tile's walk and its straight-line figures.
 */

/** One computed window: its residential cells (whole-grid indices, ascending), their distances and verdicts. */
export interface CoverageTile extends ResidentialCells {
  window: GridWindow;
  /** Metres to the nearest qualifying feature (`Infinity` beyond the reach), per criterion in use. */
  greenMeters: Float32Array | null;
  parkMeters: Float32Array | null;
  /** Flags as `cellVerdicts` gives them: 1 meets green, 2 meets park, 4 meets every criterion in use. */
  verdicts: Uint8Array;
  /** Walking tiles: the straight-line metres, the off-network flags and the cells meeting every criterion in a straight line; else null. */
  walk: {
    greenStraightMeters: Float32Array | null;
    parkStraightMeters: Float32Array | null;
    offNetwork: Uint8Array;
    cellsMeetingBothStraight: number;
  } | null;
}

/** A window's straight-line figures: its cells, each criterion's squared metres, metres and verdicts. */
export interface StraightTile extends ResidentialCells {
  squared: Record<CriterionId, Float32Array | null>;
  meters: Record<CriterionId, Float32Array | null>;
  verdicts: Uint8Array;
}

/**
 * Windows of at most `tileCells` × `tileCells` cells covering the grid: bands of rows from the south,
 * each band cut into tiles from the west.
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
  const { squared: _, meters, verdicts, ...cells } = straightTile(plan, window);
  return { window, ...cells, greenMeters: meters.green, parkMeters: meters.park, verdicts, walk: null };
}

/** The straight-line part of a window (see {@link StraightTile}), as the whole run computes it. */
export function straightTile(plan: CoveragePlan, window: GridWindow): StraightTile {
  const cells = residentialCellsOf(plan, window);
  const count = cells.residentialCells.length;
  const meters: Record<CriterionId, Float32Array | null> = { green: null, park: null };
  const squaredOf: Record<CriterionId, Float32Array | null> = { green: null, park: null };
  const verdicts = new Uint8Array(count);
  let allFlags = 0;
  for (const [id, flag] of [
    ['green', 1],
    ['park', 2],
  ] as const) {
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
    // Each cell's squared distance, then its verdict and its metres, as the whole run takes them.
    const squared = new Float32Array(count);
    const { columns } = plan.grid;
    for (let k = 0; k < count; k++) {
      const index = cells.residentialCells[k];
      const row = Math.floor(index / columns);
      squared[k] = field.squaredMeters[field.offsetOf(row, index - row * columns)];
    }
    markWithin(verdicts, flag, criterion.radiusMeters, squared, null);
    allFlags |= flag;
    const out = new Float32Array(count);
    for (let k = 0; k < count; k++) out[k] = Math.sqrt(squared[k]);
    meters[id] = out;
    squaredOf[id] = squared;
  }
  markAllMet(verdicts, allFlags);
  return { ...cells, squared: squaredOf, meters, verdicts };
}

/** Residential cells of each row of a window (what a {@link TileStitcher} needs to place a tile before it arrives). */
export function residentialRowCounts(plan: CoveragePlan, window: GridWindow): Uint32Array {
  return rowCountsOf(plan.grid, window, residentialCellsOf(plan, window).residentialCells);
}

function rowCountsOf(grid: Grid, window: GridWindow, residentialCells: Uint32Array): Uint32Array {
  const counts = new Uint32Array(window.rowEnd - window.rowStart);
  for (const index of residentialCells) counts[Math.floor(index / grid.columns) - window.rowStart]++;
  return counts;
}

/**
 * Puts tiles in grid order as they arrive, in any order, so each tile can be dropped at once: from every
 * window's cells per row it knows where each row of each tile goes (row by row, west to east).
 */
export class TileStitcher {
  private readonly cells: ResidentialCells;
  private readonly meters: Record<CriterionId, Float32Array | null>;
  private readonly verdicts: Uint8Array;
  /** Walking runs: the straight-line metres, the off-network flags and the counts summed over tiles. */
  private readonly straightMeters: Record<CriterionId, Float32Array | null> = { green: null, park: null };
  private readonly offNetwork: Uint8Array | null;
  private offNetworkCount = 0;
  private cellsMeetingBothStraight = 0;
  /** Per window (by its position in the list), the first output position of each of its rows. */
  private readonly rowOffsets: Uint32Array[];
  private readonly windowPosition = new Map<string, number>();
  /** Whether residents come from residential polygons, the one use of each cell's residential polygon. */
  private readonly keepsResidentialPolygon: boolean;
  private placed = 0;

  constructor(
    private readonly plan: CoveragePlan,
    private readonly windows: GridWindow[],
    rowCounts: Uint32Array[],
    /** Walking runs: the whole network's figures (graph, entrances); null for straight-line tiles. */
    private readonly network: Omit<NetworkStatsSource, 'snap'> | null = null,
  ) {
    const order = windows
      .map((window, position) => ({ window, position }))
      .sort((a, b) => a.window.rowStart - b.window.rowStart || a.window.columnStart - b.window.columnStart);
    this.rowOffsets = windows.map((window) => new Uint32Array(window.rowEnd - window.rowStart));
    // Walk the bands from the south; within a band, each row takes its cells from each window west to east.
    let offset = 0;
    for (let first = 0; first < order.length; ) {
      let last = first;
      while (last < order.length && order[last].window.rowStart === order[first].window.rowStart) last++;
      const { rowStart, rowEnd } = order[first].window;
      for (let row = rowStart; row < rowEnd; row++) {
        for (let w = first; w < last; w++) {
          const { position } = order[w];
          this.rowOffsets[position][row - rowStart] = offset;
          offset += rowCounts[position][row - rowStart];
        }
      }
      first = last;
    }
    for (const [position, window] of windows.entries()) this.windowPosition.set(windowKey(window), position);
    const { rules } = plan;
    this.keepsResidentialPolygon = plan.residentialPopulations?.some((population) => population !== null) ?? false;
    this.cells = {
      residentialCells: new Uint32Array(offset),
      cellCommunity: new Int32Array(offset),
      cellResidentialPolygon: new Int32Array(this.keepsResidentialPolygon ? offset : 0),
    };
    this.meters = {
      green: rules.green ? new Float32Array(offset) : null,
      park: rules.park ? new Float32Array(offset) : null,
    };
    this.verdicts = new Uint8Array(offset);
    if (network) {
      this.straightMeters = {
        green: rules.green ? new Float32Array(offset) : null,
        park: rules.park ? new Float32Array(offset) : null,
      };
    }
    this.offNetwork = network ? new Uint8Array(offset) : null;
  }

  /** Copies a tile's cells into place. */
  add(tile: CoverageTile): void {
    const position = this.windowPosition.get(windowKey(tile.window));
    if (position === undefined) throw new Error(`tile ${windowKey(tile.window)} is not one of the stitcher's windows`);
    const offsets = this.rowOffsets[position];
    const { columns } = this.plan.grid;
    let from = 0;
    for (let r = 0; r < offsets.length; r++) {
      const rowEnd = (tile.window.rowStart + r + 1) * columns;
      let to = from;
      while (to < tile.residentialCells.length && tile.residentialCells[to] < rowEnd) to++;
      const at = offsets[r];
      this.cells.residentialCells.set(tile.residentialCells.subarray(from, to), at);
      this.cells.cellCommunity.set(tile.cellCommunity.subarray(from, to), at);
      if (this.keepsResidentialPolygon)
        this.cells.cellResidentialPolygon.set(tile.cellResidentialPolygon.subarray(from, to), at);
      this.meters.green?.set(tile.greenMeters!.subarray(from, to), at);
      this.meters.park?.set(tile.parkMeters!.subarray(from, to), at);
      this.verdicts.set(tile.verdicts.subarray(from, to), at);
      if (tile.walk) {
        this.straightMeters.green?.set(tile.walk.greenStraightMeters!.subarray(from, to), at);
        this.straightMeters.park?.set(tile.walk.parkStraightMeters!.subarray(from, to), at);
        this.offNetwork!.set(tile.walk.offNetwork.subarray(from, to), at);
      }
      from = to;
    }
    if (tile.walk) {
      for (const flag of tile.walk.offNetwork) this.offNetworkCount += flag;
      this.cellsMeetingBothStraight += tile.walk.cellsMeetingBothStraight;
    }
    this.placed++;
  }

  /**
   * The whole run's result once every tile is in: residents spread over the whole grid, the totals as
   * `snapshotCoverage` takes them.
   */
  result(
    populationLayers: Pick<CoverageLayers, 'population' | 'buildings'> = {},
    options: CoverageOptions = {},
  ): CoverageResult {
    if (this.placed !== this.windows.length) {
      throw new Error(`${this.windows.length - this.placed} of ${this.windows.length} tiles are missing`);
    }
    const { plan, cells, verdicts, network } = this;
    const { grid, rules } = plan;
    const residents = residentsOf(plan, populationLayers, cells, options);
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
      populationBuildings: residents.populationBuildings,
      distance: network ? 'network' : 'straight',
      greenMeters: this.meters.green,
      parkMeters: this.meters.park,
      greenStraightMeters: this.straightMeters.green,
      parkStraightMeters: this.straightMeters.park,
      offNetwork: this.offNetwork,
      entrances: network ? entrancePoints(network) : null,
      verdicts,
      communities: plan.communities,
      summary: {
        ...summarizeCells(summaryCells, verdicts),
        distance: network ? 'network' : 'straight',
        network: network ? networkStats({ ...network, snap: { offNetworkCount: this.offNetworkCount } }) : null,
        cellsMeetingBothStraight: network ? this.cellsMeetingBothStraight : null,
      },
      skipped: plan.skipped,
      timingsMs: {},
    };
  }
}

/** The whole run's result from all the tiles of a list of windows, in any order (walking tiles: with the whole network's figures). */
export function stitchTiles(
  plan: CoveragePlan,
  tiles: CoverageTile[],
  populationLayers: Pick<CoverageLayers, 'population' | 'buildings'> = {},
  options: CoverageOptions = {},
  network: Omit<NetworkStatsSource, 'snap'> | null = null,
): CoverageResult {
  const windows = tiles.map((tile) => tile.window);
  const stitcher = new TileStitcher(
    plan,
    windows,
    tiles.map((tile) => rowCountsOf(plan.grid, tile.window, tile.residentialCells)),
    network,
  );
  for (const tile of tiles) stitcher.add(tile);
  return stitcher.result(populationLayers, options);
}

function windowKey(window: GridWindow): string {
  return `${window.rowStart}:${window.columnStart}`;
}
