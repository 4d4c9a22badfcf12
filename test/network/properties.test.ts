import fc from 'fast-check';
import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  addFeature,
  buildCoverage,
  type CoverageLayers,
  type CoverageModel,
  prepareGreenFeature,
  presetRules,
  removeFeature,
  residentialDistances,
} from '../../src/coverage';
import { randomStreets } from './random-streets';
import { collection, frame } from './scene';

// Properties of walking distance on seeded random street grids (test/network/random-streets.ts).

const latitude = 30.66;
const { rect, line, point } = frame(104.1, latitude);
const runs = { numRuns: Number(process.env.NETWORK_RUNS ?? 12) };

function rules() {
  const r = presetRules('chengdu');
  r.distance = 'network';
  return r;
}

function city(seed: number) {
  return randomStreets({ seed, latitude, sizeMeters: 800, spacingMeters: 100, parks: 4 });
}

function build(layers: CoverageLayers) {
  return buildCoverage(layers, rules(), 40);
}

function walks(model: CoverageModel, id: 'green' | 'park') {
  return model.network!.criteria[id]!.cellMeters;
}

/** A pocket park somewhere in the 800 m city. */
const parkArbitrary = fc
  .record({
    x: fc.double({ min: 0, max: 720, noNaN: true }),
    y: fc.double({ min: 0, max: 720, noNaN: true }),
    side: fc.double({ min: 32, max: 80, noNaN: true }),
  })
  .map(({ x, y, side }) => rect(x, y, side, side, { kind: 'pocket_park' }));

function expectClose(actual: Float32Array, expected: Float32Array, label: string) {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < actual.length; k++) {
    if (expected[k] === Infinity || actual[k] === Infinity) expect(actual[k], `${label} cell ${k}`).toBe(expected[k]);
    // Float32 cells; ties between equal-length paths may add in another order.
    else expect(Math.abs(actual[k] - expected[k]), `${label} cell ${k}`).toBeLessThan(1e-3);
  }
}

describe('walking distance properties', () => {
  it('the walk is never shorter than the straight line (− 0.5 m)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const model = build(city(seed));
        let finite = 0;
        for (const id of ['green', 'park'] as const) {
          const straight = residentialDistances(model, id)!;
          const walk = walks(model, id);
          for (let k = 0; k < walk.length; k++) {
            if (walk[k] === Infinity) continue;
            finite++;
            expect(walk[k], `${id} cell ${k}`).toBeGreaterThanOrEqual(straight[k] - 0.5);
          }
        }
        expect(finite).toBeGreaterThan(0);
      }),
      runs,
    );
  });

  it('adding an entrance never increases a distance', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, where) => {
        const base = city(seed);
        // A gate at a corner of every area (so every area is entered at its given gates: a first gate
        // near an area would replace its generated entrances), then a second gate on a park's side.
        const parks = base.greenspaces.features.filter((f) => f.properties?.kind === 'park');
        const corner = (f: Feature, i: number) => (f.geometry as { coordinates: number[][][] }).coordinates[0][i];
        const gates = base.greenspaces.features.map((f) => ({
          type: 'Feature' as const,
          properties: {},
          geometry: { type: 'Point' as const, coordinates: corner(f, 0) },
        }));
        const before = build({ ...base, entrances: collection(gates) });
        const target = parks[Math.floor(where * parks.length) % parks.length];
        const [a, b] = [corner(target, 1), corner(target, 2)];
        const extra = {
          type: 'Feature' as const,
          properties: {},
          geometry: { type: 'Point' as const, coordinates: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] },
        };
        const after = build({ ...base, entrances: collection([...gates, extra]) });
        for (const id of ['green', 'park'] as const) {
          const x = walks(before, id);
          const y = walks(after, id);
          for (let k = 0; k < x.length; k++) expect(y[k], `${id} cell ${k}`).toBeLessThanOrEqual(x[k] + 1e-3);
        }
      }),
      runs,
    );
    expect(point).toBeTypeOf('function');
  });

  it('adding an edge never increases the distance of a cell that keeps its snap point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 1_000_000 }), (seed, pick) => {
        const base = city(seed);
        const n = base.lattice.length;
        const i = pick % (n - 1);
        const j = Math.floor(pick / n) % (n - 1);
        // A footpath between two lattice junctions (a diagonal: it shares only its two end vertices).
        const path = line([base.lattice[i][j], base.lattice[i + 1][j + 1]], { highway: 'footway' });
        const before = build(base);
        const after = build({ ...base, streets: collection([...base.streets!.features, path]) });
        const snapBefore = before.network!.snap;
        const snapAfter = after.network!.snap;
        let kept = 0;
        for (let k = 0; k < snapBefore.edge.length; k++) {
          // A cell that now snaps to the new, nearer path may walk farther: nearest-edge snapping.
          if (snapBefore.offsetMeters[k] !== snapAfter.offsetMeters[k]) continue;
          kept++;
          for (const id of ['green', 'park'] as const)
            expect(walks(after, id)[k], `${id} cell ${k}`).toBeLessThanOrEqual(walks(before, id)[k] + 1e-3);
        }
        expect(kept).toBeGreaterThan(snapBefore.edge.length / 2);
      }),
      runs,
    );
  });

  it('incremental pocket parks and greenways equal a full recompute; removing one restores the walk', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        parkArbitrary,
        fc.constantFrom('park', 'greenway on junctions', 'greenway drawn freely', 'greenway through a street vertex'),
        fc.array(fc.tuple(fc.double({ min: 0, max: 800, noNaN: true }), fc.double({ min: 0, max: 800, noNaN: true })), {
          minLength: 2,
          maxLength: 5,
        }),
        (seed, park, what, drawn) => {
          const base = city(seed);
          const model = build(base);
          const before = { green: walks(model, 'green').slice(), park: walks(model, 'park').slice() };
          let feature: Feature = park;
          let layer: 'greenspaces' | 'greenways' = 'greenspaces';
          if (what !== 'park') {
            layer = 'greenways';
            const row = base.lattice[2];
            // On lattice junctions (shared vertices: it joins the streets), drawn freely (it crosses them
            // without joining), or through the vertex of a street (that street must be cut: a rebuild).
            const points: [number, number][] =
              what === 'greenway on junctions'
                ? row.slice(2, 6)
                : what === 'greenway drawn freely'
                  ? drawn
                  : [[base.bends[2][3][0], base.bends[2][3][1] + 300], base.bends[2][3]];
            feature = line(points, { name: 'new greenway' });
          }
          const id = model.nextFeatureId;
          addFeature(model, prepareGreenFeature(feature, id, layer, 0)!);
          const full = build({ ...base, [layer]: collection([...base[layer].features, feature]) });
          expectClose(walks(model, 'green'), walks(full, 'green'), 'green');
          expectClose(walks(model, 'park'), walks(full, 'park'), 'park');
          removeFeature(model, id);
          expectClose(walks(model, 'green'), before.green, 'green after removal');
          expectClose(walks(model, 'park'), before.park, 'park after removal');
        },
      ),
      runs,
    );
  });
});
