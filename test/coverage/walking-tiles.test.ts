import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streetLattice } from '../../scripts/street-lattice';
import {
  buildCoverage,
  type CoverageLayers,
  computeTiled,
  computeWalkingTile,
  type NetworkLayers,
  planCoverage,
  planWalking,
  presetRules,
  type RuleSet,
  reachMeters,
  residentialRowCounts,
  snapshotCoverage,
  TileStitcher,
  tileWindows,
  walkingNetwork,
} from '../../src/coverage';
import { expectSameResult, smallCity } from '../support/small-city';

// Issue 15: a walking run (distance "network") computed in tiles equals the whole run bit for bit: every
// tile takes the graph within the reach plus the snap limit of its window, snaps its own cells and walks.

const center = { lng: 104.07, lat: 30.66 };

/** The 3 × 3 km seeded city of the straight-line tile tests, with a jittered street lattice cut by three rivers. */
function walkingCity(seed: number, spacingMeters: number): CoverageLayers & NetworkLayers {
  const network = streetLattice(3000, spacingMeters, center, seed);
  return { ...smallCity(seed, { parkCount: 10 }), streets: network.streets, barriers: network.barriers };
}

function walkingRules(preset: string, reachMarginMeters?: number): RuleSet {
  const rules = presetRules(preset);
  rules.distance = 'network';
  if (reachMarginMeters !== undefined) rules.reachMarginMeters = reachMarginMeters;
  return rules;
}

describe('walking tiles', () => {
  it('equal the whole walking run bit for bit (property: seeds, street spacing, tile sizes, rules, both modes)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 90, max: 250 }),
        fc.integer({ min: 4, max: 60 }),
        fc.constantFrom('chengdu', 'who', 'parkserve'),
        fc.constantFrom('network', 'straight') as fc.Arbitrary<'network' | 'straight'>,
        (seed, spacingMeters, tileCells, preset, distance) => {
          const layers = walkingCity(seed, spacingMeters);
          const rules = presetRules(preset);
          rules.distance = distance;
          const whole = snapshotCoverage(buildCoverage(layers, rules, 25));
          const tiled = computeTiled(layers, rules, 25, tileCells);
          expectSameResult(tiled, whole);
          if (distance === 'network') {
            // The walk is really measured: most cells are on the network and some walks are under the reach.
            expect(whole.summary.network!.cellsOffNetwork).toBeLessThan(whole.cellIndex.length / 2);
            const walks = whole.parkMeters ?? whole.greenMeters!;
            expect(walks.some((meters) => meters > 0 && Number.isFinite(meters))).toBe(true);
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('agree with a reach far wider than the tiles, tiles arriving in reverse as the CLI stitches them', () => {
    const layers = walkingCity(7, 150);
    // A 1.5 km reach on 10-cell (250 m) tiles: a tile's walks come from sources many tiles away.
    const rules = walkingRules('chengdu', 1000);
    const whole = snapshotCoverage(buildCoverage(layers, rules, 25));
    const plan = planCoverage(layers, rules, 25);
    const walking = planWalking(plan, layers);
    const windows = tileWindows(plan.grid, 10);
    expect(windows.length).toBeGreaterThan(100);
    const stitcher = new TileStitcher(
      plan,
      windows,
      windows.map((window) => residentialRowCounts(plan, window)),
      walkingNetwork(walking),
    );
    for (const window of [...windows].reverse()) stitcher.add(computeWalkingTile(plan, walking, window));
    expectSameResult(stitcher.result(layers), whole);
    // Walks beyond the default reach are really there, and some cells are off the network or fail on foot only.
    const far = whole.parkMeters!.filter((meters) => meters > 600 && Number.isFinite(meters)).length;
    expect(far).toBeGreaterThan(100);
    expect(whole.summary.cellsMeetingBothStraight).toBeGreaterThan(whole.summary.city.cellsMeetingBoth);
  });

  it('takes the graph within the largest reach plus the snap limit of a tile, and holds only its own cells', () => {
    const layers = walkingCity(3, 120);
    const rules = walkingRules('chengdu');
    const plan = planCoverage(layers, rules, 25);
    const walking = planWalking(plan, layers);
    // Margin: the park reach (500 m and its 100 m margin) plus the snap limit (150 m), and 5% and 10 m over.
    expect(reachMeters(rules, rules.park!)).toBe(600);
    expect(walking.marginMeters).toBeCloseTo(1.05 * 750 + 10, 6);
    const [window] = tileWindows(plan.grid, 8);
    const tile = computeWalkingTile(plan, walking, window);
    expect(tile.walk!.offNetwork.length).toBe(tile.residentialCells.length);
    expect(walking.graph.edgeCount).toBeGreaterThan(1000);
  });
});
