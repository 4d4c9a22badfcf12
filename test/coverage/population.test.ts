import fc from 'fast-check';
import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildCoverage, presetRules } from '../../src/coverage';
import { spreadPopulation } from '../../src/coverage/population';
import { collection, frame } from '../network/scene';

// Residents from the planner's population layer: points to their cell (or the nearest residential cell
// near it), polygons over the residential cells they hold, by building floor area where buildings exist.

const { rect, point } = frame(104.1, 30.66);
const community = (): FeatureCollection =>
  collection([{ ...rect(0, 0, 400, 200), properties: { name: 'A' } } as Feature]);
const residential = (): FeatureCollection => collection([rect(0, 0, 200, 200)]);

function model(population: FeatureCollection, buildings: FeatureCollection | null = null) {
  return buildCoverage(
    {
      communities: community(),
      residential: residential(),
      greenways: collection([]),
      greenspaces: collection([rect(300, 0, 100, 200, { kind: 'park' })]),
      population,
      buildings,
    },
    presetRules('chengdu'),
    50,
  );
}

describe('population layer', () => {
  it('puts a point in its cell, a point just off residential land in the nearest cell, and counts the rest as unplaced', () => {
    const m = model(
      collection([point(25, 25, { population: 40 }), point(230, 120, { population: 6 }), point(2000, 100, { pop: 5 })]),
    );
    expect(m.populationSource).toBe('population');
    const total = m.cellPopulation!.reduce((a, b) => a + b, 0);
    // 40 in the south-west cell, 6 in the nearest residential cell (the east column), 5 beyond the reach.
    expect(total).toBe(46);
    expect(m.populationUnplaced).toBe(5);
    expect(Math.max(...m.cellPopulation!)).toBe(40);
  });

  it('spreads a polygon by floor area: a tower takes its share, an empty cell none', () => {
    const buildings = collection([
      rect(10, 10, 40, 40, { 'building:levels': 10 }),
      rect(110, 110, 40, 40, { 'building:levels': 2 }),
    ]);
    const m = model(collection([rect(0, 0, 200, 200, { population: 1200 })]), buildings);
    const values = [...m.cellPopulation!].filter((v) => v > 0).sort((a, b) => b - a);
    expect(values).toHaveLength(2);
    expect(values[0] / values[1]).toBeCloseTo(5, 1);
    expect(values[0] + values[1]).toBeCloseTo(1200, 6);
  });

  it('adds up: every resident of the layer is in a cell or unplaced (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            x: fc.integer({ min: -100, max: 500 }),
            y: fc.integer({ min: -100, max: 300 }),
            n: fc.integer({ min: 0, max: 1000 }),
          }),
          { maxLength: 30 },
        ),
        (points) => {
          const layer = collection(points.map(({ x, y, n }) => point(x, y, { population: n })));
          const m = model(layer);
          const grid = m.grid;
          const spread = spreadPopulation(grid, m.residentialCells, layer);
          const placed = spread.cellPopulation.reduce((a, b) => a + b, 0);
          expect(placed + spread.unplaced).toBeCloseTo(spread.given, 6);
          expect(spread.given).toBe(points.reduce((sum, p) => sum + p.n, 0));
        },
      ),
      { numRuns: 40 },
    );
  });
});
