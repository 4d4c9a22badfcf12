/**
 * Plane geometry in the generator's local metric frame (x east, y north, metres): rings, clipping of
 * polylines against rings, offsets, insets, bilinear quads, polygon boolean operations (turf) and a
 * spatial hash for "anything near here?" queries.
 */
import { difference, featureCollection, intersect, polygon as turfPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { signedArea } from '../../src/coverage/geometry';

/** A point in the local metric frame: x east, y north, metres. */
export type Pt = [number, number];
/** Open ring (first point not repeated). */
export type Ring = Pt[];
/** Outer ring then holes. */
export type Poly = Ring[];

/** Signed area (m², counter-clockwise positive) of an open ring: the engine's shoelace. */
export { signedArea };

/** Area of a polygon (outer ring minus holes), m². */
export function polyArea(poly: Poly): number {
  return poly.reduce((sum, ring, k) => sum + (k === 0 ? 1 : -1) * Math.abs(signedArea(ring)), 0);
}

/** Mean of a ring's vertices (the centre of a lattice quad). */
export function centroidOf(ring: Ring): Pt {
  let x = 0;
  let y = 0;
  for (const p of ring) {
    x += p[0];
    y += p[1];
  }
  return [x / ring.length, y / ring.length];
}

/** The bounding box of points. */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** The bounding box of points (Infinity/−Infinity for none). */
export function boundsOf(points: readonly Pt[]): Bounds {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  return { minX, minY, maxX, maxY };
}

/** Even–odd point-in-ring test. */
export function pointInRing(p: Pt, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    if (edgeCrossesRay(p, ring[i], ring[j])) inside = !inside;
  return inside;
}

/** Whether the edge qi–qj crosses the ray from p towards +x (the even–odd rule's test). */
function edgeCrossesRay(p: Pt, [xi, yi]: Pt, [xj, yj]: Pt): boolean {
  return yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi;
}

/** Euclidean distance, m. */
export function distance(a: Pt, b: Pt): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** The point at t along a→b. */
export function lerp(a: Pt, b: Pt, t: number): Pt {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}

/** Parameter t along a→b where it crosses c→d, or null. */
export function segmentCrossing(a: Pt, b: Pt, c: Pt, d: Pt): number | null {
  const rx = b[0] - a[0];
  const ry = b[1] - a[1];
  const sx = d[0] - c[0];
  const sy = d[1] - c[1];
  const denominator = rx * sy - ry * sx;
  if (denominator === 0) return null;
  const qx = c[0] - a[0];
  const qy = c[1] - a[1];
  const t = (qx * sy - qy * sx) / denominator;
  const u = (qx * ry - qy * rx) / denominator;
  return t > 0 && t < 1 && u >= 0 && u <= 1 ? t : null;
}

/** A piece of a polyline wholly inside or wholly outside a ring. */
export interface PolylineRun {
  path: Pt[];
  inside: boolean;
}

/**
 * A ring's edges bucketed in horizontal strips, so that crossing and inside tests of a long ring (a
 * river's band) look only at the edges near a point. Edge k joins ring[k − 1] and ring[k] (ring[n − 1]
 * and ring[0] for k = 0), as in {@link pointInRing}.
 */
export class RingIndex {
  private readonly strips = new Map<number, number[]>();
  private readonly seen: Uint32Array;
  private stamp = 0;
  constructor(
    readonly ring: Ring,
    private readonly stripHeight = 100,
  ) {
    this.seen = new Uint32Array(ring.length);
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const low = Math.floor(Math.min(ring[i][1], ring[j][1]) / stripHeight);
      const high = Math.floor(Math.max(ring[i][1], ring[j][1]) / stripHeight);
      for (let s = low; s <= high; s++) {
        let strip = this.strips.get(s);
        if (!strip) {
          strip = [];
          this.strips.set(s, strip);
        }
        strip.push(i);
      }
    }
  }
  /** Each edge (by the index of its end vertex) whose strip range meets [y0, y1], once. */
  edgesBetween(y0: number, y1: number, visit: (i: number) => void): void {
    this.stamp++;
    const high = Math.floor(Math.max(y0, y1) / this.stripHeight);
    for (let s = Math.floor(Math.min(y0, y1) / this.stripHeight); s <= high; s++) {
      for (const i of this.strips.get(s) ?? []) {
        if (this.seen[i] === this.stamp) continue;
        this.seen[i] = this.stamp;
        visit(i);
      }
    }
  }
}

