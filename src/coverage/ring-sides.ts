import { distinctConsecutivePoints } from './geometry';
import { pointInRings } from './network/geometry';

/**
 * Which side of each ring of an area can hold the cells whose distance the ring gives.
 *
 * Inside an area the distance is 0 (the polygon fill), so a ring's distance only matters for cells
 * outside. A cell outside whose nearest boundary point Q lies on segment S sees S from the side that is
 * outside near Q: the open segment from the cell to Q meets no boundary, so it keeps the cell's (even–odd)
 * parity. When no two edges of a polygon meet (other than consecutive ones at their shared vertex), that
 * side is the same along every segment of a ring and follows from the ring's winding and from how many
 * other rings of the polygon enclose it. Stamping only that half of each slab, and skipping the wedges
 * of vertices that turn towards it, halves the work on areas without changing a cell's value.
 *
 * Anything not proven simple (edges that cross, touch or fold back, or a check that would cost too
 * much) keeps both sides: the answer is then slower, never different.
 */

/** The exterior lies to the right of the ring's direction of travel. */
export const exteriorRight = 1;
/** The exterior lies to the left. */
export const exteriorLeft = -1;
/** Not proven: stamp both sides. */
export const bothSides = 0;

/** Pair tests allowed per edge before the check gives up (a dense knot of edges in one bucket). */
const maximumPairTestsPerEdge = 64;

/**
 * For each ring of each polygon (outer ring first, then holes; flat closed `[lng, lat, …]`), in the
 * order of `polygons.flat()`: `exteriorRight`, `exteriorLeft` or `bothSides`.
 */
export function ringExteriorSides(polygons: Float64Array[][]): Int8Array {
  const sides = new Int8Array(polygons.reduce((sum, rings) => sum + rings.length, 0));
  let offset = 0;
  for (const rings of polygons) {
    const open = rings.map(distinctPoints);
    if (open.every((ring) => ring.length >= 6) && edgesMeetOnlyAtNeighbours(open)) {
      for (let r = 0; r < open.length; r++) {
        // Parity of the other rings enclosing this one: constant along it, since no edges meet.
        let enclosing = 0;
        for (let other = 0; other < open.length; other++) {
          if (other !== r && pointInRings(open[r][0], open[r][1], [open[other]])) enclosing++;
        }
        // A counter-clockwise ring has its own inside on the left; an odd count of enclosing rings turns
        // that inside into the polygon's outside.
        const counterClockwise = signedArea(open[r]) > 0;
        sides[offset + r] = counterClockwise === (enclosing % 2 === 0) ? exteriorRight : exteriorLeft;
      }
    }
    offset += rings.length;
  }
  return sides;
}

/** The ring's points without consecutive repeats and without the closing repeat (flat, open). */
function distinctPoints(ring: Float64Array): Float64Array {
  const points = distinctConsecutivePoints(ring);
  let end = points.length;
  while (end >= 4 && points[0] === points[end - 2] && points[1] === points[end - 1]) end -= 2;
  return points.subarray(0, end);
}

/** Twice the signed area in degrees² (positive: counter-clockwise), of an open flat ring. */
function signedArea(ring: Float64Array): number {
  let sum = 0;
  const count = ring.length / 2;
  for (let i = 0, j = count - 1; i < count; j = i++) {
    sum +=
      (ring[2 * j] - ring[0]) * (ring[2 * i + 1] - ring[1]) - (ring[2 * i] - ring[0]) * (ring[2 * j + 1] - ring[1]);
  }
  return sum;
}

/**
 * Whether no two edges of the rings meet, except consecutive edges of one ring at their shared vertex
 * (and those do not fold back onto each other). Small polygons test every pair; larger ones bucket their
 * edges in a uniform grid over the rings' box so that only edges sharing a bucket are tested.
 * Near-degenerate cases count as meeting.
 */
