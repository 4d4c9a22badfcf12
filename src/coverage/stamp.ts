import { metersPerDegreeLatitude, metersPerDegreeLongitude } from './geodesy';
import { distinctConsecutivePoints } from './geometry';
import { fullWindow, type Grid, type GridWindow } from './grid';
import { bothSides, exteriorLeft, exteriorRight } from './ring-sides';

/**
 * Per-row WGS84 scales: each grid row measures distances in its own local frame, which keeps every
 * distance within 0.01% of the geodesic (one frame for a whole city would be 0.2–0.5% off at its edges).
 */
export interface RowScales {
  /** Metres per degree of longitude at each row's centre latitude. */
  metersPerDegreeLongitude: Float64Array;
  /** Metres per degree of latitude at each row's centre latitude. */
  metersPerDegreeLatitude: Float64Array;
  /** A cell's east–west width in metres in each row's frame, and its reciprocal (a division saved per row stamped). */
  cellWidthMeters: Float64Array;
  inverseCellWidthMeters: Float64Array;
}

export function rowScales(grid: Grid): RowScales {
  const longitude = new Float64Array(grid.rows);
  const latitude = new Float64Array(grid.rows);
  const cellWidth = new Float64Array(grid.rows);
  const inverseCellWidth = new Float64Array(grid.rows);
  for (let row = 0; row < grid.rows; row++) {
    const rowLatitude = grid.south + (row + 0.5) * grid.latitudeStep;
    longitude[row] = metersPerDegreeLongitude(rowLatitude);
    latitude[row] = metersPerDegreeLatitude(rowLatitude);
    cellWidth[row] = grid.longitudeStep * longitude[row];
    inverseCellWidth[row] = 1 / cellWidth[row];
  }
  return {
    metersPerDegreeLongitude: longitude,
    metersPerDegreeLatitude: latitude,
    cellWidthMeters: cellWidth,
    inverseCellWidthMeters: inverseCellWidth,
  };
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
 * `exteriorSide` (`ring-sides.ts`) says, for a ring of an area proven simple, which side holds the cells
 * outside the area: only that half of each slab is stamped, and no wedge of a vertex turning towards it
 * (the two half-slabs there already cover the outside). Inside, the fill gives 0 anyway.
 */
export function stampPath(
  squaredMeters: Float32Array,
  grid: Grid,
  scales: RowScales,
  path: Float64Array,
  reachMeters: number,
  window: GridWindow,
  storage: GridWindow = fullWindow(grid),
  exteriorSide: number = bothSides,
): void {
  const points = distinctConsecutivePoints(path);
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
      closed ? exteriorSide : bothSides,
    );
  }
  for (let i = 0; i < count; i++) {
    const previous = i > 0 ? i - 1 : closed ? count - 1 : -1;
    const next = i < count - 1 ? i + 1 : closed ? 0 : -1;
    if (closed && exteriorSide !== bothSides) {
      // Turn at the vertex (cross product in degrees: the metre frames only scale the axes).
      const turn =
        (points[2 * i] - points[2 * previous]) * (points[2 * next + 1] - points[2 * i + 1]) -
        (points[2 * i + 1] - points[2 * previous + 1]) * (points[2 * next] - points[2 * i]);
      if (exteriorSide * turn < 0) continue;
    }
    stampWedge(squaredMeters, grid, scales, points, previous, i, next, reachMeters, window, storage);
  }
}

/**
 * Rows whose centre line may cross the latitudes [low, high] widened by `southMeters` south and
 * `northMeters` north, clamped to the window. Each margin is widened by 1% + 0.5 m so the small change of
 * the latitude radius across a feature, and the 1 cm slack of the regions, never drop a row.
 */