/**
 * A polyline cut where it crosses a ring, in order: alternating runs inside and outside. With an index
 * of the ring, only nearby edges are tested (the same edges that can cross, so the same result).
 */
export function splitPolyline(path: Pt[], ring: Ring, index?: RingIndex): PolylineRun[] {
  const runs: PolylineRun[] = [];
  let current = null as PolylineRun | null;
  const edges = (y0: number, y1: number, visit: (i: number, j: number) => void) => {
    if (!index) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) visit(i, j);
    } else index.edgesBetween(y0, y1, (i) => visit(i, i === 0 ? ring.length - 1 : i - 1));
  };
  for (let k = 0; k + 1 < path.length; k++) {
    const a = path[k];
    const b = path[k + 1];
    const ts = [0, 1];
    edges(a[1], b[1], (i, j) => {
      const t = segmentCrossing(a, b, ring[j], ring[i]);
      if (t !== null) ts.push(t);
    });
    ts.sort((x, y) => x - y);
    for (let m = 0; m + 1 < ts.length; m++) {
      if (ts[m + 1] - ts[m] < 1e-12) continue;
      const middle = lerp(a, b, (ts[m] + ts[m + 1]) / 2);
      let inside = false;
      if (!index) inside = pointInRing(middle, ring);
      else
        index.edgesBetween(middle[1], middle[1], (i) => {
          if (edgeCrossesRay(middle, ring[i], ring[i === 0 ? ring.length - 1 : i - 1])) inside = !inside;
        });
      if (current === null || current.inside !== inside) {
        current = { path: [lerp(a, b, ts[m])], inside };
        runs.push(current);
      }
      current.path.push(lerp(a, b, ts[m + 1]));
    }
  }
  return runs;
}

/** The parts of a polyline inside a ring. */
export function clipPolyline(path: Pt[], ring: Ring): Pt[][] {
  return splitPolyline(path, ring)
    .filter((run) => run.inside)
    .map((run) => run.path);
}

/** A polyline lengthened by `meters` straight on at both ends. */
export function extendEnds(path: Pt[], meters: number): Pt[] {
  const away = (end: Pt, before: Pt): Pt => {
    const length = distance(end, before) || 1;
    return [end[0] + ((end[0] - before[0]) / length) * meters, end[1] + ((end[1] - before[1]) / length) * meters];
  };
  return [away(path[0], path[1]), ...path, away(path[path.length - 1], path[path.length - 2])];
}

/** A band of ±`halfWidth` metres around a polyline, as one ring. */
export function bandAround(path: Pt[], halfWidth: number): Ring {
  return [...offsetPolyline(path, halfWidth), ...offsetPolyline(path, -halfWidth).reverse()];
}

/** Length of a polyline, m. */
export function pathLength(path: Pt[]): number {
  let sum = 0;
  for (let k = 1; k < path.length; k++) sum += distance(path[k - 1], path[k]);
  return sum;
}

/** A polyline moved sideways by `offset` metres (positive = to the left of the direction of travel). */
export function offsetPolyline(path: Pt[], offset: number): Pt[] {
  return path.map((p, k) => {
    const a = path[Math.max(0, k - 1)];
    const b = path[Math.min(path.length - 1, k + 1)];
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const length = Math.hypot(dx, dy) || 1;
    return [p[0] - (dy / length) * offset, p[1] + (dx / length) * offset];
  });
}

