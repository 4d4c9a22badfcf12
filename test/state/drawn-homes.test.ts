import fc from 'fast-check';
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { areaTotals } from '../../src/state/area-figures';
import { drawnParkHomes } from '../../src/state/drawn-homes';
import { fixtureResult } from '../support/population-fixture';

// A drawn pocket park on housing: the homes it sits on, by the engine's rule (cell centres inside).

const result = fixtureResult;
const { grid } = result;
const east = grid.west + grid.columns * grid.longitudeStep;
const north = grid.south + grid.rows * grid.latitudeStep;

const square = (west: number, south: number, width: number, height: number): Feature => ({
  type: 'Feature',
  properties: { kind: 'pocket_park' },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [west + width, south],
        [west + width, south + height],
        [west, south + height],
        [west, south],
      ],
    ],
  },
});

describe('homes under a drawn park', () => {
  it('equals a brute-force count of the residential cells whose centre it holds (random rectangles)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 0.4, noNaN: true }),
        fc.double({ min: 0.01, max: 0.4, noNaN: true }),
        (x, y, w, h) => {
          const west = grid.west + x * (east - grid.west);
          const south = grid.south + y * (north - grid.south);
          const width = w * (east - grid.west);
          const height = h * (north - grid.south);
          const park = square(west, south, width, height);
          const homes = drawnParkHomes(result, park)!;
          const ring = (park.geometry as Polygon).coordinates[0].slice(0, 4) as [number, number][];
          const oracle = areaTotals(result, ring);
          expect(homes.residentialCells).toBe(oracle.cells);
          if (oracle.population !== null) expect(homes.residents).toBeCloseTo(oracle.population, 0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is 0 beside the grid and null for a line', () => {
    expect(drawnParkHomes(result, square(grid.west - 1, grid.south - 1, 0.001, 0.001))!.residentialCells).toBe(0);
    const line: Feature = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'LineString',
        coordinates: [
          [grid.west, grid.south],
          [east, north],
        ],
      },
    };
    expect(drawnParkHomes(result, line)).toBeNull();
  });
});
