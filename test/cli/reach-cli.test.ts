import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../../src/coverage';
import { collection, polygon, rectangle } from '../support/metre-fixtures';
import { runCoverageCli } from '../support/run-cli';

// `--reach-m N` (issue 13, "hover stops at the reach"): homes that fail get their real distance up to N m,
// checked against a brute-force straight line to every park edge.

const directory = mkdtempSync(join(tmpdir(), 'greenreach-reach-'));

// One 1 km² community; a green space (not a park) in its south-west corner and a park 700–1,800 m east of
// its cells, beyond the default park reach (600 m) for every cell but within 2,000 m of all of them.
const corner = rectangle(0, 0, 100, 100);
const park = rectangle(1700, 400, 100, 100);
const files: Record<string, string> = {};
for (const [name, value] of Object.entries({
  communities: collection([polygon(rectangle(0, 0, 1000, 1000), { name: '和美社区', population: 8000 })]),
  greenways: collection([]),
  greenspaces: collection([polygon(corner, { kind: 'green_space' }), polygon(park, { kind: 'park' })]),
})) {
  files[name] = join(directory, `${name}.geojson`);
  writeFileSync(files[name], JSON.stringify(value));
}

function run(out: string, extra: string[] = []) {
  const args: string[] = [];
  for (const name of ['communities', 'greenways', 'greenspaces']) args.push(`--${name}`, files[name]);
  return runCoverageCli([...args, '--out', join(directory, out), ...extra]);
}

/** Straight-line metres from a point to the nearest of `areas`: 0 inside, else the nearest edge, in the point's local frame. */
function oracleMeters(areas: number[][][][], longitude: number, latitude: number): number {
  const kx = metersPerDegreeLongitude(latitude);
  const ky = metersPerDegreeLatitude(latitude);
  let best = Infinity;
  for (const [ring] of areas) {
    const xs = ring.map(([lng]) => (lng - longitude) * kx);
    const ys = ring.map(([, lat]) => (lat - latitude) * ky);
    let inside = false;
    for (let i = 0, j = xs.length - 2; i < xs.length - 1; j = i++) {
      if (ys[i] > 0 !== ys[j] > 0 && 0 < ((xs[j] - xs[i]) * -ys[i]) / (ys[j] - ys[i]) + xs[i]) inside = !inside;
      const dx = xs[j] - xs[i];
      const dy = ys[j] - ys[i];
      const t = Math.max(0, Math.min(1, (-xs[i] * dx - ys[i] * dy) / (dx * dx + dy * dy)));
      best = Math.min(best, Math.hypot(xs[i] + t * dx, ys[i] + t * dy));
    }
    if (inside) return 0;
  }
  return best;
}

type Cell = { geometry: { coordinates: number[][][] }; properties: Record<string, number | null | boolean> };

/** The cells of a run with the oracle's distances from their centres to the park and to any green. */
function cellsWithOracle(out: string): { cell: Cell; park: number; green: number }[] {
  const cells: Cell[] = JSON.parse(readFileSync(join(directory, out, 'cells.geojson'), 'utf8')).features;
  return cells.map((cell) => {
    const ring = cell.geometry.coordinates[0];
    const longitude = (ring[0][0] + ring[1][0]) / 2;
    const latitude = (ring[0][1] + ring[2][1]) / 2;
    return {
      cell,
      park: oracleMeters([park], longitude, latitude),
      green: oracleMeters([corner, park], longitude, latitude),
    };
  });
}

describe('coverage CLI --reach-m', () => {
  it('gives failing homes their real distance up to the reach, equal to a brute-force straight line', () => {
    expect(run('default').status).toBe(0);
    const done = run('far', ['--reach-m', '2000']);
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(directory, 'far/summary.json'), 'utf8'));
    // The largest radius (park, 500 m) reaches 2,000 m; green (300 m) gets the same margin of 1,500 m.
    expect(summary.reach_meters).toEqual({ green: 1800, park: 2000 });
    expect(summary.rules.reachMarginMeters).toBe(1500);

    const before = cellsWithOracle('default');
    const after = cellsWithOracle('far');
    expect(after.length).toBe(400);
    let greenBeyondDefault = 0;
    for (const [index, { cell, park, green }] of after.entries()) {
      const { park_m: parkMeters, green_m: greenMeters } = cell.properties;
      // The output rounds to 0.1 m; the engine's float32 squares add a few hundredths at 2 km.
      expect(Math.abs((parkMeters as number) - park)).toBeLessThan(0.11);
      if (green <= 1800) expect(Math.abs((greenMeters as number) - green)).toBeLessThan(0.11);
      else if (green > 1801) expect(greenMeters).toBeNull();
      // Without --reach-m every cell is beyond the park's reach (600 m), and green stops at 400 m.
      expect(park).toBeGreaterThan(601);
      expect(before[index].cell.properties.park_m).toBeNull();
      if (green > 401) {
        greenBeyondDefault++;
        expect(before[index].cell.properties.green_m).toBeNull();
      }
      // Verdicts do not depend on the reach.
      expect(cell.properties.meets_green).toBe(before[index].cell.properties.meets_green);
    }
    // Cells meet green near the corner and most lie beyond its default reach: the checks are not vacuous.
    expect(summary.cells_meeting_green).toBeGreaterThan(10);
    expect(greenBeyondDefault).toBeGreaterThan(200);

    // The gap names how far its nearest park is (the smallest of its cells'), where it said nothing before.
    const nearest = (out: string) =>
      JSON.parse(readFileSync(join(directory, out, 'gaps.geojson'), 'utf8')).features.map(
        (gap: { properties: { nearest_park_m: number | null } }) => gap.properties.nearest_park_m,
      );
    expect(nearest('default')).toEqual([null]);
    const [gapNearest] = nearest('far');
    expect(Math.abs(gapNearest - Math.min(...after.map(({ park }) => park)))).toBeLessThan(0.11);
  });

  it.each([
    ['hex', '0x400'],
    ['below the largest radius + 100 m', '550'],
    ['past the largest radius + 5,000 m', '6000'],
    ['blank', ''],
  ])('refuses a reach that is %s with exit 2 and writes nothing', (_, value) => {
    const done = run(`bad-${value}`, ['--reach-m', value]);
    expect(done.status).toBe(2);
    expect(done.stderr).toMatch(/^greenreach: --reach-m .*: the reach must be a number of metres from 600 to 5500/);
    expect(existsSync(join(directory, `bad-${value}`, 'summary.json'))).toBe(false);
  });
});
