import type { CoverageResult, CoverageTotals } from '../coverage';
import { columnCenterLongitude, rowCenterLatitude } from '../coverage/grid';

type Point = readonly [number, number];

/** Whether (x, y) is inside the ring (even-odd rule; the ring need not be closed). */
export function insideRing(ring: readonly Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * The summary's figures for the residential cells whose centres lie inside `ring` (longitude,
 * latitude): cells, residents, and how many meet each rule in force (null for a criterion not used,
 * and residents null when the data gives no population).
 */
export function areaTotals(result: CoverageResult, ring: readonly Point[]): CoverageTotals {
  const { grid, cellIndex } = result;
  let west = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  for (const [x, y] of ring) {
    west = Math.min(west, x);
    east = Math.max(east, x);
    south = Math.min(south, y);
    north = Math.max(north, y);
  }
  const counter = totalsCounter(result);
  if (ring.length >= 3) {
    // Cells are sorted by grid index (row-major): only the rows the ring spans are visited.
    const rowStart = Math.max(0, Math.floor((south - grid.south) / grid.latitudeStep));
    const rowEnd = Math.min(grid.rows - 1, Math.floor((north - grid.south) / grid.latitudeStep));
    let k = lowerBound(cellIndex, rowStart * grid.columns);
    const end = (rowEnd + 1) * grid.columns;
    for (; k < cellIndex.length && cellIndex[k] < end; k++) {
      const index = cellIndex[k];
      const row = Math.floor(index / grid.columns);
      const x = columnCenterLongitude(grid, index - row * grid.columns);
      if (x < west || x > east) continue;
      const y = rowCenterLatitude(grid, row);
      if (insideRing(ring, x, y)) counter.add(k);
    }
  }
  return counter.totals();
}

/** Sums cells (by their index in the result's arrays) into the summary's figures for the rules in force. */
export function totalsCounter(result: CoverageResult): { add(k: number): void; totals(): CoverageTotals } {
  const { verdicts, cellPopulation, rules } = result;
  const counts = { cells: 0, green: 0, park: 0, both: 0, population: 0, popGreen: 0, popPark: 0, popBoth: 0 };
  return {
    add(k: number) {
      const verdict = verdicts[k];
      const people = cellPopulation ? cellPopulation[k] : 0;
      counts.cells++;
      counts.population += people;
      if (verdict & 1) {
        counts.green++;
        counts.popGreen += people;
      }
      if (verdict & 2) {
        counts.park++;
        counts.popPark += people;
      }
      if (verdict & 4) {
        counts.both++;
        counts.popBoth += people;
      }
    },
    totals() {
      const population = cellPopulation !== null;
      return {
        cells: counts.cells,
        cellsMeetingGreen: rules.green ? counts.green : null,
        cellsMeetingPark: rules.park ? counts.park : null,
        cellsMeetingBoth: counts.both,
        population: population ? counts.population : null,
        populationMeetingGreen: population && rules.green ? counts.popGreen : null,
        populationMeetingPark: population && rules.park ? counts.popPark : null,
        populationMeetingBoth: population ? counts.popBoth : null,
      };
    },
  };
}

function lowerBound(sorted: Uint32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The area's figures as CSV (UTF-8 with BOM, CRLF, as the community CSV), with the rules and the ring. */
export function areaCsv(
  result: CoverageResult,
  ring: readonly Point[],
  totals: CoverageTotals,
  /** The outline as WKT when it is not the ring (a picked community or gap area). */
  outlineWkt?: string,
): string {
  const share = (part: number | null, whole: number | null) =>
    part === null || whole === null || whole === 0 ? '' : (part / whole).toFixed(4);
  const value = (number: number | null) => (number === null ? '' : String(Math.round(number)));
  const header = [
    'cells',
    'residents',
    'cells_green',
    'cells_park',
    'cells_both',
    'residents_green',
    'residents_park',
    'residents_both',
    'share_green',
    'share_park',
    'share_both',
    'rules',
    'cell_m',
    'polygon_wkt',
  ];
  const usePopulation = totals.population !== null;
  const whole = usePopulation ? totals.population : totals.cells;
  const wkt =
    outlineWkt ?? `POLYGON((${[...ring, ring[0]].map(([x, y]) => `${x.toFixed(6)} ${y.toFixed(6)}`).join(', ')}))`;
  const row = [
    value(totals.cells),
    value(totals.population),
    value(totals.cellsMeetingGreen),
    value(totals.cellsMeetingPark),
    value(totals.cellsMeetingBoth),
    value(totals.populationMeetingGreen),
    value(totals.populationMeetingPark),
    value(totals.populationMeetingBoth),
    share(usePopulation ? totals.populationMeetingGreen : totals.cellsMeetingGreen, whole),
    share(usePopulation ? totals.populationMeetingPark : totals.cellsMeetingPark, whole),
    share(usePopulation ? totals.populationMeetingBoth : totals.cellsMeetingBoth, whole),
    result.rules.id,
    String(result.grid.cellMeters),
    wkt,
  ];
  const quote = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);
  return `\ufeff${header.join(',')}\r\n${row.map(quote).join(',')}\r\n`;
}
