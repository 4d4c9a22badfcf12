import type { Geometry, Position } from 'geojson';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../coverage/geodesy';

/**
 * Reshaping a drawn feature, as pure geometry (no DOM, no map): the vertices and segment midpoints of a
 * Polygon, MultiPolygon, LineString or MultiLineString, and a vertex moved, inserted or deleted.
 *
 * A *part* is one ring of a polygon or one line, named by its index path into `coordinates`
 * (Polygon `[ring]`, MultiPolygon `[polygon, ring]`, LineString `[]`, MultiLineString `[line]`). A ring's
 * vertices are its distinct positions (the closing position repeats the first and is kept in step); a
 * ring keeps at least 3 of them and a line at least 2. Positions are rounded to 7 decimals, as the
 * scenario's other edits and the GeoJSON export write them.
 */

/** One part of a geometry: its index path, its vertices (a ring without its closing repeat), and whether it is a ring. */
export interface Part {
  path: number[];
  vertices: Position[];
  closed: boolean;
}

/** A vertex of a part (`index` into `Part.vertices`). */
export interface VertexRef {
  path: number[];
  index: number;
}

/**
 * A handle drawn on a selected feature: a vertex, or the midpoint of the segment from vertex `index`
 * to the next one (for a ring, the last vertex's segment closes the ring).
 */
export interface Handle extends VertexRef {
  kind: 'vertex' | 'midpoint';
  position: Position;
}

const round7 = (value: number) => Math.round(value * 1e7) / 1e7;

/** The fewest vertices a part may keep: 3 for a ring, 2 for a line. */
export function minimumVertices(closed: boolean): number {
  return closed ? 3 : 2;
}

function ringVertices(ring: Position[]): Position[] {
  const n = ring.length;
  if (n >= 2 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) return ring.slice(0, n - 1);
  return ring.slice();
}

/** The parts of a geometry that can be reshaped (none for points, collections or null). */
export function editableParts(geometry: Geometry | null | undefined): Part[] {
  if (!geometry) return [];
  switch (geometry.type) {
    case 'LineString':
      return [{ path: [], vertices: geometry.coordinates.slice(), closed: false }];
    case 'MultiLineString':
      return geometry.coordinates.map((line, l) => ({ path: [l], vertices: line.slice(), closed: false }));
    case 'Polygon':
      return geometry.coordinates.map((ring, r) => ({ path: [r], vertices: ringVertices(ring), closed: true }));
    case 'MultiPolygon':
      return geometry.coordinates.flatMap((polygon, p) =>
        polygon.map((ring, r) => ({ path: [p, r], vertices: ringVertices(ring), closed: true })),
      );
    default:
      return [];
  }
}

const samePath = (a: number[], b: number[]) => a.length === b.length && a.every((value, i) => value === b[i]);

/** The part of `geometry` at `path`, or null. */
export function partAt(geometry: Geometry | null | undefined, path: number[]): Part | null {
  return editableParts(geometry).find((part) => samePath(part.path, path)) ?? null;
}

/** Every vertex handle, then every midpoint handle, of a geometry. */
export function handlesOf(geometry: Geometry | null | undefined): Handle[] {
  const parts = editableParts(geometry);
  const handles: Handle[] = [];
  for (const part of parts) {
    part.vertices.forEach((position, index) => {
      handles.push({ kind: 'vertex', path: part.path, index, position });
    });
  }
  for (const part of parts) {
    const n = part.vertices.length;
    const segments = part.closed ? n : n - 1;
    for (let index = 0; index < segments; index++) {
      const a = part.vertices[index];
      const b = part.vertices[(index + 1) % n];
      handles.push({
        kind: 'midpoint',
        path: part.path,
        index,
        position: [round7((a[0] + b[0]) / 2), round7((a[1] + b[1]) / 2)],
      });
    }
  }
  return handles;
}

/**
 * The handle nearest to `pixel` within `radius` pixels (vertices win over midpoints: a midpoint is only
 * taken when no vertex is in reach), or null. `project` maps longitude/latitude to screen pixels.
 */
