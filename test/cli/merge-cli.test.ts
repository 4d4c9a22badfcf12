import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chengduLayers } from '../io/chengdu-layers';
import { runCoverageCli } from '../support/run-cli';

// `--merge DIR…`: a national summary from independent runs (here: one run per community, as a job array
// would run them), added up and shares recomputed; parts with other rules are refused.

const directory = mkdtempSync(join(tmpdir(), 'greenreach-merge-cli-'));
const layers = chengduLayers();
const files: Record<string, string> = {};
for (const [name, layer] of Object.entries(layers)) {
  files[name] = join(directory, `${name}.geojson`);
  writeFileSync(files[name], JSON.stringify(layer));
}
// Each community as its own "city".
const parts = layers.communities.features.map((feature, i) => {
  const path = join(directory, `community-${i}.geojson`);
  writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features: [feature] }));
  return path;
});

function run(communities: string, out: string, extra: string[] = []) {
  return runCoverageCli([
    '--communities',
    communities,
    '--greenways',
    files.greenways,
    '--greenspaces',
    files.greenspaces,
    '--cell',
    '25',
    '--out',
    join(directory, out),
    ...extra,
  ]);
}

const summaryOf = (out: string) => JSON.parse(readFileSync(join(directory, out, 'summary.json'), 'utf8'));

describe('coverage CLI: --merge', () => {
  it('adds up the parts: counts and residents summed, shares from the sums, parts listed', () => {
    for (const [i, path] of parts.entries()) expect(run(path, `part-${i}`).status).toBe(0);
    const done = runCoverageCli([
      '--merge',
      ...parts.map((_, i) => join(directory, `part-${i}`)),
      '--out',
      join(directory, 'nation'),
    ]);
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    const merged = summaryOf('nation');
    const summaries = parts.map((_, i) => summaryOf(`part-${i}`));
    for (const key of ['cells', 'cells_meeting_green', 'cells_meeting_park', 'cells_meeting_both', 'communities']) {
      expect(merged[key], key).toBe(summaries.reduce((sum, s) => sum + s[key], 0));
    }
    expect(merged.population).toBeCloseTo(
      summaries.reduce((sum, s) => sum + s.population, 0),
      6,
    );
    expect(merged.population_meeting_both).toBeCloseTo(
      summaries.reduce((sum, s) => sum + s.population_meeting_both, 0),
      6,
    );
    expect(merged.share_cells_meeting_both).toBe(merged.cells_meeting_both / merged.cells);
    expect(merged.share_population_meeting_both).toBeCloseTo(merged.population_meeting_both / merged.population, 12);
    // A mean of the parts' shares would differ when the parts differ in size: the share is of the sums.
    expect(merged.outside_communities.cells).toBe(0);
    expect(merged.parts.map((p: { cells: number }) => p.cells)).toEqual(summaries.map((s) => s.cells));
    expect(merged.rules.id).toBe('chengdu');
    expect(merged.merged).toBe(true);
    // Merging one run reproduces its figures.
    expect(runCoverageCli(['--merge', join(directory, 'part-0'), '--out', join(directory, 'one')]).status).toBe(0);
    const one = summaryOf('one');
    for (const key of ['cells', 'cells_meeting_both', 'share_cells_meeting_both', 'population']) {
      expect(one[key], key).toBe(summaries[0][key]);
    }
  });

  it('refuses parts made with other rules or cells, a folder without summary.json, and stray folders without --merge', () => {
    expect(run(parts[0], 'who', ['--rules', 'who']).status).toBe(0);
    const mixed = runCoverageCli([
      '--merge',
      join(directory, 'part-0'),
      join(directory, 'who'),
      '--out',
      join(directory, 'mixed'),
    ]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/who: its rules, cell size or distance differ/);
    const missing = runCoverageCli(['--merge', directory, '--out', join(directory, 'missing')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no summary.json there');
    const stray = runCoverageCli(['extra', '--communities', files.communities, '--out', join(directory, 'stray')]);
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain('unexpected argument "extra"');
  });
});
