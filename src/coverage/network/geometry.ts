import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../geodesy';

/**
 * Small-scale geometry in `[lng, lat]` degrees measured in metres: each measurement uses a local frame
 * scaled by the WGS84 radii at its own latitude, which stays within 0.01% of the geodesic for the
 * tens-to-hundreds of metres that street segments, snap links and entrance links span.
 */

/** Geodesic length in metres of segment A→B (local frame at the segment's middle latitude). */
export function segmentLengthMeters(lngA: number, latA: number, lngB: number, latB: number): number {
  const middle = (latA + latB) / 2;
  const dx = (lngB - lngA) * metersPerDegreeLongitude(middle);
  const dy = (latB - latA) * metersPerDegreeLatitude(middle);
  return Math.sqrt(dx * dx + dy * dy);
}

/** The nearest point of a segment to a point: `fraction` along A→B (0–1) and the distance in metres. */
export interface Projection {
  fraction: number;
  distanceMeters: number;
}

/** Projects point P on segment A→B in P's local frame (`kx`, `ky` metres per degree at P's latitude). */
export function projectOnSegment(
  lng: number,
  lat: number,
  lngA: number,
  latA: number,
  lngB: number,
  latB: number,
  kx: number,
  ky: number,
  out: Projection,
): Projection {
  const ax = (lngA - lng) * kx;
  const ay = (latA - lat) * ky;
  const dx = (lngB - lngA) * kx;
  const dy = (latB - latA) * ky;
  const lengthSquared = dx * dx + dy * dy;
  // The foot of the perpendicular from P, clamped to the segment.
  let fraction = lengthSquared > 0 ? -(ax * dx + ay * dy) / lengthSquared : 0;
  fraction = fraction < 0 ? 0 : Math.min(fraction, 1);
  const x = ax + fraction * dx;
  const y = ay + fraction * dy;
  out.fraction = fraction;
  out.distanceMeters = Math.sqrt(x * x + y * y);
  return out;
}

/** Metres per degree of longitude and latitude at `lat`, as a pair. */
export function localScales(lat: number): [number, number] {
  return [metersPerDegreeLongitude(lat), metersPerDegreeLatitude(lat)];
}

function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const value = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return Math.min(ax, bx) <= cx && cx <= Math.max(ax, bx) && Math.min(ay, by) <= cy && cy <= Math.max(ay, by);
}

/**
 * Whether segments P1→P2 and Q1→Q2 touch or cross (endpoints included). Orientation tests are affine
 * invariant, so degrees give the same answer as any local metric frame.
 */
export function segmentsIntersect(
  p1x: number,
  p1y: number,
  p2x: number,
  p2y: number,
  q1x: number,
  q1y: number,
  q2x: number,
  q2y: number,
): boolean {
  const o1 = orientation(p1x, p1y, p2x, p2y, q1x, q1y);
  const o2 = orientation(p1x, p1y, p2x, p2y, q2x, q2y);
  const o3 = orientation(q1x, q1y, q2x, q2y, p1x, p1y);
  const o4 = orientation(q1x, q1y, q2x, q2y, p2x, p2y);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(p1x, p1y, p2x, p2y, q1x, q1y)) return true;
  if (o2 === 0 && onSegment(p1x, p1y, p2x, p2y, q2x, q2y)) return true;
  if (o3 === 0 && onSegment(q1x, q1y, q2x, q2y, p1x, p1y)) return true;
  if (o4 === 0 && onSegment(q1x, q1y, q2x, q2y, p2x, p2y)) return true;
  return false;
}

/**
 * Fraction along P1→P2 where it meets Q1→Q2 (segments known to intersect); for collinear overlaps,
 * the fraction of the overlap's first point.
 */
export function intersectionFraction(
  p1x: number,
  p1y: number,
  p2x: number,
  p2y: number,
  q1x: number,
  q1y: number,
  q2x: number,
  q2y: number,
): number {
  const rx = p2x - p1x;
  const ry = p2y - p1y;
  const sx = q2x - q1x;
  const sy = q2y - q1y;
  const denominator = rx * sy - ry * sx;
  if (denominator !== 0) {
    const t = ((q1x - p1x) * sy - (q1y - p1y) * sx) / denominator;
    return t < 0 ? 0 : Math.min(t, 1);
  }
  // Collinear: project Q's endpoints on P and take the first one inside.
  const lengthSquared = rx * rx + ry * ry;
  if (lengthSquared === 0) return 0;
  const t1 = ((q1x - p1x) * rx + (q1y - p1y) * ry) / lengthSquared;
  const t2 = ((q2x - p1x) * rx + (q2y - p1y) * ry) / lengthSquared;
  const t = Math.max(0, Math.min(t1, t2));
  return Math.min(t, 1);
}

/** Even–odd test: whether a point lies inside polygon rings (flat closed `[lng, lat]` rings, outer first). */
export function pointInRings(lng: number, lat: number, rings: Float64Array[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
      const xi = ring[i];
      const yi = ring[i + 1];
      const xj = ring[j];
      const yj = ring[j + 1];
      if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Distance in metres from a point to the nearest point of a polyline (flat `[lng, lat, …]`). */
export function distanceToPathMeters(lng: number, lat: number, path: Float64Array): number {
  const kx = metersPerDegreeLongitude(lat);
  const ky = metersPerDegreeLatitude(lat);
  const projection: Projection = { fraction: 0, distanceMeters: 0 };
  let best = Infinity;
  for (let i = 0; i + 3 < path.length; i += 2) {
    projectOnSegment(lng, lat, path[i], path[i + 1], path[i + 2], path[i + 3], kx, ky, projection);
    if (projection.distanceMeters < best) best = projection.distanceMeters;
  }
  if (path.length === 2) best = segmentLengthMeters(lng, lat, path[0], path[1]);
  return best;
}
