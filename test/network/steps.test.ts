import { describe, expect, it } from 'vitest';
import {
  buildCoverage,
  buildCoverageSteps,
  type CoverageProgress,
  NetworkCache,
  presetRules,
  snapshotCoverage,
  transferables,
} from '../../src/coverage';
import { randomStreets } from './random-streets';

// The engine's generator API in network mode, as the worker drives it.

const city = randomStreets({ seed: 7, latitude: 30.66, sizeMeters: 800, spacingMeters: 100 });

function networkRules(parkRadius = 500) {
  const rules = presetRules('chengdu');
  rules.distance = 'network';
  rules.park!.radiusMeters = parkRadius;
  return rules;
}

describe('network mode through buildCoverageSteps', () => {
  it('reports graph, snapping, entrances and one walk per rule, with fractions that never go back', () => {
    const steps = buildCoverageSteps(city, networkRules(), 40);
    const progress: CoverageProgress[] = [];
    for (let step = steps.next(); !step.done; step = steps.next()) progress.push(step.value);
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(expect.arrayContaining(['graph', 'snapping', 'entrances', 'walk-green', 'walk-park']));
    expect(phases.indexOf('graph')).toBeLessThan(phases.indexOf('walk-park'));
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
  });

  it('a rules change with a NetworkCache reuses graph, snapping and entrances and equals a fresh run', () => {
    const cache = new NetworkCache();
    const first = buildCoverage(city, networkRules(), 40, undefined, { networkCache: cache });
    const second = buildCoverage(city, networkRules(650), 40, undefined, { networkCache: cache });
    expect(second.network!.graph).toBe(first.network!.graph);
    expect(second.network!.snap).toBe(first.network!.snap);
    const fresh = buildCoverage(city, networkRules(650), 40);
    expect(fresh.network!.graph).not.toBe(first.network!.graph);
    expect(Array.from(second.network!.criteria.park!.cellMeters)).toEqual(
      Array.from(fresh.network!.criteria.park!.cellMeters),
    );
    expect(snapshotCoverage(second).summary).toEqual(snapshotCoverage(fresh).summary);
  });

  it('walking distance without a streets layer is an input error naming the layer', () => {
    expect(() => buildCoverage({ ...city, streets: null }, networkRules(), 40)).toThrow(
      /streets: .*needs a streets layer/,
    );
  });

  it('the result carries walks, straight lines, the off-network flag and entrances, all transferable', () => {
    const result = snapshotCoverage(buildCoverage(city, networkRules(), 40));
    expect(result.distance).toBe('network');
    const buffers = transferables(result);
    for (const array of [
      result.greenStraightMeters,
      result.parkStraightMeters,
      result.offNetwork,
      result.entrances!.lngLat,
    ])
      expect(buffers).toContain(array!.buffer);
    // Walks are never shorter than the straight line, and some are longer (the river, the gaps).
    let longer = 0;
    for (let k = 0; k < result.cellIndex.length; k++) {
      if (!Number.isFinite(result.parkMeters![k])) continue;
      expect(result.parkMeters![k]).toBeGreaterThanOrEqual(result.parkStraightMeters![k] - 0.5);
      if (result.parkMeters![k] > result.parkStraightMeters![k] + 1) longer++;
    }
    expect(longer).toBeGreaterThan(0);
    expect(result.summary.cellsMeetingBothStraight).toBeGreaterThanOrEqual(result.summary.city.cellsMeetingBoth);
  });
});
