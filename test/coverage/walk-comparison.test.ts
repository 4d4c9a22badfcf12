import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCoverage, presetRules, snapshotCoverage } from '../../src/coverage';
import { cellVerdicts } from '../../src/coverage/summary';
import { compareWalk } from '../../src/coverage/walk-comparison';
import { randomStreets } from '../network/random-streets';

// The page compares the walk with the straight line from a result's arrays alone; the engine decides
// the same from its model. They must agree cell by cell, and add up to the summary's figure.

function walkingResult(seed: number) {
  const rules = presetRules('chengdu');
  rules.distance = 'network';
  const layers = randomStreets({ seed, latitude: 30.66, sizeMeters: 800, spacingMeters: 100, parks: 4 });
  const model = buildCoverage(layers, rules, 40);
  return { model, result: snapshotCoverage(model, {}) };
}

describe('walk vs straight line', () => {
  it('is null for a straight-line result', () => {
    const layers = randomStreets({ seed: 1, latitude: 30.66, sizeMeters: 600 });
    const result = snapshotCoverage(buildCoverage(layers, presetRules('chengdu'), 40), {});
    expect(compareWalk(result)).toBeNull();
  });

  it('gives the engine’s straight-line verdicts, and loses only cells the walk fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const { model, result } = walkingResult(seed);
        const comparison = compareWalk(result)!;
        expect(Array.from(comparison.straightVerdicts)).toEqual(Array.from(cellVerdicts(model, 'straight')));
        expect(comparison.city.cellsMeetingBothStraight).toBe(result.summary.cellsMeetingBothStraight);
        let lost = 0;
        for (let k = 0; k < result.cellIndex.length; k++) {
          const expected = (comparison.straightVerdicts[k] & 4) !== 0 && (result.verdicts[k] & 4) === 0;
          expect(comparison.lostOnFoot[k]).toBe(expected ? 1 : 0);
          if (expected) lost++;
        }
        expect(comparison.city.cellsLostOnFoot).toBe(lost);
        // Communities add up to the city (less the cells outside every community).
        const outside = result.cellCommunity.filter((community) => community < 0).length;
        const sum = comparison.communities.reduce((total, c) => total + c.cellsMeetingBothStraight, 0);
        expect(sum).toBeLessThanOrEqual(comparison.city.cellsMeetingBothStraight);
        expect(comparison.city.cellsMeetingBothStraight - sum).toBeLessThanOrEqual(outside);
      }),
      { numRuns: 6 },
    );
  });
});
