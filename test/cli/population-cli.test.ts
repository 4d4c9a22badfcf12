import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCoverage, presetRules, summarizeCoverage } from '../../src/coverage';
import { collection, frame } from '../network/scene';
import { runCoverageCli } from '../support/run-cli';

// --population F [--buildings F]: residents from the planner's own layer, spread by floor area; the
// summary names the source and the residents that could not be placed.

const work = mkdtempSync(join(tmpdir(), 'greenreach-population-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const { rect, point } = frame(104.1, 30.66);
const write = (name: string, value: unknown) => {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};
const layers = {
  communities: collection([rect(0, 0, 400, 200, { name: 'A' })]),
  residential: collection([rect(0, 0, 200, 200)]),
  greenways: collection([]),
  greenspaces: collection([rect(300, 0, 100, 200, { kind: 'park' })]),
  population: collection([rect(0, 0, 200, 200, { population: 900 }), point(3000, 100, { population: 7 })]),
  buildings: collection([
    rect(10, 10, 40, 40, { 'building:levels': 6 }),
    rect(150, 150, 40, 40, { 'building:levels': 3 }),
  ]),
};

describe('CLI --population', () => {
  it('spreads the layer by floor area and reports what could not be placed', () => {
    const paths = Object.fromEntries(
      Object.entries(layers).map(([name, value]) => [name, write(`${name}.geojson`, value)]),
    );
    const out = join(work, 'out');
    const result = runCoverageCli([
      ...['communities', 'residential', 'greenways', 'greenspaces', 'population', 'buildings'].flatMap((name) => [
        `--${name}`,
        paths[name],
      ]),
      '--cell',
      '50',
      '--out',
      out,
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.population_source).toBe('population');
    expect(summary.population_unplaced).toBe(7);
    expect(summary.population).toBeCloseTo(900, 6);
    const expected = summarizeCoverage(buildCoverage(layers, presetRules('chengdu'), 50));
    expect(summary.population_meeting_both).toBeCloseTo(expected.city.populationMeetingBoth!, 6);
    expect(summary.inputs.population).toBe('population.geojson');
  });

  it('refuses --buildings without --population', () => {
    const result = runCoverageCli([
      '--communities',
      write('c.geojson', layers.communities),
      '--greenways',
      write('g.geojson', layers.greenways),
      '--greenspaces',
      write('p.geojson', layers.greenspaces),
      '--buildings',
      write('b.geojson', layers.buildings),
      '--out',
      join(work, 'out2'),
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--buildings weighs a --population layer/);
  });
});
