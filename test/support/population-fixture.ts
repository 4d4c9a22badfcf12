import { readFileSync } from 'node:fs';
import type { Feature, FeatureCollection } from 'geojson';
import { buildCoverage, presetRules, snapshotCoverage } from '../../src/coverage';

/**
 * The hand-made fixture `test/coverage/in/residential-population.geojson` (communities, residential land
 * with residents, greenways, green spaces) as layers and as the engine's result under its own rules: the
 * one small city the state tests (area figures, picked areas, drawn parks) measure against.
 */
const fixture = JSON.parse(
  readFileSync(new URL('../coverage/in/residential-population.geojson', import.meta.url), 'utf8'),
) as FeatureCollection & { greenreach_test: { rules: string; cellMeters: number } };

/** The fixture's features of one layer. */
export function fixtureLayer(name: string): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: fixture.features.filter((feature: Feature) => feature.properties?.layer === name),
  };
}

const residential = fixtureLayer('residential');

/** The engine's result on the fixture. */
export const fixtureResult = snapshotCoverage(
  buildCoverage(
    {
      communities: fixtureLayer('communities'),
      residential: residential.features.length ? residential : null,
      greenways: fixtureLayer('greenways'),
      greenspaces: fixtureLayer('greenspaces'),
    },
    presetRules(fixture.greenreach_test.rules),
    fixture.greenreach_test.cellMeters,
  ),
);