function rowRange(
  grid: Grid,
  low: number,
  high: number,
  southMeters: number,
  northMeters: number,
  window: GridWindow,
): [number, number] {
  const southLatitude = (southMeters * 1.01 + 0.5) / metersPerDegreeLatitude(0);
  const northLatitude = (northMeters * 1.01 + 0.5) / metersPerDegreeLatitude(0);
  return [
    Math.max(window.rowStart, Math.ceil((low - southLatitude - grid.south) / grid.latitudeStep - 0.5)),
    Math.min(window.rowEnd - 1, Math.floor((high + northLatitude - grid.south) / grid.latitudeStep - 0.5)),
  ];
}

/**
 * The slab of segment A→B: points whose projection falls on the segment, at most `reach` from its line
 * (on one side only when `exteriorSide` is `exteriorRight` or `exteriorLeft`, plus the 1 cm slack).
 */
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
  exteriorSide: number,
): void {
  const { west, south, latitudeStep } = grid;
  const stride = storage.columnEnd - storage.columnStart;
  // The slab reaches north and south of the segment by reach × |cos heading| (a half-slab to one side).
  const middle = (latA + latB) / 2;
  const eastMeters = (lngB - lngA) * metersPerDegreeLongitude(middle);
  const northMeters = (latB - latA) * metersPerDegreeLatitude(middle);
  const heading = Math.abs(eastMeters) / Math.sqrt(eastMeters * eastMeters + northMeters * northMeters);
  // The right-hand normal of A→B points north when B lies west of A.
  const rightNorth = eastMeters < 0;
  const north = exteriorSide === bothSides || (exteriorSide === exteriorRight) === rightNorth ? heading : 0;
  const southward = exteriorSide === bothSides || (exteriorSide === exteriorRight) !== rightNorth ? heading : 0;
  const [rowFirst, rowLast] = rowRange(
    grid,
    Math.min(latA, latB),
    Math.max(latA, latB),
    reachMeters * southward,
    reachMeters * north,
    window,
  );
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
    const squaredLength = dx * dx + dy * dy;
    const length = Math.sqrt(squaredLength);
    // Each condition is linear in x along the row (P = (x, 0)), written with the unnormalised direction
    // d = B − A and multiplied by reciprocals: divisions were most of a row's cost. Intersect them.
    let low = -Infinity;
    let high = Infinity;
    // (P − A)·d ≥ −slack·|d| and (B − P)·d ≥ −slack·|d|: the projection falls on the segment.
    const projectionLow = ax * dx + ay * dy - slackMeters * length;
    const projectionHigh = bx * dx + by * dy + slackMeters * length;
    if (dx !== 0) {
      const inverseDx = 1 / dx;
      low = (dx > 0 ? projectionLow : projectionHigh) * inverseDx;
      high = (dx > 0 ? projectionHigh : projectionLow) * inverseDx;
    } else if (projectionLow > 0 || projectionHigh < 0) continue;
    // −(reach + slack)·|d| ≤ (P − A) × d ≤ (reach + slack)·|d|: within the band around the line (positive
    // on the right of A→B); a half-slab keeps one side and the slack of the other.
    const crossOffset = ay * dx - ax * dy;
    const bandWidth = band * length;
    const crossLow = exteriorSide === exteriorRight ? -slackMeters * length : -bandWidth;
    const crossHigh = exteriorSide === exteriorLeft ? slackMeters * length : bandWidth;
    if (dy !== 0) {
      const inverseDy = 1 / dy;
      const first = (crossLow - crossOffset) * inverseDy;
      const second = (crossHigh - crossOffset) * inverseDy;
      low = Math.max(low, dy > 0 ? first : second);
      high = Math.min(high, dy > 0 ? second : first);
    } else if (crossOffset < crossLow || crossOffset > crossHigh) continue;
    if (!(low <= high)) continue;
    const cellWidth = scales.cellWidthMeters[row];
    const inverseCellWidth = scales.inverseCellWidthMeters[row];
    const columnFirst = Math.max(window.columnStart, Math.ceil(low * inverseCellWidth - 0.5));
    const columnLast = Math.min(window.columnEnd - 1, Math.floor(high * inverseCellWidth - 0.5));
    const base = (row - storage.rowStart) * stride - storage.columnStart;
    const inverseLengthSquared = 1 / squaredLength;
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
 * where the wedge opens to the half-disk beyond the end. Rows come from the wedge's bounding box; in each
 * row the cells are those of the reach disk's chord that lie past the incoming segment and before the
 * outgoing one, in that row's own frame (the frame its slabs use, so slab and wedge meet with 1 cm to
 * spare). A gentle bend's wedge is a thin sliver whose box is mostly empty: the exact row span
 * evaluates about 6× fewer cells than the box did.
 */
