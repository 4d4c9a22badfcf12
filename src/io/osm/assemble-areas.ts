/**
 * Areas from OSM ways: a multipolygon (or boundary) relation's member ways joined end to end into rings
 * by their shared node ids, rings closed, holes (role `inner`) assigned to the smallest outer ring that
 * holds them, and rings oriented as RFC 7946 wants (outer counter-clockwise, holes clockwise). A relation
 * whose rings cannot be closed (a member missing from the extract, a gap, an inner ring outside every
 * outer) gives a reason instead of a polygon; the caller skips it and lists it.
 */

/** A way's node ids and its vertices as [lon, lat] pairs. */
export interface WayPath {
  refs: ArrayLike<number>;
  coordinates: [number, number][];
}

/** A member of the relation being assembled. */
export interface AreaMember {
  wayId: number;
  role: string;
}

/** Polygons (each: outer ring, then holes) or why the relation cannot be closed. */
export type AssembledArea = { polygons: [number, number][][][] } | { reason: string };

interface Segment {
  wayId: number;
  refs: number[];
  coordinates: [number, number][];
  inner: boolean;
}

/** Twice the signed area of a ring in degrees² (positive = counter-clockwise). */
export function ringSignedArea(ring: readonly [number, number][]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return sum;
}

/** Even–odd point-in-ring test. */
export function pointInRing(x: number, y: number, ring: readonly [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The ring, reversed if needed so its orientation is counter-clockwise (`ccw`) or clockwise. */
export function orientRing(ring: [number, number][], ccw: boolean): [number, number][] {
  return ringSignedArea(ring) > 0 === ccw ? ring : ring.slice().reverse();
}

/** A closed way as a polygon, or null when it is not closed or has fewer than 4 vertices. */
export function closedWayPolygon(path: WayPath): [number, number][][] | null {
  const { refs, coordinates } = path;
  if (refs.length < 4 || refs[0] !== refs[refs.length - 1]) return null;
  return [orientRing(coordinates, true)];
}

/** Whether a way is closed (first node = last node, at least 4 nodes). */
export function isClosedWay(refs: ArrayLike<number>): boolean {
  return refs.length >= 4 && refs[0] === refs[refs.length - 1];
}

/**
 * Joins the relation's member ways into polygons. `wayPath` returns a member's geometry, or null when
 * the way is not in the extract.
 */
export function assembleArea(
  members: readonly AreaMember[],
  wayPath: (wayId: number) => WayPath | null,
): AssembledArea {
  const segments: Segment[] = [];
  for (const member of members) {
    const role = member.role;
    if (role !== 'outer' && role !== 'inner' && role !== '') continue;
    const path = wayPath(member.wayId);
    if (!path) return { reason: `member way ${member.wayId} is not in the extract` };
    if (path.refs.length < 2) return { reason: `member way ${member.wayId} has fewer than 2 nodes` };
    segments.push({
      wayId: member.wayId,
      refs: Array.from(path.refs),
      coordinates: path.coordinates,
      inner: role === 'inner',
    });
  }
  if (segments.length === 0) return { reason: 'no outer or inner member ways' };
  const byEnd = new Map<number, number[]>();
  const addEnd = (node: number, index: number) => {
    const list = byEnd.get(node);
    if (list) list.push(index);
    else byEnd.set(node, [index]);
  };
  segments.forEach((segment, index) => {
    addEnd(segment.refs[0], index);
    addEnd(segment.refs[segment.refs.length - 1], index);
  });
  const used = new Uint8Array(segments.length);
  const rings: { ring: [number, number][]; inner: boolean; wayId: number }[] = [];
  for (let start = 0; start < segments.length; start++) {
    if (used[start]) continue;
    used[start] = 1;
    const first = segments[start];
    const ring = first.coordinates.slice();
    const startNode = first.refs[0];
    let endNode = first.refs[first.refs.length - 1];
    let guard = segments.length + 1;
    while (endNode !== startNode) {
      if (guard-- <= 0) return { reason: `ring starting with way ${first.wayId} does not close` };
      const candidates = byEnd.get(endNode) ?? [];
      const next =
        candidates.find((k) => !used[k] && segments[k].inner === first.inner) ?? candidates.find((k) => !used[k]);
      if (next === undefined) {
        return { reason: `ring not closed: way ${first.wayId}'s ring stops at node ${endNode}, no member way goes on` };
      }
      used[next] = 1;
      const segment = segments[next];
      const forward = segment.refs[0] === endNode;
      const coordinates = forward ? segment.coordinates : segment.coordinates.slice().reverse();
      for (let k = 1; k < coordinates.length; k++) ring.push(coordinates[k]);
      endNode = forward ? segment.refs[segment.refs.length - 1] : segment.refs[0];
    }
    if (ring.length < 4) return { reason: `ring of way ${first.wayId} has fewer than 4 vertices` };
    rings.push({ ring, inner: first.inner, wayId: first.wayId });
  }
  const outers = rings
    .filter((r) => !r.inner)
    .map((r) => ({ ring: orientRing(r.ring, true), holes: [] as [number, number][][] }));
  if (outers.length === 0) return { reason: 'no outer ring' };
  const areas = outers.map((o) => Math.abs(ringSignedArea(o.ring)));
  for (const inner of rings.filter((r) => r.inner)) {
    const [x, y] = inner.ring[0];
    let best = -1;
    for (let k = 0; k < outers.length; k++) {
      if (pointInRing(x, y, outers[k].ring) && (best < 0 || areas[k] < areas[best])) best = k;
    }
    if (best < 0) return { reason: `inner ring of way ${inner.wayId} lies in no outer ring` };
    outers[best].holes.push(orientRing(inner.ring, false));
  }
  return { polygons: outers.map((o) => [o.ring, ...o.holes]) };
}
