import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collection, polygon, rectangle } from '../support/metre-fixtures';
import { runCoverageCli, runOutputs } from '../support/run-cli';
import { smallCity } from '../support/small-city';

// `--tile-km N --threads K` (issue 15): the same files as a run in one piece, byte for byte, whatever the
// tile size and the number of worker threads; only summary.json's timings differ.

const directory = mkdtempSync(join(tmpdir(), 'greenreach-tiles-'));
const city = smallCity(11, { centerLongitude: 104.1 });
const files: Record<string, string> = {};
for (const name of ['communities', 'greenways', 'greenspaces'] as const) {
  files[name] = join(directory, `${name}.geojson`);
  writeFileSync(files[name], JSON.stringify(city[name]));
}

function run(out: string, extra: string[] = []) {
  const args: string[] = [];
  for (const name of ['communities', 'greenways', 'greenspaces']) args.push(`--${name}`, files[name]);
  return runCoverageCli([...args, '--cell', '25', '--out', join(directory, out), ...extra]);
}

function outputs(out: string): Record<string, string> {
  return runOutputs(join(directory, out));
}

describe('coverage CLI --tile-km', () => {
  it('writes what a run in one piece writes, for several tile sizes and 1 or 2 threads', () => {
    expect(run('whole').status).toBe(0);
    const whole = outputs('whole');
    expect(Object.keys(whole)).toEqual([
      'cells.geojson',
      'communities.csv',
      'communities.geojson',
      'gaps.geojson',
      'summary.json',
    ]);
    // 0.3 km tiles are 12 cells: they cut through most parks of the 3 km city; 2.1 km leaves one ragged tile.
    for (const [tileKm, threads] of [
      ['0.3', '2'],
      ['0.7', '1'],
      ['2.1', '2'],
      ['50', '2'],
    ]) {
      const done = run(`tiles-${tileKm}-${threads}`, ['--tile-km', tileKm, '--threads', threads]);
      expect(done.stderr).toBe('');
      expect(done.status).toBe(0);
      expect(outputs(`tiles-${tileKm}-${threads}`), `--tile-km ${tileKm} --threads ${threads}`).toEqual(whole);
    }
  });

  it('applies a scenario (--add) in a tiled run as in one piece, also as GeoTIFF', () => {
    const scenario = join(directory, 'scenario.geojson');
    writeFileSync(
      scenario,
      JSON.stringify(
        collection([
          polygon(rectangle(-40, -60, 90, 80), { kind: 'pocket_park' }),
          { type: 'Feature', properties: {}, geometry: null },
        ]),
      ),
    );
    expect(run('add-whole', ['--add', scenario, '--format', 'tif']).status).toBe(0);
    expect(run('add-tiled', ['--add', scenario, '--format', 'tif', '--tile-km', '0.4', '--threads', '2']).status).toBe(
      0,
    );
    expect(outputs('add-tiled')).toEqual(outputs('add-whole'));
    expect(JSON.parse(readFileSync(join(directory, 'add-tiled/summary.json'), 'utf8')).skipped_features).toContainEqual(
      {
        layer: 'add',
        featureIndex: 1,
        reason: 'null or empty geometry',
      },
    );
  });

  it('tiles automatically past --memory-mb, with the same files, and not below it', () => {
    // 14,520 cells (121 × 120) need about 0.7 MB in one piece: a budget of 0.5 MB tiles them, one of 100 MB does not.
    const over = run('budget-over', ['--memory-mb', '0.5']);
    expect(over.status).toBe(0);
    expect(over.stdout).toMatch(
      /a grid of 14520 cells needs about 1 MB in one piece, over --memory-mb 0\.5: computing it in tiles of [\d.]+ km on \d+ threads/,
    );
    const under = run('budget-under', ['--memory-mb', '100']);
    expect(under.status).toBe(0);
    expect(under.stdout).not.toMatch(/in tiles of/);
    if (!existsSync(join(directory, 'whole', 'summary.json'))) expect(run('whole').status).toBe(0);
    expect(outputs('budget-over')).toEqual(outputs('whole'));
    expect(outputs('budget-under')).toEqual(outputs('whole'));
    const bad = run('budget-bad', ['--memory-mb', '0x10']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--memory-mb 0x10: give the memory budget as a number of megabytes above 0/);
  });

  it.each([
    [
      'a hex tile size',
      ['--tile-km', '0x2'],
      /--tile-km 0x2: the tile side must be a number of kilometres from one cell \(0\.025 km/,
    ],
    ['a tile under one cell', ['--tile-km', '0.01'], /--tile-km 0\.01: the tile side/],
    ['threads without tiles', ['--threads', '2'], /--threads K needs --tile-km N/],
    [
      'no threads',
      ['--tile-km', '1', '--threads', '0'],
      /--threads 0: the number of worker threads must be a whole number/,
    ],
  ])('refuses %s with exit 2 and writes nothing', (name, extra, message) => {
    const out = `bad-${name.replaceAll(' ', '-')}`;
    const done = run(out, extra);
    expect(done.status).toBe(2);
    expect(done.stderr).toMatch(message);
    expect(existsSync(join(directory, out, 'summary.json'))).toBe(false);
  });
});
