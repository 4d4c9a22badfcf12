import { metersPerDegreeLatitude, metersPerDegreeLongitude } from './geodesy';
import { fullWindow, type Grid, type GridWindow } from './grid';

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

/** Slack in metres on every region boundary, so rounding can never leave a cell out of every region. */
const slackMeters = 0.01;

/**
 * Stamps the distance to `path` (flat `[lng, lat, …]`; a closed ring when first = last) onto
 * `squaredMeters`: every cell of `window` whose centre lies within `reachMeters` keeps the smaller of
 * its value and its squared distance to the path.
 *
 * The distance to a polyline is, for each point, either a perpendicular distance to a segment whose
 * slab holds the point, or the distance to a vertex whose wedge holds it (the wedge lies between the
 * perpendiculars to the two segments meeting there, on the outside of the turn). So each segment
 * stamps only its slab (a 2·reach-wide rectangle) and each vertex only its wedge of the reach disk:
 * unlike stamping each segment's whole capsule, consecutive segments do not re-evaluate the same cells
 * over and over (about 10× fewer evaluations on dense greenways). Regions are widened by 1 cm so that
 * rounding never leaves a cell out; an extra evaluation is harmless because each one is a true distance.
 * What a cell gets does not depend on the window, so stamping a region again reproduces a full stamp
 * bit for bit. `storage` is the part of the grid `squaredMeters` holds, row by row (default the whole
 * grid): a tile's field holds only its window, with every distance still measured on the whole grid.
 */
export function stampPath(
  squaredMeters: Float32Array,
  grid: Grid,
  scales: RowScales,
  path: Float64Array,
  reachMeters: number,
  window: GridWindow,
  storage: GridWindow = fullWindow(grid),
): void {
  // Distinct consecutive points only: a zero-length segment has no direction.
  const points: number[] = [];
  for (let i = 0; i < path.length; i += 2) {
    const count = points.length;
    if (count === 0 || points[count - 2] !== path[i] || points[count - 1] !== path[i + 1])
      points.push(path[i], path[i + 1]);
  }
  let count = points.length / 2;
  const closed = count >= 3 && points[0] === points[points.length - 2] && points[1] === points[points.length - 1];
  if (closed) count--;
  const segmentCount = closed ? count : count - 1;
  for (let i = 0; i < segmentCount; i++) {
    const j = (i + 1) % count;
    stampSlab(
      squaredMeters,
      grid,
      scales,
      points[2 * i],
      points[2 * i + 1],
      points[2 * j],
      points[2 * j + 1],
      reachMeters,
      window,
      storage,
    );
  }
  for (let i = 0; i < count; i++) {
    const previous = i > 0 ? i - 1 : closed ? count - 1 : -1;
    const next = i < count - 1 ? i + 1 : closed ? 0 : -1;
    stampWedge(squaredMeters, grid, scales, points, previous, i, next, reachMeters, window, storage);
  }
}

/**
 * Rows whose centre line may cross the latitudes [low, high] widened by `marginMeters` north and south,
 * clamped to the window. The margin is widened by 1% + 0.5 m so the small change of the latitude
 * radius across a feature, and the 1 cm slack of the regions, never drop a row.
 */
function rowRange(grid: Grid, low: number, high: number, marginMeters: number, window: GridWindow): [number, number] {
  const marginLatitude = (marginMeters * 1.01 + 0.5) / metersPerDegreeLatitude(0);
  return [
    Math.max(window.rowStart, Math.ceil((low - marginLatitude - grid.south) / grid.latitudeStep - 0.5)),
    Math.min(window.rowEnd - 1, Math.floor((high + marginLatitude - grid.south) / grid.latitudeStep - 0.5)),
  ];
}