export function nearestHandle(
  handles: readonly Handle[],
  project: (position: Position) => [number, number],
  pixel: [number, number],
  radius: number,
): Handle | null {
  for (const kind of ['vertex', 'midpoint'] as const) {
    let best: Handle | null = null;
    let bestDistance = radius;
    for (const handle of handles) {
      if (handle.kind !== kind) continue;
      const [x, y] = project(handle.position);
      const distance = Math.hypot(x - pixel[0], y - pixel[1]);
      if (distance <= bestDistance) {
        bestDistance = distance;
        best = handle;
      }
    }
    if (best) return best;
  }
  return null;
}

/** `geometry` with the part at `path` given new vertices (a ring is closed again). */
function withPart(geometry: Geometry, path: number[], vertices: Position[], closed: boolean): Geometry {
  const positions = vertices.map(([x, y]) => [x, y]);
  if (closed) positions.push([positions[0][0], positions[0][1]]);
  switch (geometry.type) {
    case 'LineString':
      return { ...geometry, coordinates: positions };
    case 'MultiLineString':
      return { ...geometry, coordinates: geometry.coordinates.map((line, l) => (l === path[0] ? positions : line)) };
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map((ring, r) => (r === path[0] ? positions : ring)) };
    case 'MultiPolygon':
      return {
        ...geometry,
        coordinates: geometry.coordinates.map((polygon, p) =>
          p === path[0] ? polygon.map((ring, r) => (r === path[1] ? positions : ring)) : polygon,
        ),
      };
    default:
      throw new TypeError(`a ${geometry.type} has no vertices to edit`);
  }
}

function requirePart(geometry: Geometry, path: number[]): Part {
  const part = partAt(geometry, path);
  if (!part) throw new RangeError(`no ring or line at [${path.join(', ')}] of the ${geometry.type}`);
  return part;
}

/** `geometry` with vertex `index` of the part at `path` moved to `position`. */
export function moveVertex(geometry: Geometry, path: number[], index: number, position: Position): Geometry {
  const part = requirePart(geometry, path);
  if (!(index >= 0 && index < part.vertices.length)) throw new RangeError(`no vertex ${index}`);
  const vertices = part.vertices.slice();
  vertices[index] = [round7(position[0]), round7(position[1])];
  return withPart(geometry, path, vertices, part.closed);
}

/**
 * `geometry` with a new vertex at `position` between vertex `after` and the next one (for a ring, after
 * the last vertex means on the closing segment); the new vertex has index `after + 1`.
 */
export function insertVertex(geometry: Geometry, path: number[], after: number, position: Position): Geometry {
  const part = requirePart(geometry, path);
  const segments = part.closed ? part.vertices.length : part.vertices.length - 1;
  if (!(after >= 0 && after < segments)) throw new RangeError(`no segment after vertex ${after}`);
  const vertices = part.vertices.slice();
  vertices.splice(after + 1, 0, [round7(position[0]), round7(position[1])]);
  return withPart(geometry, path, vertices, part.closed);
}

/**
 * Why vertex `index` of the part at `path` may not be deleted, or null when it may: `minimum` when the part
 * would keep fewer than 3 vertices (a ring) or 2 (a line), `crossing` when a polygon's rings would cross
 * (see `reshapeCrosses`), `missing` when there is no such vertex.
 */
export function deleteVertexRefusal(
  geometry: Geometry | null | undefined,
  path: number[],
  index: number,
): 'minimum' | 'crossing' | 'missing' | null {
  const part = partAt(geometry, path);
  if (!geometry || part === null || !(index >= 0 && index < part.vertices.length)) return 'missing';
  if (part.vertices.length <= minimumVertices(part.closed)) return 'minimum';
  const vertices = part.vertices.filter((_, i) => i !== index);
  return part.closed && reshapeCrosses(geometry, withPart(geometry, path, vertices, true), path) ? 'crossing' : null;
}

/**
 * Whether vertex `index` of the part at `path` may be deleted: the part keeps 3 vertices for a ring, 2 for a
 * line, and a polygon's rings do not come to cross.
 */
export function canDeleteVertex(geometry: Geometry | null | undefined, path: number[], index: number): boolean {
  return deleteVertexRefusal(geometry, path, index) === null;
}

/** `geometry` without vertex `index` of the part at `path`, or null when that is refused (see `deleteVertexRefusal`). */
export function deleteVertex(geometry: Geometry, path: number[], index: number): Geometry | null {
  if (!canDeleteVertex(geometry, path, index)) return null;
  const part = requirePart(geometry, path);
  const vertices = part.vertices.filter((_, i) => i !== index);
  return withPart(geometry, path, vertices, part.closed);
}

