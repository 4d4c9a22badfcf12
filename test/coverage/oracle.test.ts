import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/synthetic-city';
import {
  buildCoverage,
  columnCenterLongitude,
  presetRules,
  qualifies,
  residentialDistances,
  rowCenterLatitude,
} from '../../src/coverage';
import { oracleDistance } from './oracle';
import { randomScenario } from './random-scenario';

// The engine's promise: within 0.5% or 0.5 m (the larger) of the WGS84 geodesic distance up to 2 km,
// between 60°S and 60°N; cells beyond the reach may be Infinity; verdicts equal except within 1 m of a radius.
describe('engine against a brute-force geodesic oracle', () => {
  for (const latitude of [0, 30, -30, 55, 59.9]) {
    for (const seed of [1, 2]) {
      it(`latitude ${latitude}, seed ${seed}`, () => {
        const layers = randomScenario(seed * 7919 + latitude, latitude);
        const rules = presetRules('chengdu');
        const model = buildCoverage(layers, rules, 50);
        const random = seededRandom(seed);
        let checked = 0;
        let worstRelative = 0;
        for (const id of ['green', 'park'] as const) {
          const criterion = rules[id]!;
          const reach = criterion.radiusMeters + rules.reachMarginMeters;
          const features = [...model.features.values()].filter((f) => qualifies(criterion, f.kind, f.areaSquareMeters));
          const distances = residentialDistances(model, id)!;
          for (let sample = 0; sample < 120; sample++) {
            const k = Math.floor(random() * model.residentialCells.length);
            const index = model.residentialCells[k];
            const row = Math.floor(index / model.grid.columns);
            const column = index % model.grid.columns;
            const lng = columnCenterLongitude(model.grid, column);
            const lat = rowCenterLatitude(model.grid, row);
            const truth = oracleDistance(lng, lat, features);
            const engine = distances[k];
            const tolerance = Math.max(0.5, truth * 0.005);
            if (truth <= reach - tolerance) {
              expect(
                Math.abs(engine - truth),
                `cell ${index} ${id}: engine ${engine}, geodesic ${truth}`,
              ).toBeLessThanOrEqual(tolerance);
              if (truth > 1) worstRelative = Math.max(worstRelative, Math.abs(engine - truth) / truth);
            } else if (Number.isFinite(engine)) {
              expect(Math.abs(engine - truth)).toBeLessThanOrEqual(tolerance);
            }
            if (Math.abs(truth - criterion.radiusMeters) > 1) {
              expect(engine <= criterion.radiusMeters, `verdict of cell ${index} ${id}`).toBe(
                truth <= criterion.radiusMeters,
              );
            }
            checked++;
          }
        }
        expect(checked).toBe(240);
        // Per-row WGS84 radii keep the engine far inside the 0.5% promise.
        expect(worstRelative).toBeLessThan(0.0005);
      });
    }
  }
});
