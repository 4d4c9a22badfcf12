import { describe, expect, it } from 'vitest';
import { areaCsv, areaTotals, insideRing } from '../../src/state/area-figures';
import { haversineMeters, MeasureController, pathMeters, polygonSquareMeters } from '../../src/state/measure';
import { fixtureResult } from '../support/population-fixture';

const result = fixtureResult;

describe('measuring', () => {
  it('measures straight lines on the sphere and geodesic areas', () => {
    expect(haversineMeters([104, 30], [104, 31])).toBeCloseTo(111_195, -1);
    const dLng = 100 / (111_320 * Math.cos((30 * Math.PI) / 180));
    const dLat = 100 / 110_852;
    const square: [number, number][] = [
      [104, 30],
      [104 + dLng, 30],
      [104 + dLng, 30 + dLat],
      [104, 30 + dLat],
    ];
    expect(pathMeters(square.slice(0, 2))).toBeCloseTo(100, 0);
    expect(pathMeters(square)).toBeCloseTo(300, 0);
    expect(polygonSquareMeters(square) / 10_000).toBeCloseTo(1, 2);
    expect(polygonSquareMeters(square.slice(0, 2))).toBe(0);
  });

  it('adds points only while a mode is on; the same mode again stops', () => {
    const measure = new MeasureController();
    measure.addPoint([1, 1]);
    expect(measure.points()).toEqual([]);
    measure.toggle('distance');
    measure.addPoint([1, 1]);
    measure.addPoint([2, 2]);
    measure.undo();
    expect(measure.points()).toEqual([[1, 1]]);
    measure.toggle('area');
    expect(measure.mode()).toBe('area');
    expect(measure.points()).toEqual([]);
    measure.toggle('area');
    expect(measure.mode()).toBeNull();
  });
});

describe('figures for any area', () => {
  const [west, south, east, north] = [
    result.grid.west,
    result.grid.south,
    result.grid.west + result.grid.columns * result.grid.longitudeStep,
    result.grid.south + result.grid.rows * result.grid.latitudeStep,
  ];
  const whole: [number, number][] = [
    [west - 0.001, south - 0.001],
    [east + 0.001, south - 0.001],
    [east + 0.001, north + 0.001],
    [west - 0.001, north + 0.001],
  ];

  it('equals the city summary for a polygon around the whole grid, and is empty outside it', () => {
    expect(result.cellIndex.length).toBeGreaterThan(0);
    expect(areaTotals(result, whole)).toEqual(result.summary.city);
    const outside = whole.map(([x, y]) => [x + 1, y] as [number, number]);
    expect(areaTotals(result, outside).cells).toBe(0);
  });

  it('splits the city: the west and east halves add up to the whole', () => {
    const middle = (west + east) / 2;
    const westHalf: [number, number][] = [whole[0], [middle, whole[1][1]], [middle, whole[2][1]], whole[3]];
    const eastHalf: [number, number][] = [[middle, whole[0][1]], whole[1], whole[2], [middle, whole[3][1]]];
    const a = areaTotals(result, westHalf);
    const b = areaTotals(result, eastHalf);
    expect(a.cells + b.cells).toBe(result.summary.city.cells);
    expect(a.cellsMeetingBoth + b.cellsMeetingBoth).toBe(result.summary.city.cellsMeetingBoth);
    if (a.population !== null && b.population !== null) {
      expect(a.population + b.population).toBeCloseTo(result.summary.city.population!, 6);
    }
  });

  it('writes the figures as CSV with the rules and the polygon', () => {
    const csv = areaCsv(result, whole, areaTotals(result, whole));
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header, row] = csv.slice(1).trim().split('\r\n');
    expect(header.split(',')).toContain('share_both');
    expect(row).toContain(`${result.rules.id},${result.grid.cellMeters},"POLYGON((`);
    expect(insideRing(whole, (west + east) / 2, (south + north) / 2)).toBe(true);
  });
});