function stampWedge(
  squaredMeters: Float32Array,
  grid: Grid,
  scales: RowScales,
  points: Float64Array,
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
  const [east, north, westward, southward] = wedgeExtents(points, previous, at, next, reachMeters);
  const kyV = metersPerDegreeLatitude(latV);
  const kxV = metersPerDegreeLongitude(latV);
  const [rowFirst, rowLast] = rowRange(grid, latV - southward / kyV, latV + north / kyV, 0, 0, window);
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
    const ky = scales.metersPerDegreeLatitude[row];
    const vy = (latV - rowLatitude) * ky;
    if (vy > reachMeters || vy < -reachMeters) continue;
    const half = Math.sqrt(reachSquared - vy * vy) + slackMeters;
    let low = vx - half;
    let high = vx + half;
    // Past the incoming segment A→V, (P − V)·(V − A) ≥ −slack·|V − A|, and before the outgoing one V→B,
    // (P − V)·(V − B) ≥ −slack·|V − B|: with P = (x, 0) on the row's centre line, each is x·dx ≥ bound.
    for (let side = 0; side < 2; side++) {
      const other = side === 0 ? previous : next;
      if (other < 0) continue;
      const dx = vx - (points[2 * other] - west) * kx;
      const dy = vy - (points[2 * other + 1] - rowLatitude) * ky;
      // |dx| + |dy| ≥ |d|: a slack of 1–1.4 cm, without a square root.
      const bound = vx * dx + vy * dy - slackMeters * (Math.abs(dx) + Math.abs(dy));
      if (dx > 0) low = Math.max(low, bound / dx);
      else if (dx < 0) high = Math.min(high, bound / dx);
      else if (bound > 0) low = Infinity;
    }
    if (!(low <= high)) continue;
    const cellWidth = scales.cellWidthMeters[row];
    const inverseCellWidth = scales.inverseCellWidthMeters[row];
    const columnFirst = Math.max(columnLow, Math.ceil(low * inverseCellWidth - 0.5));
    const columnLast = Math.min(columnHigh, Math.floor(high * inverseCellWidth - 0.5));
    const base = (row - storage.rowStart) * stride - storage.columnStart;
    const vySquared = vy * vy;
    for (let column = columnFirst; column <= columnLast; column++) {
      const ex = (column + 0.5) * cellWidth - vx;
      const distanceSquared = ex * ex + vySquared;
      if (distanceSquared < squaredMeters[base + column]) squaredMeters[base + column] = distanceSquared;
    }
  }
}

/** Candidate directions of a wedge's box (x, y pairs): the four axes, then four set per wedge. */
const candidateDirections = new Float64Array([1, 0, 0, 1, -1, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0]);

/**
 * How far east, north, west and south of its vertex a wedge reaches (metres). The wedge is the part
 * of the reach disk in both half-planes "past the incoming segment" (e·u ≥ 0, u = V − A) and "before
 * the outgoing one" (e·v ≥ 0, v = V − B). A linear function is largest over that convex sector at the
 * vertex, at an end of its arc (a half-plane's boundary direction lying in the other half-plane) or at
 * the axis direction itself when the sector holds it: vector tests only, no trigonometry. The box only
 * bounds the rows and columns that `stampWedge` clips exactly, so a direction on a boundary counts in.
 */
