import { booleanPointInPolygon } from '@turf/turf';
import fc from 'fast-check';
import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  addFeature,
  buildCoverage,
  type CoverageModel,
  columnCenterLongitude,
  metersPerDegreeLatitude,
  metersPerDegreeLongitude,
  prepareGreenFeature,
  presetRules,
  qualifies,
  removeFeature,
  rowCenterLatitude,
} from '../../src/coverage';
import { randomScenario } from './random-scenario';

// Properties of the engine that hold for any input, checked on random scenarios and random edits.

const latitude = 30.66;
const longitude = 104.1;
const kx = metersPerDegreeLongitude(latitude);
const ky = metersPerDegreeLatitude(latitude);

/** A random green feature near the scenario: a park-ish polygon or a greenway. */
const greenFeatureArbitrary = fc
  .record({
    line: fc.boolean(),
    x: fc.double({ min: -1600, max: 1600, noNaN: true }),
    y: fc.double({ min: -1600, max: 1600, noNaN: true }),
    size: fc.double({ min: 5, max: 400, noNaN: true }),
    angle: fc.double({ min: 0, max: 6.28, noNaN: true }),
    kind: fc.constantFrom('park', 'pocket_park', 'micro_green', 'green_space'),
  })
  .map(({ line, x, y, size, angle, kind }): Feature => {
    const at = (dx: number, dy: number) => [longitude + (x + dx) / kx, latitude + (y + dy) / ky];
    if (line) {
      return {
        type: 'Feature',
        properties: {},
        geometry: {
          type: 'LineString',
          coordinates: [at(0, 0), at(Math.cos(angle) * size * 3, Math.sin(angle) * size * 3), at(size * 4, 0)],
        },
      };
    }
    const ring = [0, 1, 2, 3, 4].map((v) =>
      at(Math.cos(angle + v * 1.3) * size, Math.sin(angle + v * 1.2) * size * 0.8),
    );
    ring.push(ring[0]);
    return { type: 'Feature', properties: { kind }, geometry: { type: 'Polygon', coordinates: [ring] } };
  });

function prepare(feature: Feature, id: number) {
  return prepareGreenFeature(feature, id, feature.geometry.type === 'LineString' ? 'greenways' : 'greenspaces', 0)!;
}

function asPolygon(rings: Float64Array[]) {
  return {
    type: 'Polygon' as const,
    coordinates: rings.map((ring) => Array.from({ length: ring.length / 2 }, (_, i) => [ring[2 * i], ring[2 * i + 1]])),
  };
}

/** The feature shifted by `dx`, `dy` metres (a drag on the map). */
function translate(feature: Feature, dx: number, dy: number): Feature {
  const shift = (position: number[]) => [position[0] + dx / kx, position[1] + dy / ky];
  const geometry = feature.geometry;
  if (geometry.type === 'LineString')
    return { ...feature, geometry: { ...geometry, coordinates: geometry.coordinates.map(shift) } };
  if (geometry.type === 'Polygon') {
    return { ...feature, geometry: { ...geometry, coordinates: geometry.coordinates.map((ring) => ring.map(shift)) } };
  }
  throw new Error(`cannot move a ${geometry.type}`);
}

function fieldsOf(model: CoverageModel) {
  return [model.fields.green!.squaredMeters, model.fields.park!.squaredMeters];
}

