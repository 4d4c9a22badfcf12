import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findGapAreas, type GapInput } from '../../src/coverage/gap-areas';
import { createGrid } from '../../src/coverage/grid';

/** A random grid of residential cells, each with a verdict, a population and a community (or -1). */
const scene = fc
  .record({
    columns: fc.integer({ min: 1, max: 12 }),
    rows: fc.integer({ min: 1, max: 12 }),
    communities: fc.integer({ min: 1, max: 4 }),
    seed: fc.array(
      fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.nat(50), fc.integer({ min: -1, max: 3 })),
      {
        minLength: 144,
        maxLength: 144,
      },
    ),
  })
  .map(({ columns, rows, communities, seed }): GapInput => {
    const grid = { ...createGrid([104, 30, 104.01, 30.01], 100), columns, rows };
    const indices: number[] = [];
    const verdicts: number[] = [];
    const population: number[] = [];
    const community: number[] = [];
    for (let index = 0; index < columns * rows; index++) {
      const [residential, verdict, people, owner] = seed[index];
      if (!residential) continue;
      indices.push(index);
      // Flag 4 = meets every rule in use; anything else is a gap cell.
      verdicts.push(verdict === 3 ? 7 : verdict);
      population.push(people);
      community.push(Math.min(owner, communities - 1));
    }
    return {
      grid,
      cellIndex: Uint32Array.from(indices),
      verdicts: Uint8Array.from(verdicts),
      cellPopulation: Float64Array.from(population),
      cellCommunity: Int32Array.from(community),
      greenMeters: null,
      parkMeters: null,
    };
  });

describe('findGapAreas', () => {
  it('splits gap areas at community boundaries: per-community gap residents add up to its uncovered residents', () => {
    fc.assert(
      fc.property(scene, fc.constantFrom<4 | 8>(4, 8), (input, connectivity) => {
        const analysis = findGapAreas(input, connectivity);
        const uncovered = new Map<number, number>();
        for (let k = 0; k < input.cellIndex.length; k++) {
          if ((input.verdicts[k] & 4) !== 0) continue;
          const id = input.cellCommunity[k];
          uncovered.set(id, (uncovered.get(id) ?? 0) + input.cellPopulation![k]);
        }
        const fromGaps = new Map<number, number>();
        for (const area of analysis.areas)
          fromGaps.set(area.community, (fromGaps.get(area.community) ?? 0) + area.residents!);
        expect(fromGaps).toEqual(uncovered);
        // Every cell of an area lies in the area's community.
        for (let k = 0; k < input.cellIndex.length; k++) {
          const rank = analysis.cellGap[k];
          if (rank >= 0) expect(input.cellCommunity[k]).toBe(analysis.areas[rank].community);
        }
      }),
      { numRuns: 300 },
    );
  });
});