/** A quadrilateral (counter-clockwise) with each edge k moved inwards by `insets[k]` metres. */
export function insetQuad(quad: Pt[], insets: number[]): Pt[] {
  const normals = quad.map((p, k) => {
    const q = quad[(k + 1) % 4];
    const length = distance(p, q);
    return [-(q[1] - p[1]) / length, (q[0] - p[0]) / length] as Pt;
  });
  return quad.map((p, k) => {
    const a = (k + 3) % 4; // edge ending at p
    const b = k; // edge starting at p
    const [ax, ay] = normals[a];
    const [bx, by] = normals[b];
    const det = ax * by - ay * bx;
    if (Math.abs(det) < 1e-6) return [p[0] + ax * insets[a], p[1] + ay * insets[a]] as Pt;
    const x = (insets[a] * by - ay * insets[b]) / det;
    const y = (ax * insets[b] - insets[a] * bx) / det;
    return [p[0] + x, p[1] + y] as Pt;
  });
}

/** Bilinear point of a quad (corners at (0,0), (1,0), (1,1), (0,1)). */
export function bilinear(quad: Pt[], s: number, t: number): Pt {
  const [q0, q1, q2, q3] = quad;
  const a = (1 - s) * (1 - t);
  const b = s * (1 - t);
  const c = s * t;
  const d = (1 - s) * t;
  return [a * q0[0] + b * q1[0] + c * q2[0] + d * q3[0], a * q0[1] + b * q1[1] + c * q2[1] + d * q3[1]];
}

/** The ring with its first point repeated at the end (GeoJSON/turf form). */
export function closeRing(ring: Ring): Position[] {
  return [...ring, ring[0]];
}

/** A polygon as a turf Feature (closed rings). */
export function toTurf(poly: Poly) {
  return turfPolygon(poly.map(closeRing));
}

/** The polygons of a turf result (open rings); none for null. */
export function fromTurf(geometry: Polygon | MultiPolygon | null | undefined): Poly[] {
  if (!geometry) return [];
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return parts.map((rings) => rings.map((ring) => ring.slice(0, -1).map((p) => [p[0], p[1]] as Pt)));
}

/** subject ∩ clip, as polygons (turf). */
export function clipPolys(subject: Poly, clip: Poly): Poly[] {
  return fromTurf(intersect(featureCollection([toTurf(subject), toTurf(clip)]))?.geometry);
}

/** subject − hole, as polygons (turf). */
export function subtractPolys(subject: Poly, hole: Poly): Poly[] {
  return fromTurf(difference(featureCollection([toTurf(subject), toTurf(hole)]))?.geometry);
}

/** A bucketed point set for "anything within r of p?" queries. */
export class SpatialHash {
  private readonly buckets = new Map<string, { p: Pt; radius: number }[]>();
  constructor(private readonly size: number) {}
  private key(i: number, j: number): string {
    return `${i},${j}`;
  }
  add(p: Pt, radius = 0): void {
    const key = this.key(Math.floor(p[0] / this.size), Math.floor(p[1] / this.size));
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = [];
      this.buckets.set(key, bucket);
    }
    bucket.push({ p, radius });
  }
  /** Whether some stored point lies within `distance + its radius` of p (radius + distance ≤ reach). */
  near(p: Pt, minDistance: number, reach: number): boolean {
    const i0 = Math.floor((p[0] - reach) / this.size);
    const i1 = Math.floor((p[0] + reach) / this.size);
    const j0 = Math.floor((p[1] - reach) / this.size);
    const j1 = Math.floor((p[1] + reach) / this.size);
    for (let i = i0; i <= i1; i++) {
      for (let j = j0; j <= j1; j++) {
        for (const entry of this.buckets.get(this.key(i, j)) ?? []) {
          if (distance(entry.p, p) < minDistance + entry.radius) return true;
        }
      }
    }
    return false;
  }
}
