import type { FeatureCollection } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CoverageResult, RuleSet } from '../../src/coverage';
import { presetRules } from '../../src/coverage';
import type { DataSet } from '../../src/state/load-data';
import type { PlannerApp as PlannerAppClass } from '../../src/state/planner-app';
import type { ResultsView as ResultsViewClass } from '../../src/state/results';
import { resultStanding, runInputs } from '../../src/state/run-inputs';
import type { CoverageClient } from '../../src/worker/coverage-client';
import type { GapClient } from '../../src/worker/gap-client';

// A result holds only for the inputs it was computed from: other layers or cells void it at once (the
// map and panels show none of it), other rules on the same grid mark it out of date until the new one lands.

const collection = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] });

function dataSet(overrides: Partial<DataSet> = {}): DataSet {
  return {
    communities: collection(),
    residential: collection(),
    greenways: collection(),
    greenspaces: collection(),
    district: null,
    streets: collection(),
    river: null,
    barriers: null,
    entrances: null,
    buildings: null,
    population: null,
    populationName: null,
    basemap: null,
    manifest: null,
    bytes: 0,
    ...overrides,
  };
}

const chengdu = presetRules('chengdu');
const walking: RuleSet = { ...chengdu, distance: 'network' };

describe('resultStanding: a result against the inputs in use now', () => {
  const data = dataSet();
  const computed = runInputs({ data, rules: chengdu, cellMeters: 20 });

  it('the same inputs (rules equal in content included) are current', () => {
    expect(resultStanding(computed, runInputs({ data, rules: chengdu, cellMeters: 20 }))).toBe('current');
    const again = JSON.parse(JSON.stringify(chengdu)) as RuleSet;
    expect(resultStanding(computed, runInputs({ data, rules: again, cellMeters: 20 }))).toBe('current');
  });

  it('other rules or another distance mode on the same layers and cells: out of date', () => {
    const wider = { ...chengdu, green: { ...chengdu.green!, radiusMeters: 400 } };
    expect(resultStanding(computed, runInputs({ data, rules: wider, cellMeters: 20 }))).toBe('outOfDate');
    expect(resultStanding(computed, runInputs({ data, rules: walking, cellMeters: 20 }))).toBe('outOfDate');
  });

  it('another layer, data set or cell size: void', () => {
    for (const role of ['communities', 'residential', 'greenways', 'greenspaces'] as const) {
      const replaced = runInputs({ data: { ...data, [role]: collection() }, rules: chengdu, cellMeters: 20 });
      expect(resultStanding(computed, replaced)).toBe('void');
    }
    expect(resultStanding(computed, runInputs({ data, rules: chengdu, cellMeters: 30 }))).toBe('void');
    expect(resultStanding(computed, runInputs({ data: dataSet(), rules: chengdu, cellMeters: 20 }))).toBe('void');
    expect(resultStanding(computed, null)).toBe('void');
    expect(resultStanding(null, computed)).toBe('void');
  });

  it('the walking network counts only when both runs walk; buildings only with a population layer', () => {
    const otherStreets = { ...data, streets: collection() };
    expect(resultStanding(computed, runInputs({ data: otherStreets, rules: chengdu, cellMeters: 20 }))).toBe('current');
    const walked = runInputs({ data, rules: walking, cellMeters: 20 });
    expect(resultStanding(walked, runInputs({ data: otherStreets, rules: walking, cellMeters: 20 }))).toBe('void');
    const withBuildings = { ...data, buildings: collection() };
    expect(resultStanding(computed, runInputs({ data: withBuildings, rules: chengdu, cellMeters: 20 }))).toBe(
      'current',
    );
    const population = { ...data, population: collection(), buildings: collection() };
    const counted = runInputs({ data: population, rules: chengdu, cellMeters: 20 });
    const rebuilt = runInputs({ data: { ...population, buildings: collection() }, rules: chengdu, cellMeters: 20 });
    expect(resultStanding(counted, rebuilt)).toBe('void');
  });
});

