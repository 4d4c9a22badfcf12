import fc from 'fast-check';
import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/synthetic-city';
import {
  buildCoverage,
  type CoverageLayers,
  computeTile,
  computeTiled,
  metersPerDegreeLatitude,
  metersPerDegreeLongitude,
  planCoverage,
  presetRules,
  residentialRowCounts,
  snapshotCoverage,
  stitchTiles,
  TileStitcher,
  tileWindows,
} from '../../src/coverage';
import { expectSameResult, smallCity } from '../support/small-city';

// Issue 15: a run computed in tiles (windows of the one grid) equals the whole run bit for bit, whatever
// the tile size, the rules, where the residents come from and the order the tiles arrive in.

const center = { longitude: 104.07, latitude: 30.66 };
const kx = metersPerDegreeLongitude(center.latitude);
const ky = metersPerDegreeLatitude(center.latitude);
const at = (x: number, y: number) => [center.longitude + x / kx, center.latitude + y / ky];

/** A 3 × 3 km seeded city; optionally residential blocks with residents, or a layer of resident points. */
function city(seed: number, residents: 'communities' | 'residential' | 'points'): CoverageLayers {
  const layers = smallCity(seed, { parkCount: 10 });
  const random = seededRandom(seed + 1000);
  const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  if (residents === 'residential') {
    layers.residential = collection(
      Array.from({ length: 15 }, () => {
        const x = (random() - 0.5) * 2800;
        const y = (random() - 0.5) * 2800;
        const w = 100 + random() * 600;
        const h = 100 + random() * 600;
        return {
          type: 'Feature',
          properties: { population: Math.round(random() * 3000) },
          geometry: {
            type: 'Polygon',
            coordinates: [[at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h), at(x, y)]],
          },
        };
      }),
    );
  } else if (residents === 'points') {
    layers.population = collection(
      Array.from({ length: 200 }, () => ({
        type: 'Feature',
        properties: { population: Math.round(random() * 50) },
        geometry: { type: 'Point', coordinates: at((random() - 0.5) * 3000, (random() - 0.5) * 3000) },
      })),
    );
  }
  return layers;
}

describe('tiled runs', () => {
  it('equal the whole run bit for bit (property: seeds, tile sizes, rules, residents, tile order)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 3, max: 80 }),
        fc.constantFrom('chengdu', 'who', 'natural-england', 'gbt51346'),
        fc.constantFrom('communities', 'residential', 'points') as fc.Arbitrary<
          'communities' | 'residential' | 'points'
        >,
        fc.boolean(),
        (seed, tileCells, preset, residents, reversed) => {
          const layers = city(seed, residents);
          const rules = presetRules(preset);
          const whole = snapshotCoverage(buildCoverage(layers, rules, 25));
          const plan = planCoverage(layers, rules, 25);
          const windows = tileWindows(plan.grid, tileCells);
          // Workers finish in any order: stitching must not depend on it.
          const tiles = (reversed ? [...windows].reverse() : windows).map((window) => computeTile(plan, window));
          expectSameResult(stitchTiles(plan, tiles, layers), whole);
          // As the CLI stitches: places counted before any tile arrives, each tile put in place on arrival.
          const stitcher = new TileStitcher(
            plan,
            windows,
            windows.map((window) => residentialRowCounts(plan, window)),
          );
          for (const tile of tiles) stitcher.add(tile);
          expectSameResult(stitcher.result(layers), whole);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('cut through green spaces at tile edges and still agree, with a reach beyond the tile', () => {
    const layers = city(7, 'communities');
    const rules = presetRules('chengdu');
    // A 2 km reach is wider than the 10-cell (250 m) tiles: features reach across many tiles.
    rules.reachMarginMeters = 1500;
    const whole = snapshotCoverage(buildCoverage(layers, rules, 25));
    const plan = planCoverage(layers, rules, 25);
    const windows = tileWindows(plan.grid, 10);
    // Some green areas straddle a tile edge (their outline crosses it), so the cut is really exercised.
    const straddling = [...plan.features.values()].filter((feature) => {
      if (feature.polygons.length === 0) return false;
      const column = (longitude: number) => Math.floor((longitude - plan.grid.west) / plan.grid.longitudeStep / 10);
      return column(feature.bbox[0]) !== column(feature.bbox[2]);
    });
    expect(straddling.length).toBeGreaterThan(5);
    expect(windows.length).toBeGreaterThan(100);
    expectSameResult(
      stitchTiles(
        plan,
        windows.map((window) => computeTile(plan, window)),
        layers,
      ),
      whole,
    );
    // The distances beyond the default reach are really there (not all "beyond reach").
    const far = whole.parkMeters!.filter((meters) => meters > 600 && Number.isFinite(meters)).length;
    expect(far).toBeGreaterThan(200);
  });

  it('gives one tile of the whole grid, and tiles larger than the grid, the same result', () => {
    const layers = city(3, 'residential');
    const rules = presetRules('chengdu');
    const whole = snapshotCoverage(buildCoverage(layers, rules, 25));
    expectSameResult(computeTiled(layers, rules, 25, 10_000), whole);
    expect(tileWindows(planCoverage(layers, rules, 25).grid, 10_000)).toHaveLength(1);
  });

  it('holds only its window: a tile allocates fields of its own size', () => {
    const layers = city(5, 'communities');
    const plan = planCoverage(layers, presetRules('chengdu'), 25);
    const [window] = tileWindows(plan.grid, 16);
    const tile = computeTile(plan, window);
    expect(tile.residentialCells.length).toBeLessThanOrEqual(16 * 16);
    expect(tile.greenMeters!.length).toBe(tile.residentialCells.length);
    for (const index of tile.residentialCells) {
      const row = Math.floor(index / plan.grid.columns);
      const column = index % plan.grid.columns;
      expect(row < window.rowEnd && column < window.columnEnd).toBe(true);
    }
  });

  it('says so when a tile is missing or foreign', () => {
    const layers = city(2, 'communities');
    const plan = planCoverage(layers, presetRules('chengdu'), 25);
    const windows = tileWindows(plan.grid, 40);
    const stitcher = new TileStitcher(
      plan,
      windows,
      windows.map((window) => residentialRowCounts(plan, window)),
    );
    stitcher.add(computeTile(plan, windows[0]));
    expect(() => stitcher.result()).toThrow(/of \d+ tiles are missing/);
    expect(() => stitcher.add(computeTile(plan, { rowStart: 1, rowEnd: 2, columnStart: 1, columnEnd: 2 }))).toThrow(
      /not one of the stitcher's windows/,
    );
  });

  it('refuses a tile of less than one cell', () => {
    const plan = planCoverage(city(1, 'communities'), presetRules('chengdu'), 25);
    expect(() => tileWindows(plan.grid, 0)).toThrow(RangeError);
    expect(() => tileWindows(plan.grid, 2.5)).toThrow(RangeError);
  });
});
