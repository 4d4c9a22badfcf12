import { describe, expect, it } from 'vitest';
import { defaultName } from '../../src/state/scenario-library';
import { checkScenarios, checkStoredLayers } from '../../src/state/stored-records';

const park = {
  type: 'Feature',
  properties: { kind: 'pocket_park' },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
    ],
  },
};
const good = {
  id: 'a',
  name: '方案 1',
  dataPath: 'data/demo/',
  features: [{ key: 'k', layer: 'greenspaces', feature: park }],
  figures: null,
  updatedAt: 1,
};

describe('stored records are checked, bad ones skipped and counted', () => {
  it('scenarios: garbage, a record without features and a string as features are skipped; good ones kept', () => {
    const checked = checkScenarios([
      good,
      'garbage',
      { id: 'b', name: 'x', dataPath: 'data/demo/' },
      { ...good, id: 'c', features: 'garbage' },
      null,
      42,
    ]);
    expect(checked.records.map((r) => r.id)).toEqual(['a']);
    expect(checked.skipped).toBe(5);
    expect(checked.records[0].features).toHaveLength(1);
  });

  it('a bad feature inside a good scenario is dropped, the scenario kept', () => {
    const checked = checkScenarios([
      { ...good, features: [...good.features, { key: 'z', layer: 'greenspaces', feature: 'garbage' }, 'x'] },
    ]);
    expect(checked.skipped).toBe(0);
    expect(checked.records[0].features.map((f) => f.key)).toEqual(['k']);
  });

  it('not a list at all is no record', () => {
    expect(checkScenarios('garbage')).toEqual({ records: [], skipped: 0 });
  });

  it('saved layers: an unknown role, no features or a features string are skipped', () => {
    const layer = {
      role: 'greenspaces',
      source: 'p.geojson',
      collection: { type: 'FeatureCollection', features: [park] },
      featureCount: 9,
    };
    const checked = checkStoredLayers([
      layer,
      { role: 'greenspaces', collection: { features: 'abc' } },
      { role: 'nope', collection: { features: [] } },
      { role: 'communities' },
    ]);
    expect(checked.records).toHaveLength(1);
    expect(checked.records[0].featureCount).toBe(1);
    expect(checked.skipped).toBe(3);
  });
});

describe('a saved layer whose features are damaged inside is skipped whole, not failed on at every start', () => {
  const layerOf = (feature: unknown) => ({
    role: 'greenspaces',
    source: 'p.geojson',
    collection: { type: 'FeatureCollection', features: [park, feature] },
  });
  const withGeometry = (geometry: unknown) => ({ ...park, geometry });
  const nestedCollections = (levels: number): unknown =>
    levels === 0 ? park.geometry : { type: 'GeometryCollection', geometries: [nestedCollections(levels - 1)] };

  it.each([
    ['a ring of numbers', withGeometry({ type: 'Polygon', coordinates: [[1, 2]] })],
    ['positions of strings', withGeometry({ type: 'Polygon', coordinates: [['a', 'b', 'c', 'a']] })],
    ['a position that is an object', withGeometry({ type: 'LineString', coordinates: [{}, {}] })],
    ['a NaN coordinate', withGeometry({ type: 'Point', coordinates: [Number.NaN, 30] })],
    ['a one-number position', withGeometry({ type: 'Point', coordinates: [104] })],
    ['MultiPolygon one level short', withGeometry({ type: 'MultiPolygon', coordinates: park.geometry.coordinates })],
    ['an unknown geometry type', withGeometry({ type: 'Circle', coordinates: [104, 30] })],
    ['properties that are a string', { ...park, properties: 'garbage' }],
    ['properties that are a list', { ...park, properties: [1, 2] }],
    ['GeometryCollections nested 20 deep', withGeometry(nestedCollections(20))],
    ['a green space of kind 5', { ...park, properties: { kind: 5 } }],
    ['a green space of an unknown kind', { ...park, properties: { kind: 'volcano' } }],
    [
      'a line among green spaces',
      withGeometry({
        type: 'LineString',
        coordinates: [
          [104, 30],
          [104.1, 30],
        ],
      }),
    ],
  ])('%s', (_, feature) => {
    const checked = checkStoredLayers([layerOf(feature), { ...layerOf(park), role: 'communities' }]);
    expect(checked.skipped).toBe(1);
    expect(checked.records.map((record) => record.role)).toEqual(['communities']);
  });

  it('good features of the role, a null geometry, absent properties and a kind in Chinese are kept', () => {
    const good = [
      withGeometry({ type: 'MultiPolygon', coordinates: [park.geometry.coordinates] }),
      withGeometry(null),
      { type: 'Feature', geometry: park.geometry },
      { ...park, properties: { kind: '小游园' } },
    ];
    const lines = [
      withGeometry({
        type: 'LineString',
        coordinates: [
          [104, 30, 12],
          [104.1, 30],
        ],
      }),
      withGeometry({
        type: 'MultiLineString',
        coordinates: [
          [
            [104, 30],
            [104.1, 30],
          ],
        ],
      }),
    ];
    const checked = checkStoredLayers([
      { role: 'greenspaces', source: 'p.geojson', collection: { type: 'FeatureCollection', features: good } },
      { role: 'greenways', source: 'w.geojson', collection: { type: 'FeatureCollection', features: lines } },
    ]);
    expect(checked.skipped).toBe(0);
    expect(checked.records.map((record) => record.featureCount)).toEqual([good.length, lines.length]);
  });

  it('a kind an older version kept (playground) is normalised through the one table, not skipped', () => {
    const checked = checkStoredLayers([
      {
        role: 'greenspaces',
        source: 'osm.geojson',
        collection: { type: 'FeatureCollection', features: [{ ...park, properties: { kind: 'playground' } }] },
      },
    ]);
    expect(checked.skipped).toBe(0);
    expect(checked.records[0].collection.features[0].properties?.kind).toBe('micro_green');
  });

  it('scenario features keep points and shallow collections (checked for shape only, not for a role)', () => {
    const scenario = {
      ...good,
      features: [
        { key: 'p', layer: 'greenspaces', feature: withGeometry({ type: 'Point', coordinates: [104, 30] }) },
        { key: 'c', layer: 'greenspaces', feature: withGeometry(nestedCollections(3)) },
        { key: 'bad', layer: 'greenspaces', feature: withGeometry(nestedCollections(20)) },
      ],
    };
    expect(checkScenarios([scenario]).records[0].features.map((feature) => feature.key)).toEqual(['p', 'c']);
  });
});

describe('default scenario names follow the language', () => {
  it('方案 2 ↔ Scenario 2; a chosen name stays', () => {
    expect(defaultName('方案 2', 'en')).toBe('Scenario 2');
    expect(defaultName('Scenario 3', 'zh')).toBe('方案 3');
    expect(defaultName('东郊公园方案', 'en')).toBe('东郊公园方案');
  });
});
