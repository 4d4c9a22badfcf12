import { metersPerDegreeLatitude, metersPerDegreeLongitude } from './geodesy';
import { InputError } from './input-error';

/**
 * One regular grid over the study area: equal steps in longitude and latitude, chosen so that a
 * cell is `cellMeters` square at the reference latitude. Cell `index = row * columns + column`,
 * row 0 in the south, column 0 in the west. Distances never use the grid's own scale: each row
 * measures with the WGS84 radii at its own latitude (see stamp.ts).
 */
export interface Grid {
  /** Longitude of the west edge of column 0. */
  west: number;
  /** Latitude of the south edge of row 0. */
  south: number;
  /** Cell width in degrees of longitude. */
  longitudeStep: number;
  /** Cell height in degrees of latitude. */
  latitudeStep: number;
  columns: number;
  rows: number;
  cellMeters: number;
  /** Latitude at which cells are exactly `cellMeters` square. */
  referenceLatitude: number;
}

/** Part of a grid: rows `[rowStart, rowEnd)` × columns `[columnStart, columnEnd)`. */
export interface GridWindow {
  rowStart: number;
  rowEnd: number;
  columnStart: number;
  columnEnd: number;
}

/** Bounding box `[west, south, east, north]` in degrees. */
export type BoundingBox = [number, number, number, number];

export const minimumCellMeters = 10;
export const maximumCellMeters = 500;
/** A grid larger than this is refused rather than exhausting memory (64M cells ≈ 800 MB of fields). */
const maximumGridCells = 64_000_000;

/**
 * A grid with more cells than the engine can hold. A RangeError (the CLI reports it as a usage problem);
 * {@link GridTooLargeError.toInputError} gives the app a coded error with the numbers to translate.
 */
export class GridTooLargeError extends RangeError {
  constructor(
    readonly cellMeters: number,
    readonly cells: number,
    readonly limit: number,
    /** The smallest cell size (a multiple of 10 m) that fits, or null when none up to 500 m does. */
    readonly fittingCellMeters: number | null,
  ) {
    super(
      `a ${cellMeters} m grid over this area has ${cells} cells, more than ${limit}; ` +
        (fittingCellMeters !== null
          ? `cells of ${fittingCellMeters} m or more will fit`
          : `no cell size up to ${maximumCellMeters} m fits: the study area is too large (is a layer far away or spanning the globe?)`),
    );
    this.name = 'GridTooLargeError';
  }

  /** The same problem as the one input error type, code `grid.too-many-cells`, with its numbers. */
  toInputError(): InputError {
    return new InputError('grid', null, this.message, {
      code: 'grid.too-many-cells',
      values: {
        cellMeters: this.cellMeters,
        cells: this.cells,
        limit: this.limit,
        ...(this.fittingCellMeters !== null ? { fittingCellMeters: this.fittingCellMeters } : {}),
      },
    });
  }
}

/** The grid of `cellMeters` cells that covers `bbox`, snapped so that equal inputs give equal grids. */
export function createGrid(bbox: BoundingBox, cellMeters: number): Grid {
  if (!(cellMeters >= minimumCellMeters && cellMeters <= maximumCellMeters)) {
    throw new RangeError(`cell size ${cellMeters} m is outside ${minimumCellMeters}–${maximumCellMeters} m`);
  }
  const [west, south, east, north] = bbox;
  if (!(west <= east && south <= north) || !bbox.every(Number.isFinite)) {
    throw new RangeError(`study area [${bbox.join(', ')}] is empty or not finite`);
  }
  const referenceLatitude = (south + north) / 2;
  const longitudeStep = cellMeters / metersPerDegreeLongitude(referenceLatitude);
  const latitudeStep = cellMeters / metersPerDegreeLatitude(referenceLatitude);
  const columns = Math.max(1, Math.ceil((east - west) / longitudeStep));
  const rows = Math.max(1, Math.ceil((north - south) / latitudeStep));
  if (columns * rows > maximumGridCells) {
    // The smallest cell size (in steps of 10 m) whose grid fits, so the message can offer it.
    let fitting: number | null = null;
    for (let size = Math.ceil(cellMeters / 10) * 10; size <= maximumCellMeters; size += 10) {
      const c = Math.max(1, Math.ceil((east - west) / (size / metersPerDegreeLongitude(referenceLatitude))));
      const r = Math.max(1, Math.ceil((north - south) / (size / metersPerDegreeLatitude(referenceLatitude))));
      if (c * r <= maximumGridCells) {
        fitting = size;
        break;
      }
    }
    throw new GridTooLargeError(cellMeters, columns * rows, maximumGridCells, fitting);
  }
  return { west, south, longitudeStep, latitudeStep, columns, rows, cellMeters, referenceLatitude };
}

