import fc from 'fast-check';
import type { Geometry, LineString, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../../src/coverage/geodesy';
import {
  canDeleteVertex,
  deleteVertex,
  deleteVertexRefusal,
  hasCrossingRings,
  moveVertex,
  offsetByMeters,
  polygonRingsCross,
  reshapeCrosses,
  ringsCross,
  steppedVertex,
} from '../../src/geometry/vertex-handles';

/** Positions in units of 1e-4° from (104°, 30°), closed: hand-checked shapes read like graph paper. */
function ring(...points: [number, number][]): Position[] {
  const positions = points.map(([x, y]) => [104 + x * 1e-4, 30 + y * 1e-4]);
  return [...positions, positions[0]];
}

const polygon = (...rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings });

describe('self-intersection (hand-checked)', () => {
  it('a square and a concave L are simple; a bow-tie crosses', () => {
    expect(ringsCross(polygon(ring([0, 0], [4, 0], [4, 4], [0, 4])), [0])).toBe(false);
    expect(ringsCross(polygon(ring([0, 0], [4, 0], [4, 2], [2, 2], [2, 4], [0, 4])), [0])).toBe(false);
    expect(ringsCross(polygon(ring([0, 0], [4, 0], [0, 4], [4, 4])), [0])).toBe(true);
  });

  it('a vertex touching another side counts (exactly: 1e-7° away is fine), neighbours sharing a vertex do not', () => {
    // (4, 2) lies on the east side from (4, 0) to (4, 4): two triangles touching at a point.
    const touching = ring([0, 0], [4, 0], [4, 4], [0, 4], [4, 2]);
    expect(polygonRingsCross([touching])).toBe(true);
    const inside = touching.map((p) => (p[0] === 104.0004 && p[1] === 30.0002 ? [104.0004 - 1e-7, p[1]] : p));
    expect(polygonRingsCross([inside])).toBe(false);
    // Two vertices at one place (a pinch) count too.
    expect(polygonRingsCross([ring([0, 0], [4, 0], [2, 2], [4, 4], [0, 4], [2, 2])])).toBe(true);
  });

  it('collinear overlaps count: a spike folding back, a zero-area triangle, two sides on one line overlapping', () => {
    expect(polygonRingsCross([ring([0, 0], [4, 0], [4, 4], [4, 2], [0, 4])])).toBe(true);
    expect(polygonRingsCross([ring([0, 0], [2, 0], [4, 0])])).toBe(true);
    expect(polygonRingsCross([ring([0, 0], [3, 0], [3, -1], [1, -1], [2, 0], [5, 0], [5, 2], [0, 2])])).toBe(true);
    // Collinear but apart (a notch in the south side) is fine.
    expect(polygonRingsCross([ring([0, 0], [2, 0], [2, 1], [3, 1], [3, 0], [5, 0], [5, 2], [0, 2])])).toBe(false);
  });

  it('a hole crossing (or touching) the outer ring counts; a hole inside does not', () => {
    const outer = ring([0, 0], [6, 0], [6, 6], [0, 6]);
    expect(ringsCross(polygon(outer, ring([2, 2], [4, 2], [4, 4], [2, 4])), [1])).toBe(false);
    expect(ringsCross(polygon(outer, ring([2, 2], [8, 2], [8, 4], [2, 4])), [1])).toBe(true);
    expect(ringsCross(polygon(outer, ring([2, 2], [6, 3], [2, 4])), [0])).toBe(true);
    // In a MultiPolygon only the rings of the same polygon are compared: two overlapping parts are allowed.
    const multi: Geometry = { type: 'MultiPolygon', coordinates: [[outer], [ring([1, 1], [9, 1], [9, 9], [1, 9])]] };
    expect(ringsCross(multi, [1, 0])).toBe(false);
    expect(hasCrossingRings(multi)).toBe(false);
  });

  it('lines are never refused: a greenway may loop over itself', () => {
    const loop: LineString = {
      type: 'LineString',
      coordinates: [
        [104, 30],
        [104.001, 30.001],
        [104.001, 30],
        [104, 30.001],
      ],
    };
    expect(ringsCross(loop, [])).toBe(false);
    expect(hasCrossingRings(loop)).toBe(false);
  });

  it('a vertex deletion that would make the outline cross is refused, with its reason', () => {
    // Deleting (8, 0) leaves the diagonal from (0, 0) to (8, 8), which the side from (4, 1) to (0, 8) crosses.
    const arrow = polygon(ring([0, 0], [8, 0], [8, 8], [4, 1], [0, 8]));
    expect(ringsCross(arrow, [0])).toBe(false);
    expect(deleteVertexRefusal(arrow, [0], 1)).toBe('crossing');
    expect(canDeleteVertex(arrow, [0], 1)).toBe(false);
    expect(deleteVertex(arrow, [0], 1)).toBeNull();
    // Deleting (8, 8) is fine; a triangle still refuses for its vertex count.
    expect(deleteVertexRefusal(arrow, [0], 2)).toBeNull();
    expect(deleteVertexRefusal(polygon(ring([0, 0], [4, 0], [0, 4])), [0], 0)).toBe('minimum');
  });

  it('a polygon that already crossed (saved before the check) may still be reshaped', () => {
    const bowTie = polygon(ring([0, 0], [4, 0], [0, 4], [4, 4]));
    const stillCrossing = moveVertex(bowTie, [0], 3, [104.0005, 30.0004]);
    expect(reshapeCrosses(bowTie, stillCrossing, [0])).toBe(false);
    const square = polygon(ring([0, 0], [4, 0], [4, 4], [0, 4]));
    expect(reshapeCrosses(square, moveVertex(square, [0], 1, [104, 30.0005]), [0])).toBe(true);
  });
});

