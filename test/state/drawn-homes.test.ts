import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildCoverage, presetRules, snapshotCoverage } from '../../src/coverage';
import { areaTotals } from '../../src/state/area-figures';
import { drawnParkHomes } from '../../src/state/drawn-homes';

// A drawn pocket park on housing: the homes it sits on, by the engine's rule (cell centres inside).

const fixture = JSON.parse(
  readFileSync(new URL('../coverage/in/residential-population.geojson', import.meta.url), 'utf8'),
) as FeatureCollection & { greenreach_test: { rules: string; cellMeters: number } };
const layer = (name: string): FeatureCollection => ({
  type: 'FeatureCollection',
  features: fixture.features.filter((feature: Feature) => feature.properties?.layer === name),
});
const residential = layer('residential');
const result = snapshotCoverage(
  buildCoverage(
    {
      communities: layer('communities'),
      residential: residential.features.length ? residential : null,
      greenways: layer('greenways'),
      greenspaces: layer('greenspaces'),
    },
    presetRules(fixture.greenreach_test.rules),
    fixture.greenreach_test.cellMeters,
  ),
);
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