/** A coverage client whose runs the test answers one by one. */
class HeldClient {
  readonly runs: { rules: RuleSet; cellMeters: number; answer: (result: CoverageResult) => void }[] = [];
  warm(): void {}
  preload(): void {}
  compute(_layers: unknown, rules: RuleSet, cellMeters: number): Promise<CoverageResult> {
    return new Promise((resolve) => this.runs.push({ rules, cellMeters, answer: resolve }));
  }
  /** Answers the latest run with a result of its own identity; returns it. */
  answer(name: string): CoverageResult {
    const run = this.runs.at(-1)!;
    const result = { name, rules: run.rules, grid: { cellMeters: run.cellMeters } } as unknown as CoverageResult;
    run.answer(result);
    return result;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PlannerApp and ResultsView: no figures of other inputs are shown as current', () => {
  let PlannerApp: typeof PlannerAppClass;
  let ResultsView: typeof ResultsViewClass;

  beforeAll(async () => {
    // The app's store touches the page's <html> (readiness, language) and the address: a minimal stand-in.
    const root = { dataset: {} as Record<string, string>, lang: '' };
    Object.assign(globalThis, { document: { documentElement: root, baseURI: 'http://localhost/' } });
    ({ PlannerApp } = await import('../../src/state/planner-app'));
    ({ ResultsView } = await import('../../src/state/results'));
  });

  function open() {
    const client = new HeldClient();
    const app = new PlannerApp(client as unknown as CoverageClient, '?lang=en', 'en');
    app.syncUrl = false;
    const gapClient = { analyze: async () => null } as unknown as GapClient;
    const results = new ResultsView(app.store, null, gapClient);
    app.store.set({ data: dataSet() });
    return { client, app, results };
  }

  it('a new data set or layer clears the old result at once; the new one lands current', async () => {
    const { client, app, results } = open();
    void app.compute();
    const demo = client.answer('demo');
    await settle();
    expect(results.get().shown).toMatchObject({ result: demo, outOfDate: false });
    // What "Use these layers" of an OSM extract, an imported file, a removed layer and a project do.
    app.replaceLayers({ communities: collection(), residential: collection() });
    expect(app.store.get().baseline).toBeNull();
    expect(results.get().shown).toBeNull();
    expect(app.store.get().status).toBe('computing');
    const city = client.answer('city');
    await settle();
    expect(results.get().shown).toMatchObject({ result: city, outOfDate: false });
    expect(app.store.get().baseline).toBe(city);
  });

  it('other rules keep the result, out of date, until the new one lands; another cell size voids it', async () => {
    const { client, app, results } = open();
    void app.compute();
    const first = client.answer('first');
    await settle();
    app.setRuleNumber('greenRadiusMeters', 400);
    expect(results.get().shown).toMatchObject({ result: first, outOfDate: true });
    expect(app.store.get().baseline).toBe(first);
    const wider = client.answer('wider');
    await settle();
    expect(results.get().shown).toMatchObject({ result: wider, outOfDate: false });
    app.setDistance('network');
    expect(results.get().shown).toMatchObject({ result: wider, outOfDate: true });
    const walked = client.answer('walked');
    await settle();
    expect(results.get().shown).toMatchObject({ result: walked, outOfDate: false });
    app.setCellMeters(40);
    expect(results.get().shown).toBeNull();
    expect(app.store.get().baseline).toBeNull();
  });

  it('rules set on the store directly (a project opened) mark the result out of date; setting them back, current', async () => {
    const { client, app, results } = open();
    void app.compute();
    const first = client.answer('first');
    await settle();
    const original = app.store.get().rules;
    app.store.set({ rules: presetRules('who') });
    expect(results.get().shown).toMatchObject({ result: first, outOfDate: true });
    app.store.set({ rules: original });
    expect(results.get().shown).toMatchObject({ result: first, outOfDate: false });
    // Data swapped on the store without replaceLayers still shows nothing of the old data.
    app.store.set({ data: dataSet() });
    expect(results.get().shown).toBeNull();
  });

  it('a run superseded by newer inputs never lands', async () => {
    const { client, app, results } = open();
    void app.compute();
    const stale = client.runs[0];
    app.replaceLayers({ greenspaces: collection() });
    stale.answer({ name: 'stale' } as unknown as CoverageResult);
    await settle();
    expect(results.get().shown).toBeNull();
    const fresh = client.answer('fresh');
    await settle();
    expect(results.get().shown?.result).toBe(fresh);
  });
});
