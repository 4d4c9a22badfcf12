import { describe, expect, it } from 'vitest';
import { computeTiledInWorkers } from '../../scripts/cli/tile-workers';
import { streetLattice } from '../../scripts/street-lattice';
import {
  buildCoverage,
  planCoverage,
  planWalking,
  presetRules,
  snapshotCoverage,
  tileWindows,
} from '../../src/coverage';
import { expectSameResult, smallCity } from '../support/small-city';

// The worker pool of `--tile-km`: tiles computed in 1 or 2 worker threads, arriving in any order, give the
// whole run's arrays bit for bit; a worker that fails rejects the run instead of hanging it.

const city = smallCity(5);

describe('tile workers', () => {
  it.each([1, 2])(
    'with %i thread(s) equal the whole run bit for bit',
    async (threads) => {
      const rules = presetRules('chengdu');
      const whole = snapshotCoverage(buildCoverage(city, rules, 25));
      const plan = planCoverage(city, rules, 25);
      const seen: number[] = [];
      const tiled = await computeTiledInWorkers(plan, tileWindows(plan.grid, 17), threads, {}, (done) =>
        seen.push(done),
      );
      expectSameResult(tiled, whole);
      expect(seen).toEqual(Array.from({ length: tileWindows(plan.grid, 17).length }, (_, i) => i + 1));
    },
    60_000,
  );

  it('computes walking tiles in 2 threads, equal to the whole walking run bit for bit', async () => {
    const network = streetLattice(3000, 150, { lng: 104.07, lat: 30.66 }, 3);
    const layers = { ...city, streets: network.streets, barriers: network.barriers };
    const rules = presetRules('chengdu');
    rules.distance = 'network';
    const whole = snapshotCoverage(buildCoverage(layers, rules, 25));
    const plan = planCoverage(layers, rules, 25);
    const walking = planWalking(plan, layers);
    const tiled = await computeTiledInWorkers(plan, tileWindows(plan.grid, 23), 2, {}, () => {}, walking);
    expect(tiled.distance).toBe('network');
    expectSameResult(tiled, whole);
  }, 60_000);

  it('rejects when a worker fails', async () => {
    const plan = planCoverage(city, presetRules('chengdu'), 25);
    // A feature whose paths are not arrays makes computeTile throw inside the worker.
    const [first] = plan.features.values();
    plan.features.set(first.id, { ...first, paths: 7 as unknown as Float64Array[] });
    await expect(computeTiledInWorkers(plan, tileWindows(plan.grid, 40), 2, {})).rejects.toThrow();
  }, 60_000);
});
