import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildCoverage, presetRules, snapshotCoverage } from '../../src/coverage';
import { cellProperties, summaryRecord } from '../../src/io/coverage-export';
import { frame } from './scene';

// Hand-checked walking-distance scenes: in/<name>.geojson (written by make-fixtures.ts, which explains
// every expected figure) holds the layers (property `layer`) and the answers (`greenreach_test`);
// out/<name>.json is the regression snapshot. `REGEN=1 npx vitest run test/network` rewrites snapshots.

const directory = new URL('./', import.meta.url);
const names = readdirSync(new URL('in/', directory)).filter((name) => name.endsWith('.geojson'));
const { at } = frame();

interface Fixture extends FeatureCollection {
  greenreach_test: {
    rules: string;
    distance: 'network' | 'straight';
    cellMeters: number;
    expect: { cells: ({ at: [number, number] } & Record<string, unknown>)[]; summary: Record<string, unknown> };
  };
}

function layer(fixture: Fixture, name: string): FeatureCollection {
  return { type: 'FeatureCollection', features: fixture.features.filter((f: Feature) => f.properties?.layer === name) };
}

describe('hand-checked walking-distance scenes', () => {
  it('has the six scenes of issue 11', () => expect(names.length).toBeGreaterThanOrEqual(6));
  for (const name of names) {
    it(name.replace('.geojson', ''), () => {
      const fixture = JSON.parse(readFileSync(new URL(`in/${name}`, directory), 'utf8')) as Fixture;
      const { rules: presetId, distance, cellMeters, expect: expected } = fixture.greenreach_test;
      const rules = presetRules(presetId);
      rules.distance = distance;
      const entrances = layer(fixture, 'entrances');
      const barriers = layer(fixture, 'barriers');
      const model = buildCoverage(
        {
          communities: layer(fixture, 'communities'),
          greenways: layer(fixture, 'greenways'),
          greenspaces: layer(fixture, 'greenspaces'),
          streets: layer(fixture, 'streets'),
          barriers: barriers.features.length ? barriers : null,
          entrances: entrances.features.length ? entrances : null,
        },
        rules,
        cellMeters,
      );
      const result = snapshotCoverage(model);
      const { grid } = result;
      for (const { at: position, ...answers } of expected.cells) {
        const [lng, lat] = at(...position);
        const index =
          Math.floor((lat - grid.south) / grid.latitudeStep) * grid.columns +
          Math.floor((lng - grid.west) / grid.longitudeStep);
        const k = result.cellIndex.indexOf(index);
        expect(k, `cell at ${position} is residential`).toBeGreaterThanOrEqual(0);
        const properties = cellProperties(result, k);
        for (const [key, value] of Object.entries(answers)) {
          if (typeof value === 'number')
            expect(properties[key] as number, `${key} of the cell at ${position}`).toBeCloseTo(value, 0);
          else expect(properties[key], `${key} of the cell at ${position}`).toBe(value);
        }
      }
      const summary = summaryRecord(result) as Record<string, unknown>;
      // Every entrance counted in the summary is drawn, given ones flagged.
      const network = summary.network as { entrances_given: number; entrances_generated: number };
      expect(result.entrances!.featureId.length).toBe(network.entrances_given + network.entrances_generated);
      expect(result.entrances!.given.reduce((a, b) => a + b, 0)).toBe(network.entrances_given);
      for (const [key, value] of Object.entries(expected.summary)) expect(summary[key], key).toBe(value);
      const { timings_ms: _timings, ...stable } = summary;
      const snapshot = {
        summary: stable,
        cells: Array.from(result.cellIndex, (index, k) => ({ index, ...cellProperties(result, k) })),
      };
      const out = new URL(`out/${name.replace('.geojson', '.json')}`, directory);
      if (process.env.REGEN || !existsSync(out)) writeFileSync(out, `${JSON.stringify(snapshot, null, 1)}\n`);
      expect(snapshot).toEqual(JSON.parse(readFileSync(out, 'utf8')));
    });
  }
});