/** Number of vertices of the part at `path` (0 when there is none). */
export function vertexCount(geometry: Geometry | null | undefined, path: number[]): number {
  return partAt(geometry, path)?.vertices.length ?? 0;
}

// ---- self-intersection ----

/** 2^-53: half the distance from 1 to the next double. */
const doubleEpsilon = 2 ** -53;
/** Shewchuk's error bound for the orientation determinant computed in doubles (`ccwerrboundA`). */
const orientationErrorBound = (3 + 16 * doubleEpsilon) * doubleEpsilon;

/** A finite double as an integer numerator over 2^`shift` (exact: scaling by a power of two loses nothing). */
function dyadic(value: number): { numerator: bigint; shift: number } {
  if (!Number.isFinite(value)) throw new RangeError(`coordinate ${value} is not a finite number`);
  let shift = 0;
  while (!Number.isInteger(value * 2 ** shift)) shift++;
  return { numerator: BigInt(value * 2 ** shift), shift };
}

/**
 * The sign (−1, 0, 1) of the orientation of c relative to the line a→b (1: counter-clockwise), exact for
 * any finite doubles: a determinant far from 0 is trusted in doubles (Shewchuk's bound); near 0 it is
 * recomputed in BigInt from the doubles' exact binary values, so collinear and touching are never guessed.
 */
function orientation(a: Position, b: Position, c: Position): number {
  const left = (a[0] - c[0]) * (b[1] - c[1]);
  const right = (a[1] - c[1]) * (b[0] - c[0]);
  const determinant = left - right;
  if (Math.abs(determinant) > orientationErrorBound * (Math.abs(left) + Math.abs(right))) {
    return Math.sign(determinant);
  }
  const values = [a[0], a[1], b[0], b[1], c[0], c[1]].map(dyadic);
  const shift = Math.max(...values.map((value) => value.shift));
  const [ax, ay, bx, by, cx, cy] = values.map((value) => value.numerator * 2n ** BigInt(shift - value.shift));
  const exact = (ax - cx) * (by - cy) - (ay - cy) * (bx - cx);
  return exact > 0n ? 1 : exact < 0n ? -1 : 0;
}

/** Whether c, known to be collinear with a and b, lies on the closed segment a–b (comparisons only: exact). */
function onCollinearSegment(a: Position, b: Position, c: Position): boolean {
  return (
    Math.min(a[0], b[0]) <= c[0] &&
    c[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= c[1] &&
    c[1] <= Math.max(a[1], b[1])
  );
}

/** Whether the closed segments p–q and r–s have any point in common (crossing, touching or overlapping). */
function segmentsMeet(p: Position, q: Position, r: Position, s: Position): boolean {
  const o1 = orientation(p, q, r);
  const o2 = orientation(p, q, s);
  const o3 = orientation(r, s, p);
  const o4 = orientation(r, s, q);
  if (o1 * o2 < 0 && o3 * o4 < 0) return true;
  return (
    (o1 === 0 && onCollinearSegment(p, q, r)) ||
    (o2 === 0 && onCollinearSegment(p, q, s)) ||
    (o3 === 0 && onCollinearSegment(r, s, p)) ||
    (o4 === 0 && onCollinearSegment(r, s, q))
  );
}

/** Whether the segments a–b and b–c, which share b, also overlap beyond it (collinear, a and c on the same side of b). */
function adjacentOverlap(a: Position, b: Position, c: Position): boolean {
  if (orientation(a, b, c) !== 0) return false;
  const sameSide = (axis: 0 | 1) =>
    (a[axis] > b[axis] && c[axis] > b[axis]) || (a[axis] < b[axis] && c[axis] < b[axis]);
  return sameSide(0) || sameSide(1);
}

/**
 * Whether the rings of one polygon (closing repeats allowed) cross themselves or each other: two segments
 * that are not neighbours on a ring may not meet at all (crossing, a vertex touching another side, or two
 * vertices at one place all count), and neighbours may share only their common vertex (a spike folding back
 * along the previous side, or a zero-area ring, counts as a collinear overlap).
 *
 * Why not `@turf/kinks` (used for imports in src/io/validate.ts): it skips parallel segments, so it misses
 * collinear overlaps and folds, and decides touching in floating point. This is the O(n²) test over segment
 * pairs with exact orientation signs; drawn features have tens of vertices, so a test costs well under a
 * millisecond per pointer move.
 */
export function polygonRingsCross(rings: readonly Position[][]): boolean {
  const segments: { ring: number; index: number; count: number; from: Position; to: Position }[] = [];
  rings.forEach((ring, r) => {
    const vertices = ringVertices(ring);
    vertices.forEach((from, index) => {
      segments.push({ ring: r, index, count: vertices.length, from, to: vertices[(index + 1) % vertices.length] });
    });
  });
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      const a = segments[i];
      const b = segments[j];
      if (a.ring === b.ring && (b.index === a.index + 1 || (a.index === 0 && b.index === a.count - 1))) {
        // Neighbours on the ring: `first` ends where `second` begins.
        const [first, second] = b.index === a.index + 1 ? [a, b] : [b, a];
        if (adjacentOverlap(first.from, first.to, second.to)) return true;
      } else if (segmentsMeet(a.from, a.to, b.from, b.to)) return true;
    }
  }
  return false;
}

