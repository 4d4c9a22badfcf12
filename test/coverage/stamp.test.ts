import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createGrid,
  fullWindow,
  metersPerDegreeLatitude,
  metersPerDegreeLongitude,
  rowScales,
  stampPath,
} from '../../src/coverage';

// stampPath visits each segment's slab and each vertex's wedge instead of whole capsules. Here every
// cell of the grid is checked against a brute-force minimum over all segments, in the same row frame,
// for paths with sharp turns, U-turns, repeated points, closed rings and single points.

const latitude = 30.66;
const longitude = 104.1;
const kx = metersPerDegreeLongitude(latitude);
const ky = metersPerDegreeLatitude(latitude);
const grid = createGrid([longitude, latitude, longitude + 2000 / kx, latitude + 2000 / ky], 25);
const scales = rowScales(grid);
const reachMeters = 300;

function bruteForce(path: number[], row: number, column: number): number {
  const rowLatitude = grid.south + (row + 0.5) * grid.latitudeStep;
  const px = (column + 0.5) * grid.longitudeStep * scales.metersPerDegreeLongitude[row];
  const toX = (lng: number) => (lng - grid.west) * scales.metersPerDegreeLongitude[row];
  const toY = (lat: number) => (lat - rowLatitude) * scales.metersPerDegreeLatitude[row];
  let best = Infinity;
  const count = path.length / 2;
  for (let i = 0; i < Math.max(1, count - 1); i++) {
    const j = Math.min(i + 1, count - 1);
    const ax = toX(path[2 * i]);
    const ay = toY(path[2 * i + 1]);
    const dx = toX(path[2 * j]) - ax;
    const dy = toY(path[2 * j + 1]) - ay;
    const lengthSquared = dx * dx + dy * dy;
    const t = lengthSquared > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx - ay * dy) / lengthSquared)) : 0;
    best = Math.min(best, (ax + t * dx - px) ** 2 + (ay + t * dy) ** 2);
  }
  return Math.sqrt(best);
}

const pointArbitrary = fc.tuple(fc.integer({ min: -200, max: 2200 }), fc.integer({ min: -200, max: 2200 }));
const pathArbitrary = fc
  .record({
    points: fc.array(pointArbitrary, { minLength: 1, maxLength: 12 }),
    repeatEvery: fc.integer({ min: 0, max: 4 }),
    close: fc.boolean(),
  })
  .map(({ points, repeatEvery, close }) => {
    const metres = points.flatMap((point, i) => (repeatEvery > 0 && i % repeatEvery === 0 ? [point, point] : [point]));
    if (close && metres.length >= 3) metres.push(metres[0]);
    return metres.flatMap(([x, y]) => [longitude + x / kx, latitude + y / ky]);
  });

describe('slab and wedge stamping', () => {
  it('gives every cell within reach its exact distance to the path, and leaves the rest untouched', () => {
    fc.assert(
      fc.property(pathArbitrary, (path) => {
        const field = new Float32Array(grid.rows * grid.columns).fill(Infinity);
        stampPath(field, grid, scales, Float64Array.from(path), reachMeters, fullWindow(grid));
        for (let row = 0; row < grid.rows; row++) {
          for (let column = 0; column < grid.columns; column++) {
            const expected = bruteForce(path, row, column);
            const actual = Math.sqrt(field[row * grid.columns + column]);
            if (expected <= reachMeters) expect(actual, `cell ${row},${column}`).toBeCloseTo(expected, 3);
            else if (Number.isFinite(actual)) expect(expected - reachMeters).toBeLessThan(0.02);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('handles a U-turn, a hairpin ring and a lone point', () => {
    const at = (x: number, y: number) => [longitude + x / kx, latitude + y / ky];
    for (const path of [
      [at(500, 1000), at(1500, 1000), at(500, 1001)],
      [at(1000, 1000), at(1000, 1000)],
      [at(400, 400), at(1600, 410), at(400, 420), at(400, 400)],
    ]) {
      const flat = path.flat();
      const field = new Float32Array(grid.rows * grid.columns).fill(Infinity);
      stampPath(field, grid, scales, Float64Array.from(flat), reachMeters, fullWindow(grid));
      for (let row = 0; row < grid.rows; row++) {
        for (let column = 0; column < grid.columns; column++) {
          const expected = bruteForce(flat, row, column);
          if (expected <= reachMeters) expect(Math.sqrt(field[row * grid.columns + column])).toBeCloseTo(expected, 3);
        }
      }
    }
  });
});
