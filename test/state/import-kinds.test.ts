import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildCoverage, presetRules } from '../../src/coverage';
import { greenKindOf, normalizeGreenKinds } from '../../src/io/osm';
import { prepareLayerForRole } from '../../src/io/validate';
import { applyMapping, guessMapping, guessRoleWithReasons } from '../../src/state/import-guess';

/** A square polygon of `half` degrees half-side around a point. */
function area(properties: Record<string, unknown>, x = 104.1, y = 30.65, half = 0.001): Feature {
  return {
    type: 'Feature',
    properties,
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [x - half, y - half],
          [x + half, y - half],
          [x + half, y + half],
          [x - half, y + half],
          [x - half, y - half],
        ],
      ],
    },
  };
}
const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

describe('kinds through the one alias/OSM table', () => {
  it('an OSM leisure value maps to its kind: playground is micro-green, garden a pocket park', () => {
    expect(greenKindOf('playground', 'leisure')).toBe('micro_green');
    expect(greenKindOf('playground')).toBe('micro_green');
    expect(greenKindOf('garden', 'leisure')).toBe('pocket_park');
    expect(greenKindOf('公园')).toBe('park');
    expect(greenKindOf('skatepark-of-doom')).toBeNull();
  });

  it('a value mapping to no kind is a per-feature warning (plain green space), never a failed run', () => {
    const { features, warnings } = normalizeGreenKinds(
      [area({ kind: 'park' }), area({ kind: 'mystery' }), area({ kind: 'mystery' })],
      'kind',
    );
    expect(features.map((f) => f.properties!.kind)).toEqual(['park', 'green_space', 'green_space']);
    expect(warnings).toEqual([
      'kind "mystery" is no kind GreenReach knows: 2 features (1, 2) counted as plain green space',
    ]);
  });

  it('an OSM file whose leisure column is mapped to the kind computes (playground → micro_green)', () => {
    const file = collection([area({ name: 'P', leisure: 'park' }), area({ name: 'Q', leisure: 'playground' }, 104.11)]);
    const prepared = prepareLayerForRole(file, 'greenspaces', 'osm.geojson');
    // As the app: the mapping is guessed on the file read without a role, then applied to the prepared layer.
    const mapping = guessMapping(file);
    expect(mapping.kind).toBe('leisure');
    const mapped = applyMapping(prepared.collection, mapping, 'greenspaces');
    const { features } = normalizeGreenKinds(mapped.features, mapping.kind);
    expect(features.map((f) => f.properties!.kind)).toEqual(['park', 'micro_green']);
    const communities = collection([area({ name: 'C', population: 100 }, 104.105, 30.65, 0.01)]);
    const empty = collection([]);
    expect(() =>
      buildCoverage(
        { communities, residential: null, greenways: empty, greenspaces: collection(features) },
        presetRules('chengdu'),
        50,
      ),
    ).not.toThrow();
  });

  it('a file layer with an unknown kind is kept with a warning (CLI and app read)', () => {
    const prepared = prepareLayerForRole(
      collection([area({ kind: 'skate' }), area({ kind: 'park' })]),
      'greenspaces',
      'x.geojson',
    );
    expect(prepared.collection.features.map((f) => f.properties!.kind)).toEqual(['green_space', 'park']);
    expect(prepared.warnings.join('\n')).toContain('kind "skate" is no kind GreenReach knows: 1 feature (0)');
  });
});

describe('role guesses with their reasons', () => {
  it('large polygons named 区 / 街道 / district are communities, not parks', () => {
    const districts = collection([
      area({ name: '成华区', kind: 'admin' }, 104.1, 30.65, 0.05),
      area({ name: '锦江区', kind: 'admin' }, 104.2, 30.65, 0.05),
      area({ name: '猛追湾街道' }, 104.3, 30.65, 0.02),
    ]);
    const guess = guessRoleWithReasons(districts, 'parks.geojson');
    expect(guess.role).toBe('communities');
    expect(guess.reasons.map((r) => r.code)).toContain('adminAreas');
  });

  it('a small pocket park named after its 社区 stays a green space; lines are greenways, with the reason', () => {
    expect(guessRoleWithReasons(collection([area({ name: '东区', kind: 'pocket_park' })]), 'x.geojson').role).toBe(
      'greenspaces',
    );
    const line: Feature = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
    };
    expect(guessRoleWithReasons(collection([line, line]), 'layer.geojson')).toEqual({
      role: 'greenways',
      reasons: [{ code: 'lines' }],
    });
  });

  it('points with a count are population (a census, a grid as points); points without one stay green spaces', () => {
    const point = (properties: Record<string, unknown>): Feature => ({
      type: 'Feature',
      properties,
      geometry: { type: 'Point', coordinates: [104.1, 30.6] },
    });
    const census = collection([point({ 常住人口: 120 }), point({ 常住人口: 80 })]);
    const guess = guessRoleWithReasons(census, 'points.geojson');
    expect(guess).toEqual({ role: 'population', reasons: [{ code: 'populationPoints' }] });
    expect(guessMapping(census).population).toBe('常住人口');
    expect(applyMapping(census, guessMapping(census), 'population').features[0].properties?.population).toBe(120);
    expect(guessRoleWithReasons(collection([point({ name: '小游园' })]), 'sites.geojson').role).toBe('greenspaces');
    // The file name alone says so too (a WorldPop export of polygons).
    expect(guessRoleWithReasons(collection([area({})]), 'worldpop_chengdu.geojson').role).toBe('population');
  });
});
