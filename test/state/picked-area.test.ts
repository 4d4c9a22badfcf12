import { describe, expect, it } from 'vitest';
import { findGapAreas } from '../../src/coverage/gap-areas';
import { columnCenterLongitude, rowCenterLatitude } from '../../src/coverage/grid';
import { areaCsv } from '../../src/state/area-figures';
import { pickArea, pickedTotals, pickedWkt } from '../../src/state/picked-area';
import { fixtureLayer, fixtureResult } from '../support/population-fixture';

// Figures for an existing polygon picked by a click: a gap area (the cells there) or a community.

const communities = fixtureLayer('communities');
const result = fixtureResult;
const gaps = findGapAreas(result);

/** The centre of the residential cell at position `k` of the result's arrays. */
function cellCentre(k: number): [number, number] {
  const { grid, cellIndex } = result;
  const row = Math.floor(cellIndex[k] / grid.columns);
  return [columnCenterLongitude(grid, cellIndex[k] - row * grid.columns), rowCenterLatitude(grid, row)];
}

describe('picking an existing polygon for its figures', () => {
  it('picks the gap area of the cell clicked, with figures summed by hand over its cells', () => {
    expect(gaps.areas.length).toBeGreaterThan(0);
    const k = gaps.cellGap.indexOf(0);
    const picked = pickArea(result, gaps, communities, cellCentre(k));
    expect(picked).toEqual({ kind: 'gap', gap: 0 });
    const totals = pickedTotals(result, gaps, picked!);
    expect(totals.cells).toBe(gaps.areas[0].cells);
    // A gap's cells fail at least one rule in force: none meets both.
    expect(totals.cellsMeetingBoth).toBe(0);
    if (gaps.areas[0].residents !== null) expect(totals.population).toBeCloseTo(gaps.areas[0].residents, 6);
    // Brute force: every cell of the gap, its verdict bits counted one by one.
    let green = 0;
    for (let q = 0; q < gaps.cellGap.length; q++) if (gaps.cellGap[q] === 0 && result.verdicts[q] & 1) green++;
    expect(totals.cellsMeetingGreen).toBe(result.rules.green ? green : null);
  });

  it("picks a community where no gap is, and gives the community table's own figures", () => {
    const k = gaps.cellGap.findIndex((rank, q) => rank < 0 && result.cellCommunity[q] >= 0);
    expect(k).toBeGreaterThanOrEqual(0);
    const picked = pickArea(result, gaps, communities, cellCentre(k));
    expect(picked).toEqual({ kind: 'community', community: result.cellCommunity[k] });
    expect(pickedTotals(result, gaps, picked!)).toEqual(result.summary.communities[result.cellCommunity[k]]);
  });

  it('picks nothing far from every community and cell', () => {
    expect(pickArea(result, gaps, communities, [result.grid.west - 1, result.grid.south - 1])).toBeNull();
  });

  it("writes a picked gap's outline as a WKT multipolygon around its cells", () => {
    const picked = { kind: 'gap', gap: 0 } as const;
    const wkt = pickedWkt(result, gaps, communities, picked);
    expect(wkt.startsWith('MULTIPOLYGON(((')).toBe(true);
    const csv = areaCsv(result, [], pickedTotals(result, gaps, picked), wkt);
    expect(csv).toContain('"MULTIPOLYGON(((');
    const community = pickedWkt(result, gaps, communities, { kind: 'community', community: 0 });
    expect(community.startsWith('MULTIPOLYGON(((')).toBe(true);
  });
});