/** The slab of segment A→B: points whose projection falls on the segment, at most `reach` from its line. */
function stampSlab(
  squaredMeters: Float32Array,
  grid: Grid,
  scales: RowScales,
  lngA: number,
  latA: number,
  lngB: number,
  latB: number,
  reachMeters: number,
  window: GridWindow,
  storage: GridWindow,
): void {
  const { west, south, longitudeStep, latitudeStep } = grid;
  const stride = storage.columnEnd - storage.columnStart;
  // The slab reaches north and south of the segment by reach × |cos heading|.
  const middle = (latA + latB) / 2;
  const eastMeters = (lngB - lngA) * metersPerDegreeLongitude(middle);
  const northMeters = (latB - latA) * metersPerDegreeLatitude(middle);
  const heading = Math.abs(eastMeters) / Math.sqrt(eastMeters * eastMeters + northMeters * northMeters);
  const [rowFirst, rowLast] = rowRange(grid, Math.min(latA, latB), Math.max(latA, latB), reachMeters * heading, window);
  const band = reachMeters + slackMeters;
  for (let row = rowFirst; row <= rowLast; row++) {
    const rowLatitude = south + (row + 0.5) * latitudeStep;
    const kx = scales.metersPerDegreeLongitude[row];
    const ky = scales.metersPerDegreeLatitude[row];
    // The segment in metres, in a frame whose x axis is this row's centre line.
    const ax = (lngA - west) * kx;
    const ay = (latA - rowLatitude) * ky;
    const bx = (lngB - west) * kx;
    const by = (latB - rowLatitude) * ky;
    const dx = bx - ax;
    const dy = by - ay;
    const length = Math.sqrt(dx * dx + dy * dy);
    const ux = dx / length;
    const uy = dy / length;
    // Each condition is linear in x along the row: slope·x + offset ≥ 0. Intersect them.
    let low = -Infinity;
    let high = Infinity;
    // (P − A)·u ≥ −slack and (B − P)·u ≥ −slack: the projection falls on the segment.
    if (ux > 0) {
      low = Math.max(low, (ax * ux + ay * uy - slackMeters) / ux);
      high = Math.min(high, (bx * ux + by * uy + slackMeters) / ux);
    } else if (ux < 0) {
      high = Math.min(high, (ax * ux + ay * uy - slackMeters) / ux);
      low = Math.max(low, (bx * ux + by * uy + slackMeters) / ux);
    } else if (-ay * uy < -slackMeters || by * uy < -slackMeters) continue;
    // |(P − A) × u| ≤ reach + slack: within the band around the line.
    const crossOffset = ay * ux - ax * uy;
    if (uy > 0) {
      low = Math.max(low, (-band - crossOffset) / uy);
      high = Math.min(high, (band - crossOffset) / uy);
    } else if (uy < 0) {
      low = Math.max(low, (band - crossOffset) / uy);
      high = Math.min(high, (-band - crossOffset) / uy);
    } else if (Math.abs(crossOffset) > band) continue;
    if (!(low <= high)) continue;
    const cellWidth = longitudeStep * kx;
    const columnFirst = Math.max(window.columnStart, Math.ceil(low / cellWidth - 0.5));
    const columnLast = Math.min(window.columnEnd - 1, Math.floor(high / cellWidth - 0.5));
    const base = (row - storage.rowStart) * stride - storage.columnStart;
    const inverseLengthSquared = 1 / (dx * dx + dy * dy);
    for (let column = columnFirst; column <= columnLast; column++) {
      const px = (column + 0.5) * cellWidth;
      let t = ((px - ax) * dx - ay * dy) * inverseLengthSquared;
      // biome-ignore lint/complexity/useMathMinMax: the plain comparison is faster in this hot loop
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = ax + t * dx - px;
      const ey = ay + t * dy;
      const distanceSquared = ex * ex + ey * ey;
      if (distanceSquared < squaredMeters[base + column]) squaredMeters[base + column] = distanceSquared;
    }
  }
}

/**
 * The wedge of vertex `at` (index into flat `points`): points within reach whose nearest point on
 * both adjacent segments is the vertex itself. `previous`/`next` are −1 at the ends of an open path,
 * where the wedge opens to the half-disk beyond the end. The wedge's bounding box (intersected with the
 * reach disk row by row) is stamped rather than the exact sector: any extra cell just gets its true
 * distance to the vertex, which is harmless, and a box needs no per-row trigonometry.
 */
