import { metersPerDegreeLatitude, metersPerDegreeLongitude } from './geodesy';
import type { Grid, GridWindow } from './grid';

/**
 * Per-row WGS84 scales: each grid row measures distances in its own local frame, which keeps every
 * distance within 0.01% of the geodesic (one frame for a whole city would be 0.2–0.5% off at its edges).
 */
export interface RowScales {
  /** Metres per degree of longitude at each row's centre latitude. */
  metersPerDegreeLongitude: Float64Array;
  /** Metres per degree of latitude at each row's centre latitude. */
  metersPerDegreeLatitude: Float64Array;
}

export function rowScales(grid: Grid): RowScales {
  const longitude = new Float64Array(grid.rows);
  const latitude = new Float64Array(grid.rows);
  for (let row = 0; row < grid.rows; row++) {
    const rowLatitude = grid.south + (row + 0.5) * grid.latitudeStep;
    longitude[row] = metersPerDegreeLongitude(rowLatitude);
    latitude[row] = metersPerDegreeLatitude(rowLatitude);
  }
  return { metersPerDegreeLongitude: longitude, metersPerDegreeLatitude: latitude };
}

/**
 * Stamps the capsule of every segment of `path` (flat `[lng, lat, …]`) onto `squaredMeters`: every cell
 * of `window` whose centre lies within `reachMeters` of the segment keeps the smaller of its value and
 * its squared distance to the segment. The value a cell gets does not depend on the window, so
 * stamping a region again reproduces a full stamp bit for bit.
 */
export function stampPath(
  squaredMeters: Float32Array,
  grid: Grid,
  scales: RowScales,
  path: Float64Array,
  reachMeters: number,
  window: GridWindow,
): void {
  const { west, south, longitudeStep, latitudeStep, columns } = grid;
  const reachSquared = reachMeters * reachMeters;
  // Row search is widened by 1% so the (tiny) change of the latitude radius along a segment never drops a row.
  const reachLatitude = (reachMeters * 1.01) / metersPerDegreeLatitude(0);
  const pointCount = path.length / 2;
  for (let point = 0; point < pointCount; point++) {
    const lng1 = path[point * 2];
    const lat1 = path[point * 2 + 1];
    // A lone point (a one-position line) is a zero-length segment.
    const next = point + 1 < pointCount ? point + 1 : pointCount === 1 ? 0 : -1;
    if (next < 0) break;
    const lng2 = path[next * 2];
    const lat2 = path[next * 2 + 1];
    const rowFirst = Math.max(window.rowStart, Math.ceil((Math.min(lat1, lat2) - reachLatitude - south) / latitudeStep - 0.5));
    const rowLast = Math.min(window.rowEnd - 1, Math.floor((Math.max(lat1, lat2) + reachLatitude - south) / latitudeStep - 0.5));
    for (let row = rowFirst; row <= rowLast; row++) {
      const rowLatitude = south + (row + 0.5) * latitudeStep;
      const kx = scales.metersPerDegreeLongitude[row];
      const ky = scales.metersPerDegreeLatitude[row];
      // The segment in metres, in a frame whose x axis is this row's centre line.
      const x1 = (lng1 - west) * kx;
      const y1 = (lat1 - rowLatitude) * ky;
      const x2 = (lng2 - west) * kx;
      const y2 = (lat2 - rowLatitude) * ky;
      if ((y1 > reachMeters && y2 > reachMeters) || (y1 < -reachMeters && y2 < -reachMeters)) continue;
      const dx = x2 - x1;
      const dy = y2 - y1;
      const lengthSquared = dx * dx + dy * dy;
      // Clip the segment to the band |y| ≤ reach: only that part can be within reach of this row.
      let tStart = 0;
      let tEnd = 1;
      if (dy !== 0) {
        const tLow = (-reachMeters - y1) / dy;
        const tHigh = (reachMeters - y1) / dy;
        tStart = Math.max(0, Math.min(tLow, tHigh));
        tEnd = Math.min(1, Math.max(tLow, tHigh));
      }
      // The capsule meets the row in one interval; its ends come from the clipped end points' disks
      // or from the point where the capsule's side is tangent (x ± reach·|dy|/length at y = ±reach·dx/length).
      const ax = x1 + tStart * dx;
      const ay = y1 + tStart * dy;
      const bx = x1 + tEnd * dx;
      const by = y1 + tEnd * dy;
      const halfA = Math.sqrt(Math.max(0, reachSquared - ay * ay));
      const halfB = Math.sqrt(Math.max(0, reachSquared - by * by));
      let low = Math.min(ax - halfA, bx - halfB);
      let high = Math.max(ax + halfA, bx + halfB);
      if (dy !== 0) {
        const length = Math.sqrt(lengthSquared);
        const tangentY = (reachMeters * dx * Math.sign(dy)) / length;
        const side = (reachMeters * Math.abs(dy)) / length;
        const tRight = (tangentY - y1) / dy;
        if (tRight > tStart && tRight < tEnd) high = Math.max(high, x1 + tRight * dx + side);
        const tLeft = (-tangentY - y1) / dy;
        if (tLeft > tStart && tLeft < tEnd) low = Math.min(low, x1 + tLeft * dx - side);
      }
      const cellWidth = longitudeStep * kx;
      const columnFirst = Math.max(window.columnStart, Math.ceil(low / cellWidth - 0.5));
      const columnLast = Math.min(window.columnEnd - 1, Math.floor(high / cellWidth - 0.5));
      const base = row * columns;
      const inverseLengthSquared = lengthSquared > 0 ? 1 / lengthSquared : 0;
      for (let column = columnFirst; column <= columnLast; column++) {
        const px = (column + 0.5) * cellWidth;
        let t = ((px - x1) * dx - y1 * dy) * inverseLengthSquared;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = x1 + t * dx - px;
        const ey = y1 + t * dy;
        const distanceSquared = ex * ex + ey * ey;
        if (distanceSquared < squaredMeters[base + column]) squaredMeters[base + column] = distanceSquared;
      }
    }
  }
}

