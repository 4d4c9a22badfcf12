import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { DataSet } from '../../src/state/load-data';
import { reportScenario, withScenarioFeatures } from '../../src/state/report-scenario';
import type { SavedScenario } from '../../src/state/scenario-db';
import { defaultScreen, formatScreen, parseScreen } from '../../src/state/url-state';

// What a link carries beyond the screen: the open scenario and which layers were imported, so a
// recipient sees the scenario (or is told it is missing) and is told when imported layers are absent.

const park = (id: number): Feature => ({
  type: 'Feature',
  properties: { kind: 'pocket_park', name: `Park ${id}` },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [104 + id * 0.01, 30],
        [104.001 + id * 0.01, 30],
        [104.001 + id * 0.01, 30.001],
        [104 + id * 0.01, 30],
      ],
    ],
  },
});
const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
const data = {
  communities: collection([]),
  residential: null,
  greenways: collection([]),
  greenspaces: collection([park(0)]),
} as unknown as DataSet;

describe('the link', () => {
  it('carries the open scenario and the imported roles, and reads them back', () => {
    const screen = { ...defaultScreen('en'), scenarioId: '0mf3k2-ab12', importedRoles: ['greenspaces', 'communities'] };
    const search = formatScreen(screen);
    expect(search).toContain('scenario=0mf3k2-ab12');
    expect(search).toContain('imported=greenspaces,communities');
    const parsed = parseScreen(search, defaultScreen('en'));
    expect(parsed.scenarioId).toBe('0mf3k2-ab12');
    expect(parsed.importedRoles).toEqual(['communities', 'greenspaces']);
    // Nothing to carry: neither key is written.
    expect(formatScreen(defaultScreen('en'))).not.toMatch(/scenario=|imported=/);
  });

  it('refuses scenario ids and roles it does not know', () => {
    const parsed = parseScreen('?scenario=../../x&imported=greenspaces,__proto__,streets', defaultScreen('en'));
    expect(parsed.scenarioId).toBeNull();
    expect(parsed.importedRoles).toEqual(['greenspaces']);
  });
});

describe("the link's basemap", () => {
  it('carries a basemap URL and reads it back; none is not written', () => {
    const url = 'https://tiles.example.org/cities/chengdu.pmtiles?v=2,3';
    const search = formatScreen({ ...defaultScreen('zh'), basemapUrl: url });
    expect(parseScreen(search, defaultScreen('en')).basemapUrl).toBe(url);
    const path = parseScreen(
      formatScreen({ ...defaultScreen('zh'), basemapUrl: 'data/x/city.pmtiles' }),
      defaultScreen('en'),
    );
    expect(path.basemapUrl).toBe('data/x/city.pmtiles');
    expect(formatScreen(defaultScreen('en'))).not.toContain('basemap=');
  });

  it('refuses other schemes, parent paths, protocol-relative and over-long addresses', () => {
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:application/octet-stream,PMTiles',
      '../secret.pmtiles',
      'a/../../b.pmtiles',
      '//evil.example/x.pmtiles',
      `https://example.org/${'a'.repeat(2100)}.pmtiles`,
      'https://example.org/a b.pmtiles',
    ]) {
      expect(parseScreen(`?basemap=${encodeURIComponent(bad)}`, defaultScreen('en')).basemapUrl, bad).toBeNull();
    }
  });
});

describe("the report's scenario", () => {
  const saved: SavedScenario = {
    id: 'plan-1',
    name: 'Riverside plan',
    dataPath: 'data/demo/',
    features: [
      { key: 'a', layer: 'greenspaces', feature: park(1) },
      { key: 'b', layer: 'greenspaces', feature: park(2) },
    ],
    figures: null,
    updatedAt: 1,
  };
  const db = { list: async () => ({ records: [saved], skipped: 0 }) };

  it("adds the scenario's features to the layers and names it", async () => {
    const linked = await reportScenario(data, 'plan-1', 'data/demo/', db);
    expect(linked.missing).toBeNull();
    expect(linked.scenario).toEqual({ id: 'plan-1', name: 'Riverside plan', greenspaces: 2, greenways: 0 });
    expect(linked.data.greenspaces.features).toEqual([park(0), park(1), park(2)]);
    // The data set itself is left as it was.
    expect(data.greenspaces.features).toHaveLength(1);
    expect(withScenarioFeatures(data, []).greenspaces.features).toEqual([park(0)]);
  });

  it('says a scenario this browser does not hold is missing and keeps the data as it is', async () => {
    const linked = await reportScenario(data, 'elsewhere', 'data/demo/', db);
    expect(linked).toEqual({ data, scenario: null, missing: 'elsewhere' });
    expect(await reportScenario(data, null, 'data/demo/', db)).toEqual({ data, scenario: null, missing: null });
  });
});