/** Longitude of the centre of `column`. */
export function columnCenterLongitude(grid: Grid, column: number): number {
  return grid.west + (column + 0.5) * grid.longitudeStep;
}

/** Latitude of the centre of `row`. */
export function rowCenterLatitude(grid: Grid, row: number): number {
  return grid.south + (row + 0.5) * grid.latitudeStep;
}

/** The whole grid as a window. */
export function fullWindow(grid: Grid): GridWindow {
  return { rowStart: 0, rowEnd: grid.rows, columnStart: 0, columnEnd: grid.columns };
}

/** The cells two windows share (an empty window when they share none). */
export function intersectWindows(a: GridWindow, b: GridWindow): GridWindow {
  const rowStart = Math.max(a.rowStart, b.rowStart);
  const columnStart = Math.max(a.columnStart, b.columnStart);
  return {
    rowStart,
    rowEnd: Math.max(rowStart, Math.min(a.rowEnd, b.rowEnd)),
    columnStart,
    columnEnd: Math.max(columnStart, Math.min(a.columnEnd, b.columnEnd)),
  };
}

/** The window of cells whose centres may lie within `bbox` (clamped to the grid; may be empty). */
export function windowOfBoundingBox(grid: Grid, bbox: BoundingBox): GridWindow {
  const clamp = (value: number, limit: number) => Math.min(limit, Math.max(0, value));
  return {
    columnStart: clamp(Math.floor((bbox[0] - grid.west) / grid.longitudeStep - 0.5), grid.columns),
    columnEnd: clamp(Math.ceil((bbox[2] - grid.west) / grid.longitudeStep + 0.5), grid.columns),
    rowStart: clamp(Math.floor((bbox[1] - grid.south) / grid.latitudeStep - 0.5), grid.rows),
    rowEnd: clamp(Math.ceil((bbox[3] - grid.south) / grid.latitudeStep + 0.5), grid.rows),
  };
}

/** `bbox` widened by `meters` on every side (using the radii at its most poleward edge). */
export function expandBoundingBox(bbox: BoundingBox, meters: number): BoundingBox {
  const poleward = Math.max(Math.abs(bbox[1]), Math.abs(bbox[3]));
  // A small margin keeps the window conservative against the per-row radii used by the stamps.
  const degreesLongitude = (meters * 1.01) / metersPerDegreeLongitude(Math.min(poleward, 89));
  const degreesLatitude = (meters * 1.01) / metersPerDegreeLatitude(0);
  return [bbox[0] - degreesLongitude, bbox[1] - degreesLatitude, bbox[2] + degreesLongitude, bbox[3] + degreesLatitude];
}

/** The cell's outline as a closed counter-clockwise ring of `[lng, lat]`. */
export function cellRing(grid: Grid, index: number): [number, number][] {
  const row = Math.floor(index / grid.columns);
  const column = index - row * grid.columns;
  const west = grid.west + column * grid.longitudeStep;
  const south = grid.south + row * grid.latitudeStep;
  const east = west + grid.longitudeStep;
  const north = south + grid.latitudeStep;
  return [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ];
}