/**
 * Calls `span(row, columnStart, columnEnd)` for every run of cells in `window` whose centres lie
 * inside the polygon (`rings`: outer ring then holes, flat closed `[lng, lat, …]`). Even–odd rule, so
 * a cell in a hole is outside. Each edge is bucketed by the rows it crosses, so the cost is
 * proportional to edges plus crossings, not rows × edges.
 */
export function scanPolygon(
  grid: Grid,
  rings: Float64Array[],
  window: GridWindow,
  span: (row: number, columnStart: number, columnEnd: number) => void,
): void {
  const { west, south, longitudeStep, latitudeStep } = grid;
  let minimumLatitude = Infinity;
  let maximumLatitude = -Infinity;
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i += 2) {
      if (ring[i] < minimumLatitude) minimumLatitude = ring[i];
      if (ring[i] > maximumLatitude) maximumLatitude = ring[i];
    }
  }
  const rowFirst = Math.max(window.rowStart, Math.floor((minimumLatitude - south) / latitudeStep - 0.5));
  const rowLast = Math.min(window.rowEnd - 1, Math.ceil((maximumLatitude - south) / latitudeStep - 0.5));
  if (rowLast < rowFirst) return;
  const crossings: number[][] = Array.from({ length: rowLast - rowFirst + 1 }, () => []);
  for (const ring of rings) {
    const count = ring.length / 2;
    for (let i = 0; i < count; i++) {
      const j = i + 1 < count ? i + 1 : 0;
      const lngA = ring[i * 2];
      const latA = ring[i * 2 + 1];
      const lngB = ring[j * 2];
      const latB = ring[j * 2 + 1];
      if (latA === latB) continue;
      const low = Math.min(latA, latB);
      const high = Math.max(latA, latB);
      const first = Math.max(rowFirst, Math.floor((low - south) / latitudeStep - 0.5));
      const last = Math.min(rowLast, Math.ceil((high - south) / latitudeStep - 0.5));
      for (let row = first; row <= last; row++) {
        // Half-open test on the row's own latitude, so a vertex shared by two edges counts once.
        const rowLatitude = south + (row + 0.5) * latitudeStep;
        if (rowLatitude < low || rowLatitude >= high) continue;
        crossings[row - rowFirst].push(lngA + ((rowLatitude - latA) * (lngB - lngA)) / (latB - latA));
      }
    }
  }
  for (let row = rowFirst; row <= rowLast; row++) {
    const xs = crossings[row - rowFirst];
    if (xs.length < 2) continue;
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // Cells whose centre longitude lies in [xs[k], xs[k + 1]).
      const columnStart = Math.max(window.columnStart, Math.ceil((xs[k] - west) / longitudeStep - 0.5));
      const columnEnd = Math.min(window.columnEnd, Math.ceil((xs[k + 1] - west) / longitudeStep - 0.5));
      if (columnEnd > columnStart) span(row, columnStart, columnEnd);
    }
  }
}
