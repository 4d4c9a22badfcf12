import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CriterionId, Grid } from '../../src/coverage';
import { cellRasterSteps, cellRasterTiles, statePalette } from '../../src/map/cell-raster';
import { cellState, cellStateColors } from '../../src/theme/cell-colors';

function grid(columns: number, rows: number): Grid {
  return {
    west: 104,
    south: 30.6,
    longitudeStep: 0.0002,
    latitudeStep: 0.00018,
    columns,
    rows,
    cellMeters: 20,
  } as Grid;
}

/** The RGBA the raster holds for grid cell (column, row), or null when no tile covers it. */
function pixelAt(tiles: ReturnType<typeof cellRasterTiles>, column: number, row: number): number[] | null {
  for (const tile of tiles) {
    if (column < tile.column || column >= tile.column + tile.width) continue;
    if (row < tile.row || row >= tile.row + tile.height) continue;
    const x = column - tile.column;
    const y = tile.height - 1 - (row - tile.row);
    return [...tile.pixels.subarray((y * tile.width + x) * 4, (y * tile.width + x) * 4 + 4)];
  }
  return null;
}

const both: CriterionId[] = ['green', 'park'];

describe('cell raster', () => {
  it('paints a hand-checked 3 × 2 grid: north row first, state colours, empty cells transparent', () => {
    // Cells: (0,0) both [verdict 7], (2,0) green only [1], (1,1) neither [0]; the rest not residential.
    const tiles = cellRasterTiles(grid(3, 2), Uint32Array.of(0, 2, 4), Uint8Array.of(7, 1, 0), both, false);
    expect(tiles).toHaveLength(1);
    const [tile] = tiles;
    expect([tile.width, tile.height, tile.column, tile.row]).toEqual([3, 2, 0, 0]);
    expect(tile.bounds).toEqual([104, 30.6, 104 + 3 * 0.0002, 30.6 + 2 * 0.00018]);
    const transparent = [0, 0, 0, 0];
    // Image row 0 is grid row 1 (north).
    expect([...tile.pixels]).toEqual([
      ...transparent,
      ...cellStateColors.neither,
      ...transparent,
      ...cellStateColors.both,
      ...transparent,
      ...cellStateColors.greenOnly,
    ]);
  });

  it('leaves cells that meet the rules transparent in the gap view', () => {
    const [tile] = cellRasterTiles(grid(2, 1), Uint32Array.of(0, 1), Uint8Array.of(7, 2), both, true);
    expect([...tile.pixels]).toEqual([0, 0, 0, 0, ...cellStateColors.parkOnly]);
  });

  it('every residential cell has its state colour and every other cell is transparent, across tiles', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 23 }),
        fc.integer({ min: 1, max: 19 }),
        fc.integer({ min: 2, max: 8 }),
        fc.boolean(),
        fc.infiniteStream(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 7 }))),
        (columns, rows, tileCells, single, stream) => {
          const inUse: CriterionId[] = single ? ['green'] : both;
          const draws = [...stream.take(columns * rows)];
          const cells: number[] = [];
          const verdicts: number[] = [];
          draws.forEach(([residential, verdict], index) => {
            if (!residential) return;
            cells.push(index);
            verdicts.push(verdict);
          });
          const tiles = cellRasterTiles(
            grid(columns, rows),
            Uint32Array.from(cells),
            Uint8Array.from(verdicts),
            inUse,
            false,
            tileCells,
          );
          for (const tile of tiles) expect(Math.max(tile.width, tile.height)).toBeLessThanOrEqual(tileCells);
          for (let index = 0; index < columns * rows; index++) {
            const column = index % columns;
            const row = Math.floor(index / columns);
            const position = cells.indexOf(index);
            const pixel = pixelAt(tiles, column, row);
            if (position < 0) expect(pixel ?? [0, 0, 0, 0]).toEqual([0, 0, 0, 0]);
            else expect(pixel).toEqual([...cellStateColors[cellState(verdicts[position], inUse)]]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('paints the same tiles a slice at a time', () => {
    const cells = Uint32Array.from({ length: 40 }, (_, k) => k * 3);
    const verdicts = Uint8Array.from(cells, (_, k) => k % 8);
    const steps = cellRasterSteps(grid(12, 10), cells, verdicts, statePalette(both, false), 5, 7);
    let yields = 0;
    let step = steps.next();
    while (!step.done) {
      yields++;
      step = steps.next();
    }
    expect(yields).toBe(Math.ceil(40 / 7) - 1);
    expect(step.value).toEqual(cellRasterTiles(grid(12, 10), cells, verdicts, both, false, 5));
  });

  it('drops tiles without residential cells', () => {
    // 10 × 1 grid in tiles of 4 columns: only the middle tile has a cell.
    const tiles = cellRasterTiles(grid(10, 1), Uint32Array.of(5), Uint8Array.of(0), both, false, 4);
    expect(tiles.map((tile) => tile.column)).toEqual([4]);
  });
});
