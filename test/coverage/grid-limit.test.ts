import { describe, expect, it } from 'vitest';
import { createGrid, GridTooLargeError } from '../../src/coverage/grid';
import { InputError } from '../../src/coverage/input-error';
import { errorBody } from '../../src/worker/worker-client';

describe('a grid too large', () => {
  it('names the cells, the limit and the smallest cell size that fits, as a coded input error', () => {
    // About 87 × 100 km: 10 m cells are too many.
    const bbox: [number, number, number, number] = [103.7, 30.2, 104.6, 31.1];
    let caught: unknown;
    try {
      createGrid(bbox, 10);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GridTooLargeError);
    expect(caught).toBeInstanceOf(RangeError);
    const error = caught as GridTooLargeError;
    expect(error.cells).toBeGreaterThan(64_000_000);
    expect(error.fittingCellMeters).toBe(20);
    expect(() => createGrid(bbox, error.fittingCellMeters!)).not.toThrow();
    expect(error.message).toMatch(/cells of 20 m or more will fit/);
    // Across the worker boundary it stays coded, with its numbers.
    const body = errorBody(error);
    expect(body.input?.code).toBe('grid.too-many-cells');
    const rebuilt = InputError.fromJSON(body.input!);
    expect(rebuilt.values).toMatchObject({ cellMeters: 10, limit: 64_000_000, fittingCellMeters: 20 });
  });

  it('a study area no cell size fits says so (no "use larger cells")', () => {
    let caught: GridTooLargeError | null = null;
    try {
      createGrid([-179, -80, 179, 80], 100);
    } catch (error) {
      caught = error as GridTooLargeError;
    }
    expect(caught?.fittingCellMeters).toBeNull();
    expect(caught?.message).toMatch(/no cell size up to 500 m fits/);
  });
});