function wedgeExtents(
  points: Float64Array,
  previous: number,
  at: number,
  next: number,
  reachMeters: number,
): [number, number, number, number] {
  if (previous < 0 && next < 0) return [reachMeters, reachMeters, reachMeters, reachMeters];
  const lngV = points[2 * at];
  const latV = points[2 * at + 1];
  const kx = metersPerDegreeLongitude(latV);
  const ky = metersPerDegreeLatitude(latV);
  const ux = previous >= 0 ? (lngV - points[2 * previous]) * kx : 0;
  const uy = previous >= 0 ? (latV - points[2 * previous + 1]) * ky : 0;
  const vx = next >= 0 ? (lngV - points[2 * next]) * kx : 0;
  const vy = next >= 0 ? (latV - points[2 * next + 1]) * ky : 0;
  const uLength = Math.sqrt(ux * ux + uy * uy) || 1;
  const vLength = Math.sqrt(vx * vx + vy * vy) || 1;
  const directions = candidateDirections;
  directions[8] = -uy / uLength;
  directions[9] = ux / uLength;
  directions[10] = uy / uLength;
  directions[11] = -ux / uLength;
  directions[12] = -vy / vLength;
  directions[13] = vx / vLength;
  directions[14] = vy / vLength;
  directions[15] = -vx / vLength;
  let east = 0;
  let north = 0;
  let westward = 0;
  let southward = 0;
  for (let k = 0; k < 16; k += 2) {
    const ex = directions[k];
    const ey = directions[k + 1];
    // Within 1e-9 of a boundary counts as inside; (0, 0) from a missing side holds trivially.
    if ((ex * ux + ey * uy) / uLength < -1e-9 || (ex * vx + ey * vy) / vLength < -1e-9) continue;
    if (ex > east) east = ex;
    if (ey > north) north = ey;
    if (-ex > westward) westward = -ex;
    if (-ey > southward) southward = -ey;
  }
  return [east * reachMeters, north * reachMeters, westward * reachMeters, southward * reachMeters];
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
  // Two passes over the edges, counting then filling, put every row's crossings in one typed array:
  // an array per row cost more in allocation than the scan itself.
  const rowCount = rowLast - rowFirst + 1;
  const rowOffsets = new Int32Array(rowCount + 1);
  forEachCrossing(grid, rings, rowFirst, rowLast, (row) => rowOffsets[row - rowFirst + 1]++);
  for (let k = 0; k < rowCount; k++) rowOffsets[k + 1] += rowOffsets[k];
  const crossings = new Float64Array(rowOffsets[rowCount]);
  const filled = rowOffsets.slice(0, rowCount);
  forEachCrossing(grid, rings, rowFirst, rowLast, (row, longitude) => {
    crossings[filled[row - rowFirst]++] = longitude;
  });
  for (let row = rowFirst; row <= rowLast; row++) {
    const xs = crossings.subarray(rowOffsets[row - rowFirst], rowOffsets[row - rowFirst + 1]);
    if (xs.length < 2) continue;
    xs.sort();
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // Cells whose centre longitude lies in [xs[k], xs[k + 1]).
      const columnStart = Math.max(window.columnStart, Math.ceil((xs[k] - west) / longitudeStep - 0.5));
      const columnEnd = Math.min(window.columnEnd, Math.ceil((xs[k + 1] - west) / longitudeStep - 0.5));
      if (columnEnd > columnStart) span(row, columnStart, columnEnd);
    }
  }
}

/** Calls `crossing(row, longitude)` where an edge of the rings crosses the centre line of a row in [rowFirst, rowLast]. */
function forEachCrossing(
  grid: Grid,
  rings: Float64Array[],
  rowFirst: number,
  rowLast: number,
  crossing: (row: number, longitude: number) => void,
): void {
  const { south, latitudeStep } = grid;
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
        crossing(row, lngA + ((rowLatitude - latA) * (lngB - lngA)) / (latB - latA));
      }
    }
  }
}