// ---- the brute-force reference: integer lattice, rational parameters in BigInt ----

type Point = [number, number];

/** Every common point of two closed segments: none, one point, or a stretch of positive length. */
function intersection(p: Point, q: Point, r: Point, s: Point): 'none' | 'point' | 'stretch' {
  const [P, Q, R, S] = [p, q, r, s].map(([x, y]) => [BigInt(x), BigInt(y)]);
  const cross = (a: bigint[], b: bigint[]) => a[0] * b[1] - a[1] * b[0];
  const minus = (a: bigint[], b: bigint[]) => [a[0] - b[0], a[1] - b[1]];
  const d = cross(minus(Q, P), minus(S, R));
  const rp = minus(R, P);
  if (d !== 0n) {
    // p + t (q − p) = r + u (s − r) with t = tn / d and u = un / d, both in [0, 1].
    const tn = cross(rp, minus(S, R));
    const un = cross(rp, minus(Q, P));
    const within = (n: bigint) => (d > 0n ? n >= 0n && n <= d : n <= 0n && n >= d);
    return within(tn) && within(un) ? 'point' : 'none';
  }
  // A segment that is a single point meets the other only where it lies on it (it is "parallel" to every
  // line, so the collinear comparison below would wrongly take it as lying along the other's line).
  if (p[0] === q[0] && p[1] === q[1]) return onSegment(p, r, s) ? 'point' : 'none';
  if (r[0] === s[0] && r[1] === s[1]) return onSegment(r, p, q) ? 'point' : 'none';
  // Parallel apart.
  if (cross(rp, minus(Q, P)) !== 0n || cross(minus(S, P), minus(Q, P)) !== 0n) return 'none';
  // Collinear: compare the intervals along an axis the line is not perpendicular to.
  const axis = p[0] === q[0] && q[0] === r[0] && r[0] === s[0] ? 1 : 0;
  const low = Math.max(Math.min(p[axis], q[axis]), Math.min(r[axis], s[axis]));
  const high = Math.min(Math.max(p[axis], q[axis]), Math.max(r[axis], s[axis]));
  return high < low ? 'none' : high === low ? 'point' : 'stretch';
}

function onSegment(point: Point, a: Point, b: Point): boolean {
  return (
    (b[0] - a[0]) * (point[1] - a[1]) === (b[1] - a[1]) * (point[0] - a[0]) &&
    Math.min(a[0], b[0]) <= point[0] &&
    point[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= point[1] &&
    point[1] <= Math.max(a[1], b[1])
  );
}

/** Rings (open, lattice points) cross: non-neighbouring sides meet at all, or neighbours share more than their vertex. */
function bruteForceCross(rings: Point[][]): boolean {
  const sides = rings.flatMap((vertices, r) =>
    vertices.map((from, i) => ({ r, i, n: vertices.length, from, to: vertices[(i + 1) % vertices.length] })),
  );
  for (let a = 0; a < sides.length; a++) {
    for (let b = a + 1; b < sides.length; b++) {
      const [x, y] = [sides[a], sides[b]];
      const neighbours = x.r === y.r && (y.i === (x.i + 1) % x.n || x.i === (y.i + 1) % x.n);
      const meet = intersection(x.from, x.to, y.from, y.to);
      if (neighbours ? meet === 'stretch' : meet !== 'none') return true;
    }
  }
  return false;
}

/** Lattice unit: 1/128° has 7 decimals and is exact in binary, so rounding to 7 decimals keeps every point. */
const unit = 1 / 128;
const toDegrees = ([x, y]: Point): Position => [104 + x * unit, 30 + y * unit];
const closedRing = (vertices: Point[]) => [...vertices.map(toDegrees), toDegrees(vertices[0])];

const latticePoint = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })) as fc.Arbitrary<Point>;

