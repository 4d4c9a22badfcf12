import type { Geometry, Position } from 'geojson';

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

/** Whether vertex `index` of the part at `path` may be deleted (the part keeps 3 vertices for a ring, 2 for a line). */
export function canDeleteVertex(geometry: Geometry | null | undefined, path: number[], index: number): boolean {
  const part = partAt(geometry, path);
  return (
    part !== null && index >= 0 && index < part.vertices.length && part.vertices.length > minimumVertices(part.closed)
  );
}

/** `geometry` without vertex `index` of the part at `path`, or null when the part would become invalid. */
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