/** The rings of the polygon that holds the ring at `path` (null for lines, points and missing parts). */
function polygonOfPart(geometry: Geometry | null | undefined, path: number[]): Position[][] | null {
  if (geometry?.type === 'Polygon')
    return path.length === 1 && geometry.coordinates[path[0]] ? geometry.coordinates : null;
  if (geometry?.type === 'MultiPolygon') return path.length === 2 ? (geometry.coordinates[path[0]] ?? null) : null;
  return null;
}

/**
 * Whether the polygon holding the ring at `path` has rings that cross themselves or each other (see
 * `polygonRingsCross`). Always false for lines: a greenway may cross itself (a loop is a legitimate route).
 */
export function ringsCross(geometry: Geometry | null | undefined, path: number[]): boolean {
  const rings = polygonOfPart(geometry, path);
  return rings !== null && polygonRingsCross(rings);
}

/** Whether any polygon of `geometry` has crossing rings (false for lines and points). */
export function hasCrossingRings(geometry: Geometry | null | undefined): boolean {
  if (geometry?.type === 'Polygon') return polygonRingsCross(geometry.coordinates);
  if (geometry?.type === 'MultiPolygon') return geometry.coordinates.some((polygon) => polygonRingsCross(polygon));
  return false;
}

/**
 * Whether `reshaped` (an edit of the part at `path` of `before`) is refused because it makes the polygon's
 * rings cross. A polygon that already crossed before the edit (saved before this check, or imported) is not
 * held to it, so that it can still be reshaped into a valid one.
 */
export function reshapeCrosses(before: Geometry, reshaped: Geometry, path: number[]): boolean {
  return ringsCross(reshaped, path) && !ringsCross(before, path);
}

// ---- keyboard ----

/**
 * Metres an arrow key moves the selected vertex, and with Shift. 1 m is finer than any cell (the demo's are
 * 20 m) yet a visible step at street zoom; 10 m is half a demo cell, so a few presses reach the next one.
 */
export const vertexKeyStepMeters = { normal: 1, shift: 10 } as const;

/**
 * `position` moved `eastMeters` east and `northMeters` north, in the local frame of its latitude with the
 * WGS84 radii the engine measures with (exact enough for steps of metres), not yet rounded.
 */
export function offsetByMeters(position: Position, eastMeters: number, northMeters: number): Position {
  return [
    position[0] + eastMeters / metersPerDegreeLongitude(position[1]),
    position[1] + northMeters / metersPerDegreeLatitude(position[1]),
  ];
}

/**
 * The vertex after (`step` 1) or before (−1) `current`, running through every part in order and wrapping
 * around; with no current vertex, the first (or the last). Null when the geometry has no vertices.
 */
export function steppedVertex(
  geometry: Geometry | null | undefined,
  current: VertexRef | null,
  step: 1 | -1,
): VertexRef | null {
  const all = editableParts(geometry).flatMap((part) => part.vertices.map((_, index) => ({ path: part.path, index })));
  if (all.length === 0) return null;
  const at = current ? all.findIndex((v) => v.index === current.index && samePath(v.path, current.path)) : -1;
  if (at < 0) return step === 1 ? all[0] : all[all.length - 1];
  return all[(at + step + all.length) % all.length];
}