function stampWedge(
  squaredMeters: Float32Array,
  grid: Grid,
  scales: RowScales,
  points: number[],
  previous: number,
  at: number,
  next: number,
  reachMeters: number,
  window: GridWindow,
  storage: GridWindow,
): void {
  const { west, south, longitudeStep, latitudeStep } = grid;
  const stride = storage.columnEnd - storage.columnStart;
  const lngV = points[2 * at];
  const latV = points[2 * at + 1];
  const extents = wedgeExtents(points, previous, at, next, reachMeters);
  if (extents === null) return;
  const [east, north, westward, southward] = extents;
  const kyV = metersPerDegreeLatitude(latV);
  const kxV = metersPerDegreeLongitude(latV);
  const [rowFirst, rowLast] = rowRange(grid, latV - southward / kyV, latV + north / kyV, 0, window);
  // Widened like the rows: 1% + 0.5 m covers the east–west scale changing across the wedge's rows.
  const columnLow = Math.max(
    window.columnStart,
    Math.ceil((lngV - (westward * 1.01 + 0.5) / kxV - west) / longitudeStep - 0.5),
  );
  const columnHigh = Math.min(
    window.columnEnd - 1,
    Math.floor((lngV + (east * 1.01 + 0.5) / kxV - west) / longitudeStep - 0.5),
  );
  if (columnHigh < columnLow) return;
  const reachSquared = reachMeters * reachMeters;
  for (let row = rowFirst; row <= rowLast; row++) {
    const rowLatitude = south + (row + 0.5) * latitudeStep;
    const kx = scales.metersPerDegreeLongitude[row];
    const vx = (lngV - west) * kx;
    const vy = (latV - rowLatitude) * scales.metersPerDegreeLatitude[row];
    if (vy > reachMeters || vy < -reachMeters) continue;
    const half = Math.sqrt(reachSquared - vy * vy) + slackMeters;
    const cellWidth = longitudeStep * kx;
    const columnFirst = Math.max(columnLow, Math.ceil((vx - half) / cellWidth - 0.5));
    const columnLast = Math.min(columnHigh, Math.floor((vx + half) / cellWidth - 0.5));
    const base = (row - storage.rowStart) * stride - storage.columnStart;
    const vySquared = vy * vy;
    for (let column = columnFirst; column <= columnLast; column++) {
      const ex = (column + 0.5) * cellWidth - vx;
      const distanceSquared = ex * ex + vySquared;
      if (distanceSquared < squaredMeters[base + column]) squaredMeters[base + column] = distanceSquared;
    }
  }
}

/**
 * How far east, north, west and south of its vertex a wedge reaches (metres), or null when it is empty.
 * The wedge is the sector of the reach disk between the half-planes "past the incoming segment" and
 * "before the outgoing one": for a gentle bend, a thin sliver rather than the whole disk.
 */
function wedgeExtents(
  points: number[],
  previous: number,
  at: number,
  next: number,
  reachMeters: number,
): [number, number, number, number] | null {
  const lngV = points[2 * at];
  const latV = points[2 * at + 1];
  const kx = metersPerDegreeLongitude(latV);
  const ky = metersPerDegreeLatitude(latV);
  // Each constraint keeps the half-plane of directions within 90° of a centre direction.
  const centres: number[] = [];
  if (previous >= 0)
    centres.push(Math.atan2((latV - points[2 * previous + 1]) * ky, (lngV - points[2 * previous]) * kx));
  if (next >= 0) centres.push(Math.atan2((latV - points[2 * next + 1]) * ky, (lngV - points[2 * next]) * kx));
  if (centres.length === 0) return [reachMeters, reachMeters, reachMeters, reachMeters];
  let first = centres[0] - Math.PI / 2;
  let last = centres[0] + Math.PI / 2;
  if (centres.length === 2) {
    // Unwrap the second centre next to the first, then intersect the two half-planes' angle ranges.
    let other = centres[1];
    while (other - centres[0] > Math.PI) other -= 2 * Math.PI;
    while (other - centres[0] < -Math.PI) other += 2 * Math.PI;
    first = Math.max(first, other - Math.PI / 2);
    last = Math.min(last, other + Math.PI / 2);
    // A sharp inward bend leaves only the vertex's 1 cm slack: stamp a tiny box.
    if (first > last) return [slackMeters, slackMeters, slackMeters, slackMeters];
  }
  const cosFirst = reachMeters * Math.cos(first);
  const cosLast = reachMeters * Math.cos(last);
  const sinFirst = reachMeters * Math.sin(first);
  const sinLast = reachMeters * Math.sin(last);
  return [
    sectorHolds(first, last, 0) ? reachMeters : Math.max(0, cosFirst, cosLast),
    sectorHolds(first, last, Math.PI / 2) ? reachMeters : Math.max(0, sinFirst, sinLast),
    sectorHolds(first, last, Math.PI) ? reachMeters : Math.max(0, -cosFirst, -cosLast),
    sectorHolds(first, last, -Math.PI / 2) ? reachMeters : Math.max(0, -sinFirst, -sinLast),
  ];
}

/** Whether the angle range [first, last] holds direction `angle` (+ 2πk). */
function sectorHolds(first: number, last: number, angle: number): boolean {
  return Math.floor((last - angle) / (2 * Math.PI)) >= Math.ceil((first - angle) / (2 * Math.PI));
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
