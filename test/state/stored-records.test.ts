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

describe('default scenario names follow the language', () => {
  it('方案 2 ↔ Scenario 2; a chosen name stays', () => {
    expect(defaultName('方案 2', 'en')).toBe('Scenario 2');
    expect(defaultName('Scenario 3', 'zh')).toBe('方案 3');
    expect(defaultName('东郊公园方案', 'en')).toBe('东郊公园方案');
  });
});
