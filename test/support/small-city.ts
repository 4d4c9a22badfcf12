import { expect } from 'vitest';
import { type SyntheticCityOptions, syntheticCity } from '../../scripts/synthetic-city';
import type { CoverageLayers, CoverageResult } from '../../src/coverage';

/** A seeded 3 × 3 km synthetic city of 9 communities, 4 greenways and 36 green areas (the tiled-run tests'). */
export function smallCity(seed: number, options: SyntheticCityOptions = {}): CoverageLayers {
  return syntheticCity({
    seed,
    sizeMeters: 3000,
    communitiesPerSide: 3,
    greenwayCount: 4,
    greenwayLengthMeters: 2500,
    microParkCount: 12,
    parkCount: 12,
    otherGreenCount: 12,
    ...options,
  });
}

/** Every figure of two results, compared byte for byte (typed arrays) or deeply (the rest). */
export function expectSameResult(tiled: CoverageResult, whole: CoverageResult): void {
  const bytes = (array: ArrayBufferView | null) =>
    array && Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
  for (const key of [
    'cellIndex',
    'cellCommunity',
    'cellPopulation',
    'greenMeters',
    'parkMeters',
    'greenStraightMeters',
    'parkStraightMeters',
    'offNetwork',
    'verdicts',
  ] as const) {
    expect(bytes(tiled[key]), key).toBe(bytes(whole[key]));
    // Distances element by element as well: Object.is tells -0 from 0 and NaN from any number.
    const a = tiled[key];
    const b = whole[key];
    if (a && b && a.length === b.length) {
      let differing = 0;
      for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) differing++;
      expect(differing, `${key}: cells differing`).toBe(0);
    }
  }
  expect(tiled.summary).toEqual(whole.summary);
  const { timingsMs: _a, ...tiledRest } = tiled;
  const { timingsMs: _b, ...wholeRest } = whole;
  expect({ ...tiledRest, ...typedArraysRemoved(tiledRest) }).toEqual({
    ...wholeRest,
    ...typedArraysRemoved(wholeRest),
  });
}

function typedArraysRemoved(result: object): Record<string, null> {
  return Object.fromEntries(
    Object.entries(result)
      .filter(([, value]) => ArrayBuffer.isView(value))
      .map(([key]) => [key, null]),
  );
}
