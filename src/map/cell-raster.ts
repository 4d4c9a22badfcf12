import type { BoundingBox, CriterionId, Grid } from '../coverage';
import { cellState, cellStateColors, type WalkState, walkState, walkStateColors } from '../theme/cell-colors';

/** One tile of the cell raster: RGBA pixels, one per grid cell, north row first. */
export interface CellRasterTile {
  /** Grid column and row of the tile's south-west cell. */
  column: number;
  row: number;
  /** Size in cells (= pixels). */
  width: number;
  height: number;
  /** `[west, south, east, north]` in degrees: the outer edges of the tile's cells. */
  bounds: BoundingBox;
  /** `width × height × 4` bytes; pixel (x, y) is cell (column + x, row + height − 1 − y). */
  pixels: Uint8Array;
}

/** Largest tile side: every WebGL2 implementation supports 4096² textures; 2048 keeps uploads short. */
export const maxTileCells = 2048;

/**
 * The palette of the coverage-state view: RGBA per verdict (3 bits), transparent for cells that meet
 * the rules when `gapsOnly`.
 */
export function statePalette(inUse: readonly CriterionId[], gapsOnly: boolean): Uint8Array {
  const palette = new Uint8Array(8 * 4);
  for (let verdict = 0; verdict < 8; verdict++) {
    const state = cellState(verdict, inUse);
    if (!(gapsOnly && state === 'both')) palette.set(cellStateColors[state], verdict * 4);
  }
  return palette;
}

/**
 * The "walk vs straight line" view: a code per cell (0 met on foot, 1 met in a straight line only,
 * 2 missed both ways) and its palette; with `gapsOnly`, cells met on foot are transparent.
 */
export function walkPaint(
  walkVerdicts: Uint8Array,
  straightVerdicts: Uint8Array,
  gapsOnly: boolean,
): { codes: Uint8Array; palette: Uint8Array } {
  const order: WalkState[] = ['metOnFoot', 'lostOnFoot', 'missedBoth'];
  const codes = new Uint8Array(walkVerdicts.length);
  for (let k = 0; k < codes.length; k++) codes[k] = order.indexOf(walkState(walkVerdicts[k], straightVerdicts[k]));
  const palette = new Uint8Array(order.length * 4);
  order.forEach((state, code) => {
    if (!(gapsOnly && state === 'metOnFoot')) palette.set(walkStateColors[state], code * 4);
  });
  return { codes, palette };
}

/**
 * Paints the residential cells of a coverage result into RGBA tiles, one pixel per grid cell, in the
 * colour of the cell's state (transparent where there is no residential cell, and where the cell meets
 * the rules when `gapsOnly`). The grid is regular in longitude and latitude, so a tile is an image
 * with longitude–latitude bounds and the GPU draws a million cells as one textured rectangle instead
 * of a million instanced squares (no per-cell vertex data, one small shader).
 */
export function cellRasterTiles(
  grid: Grid,
  cellIndex: Uint32Array,
  verdicts: Uint8Array,
  inUse: readonly CriterionId[],
  gapsOnly: boolean,
  tileCells = maxTileCells,
): CellRasterTile[] {
  const steps = cellRasterSteps(grid, cellIndex, verdicts, statePalette(inUse, gapsOnly), tileCells, Infinity);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Paints a code per residential cell (a verdict, or a walk state) in its palette colour (RGBA per code),
 * a slice at a time: yields after every `cellsPerStep` cells (so the page can paint a million cells
 * without one long task), returns the tiles.
 */
export function* cellRasterSteps(
  grid: Grid,
  cellIndex: Uint32Array,
  codes: Uint8Array,
  palette: Uint8Array,
  tileCells = maxTileCells,
  cellsPerStep = 200_000,
): Generator<void, CellRasterTile[]> {
  const lookup = palette;
  const tileColumns = Math.ceil(grid.columns / tileCells);
  const tileRows = Math.ceil(grid.rows / tileCells);
  const tiles: CellRasterTile[] = [];
  for (let tileRow = 0; tileRow < tileRows; tileRow++) {
    for (let tileColumn = 0; tileColumn < tileColumns; tileColumn++) {
      const column = tileColumn * tileCells;
      const row = tileRow * tileCells;
      const width = Math.min(tileCells, grid.columns - column);
      const height = Math.min(tileCells, grid.rows - row);
      tiles.push({
        column,
        row,
        width,
        height,
        bounds: [
          grid.west + column * grid.longitudeStep,
          grid.south + row * grid.latitudeStep,
          grid.west + (column + width) * grid.longitudeStep,
          grid.south + (row + height) * grid.latitudeStep,
        ],
        pixels: new Uint8Array(width * height * 4),
      });
    }
  }
  // Cells come in grid order (ascending index): one pass, each cell written to its tile's pixel.
  const painted = new Uint32Array(tiles.length);
  for (let k = 0; k < cellIndex.length; k++) {
    if (k > 0 && k % cellsPerStep === 0) yield;
    const index = cellIndex[k];
    const row = Math.floor(index / grid.columns);
    const column = index - row * grid.columns;
    const tileRow = Math.floor(row / tileCells);
    const tileColumn = Math.floor(column / tileCells);
    const tileNumber = tileRow * tileColumns + tileColumn;
    const tile = tiles[tileNumber];
    painted[tileNumber]++;
    const x = column - tile.column;
    const y = tile.height - 1 - (row - tile.row);
    const out = (y * tile.width + x) * 4;
    const source = codes[k] * 4;
    const pixels = tile.pixels;
    pixels[out] = lookup[source];
    pixels[out + 1] = lookup[source + 1];
    pixels[out + 2] = lookup[source + 2];
    pixels[out + 3] = lookup[source + 3];
  }
  // Tiles without a residential cell (e.g. a river plain across the grid) need no texture.
  return tiles.filter((_, tileNumber) => painted[tileNumber] > 0);
}