describe('self-intersection (properties)', () => {
  it('agrees with a brute-force lattice test on random rings and holes (touching and collinear cases included)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(latticePoint, { minLength: 3, maxLength: 7 }), { minLength: 1, maxLength: 2 }),
        (rings) => {
          expect(polygonRingsCross(rings.map(closedRing))).toBe(bruteForceCross(rings));
        },
      ),
      // A ring collapsed to one point beside a triangle: once a wrong answer of the oracle, kept as a case.
      {
        numRuns: 3000,
        examples: [
          [
            [
              [
                [4, 3],
                [4, 3],
                [4, 3],
              ],
              [
                [0, 0],
                [0, 1],
                [4, 0],
              ],
            ],
          ],
        ],
      },
    );
  });

  it('a random vertex move of a simple polygon is refused exactly when the brute-force test says it crosses', () => {
    const start: Point[] = [
      [1, 1],
      [5, 1],
      [5, 3],
      [3, 3],
      [3, 5],
      [1, 5],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: start.length - 1 }), latticePoint, (index, target) => {
        const before = polygon(closedRing(start));
        const after = moveVertex(before, [0], index, toDegrees(target));
        const moved = start.map((p, i) => (i === index ? target : p));
        expect(reshapeCrosses(before, after, [0])).toBe(bruteForceCross([moved]));
      }),
      { numRuns: 500 },
    );
  });

  it('moving a vertex of a convex polygon anywhere strictly inside it keeps the polygon simple', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 9 }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        fc.double({ min: 2e-4, max: 1e-2, noNaN: true }),
        fc.nat(),
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 9, maxLength: 9 }),
        (n, rotation, radius, pick, weights) => {
          const vertices = Array.from({ length: n }, (_, k): Position => {
            const angle = rotation + (2 * Math.PI * k) / n;
            return [104 + radius * Math.cos(angle), 30 + radius * Math.sin(angle)];
          });
          const convex = polygon([...vertices, vertices[0]]);
          // A point with positive weights on every vertex lies strictly inside a convex polygon.
          const total = weights.slice(0, n).reduce((sum, w) => sum + w, 0);
          const inside: Position = [0, 1].map((axis) =>
            vertices.reduce((sum, vertex, k) => sum + (vertex[axis] * weights[k]) / total, 0),
          );
          const index = pick % n;
          expect(ringsCross(convex, [0])).toBe(false);
          expect(reshapeCrosses(convex, moveVertex(convex, [0], index, inside), [0])).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('keyboard reshaping helpers', () => {
  it('offsets a position by metres east and north at its latitude', () => {
    const start: Position = [104.06, 30.66];
    const [x, y] = offsetByMeters(start, 10, -1);
    expect((x - start[0]) * metersPerDegreeLongitude(30.66)).toBeCloseTo(10, 9);
    expect((y - start[1]) * metersPerDegreeLatitude(30.66)).toBeCloseTo(-1, 9);
  });

  it('steps through every vertex of every part, wrapping around, from none to the first or last', () => {
    const withHole = polygon(ring([0, 0], [6, 0], [6, 6], [0, 6]), ring([2, 2], [4, 2], [3, 4]));
    expect(steppedVertex(withHole, null, 1)).toEqual({ path: [0], index: 0 });
    expect(steppedVertex(withHole, null, -1)).toEqual({ path: [1], index: 2 });
    expect(steppedVertex(withHole, { path: [0], index: 3 }, 1)).toEqual({ path: [1], index: 0 });
    expect(steppedVertex(withHole, { path: [1], index: 2 }, 1)).toEqual({ path: [0], index: 0 });
    expect(steppedVertex(withHole, { path: [0], index: 0 }, -1)).toEqual({ path: [1], index: 2 });
    expect(steppedVertex({ type: 'Point', coordinates: [0, 0] }, null, 1)).toBeNull();
  });
});
