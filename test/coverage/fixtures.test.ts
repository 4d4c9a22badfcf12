import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildCoverage, presetRules, snapshotCoverage } from '../../src/coverage';
import { cellProperties, summaryRecord } from '../../src/io/coverage-export';

// Turf-style fixtures: in/<name>.geojson holds the layers (property `layer`), the parameters and the
// hand-checked answers (`greenreach_test`); out/<name>.json is the full regression snapshot.
// `REGEN=1 npx vitest run test/coverage/fixtures.test.ts` rewrites the snapshots.

const directory = new URL('./', import.meta.url);
const names = readdirSync(new URL('in/', directory)).filter((name) => name.endsWith('.geojson'));

interface Fixture extends FeatureCollection {
  greenreach_test: {
    rules: string;
    cellMeters: number;
    expect: { cells?: ({ cell: [number, number] } & Record<string, unknown>)[]; summary?: Record<string, unknown> };
  };
}

function layer(fixture: Fixture, name: string): FeatureCollection {
  return { type: 'FeatureCollection', features: fixture.features.filter((f: Feature) => f.properties?.layer === name) };
}

describe('hand-checked fixtures', () => {
  it('has fixtures', () => expect(names.length).toBeGreaterThanOrEqual(5));
  for (const name of names) {
    it(name.replace('.geojson', ''), () => {
      const fixture = JSON.parse(readFileSync(new URL(`in/${name}`, directory), 'utf8')) as Fixture;
      const { rules, cellMeters, expect: expected } = fixture.greenreach_test;
      const residential = layer(fixture, 'residential');
      const model = buildCoverage(
        {
          communities: layer(fixture, 'communities'),
          residential: residential.features.length ? residential : null,
          greenways: layer(fixture, 'greenways'),
          greenspaces: layer(fixture, 'greenspaces'),
        },
        presetRules(rules),
        cellMeters,
      );
      const result = snapshotCoverage(model);
      for (const { cell, ...answers } of expected.cells ?? []) {
        const index = cell[0] * result.grid.columns + cell[1];
        const k = result.cellIndex.indexOf(index);
        expect(k, `cell ${cell} is residential`).toBeGreaterThanOrEqual(0);
        const properties = cellProperties(result, k);
        for (const [key, value] of Object.entries(answers)) {
          if (typeof value === 'number')
            expect(properties[key] as number, `${key} of cell ${cell}`).toBeCloseTo(value, 1);
          else expect(properties[key], `${key} of cell ${cell}`).toBe(value);
        }
      }
      const summary = summaryRecord(result) as Record<string, unknown>;
      for (const [key, value] of Object.entries(expected.summary ?? {})) {
        if (typeof value === 'number') expect(summary[key] as number, key).toBeCloseTo(value, 6);
        else expect(summary[key], key).toBe(value);
      }
      // Regression snapshot: every residential cell's properties and the city statistics.
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