function edgesMeetOnlyAtNeighbours(rings: Float64Array[]): boolean {
  // All rings' points in one flat array; edge e runs from point e to point next[e] of the same ring.
  let edgeCount = 0;
  for (const ring of rings) edgeCount += ring.length / 2;
  const points = new Float64Array(edgeCount * 2);
  const next = new Int32Array(edgeCount);
  for (let r = 0, start = 0; r < rings.length; r++) {
    const count = rings[r].length / 2;
    points.set(rings[r], start * 2);
    for (let i = 0; i < count - 1; i++) next[start + i] = start + i + 1;
    next[start + count - 1] = start;
    start += count;
  }
  // Consecutive edges must not fold back (a spike: A→B→A overlaps itself).
  for (let e = 0; e < edgeCount; e++) if (foldsBack(points, e, next[e], next[next[e]])) return false;
  const meetOther = (first: number, second: number) =>
    next[first] !== second && next[second] !== first && segmentsMeet(points, first, next[first], second, next[second]);
  if (edgeCount <= 32) {
    for (let first = 0; first < edgeCount; first++) {
      for (let second = first + 1; second < edgeCount; second++) if (meetOther(first, second)) return false;
    }
    return true;
  }
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    if (points[i] < west) west = points[i];
    if (points[i] > east) east = points[i];
    if (points[i + 1] < south) south = points[i + 1];
    if (points[i + 1] > north) north = points[i + 1];
  }
  // A grid of about one bucket per edge; each edge is entered in every bucket its box overlaps.
  const width = Math.max(east - west, 1e-12);
  const height = Math.max(north - south, 1e-12);
  const bucketSize = Math.sqrt((width * height) / edgeCount);
  const columns = Math.min(1024, Math.max(1, Math.ceil(width / bucketSize)));
  const rows = Math.min(1024, Math.max(1, Math.ceil(height / bucketSize)));
  const columnScale = columns / width;
  const rowScale = rows / height;
  const span = new Int32Array(edgeCount * 4);
  const counts = new Int32Array(columns * rows + 1);
  let entries = 0;
  for (let e = 0; e < edgeCount; e++) {
    const x1 = points[2 * e] - west;
    const x2 = points[2 * next[e]] - west;
    const y1 = points[2 * e + 1] - south;
    const y2 = points[2 * next[e] + 1] - south;
    const c0 = Math.min(columns - 1, Math.floor(Math.min(x1, x2) * columnScale));
    const c1 = Math.min(columns - 1, Math.floor(Math.max(x1, x2) * columnScale));
    const r0 = Math.min(rows - 1, Math.floor(Math.min(y1, y2) * rowScale));
    const r1 = Math.min(rows - 1, Math.floor(Math.max(y1, y2) * rowScale));
    span[4 * e] = c0;
    span[4 * e + 1] = c1;
    span[4 * e + 2] = r0;
    span[4 * e + 3] = r1;
    entries += (c1 - c0 + 1) * (r1 - r0 + 1);
    if (entries > maximumPairTestsPerEdge * edgeCount) return false;
    for (let row = r0; row <= r1; row++)
      for (let column = c0; column <= c1; column++) counts[row * columns + column + 1]++;
  }
  for (let b = 0; b < columns * rows; b++) counts[b + 1] += counts[b];
  const bucketEdges = new Int32Array(entries);
  const fill = counts.slice(0, columns * rows);
  for (let e = 0; e < edgeCount; e++) {
    for (let row = span[4 * e + 2]; row <= span[4 * e + 3]; row++) {
      for (let column = span[4 * e]; column <= span[4 * e + 1]; column++)
        bucketEdges[fill[row * columns + column]++] = e;
    }
  }
  let tests = 0;
  for (let b = 0; b < columns * rows; b++) {
    for (let p = counts[b]; p < counts[b + 1]; p++) {
      for (let q = p + 1; q < counts[b + 1]; q++) {
        if (++tests > maximumPairTestsPerEdge * edgeCount) return false;
        if (meetOther(bucketEdges[p], bucketEdges[q])) return false;
      }
    }
  }
  return true;
}

/** Orientation of c against a→b, or 0 when within rounding of collinear. */
function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const value = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const scale = (Math.abs(bx - ax) + Math.abs(by - ay)) * (Math.abs(cx - ax) + Math.abs(cy - ay));
  return Math.abs(value) <= 1e-9 * scale ? 0 : Math.sign(value);
}

/** Whether the path a→b→c (point indices) turns straight back along itself. */
function foldsBack(points: Float64Array, a: number, b: number, c: number): boolean {
  const ax = points[2 * a];
  const ay = points[2 * a + 1];
  const bx = points[2 * b];
  const by = points[2 * b + 1];
  const cx = points[2 * c];
  const cy = points[2 * c + 1];
  return orientation(ax, ay, bx, by, cx, cy) === 0 && (bx - ax) * (cx - bx) + (by - ay) * (cy - by) <= 0;
}

/** Whether edges a→b and c→d (point indices) cross or touch; near-collinear with overlapping boxes counts. */
function segmentsMeet(points: Float64Array, a: number, b: number, c: number, d: number): boolean {
  const ax = points[2 * a];
  const ay = points[2 * a + 1];
  const bx = points[2 * b];
  const by = points[2 * b + 1];
  const cx = points[2 * c];
  const cy = points[2 * c + 1];
  const dx = points[2 * d];
  const dy = points[2 * d + 1];
  if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx)) return false;
  if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) return false;
  const o1 = orientation(ax, ay, bx, by, cx, cy);
  const o2 = orientation(ax, ay, bx, by, dx, dy);
  const o3 = orientation(cx, cy, dx, dy, ax, ay);
  const o4 = orientation(cx, cy, dx, dy, bx, by);
  if (o1 === 0 || o2 === 0 || o3 === 0 || o4 === 0) return true;
  return o1 !== o2 && o3 !== o4;
}
