import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streetLattice } from '../../scripts/street-lattice';
import { at, collection, polygon, rectangle } from '../support/metre-fixtures';
import { runCoverageCli, runOutputs } from '../support/run-cli';
import { smallCity } from '../support/small-city';

// Issue 15: `--tile-km N --threads K` with walking distance (`--distance network`) and with `--suggest N`
// writes what a run in one piece writes, byte for byte (summary.json's timings aside).

const directory = mkdtempSync(join(tmpdir(), 'greenreach-walking-tiles-'));
const city = smallCity(11, { centerLongitude: 104.1 });
const network = streetLattice(3000, 140, { lng: 104.1, lat: 30.66 }, 5);
const layers = { ...city, streets: network.streets, barriers: network.barriers };
const files: Record<string, string> = {};
for (const name of ['communities', 'greenways', 'greenspaces', 'streets', 'barriers'] as const) {
  files[name] = join(directory, `${name}.geojson`);
  writeFileSync(files[name], JSON.stringify(layers[name]));
}

function run(out: string, extra: string[]) {
  const args: string[] = [];
  for (const name of ['communities', 'greenways', 'greenspaces']) args.push(`--${name}`, files[name]);
  return runCoverageCli([...args, '--cell', '25', '--out', join(directory, out), ...extra]);
}

function outputs(out: string): Record<string, string> {
  return runOutputs(join(directory, out));
}

const walking = ['--distance', 'network', '--streets', files.streets, '--barriers', files.barriers];

describe('coverage CLI --tile-km, walking distance and suggestions', () => {
  it('writes what a walking run in one piece writes, on 1 and 2 threads, with a scenario', () => {
    const scenario = join(directory, 'scenario.geojson');
    // A pocket park and a greenway across several tiles (its edges join the graph, its areas' entrances change).
    const greenway = {
      type: 'Feature',
      properties: {},
      geometry: { type: 'LineString', coordinates: [at(-900, -700), at(-200, -650), at(400, -300), at(900, 200)] },
    };
    writeFileSync(
      scenario,
      JSON.stringify(collection([polygon(rectangle(-40, -60, 90, 80), { kind: 'pocket_park' }), greenway])),
    );
    for (const extra of [[], ['--add', scenario]]) {
      const name = extra.length ? 'walk-add' : 'walk';
      const whole = run(`${name}-whole`, [...walking, ...extra]);
      expect(whole.stderr).toBe('');
      expect(whole.status).toBe(0);
      const expected = outputs(`${name}-whole`);
      const summary = JSON.parse(readFileSync(join(directory, `${name}-whole`, 'summary.json'), 'utf8'));
      // A real walk: a network, cells on it, and fewer cells meeting both on foot than in a straight line.
      expect(summary.network.edges).toBeGreaterThan(500);
      expect(summary.cells_meeting_both_straight).toBeGreaterThan(summary.cells_meeting_both);
      for (const [tileKm, threads] of [
        ['0.4', '1'],
        ['0.7', '2'],
      ]) {
        const out = `${name}-tiles-${tileKm}-${threads}`;
        const done = run(out, [...walking, ...extra, '--tile-km', tileKm, '--threads', threads]);
        expect(done.stderr).toBe('');
        expect(done.status).toBe(0);
        expect(outputs(out), `${name} --tile-km ${tileKm} --threads ${threads}`).toEqual(expected);
      }
    }
  });

  it('tiles a walking run automatically past --memory-mb (a walk needs more per cell), with the same files', () => {
    // 14,520 cells need about 1 MB in one piece in a straight line, 2 MB on foot: 1.5 MB tiles only the walk.
    const straight = run('budget-straight', ['--memory-mb', '1.5']);
    expect(straight.status).toBe(0);
    expect(straight.stdout).not.toMatch(/in tiles of/);
    const over = run('budget-walk', [...walking, '--memory-mb', '1.5']);
    expect(over.stderr).toBe('');
    expect(over.status).toBe(0);
    expect(over.stdout).toMatch(
      /a grid of 14520 cells needs about 2 MB in one piece, over --memory-mb 1\.5: computing it in tiles of/,
    );
    if (!existsSync(join(directory, 'walk-whole', 'summary.json'))) expect(run('walk-whole', walking).status).toBe(0);
    expect(outputs('budget-walk')).toEqual(outputs('walk-whole'));
  });

  it('suggests the same sites in a tiled run as in one piece, in both distance modes', () => {
    for (const mode of ['straight', 'network']) {
      const extra = ['--suggest', '3', ...(mode === 'network' ? walking : [])];
      expect(run(`suggest-${mode}-whole`, extra).status).toBe(0);
      const done = run(`suggest-${mode}-tiled`, [...extra, '--tile-km', '0.5', '--threads', '2']);
      expect(done.stderr).toBe('');
      expect(done.status).toBe(0);
      const expected = outputs(`suggest-${mode}-whole`);
      expect(Object.keys(expected)).toContain('suggestions.geojson');
      expect(
        JSON.parse(Buffer.from(expected['suggestions.geojson'], 'base64').toString()).features.length,
      ).toBeGreaterThan(0);
      expect(outputs(`suggest-${mode}-tiled`), mode).toEqual(expected);
    }
  });
});