describe('engine properties', () => {
  it('distances are ≥ 0, and 0 exactly at the cell centres inside a qualifying area', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const layers = randomScenario(seed, latitude, longitude, 2000);
        const rules = presetRules('chengdu');
        const model = buildCoverage(layers, rules, 50);
        for (const field of fieldsOf(model)) for (const value of field) expect(value >= 0).toBe(true);
        const areas = [...model.features.values()].filter(
          (feature) => feature.polygons.length > 0 && qualifies(rules.green, feature.kind, feature.areaSquareMeters),
        );
        const green = model.fields.green!.squaredMeters;
        for (let row = 0; row < model.grid.rows; row++) {
          for (let column = 0; column < model.grid.columns; column++) {
            const point = [columnCenterLongitude(model.grid, column), rowCenterLatitude(model.grid, row)];
            const inside = areas.some((feature) =>
              feature.polygons.some((rings) =>
                booleanPointInPolygon(point, asPolygon(rings), { ignoreBoundary: true }),
              ),
            );
            if (inside) expect(green[row * model.grid.columns + column]).toBe(0);
          }
        }
      }),
      { numRuns: 10 },
    );
  });

  it('adding a feature never increases a distance', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), greenFeatureArbitrary, (seed, feature) => {
        const model = buildCoverage(randomScenario(seed, latitude, longitude, 2000), presetRules('chengdu'), 50);
        const before = fieldsOf(model).map((field) => field.slice());
        addFeature(model, prepare(feature, model.nextFeatureId));
        fieldsOf(model).forEach((field, f) => {
          for (let i = 0; i < field.length; i++) expect(field[i] <= before[f][i]).toBe(true);
        });
      }),
      { numRuns: 25 },
    );
  });

  it('incremental edits equal a full recompute, bit for bit, after any sequence of adds, removes and moves', () => {
    const editArbitrary = fc.array(
      fc.oneof(
        greenFeatureArbitrary.map((feature) => ({ op: 'add' as const, feature })),
        fc.nat({ max: 30 }).map((pick) => ({ op: 'remove' as const, pick })),
        // A move (dragging a feature) is a remove and an add of the shifted feature under the same id.
        fc
          .record({
            pick: fc.nat({ max: 30 }),
            dx: fc.double({ min: -300, max: 300, noNaN: true }),
            dy: fc.double({ min: -300, max: 300, noNaN: true }),
          })
          .map((move) => ({ op: 'move' as const, ...move })),
      ),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), editArbitrary, (seed, edits) => {
        const layers = randomScenario(seed, latitude, longitude, 2000);
        const rules = presetRules('chengdu');
        const model = buildCoverage(layers, rules, 50);
        // The same feature set, kept as GeoJSON, to rebuild from scratch at the end.
        const live = new Map<number, Feature>();
        let id = 0;
        for (const feature of [...layers.greenways.features, ...layers.greenspaces.features]) live.set(id++, feature);
        for (const edit of edits) {
          if (edit.op === 'add') {
            const featureId = model.nextFeatureId;
            addFeature(model, prepare(edit.feature, featureId));
            live.set(featureId, edit.feature);
          } else if (edit.op === 'move') {
            const ids = [...live.keys()];
            if (ids.length === 0) continue;
            const featureId = ids[edit.pick % ids.length];
            const moved = translate(live.get(featureId)!, edit.dx, edit.dy);
            expect(removeFeature(model, featureId)).toBe(true);
            addFeature(model, prepare(moved, featureId));
            live.set(featureId, moved);
          } else {
            const ids = [...live.keys()];
            if (ids.length === 0) continue;
            const featureId = ids[edit.pick % ids.length];
            expect(removeFeature(model, featureId)).toBe(true);
            live.delete(featureId);
          }
        }
        const features = [...live.values()];
        const full = buildCoverage(
          {
            communities: layers.communities,
            greenways: {
              type: 'FeatureCollection',
              features: features.filter((f) => f.geometry.type === 'LineString'),
            },
            greenspaces: {
              type: 'FeatureCollection',
              features: features.filter((f) => f.geometry.type !== 'LineString'),
            },
          },
          rules,
          50,
        );
        expect(full.grid).toEqual(model.grid);
        fieldsOf(model).forEach((field, f) => {
          const expected = fieldsOf(full)[f];
          expect(Buffer.from(field.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('removing what was added returns exactly to the earlier state', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(greenFeatureArbitrary, { minLength: 1, maxLength: 4 }),
        (seed, features) => {
          const model = buildCoverage(randomScenario(seed, latitude, longitude, 2000), presetRules('chengdu'), 50);
          const before = fieldsOf(model).map((field) => field.slice());
          const ids = features.map((feature) => {
            const featureId = model.nextFeatureId;
            addFeature(model, prepare(feature, featureId));
            return featureId;
          });
          for (const featureId of ids.reverse()) removeFeature(model, featureId);
          fieldsOf(model).forEach((field, f) => {
            expect(field).toEqual(before[f]);
          });
        },
      ),
      { numRuns: 25 },
    );
  });
});
