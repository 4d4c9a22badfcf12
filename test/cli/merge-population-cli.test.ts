import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { collection, frame } from '../network/scene';
import { gdalAvailable, writePopulationTiff } from '../support/population-grid';
import { runCoverageCli } from '../support/run-cli';

// `--merge` with a `--population` layer: two towns run apart and merged give the figures of one run over
// both, for a GeoTIFF grid and for census blocks, both spread by the buildings' floor area: residents
// and those meeting each rule summed, shares from the sums, the layer's unplaced residents, the buildings
// that weighed them and the grid's pixels summed, each part's source and file listed.

const work = mkdtempSync(join(tmpdir(), 'greenreach-merge-population-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const { rect, at, kx, ky } = frame(104.1, 30.66);
const write = (name: string, features: Feature[]) => {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(collection(features)));
  return path;
};

// Town A: homes beside a park (every home meets both rules). Town B, 4 km east: homes whose east part lies
// within 300 m of a garden too small to be a park (some meet green, none a park).
const residentialA = [50, 50, 200, 200] as const;
const residentialB = [4050, 50, 400, 200] as const;
const towns = {
  a: {
    communities: [rect(0, 0, 600, 400, { name: 'A' })],
    residential: [rect(...residentialA)],
    greenspaces: [rect(260, 50, 100, 200, { kind: 'park' })],
    blocks: [rect(...residentialA, { population: 900 })],
  },
  b: {
    communities: [rect(4000, 0, 600, 400, { name: 'B', population: 4000 })],
    residential: [rect(...residentialB)],
    greenspaces: [rect(4460, 100, 30, 30, { kind: 'green_space' })],
    blocks: [rect(...residentialB, { population: 1300 })],
  },
};
// Buildings well inside the homes of both towns (one file for every run, as an extract gives them).
const buildings = write('buildings.geojson', [
  rect(80, 80, 40, 40, { 'building:levels': 6 }),
  rect(180, 180, 40, 40, { 'building:levels': 3 }),
  rect(4100, 100, 60, 40, { 'building:levels': 4 }),
  rect(4300, 150, 40, 60),
]);

/** A WorldPop-like grid of 0.001° pixels over both towns: residents only on pixels whose centre is a home. */
function townsGrid(): string {
  const [west, south] = at(-300, -300);
  const columns = Math.ceil(5000 / kx / 0.001);
  const rows = Math.ceil(1000 / ky / 0.001);
  const inside = (x: number, y: number, [rx, ry, w, h]: readonly number[]) =>
    x > rx && x < rx + w && y > ry && y < ry + h;
  const values = Array.from({ length: rows }, (_, r) =>
    Array.from({ length: columns }, (_, column) => {
      const row = rows - 1 - r; // the ASCII grid lists the north first
      const x = (west + (column + 0.5) * 0.001 - 104.1) * kx;
      const y = (south + (row + 0.5) * 0.001 - 30.66) * ky;
      if (inside(x, y, residentialA)) return 10 + (column % 3);
      return inside(x, y, residentialB) ? 4 + (row % 2) : 0;
    }),
  );
  return writePopulationTiff(work, 'towns', { west, south, cellSize: 0.001, rows: values }, 'EPSG:4326');
}

type Town = (typeof towns)['a'];
/** Runs the CLI over `parts` (one town or both) with `population` (a path, or the census blocks of the parts). */
function run(out: string, parts: Town[], population: string | 'blocks' | null) {
  const layer = (key: keyof Town) =>
    write(
      `${out}-${key}.geojson`,
      parts.flatMap((town) => town[key]),
    );
  const args = [
    ...['communities', 'residential', 'greenspaces'].flatMap((key) => [`--${key}`, layer(key as keyof Town)]),
    ...['--greenways', write(`${out}-greenways.geojson`, [])],
    ...(population === null
      ? []
      : ['--population', population === 'blocks' ? layer('blocks') : population, '--buildings', buildings]),
    ...['--cell', '25', '--out', join(work, out)],
  ];
  const result = runCoverageCli(args);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return summaryOf(out);
}
const summaryOf = (out: string) => JSON.parse(readFileSync(join(work, out, 'summary.json'), 'utf8'));
function merge(out: string, parts: string[]) {
  const result = runCoverageCli(['--merge', ...parts.map((part) => join(work, part)), '--out', join(work, out)]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return summaryOf(out);
}

const residentKeys = ['population', 'population_meeting_green', 'population_meeting_park', 'population_meeting_both'];
const shareKeys = ['share_population_meeting_green', 'share_population_meeting_park', 'share_population_meeting_both'];

describe('coverage CLI: --merge with a population layer', () => {
  for (const kind of ['grid', 'blocks'] as const) {
    it.skipIf(kind === 'grid' && !gdalAvailable)(
      `${kind}: the merged parts give the figures of one run over both`,
      () => {
        const population = kind === 'grid' ? townsGrid() : 'blocks';
        const a = run(`${kind}-a`, [towns.a], population);
        const b = run(`${kind}-b`, [towns.b], population);
        const whole = run(`${kind}-both`, [towns.a, towns.b], population);
        const merged = merge(`${kind}-merged`, [`${kind}-a`, `${kind}-b`]);
        // The towns differ: A's homes all meet both rules, B's only green.
        expect(a.share_population_meeting_both).toBe(1);
        expect(b.population_meeting_park).toBe(0);
        expect(b.population).toBeGreaterThan(0);
        for (const key of [...residentKeys, 'population_unplaced']) {
          expect(merged[key], key).toBeCloseTo(whole[key], 6);
          expect(merged[key], key).toBeCloseTo(a[key] + b[key], 6);
        }
        // Shares of the sums (a mean of the parts' shares, (1 + 0) / 2 for "both", would be wrong), to the
        // summaries' residents (rounded to 0.1: the run over both divides its unrounded sums).
        for (const key of shareKeys) {
          const meeting = key.replace('share_', '');
          expect(merged[key], key).toBe(merged[meeting] / merged.population);
          expect(Math.abs(merged[key] - whole[key]), key).toBeLessThan(0.1 / merged.population);
        }
        expect(merged.share_population_meeting_both).not.toBeCloseTo(
          (a.share_population_meeting_both + b.share_population_meeting_both) / 2,
          3,
        );
        expect(merged.population_buildings).toBe(4);
        expect(merged.population_buildings).toBe(whole.population_buildings);
        expect(merged.population_source).toBe('population');
        expect(merged.population_sources).toEqual(['population']);
        const file = kind === 'grid' ? 'towns.tif' : `${kind}-a-blocks.geojson`;
        expect(merged.parts[0]).toMatchObject({ population_source: 'population', inputs: { population: file } });
        expect(merged.parts[1].population_unplaced).toBe(b.population_unplaced);
        if (kind === 'grid') {
          // Each part read its own window of the grid; the residents kept add up to the run over both
          // (no pixel between the towns holds any), and so does population = kept − unplaced.
          expect(merged.population_grid).toMatchObject({
            parts: 2,
            pixels_kept: whole.population_grid.pixels_kept,
            residents: whole.population_grid.residents,
            pixels_read: a.population_grid.pixels_read + b.population_grid.pixels_read,
          });
          expect(merged.population).toBeCloseTo(merged.population_grid.residents - merged.population_unplaced, 6);
          expect(
            merged.parts.map((part: { population_grid: { width: number } }) => part.population_grid.width),
          ).toEqual([a.population_grid.width, b.population_grid.width]);
        } else {
          expect(merged.population).toBeCloseTo(900 + 1300 - merged.population_unplaced, 6);
          expect(merged.population_grid).toBeUndefined();
        }
      },
    );
  }

  it('a part without a layer: the sources are listed, and the layer figures are those of the parts with one', () => {
    const withLayer = run('mixed-a', [towns.a], 'blocks');
    // Town B's community carries its residents (4,000): the only source of that part.
    const without = run('mixed-b', [towns.b], null);
    expect(without.population_source).toBe('communities');
    const merged = merge('mixed', ['mixed-a', 'mixed-b']);
    expect(merged.population_source).toBe('mixed');
    expect(merged.population_sources).toEqual(['population', 'communities']);
    expect(merged.population).toBeCloseTo(withLayer.population + 4000, 6);
    expect(merged.population_unplaced).toBe(withLayer.population_unplaced);
    expect(merged.population_buildings).toBe(withLayer.population_buildings);
    expect(merged.parts.map((part: { population_source: string }) => part.population_source)).toEqual([
      'population',
      'communities',
    ]);
    expect('population_unplaced' in merged.parts[1]).toBe(false);
  });
});
