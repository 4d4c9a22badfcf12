import fc from 'fast-check';
import type { Feature, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  createGrid,
  DistanceField,
  metersPerDegreeLatitude,
  metersPerDegreeLongitude,
  prepareGreenFeature,
  rowScales,
} from '../../src/coverage';
import { bothSides, exteriorLeft, exteriorRight, ringExteriorSides } from '../../src/coverage/ring-sides';

// An area's rings stamp only the side facing out of the area when the polygon is proven simple. Hand
// cases pin which side that is; a property shows the half-slabs leave every cell's value unchanged, bit
// for bit, on simple, self-intersecting, holed and multi-part polygons alike.

const latitude = 30.66;
const longitude = 104.1;
const kx = metersPerDegreeLongitude(latitude);
const ky = metersPerDegreeLatitude(latitude);
const toDegrees = ([x, y]: number[]): Position => [longitude + x / kx, latitude + y / ky];
const flat = (points: number[][]) => {
  const ring = [...points, points[0]].map(toDegrees);
  return Float64Array.from(ring.flat());
};
const square = (x: number, y: number, size: number) => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
];

describe('ringExteriorSides', () => {
  it('puts the outside on the right of a counter-clockwise outer ring and of a clockwise hole', () => {
    const outer = flat(square(0, 0, 100));
    const hole = flat(square(30, 30, 40).reverse());
    expect([...ringExteriorSides([[outer, hole]])]).toEqual([exteriorRight, exteriorRight]);
  });

  it('follows the winding as drawn: a clockwise outer ring has its outside on the left', () => {
    expect([...ringExteriorSides([[flat(square(0, 0, 100).reverse())]])]).toEqual([exteriorLeft]);
  });

  it('judges each part of a multipolygon by itself', () => {
    const sides = ringExteriorSides([
      [flat(square(0, 0, 100))],
      [
        flat([
          [300, 300],
          [300, 400],
          [400, 300],
        ]),
      ],
    ]);
    expect([...sides]).toEqual([exteriorRight, exteriorLeft]);
  });

  it('proves nothing for a bowtie, a hole touching its outer ring, a hole crossing it, or a spike', () => {
    const bowtie = flat([
      [0, 0],
      [100, 100],
      [100, 0],
      [0, 100],
    ]);
    const touchingHole = flat([
      [0, 0],
      [50, 20],
      [50, 50],
    ]);
    const crossingHole = flat(square(80, 30, 40));
    const spike = flat([
      [0, 0],
      [100, 0],
      [100, 100],
      [100, 150],
      [100, 100],
      [0, 100],
    ]);
    expect([...ringExteriorSides([[bowtie]])]).toEqual([bothSides]);
    expect([...ringExteriorSides([[flat(square(0, 0, 100)), touchingHole]])]).toEqual([bothSides, bothSides]);
    expect([...ringExteriorSides([[flat(square(0, 0, 100)), crossingHole]])]).toEqual([bothSides, bothSides]);
    expect([...ringExteriorSides([[spike]])]).toEqual([bothSides]);
  });

  it('ignores repeated points, and proves a large ring through its buckets', () => {
    const circle = Array.from({ length: 400 }, (_, k) => {
      const angle = (k / 400) * 2 * Math.PI;
      return [500 + 300 * Math.cos(angle), 500 + 300 * Math.sin(angle)];
    });
    const repeated = circle.flatMap((point, k) => (k % 7 === 0 ? [point, point] : [point]));
    expect([...ringExteriorSides([[flat(repeated)]])]).toEqual([exteriorRight]);
    // A figure eight drawn as one large ring crosses itself once, far from its start.
    const eight = Array.from({ length: 400 }, (_, k) => {
      const angle = (k / 400) * 2 * Math.PI;
      return [500 + 300 * Math.sin(angle), 500 + 300 * Math.sin(angle) * Math.cos(angle)];
    });
    expect([...ringExteriorSides([[flat(eight)]])]).toEqual([bothSides]);
  });
});

const grid = createGrid([longitude, latitude, longitude + 1500 / kx, latitude + 1500 / ky], 25);
const scales = rowScales(grid);

/** A star-shaped (simple) ring around a centre, counter-clockwise or not. */
const starArbitrary = (centre: [number, number], radius: [number, number]) =>
  fc
    .record({
      radii: fc.array(fc.integer({ min: radius[0], max: radius[1] }), { minLength: 3, maxLength: 40 }),
      clockwise: fc.boolean(),
    })
    .map(({ radii, clockwise }) => {
      const points = radii.map((r, k) => {
        const angle = (k / radii.length) * 2 * Math.PI;
        return [Math.round(centre[0] + r * Math.cos(angle)), Math.round(centre[1] + r * Math.sin(angle))];
      });
      return clockwise ? points.reverse() : points;
    });
const randomRingArbitrary = fc.array(
  fc.tuple(fc.integer({ min: 200, max: 1300 }), fc.integer({ min: 200, max: 1300 })).map(([x, y]) => [x, y]),
  { minLength: 3, maxLength: 10 },
);
const polygonArbitrary = fc.oneof(
  starArbitrary([750, 750], [150, 500]).map((outer) => [outer]),
  fc.tuple(starArbitrary([750, 750], [400, 600]), starArbitrary([750, 750], [60, 300])),
  randomRingArbitrary.map((ring) => [ring]),
  fc.tuple(starArbitrary([750, 750], [200, 400]), randomRingArbitrary),
);
const areaArbitrary = fc.array(polygonArbitrary, { minLength: 1, maxLength: 2 });

describe('half-slabs on proven rings', () => {
  it('give every cell the same value as stamping both sides, bit for bit', () => {
    let proven = 0;
    fc.assert(
      fc.property(areaArbitrary, fc.constantFrom(120, 300), (polygons, reachMeters) => {
        const feature: Feature = {
          type: 'Feature',
          properties: { kind: 'park' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: polygons.map((rings) => rings.map((ring) => [...ring, ring[0]].map(toDegrees))),
          },
        };
        const prepared = prepareGreenFeature(feature, 1, 'greenspaces', 0)!;
        if (prepared.pathSides?.some((side) => side !== bothSides)) proven++;
        const halves = new DistanceField(grid, scales, reachMeters);
        halves.add(prepared);
        const whole = new DistanceField(grid, scales, reachMeters);
        whole.add({ ...prepared, pathSides: undefined });
        for (let k = 0; k < whole.squaredMeters.length; k++) {
          if (!Object.is(halves.squaredMeters[k], whole.squaredMeters[k])) {
            throw new Error(`cell ${k}: ${halves.squaredMeters[k]} with half-slabs, ${whole.squaredMeters[k]} without`);
          }
        }
      }),
      { numRuns: 150 },
    );
    // The property must have exercised the half-slabs, not only the fallback.
    expect(proven).toBeGreaterThan(40);
  });
});
