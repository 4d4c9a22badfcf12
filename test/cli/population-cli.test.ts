import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, Polygon } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCoverage, presetRules, summarizeCoverage } from '../../src/coverage';
import { collection, frame } from '../network/scene';
import { gdalAvailable, sampleGrid, square, writePopulationTiff } from '../support/population-grid';
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

/** Runs the CLI on `--<layer> path` pairs at 50 m cells into `out`; expects success and returns stdout and summary.json. */
function runSucceeding(paths: Record<string, string>, out: string) {
  const result = runCoverageCli([
    ...Object.entries(paths).flatMap(([name, path]) => [`--${name}`, path]),
    '--cell',
    '50',
    '--out',
    out,
  ]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return { stdout: result.stdout, summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) };
}

describe('CLI --population', () => {
  it('spreads the layer by floor area and reports what could not be placed', () => {
    const paths = Object.fromEntries(
      Object.entries(layers).map(([name, value]) => [name, write(`${name}.geojson`, value)]),
    );
    const out = join(work, 'out');
    const { summary } = runSucceeding(paths, out);
    expect(summary.population_source).toBe('population');
    expect(summary.population_unplaced).toBe(7);
    // Both buildings' centres lie on residential cells: their floor area weighs the 900 residents.
    expect(summary.population_buildings).toBe(2);
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

// --population grid.tif: a WorldPop-like grid (written by GDAL) becomes points at pixel centres, read
// over the residential land plus 1 km; each point goes to its residential cell (or the nearest within 5).
describe.skipIf(!gdalAvailable)('CLI --population with a GeoTIFF grid', () => {
  it('gives the residents of the kept pixels, less those that land on no residential cell', () => {
    // 4 × 3 pixels of 0.01° from (104.00, 30.00); −1 nodata, −3 negative, 0 empty: 6 pixels, 29.5 residents.
    const tiff = writePopulationTiff(work, 'grid', sampleGrid, 'EPSG:4326');
    // Residential land around two pixel centres only: (104.005, 30.025) holds 10, (104.035, 30.005) holds 4;
    // every other centre lies ≥ 860 m from it, beyond the 5 cells (250 m) a point may move.
    const gridLayers = {
      communities: collection([square(104.02, 30.015, 0.02, { name: 'A' })]),
      residential: collection([square(104.005, 30.025, 0.001), square(104.035, 30.005, 0.001)]),
      greenways: collection([]),
      greenspaces: collection([square(104.011, 30.011, 0.001, { kind: 'park' })]),
    };
    const paths = Object.fromEntries(
      Object.entries(gridLayers).map(([name, value]) => [name, write(`grid-${name}.geojson`, value)]),
    );
    const out = join(work, 'out-grid');
    const { stdout, summary } = runSucceeding({ ...paths, population: tiff }, out);
    expect(stdout).toMatch(/grid\.tif: population grid 4 × 3 pixels: read 12 .*6 with residents/);
    expect(summary.population_grid).toMatchObject({
      width: 4,
      height: 3,
      pixels_read: 12,
      pixels_kept: 6,
      residents: 29.5,
    });
    // Read by ranges: the first 64 KiB (the format check, the whole of this small file), then the reader's ranges.
    expect(summary.population_grid.file_bytes).toBe(statSync(tiff).size);
    expect(summary.population_grid.bytes_read).toBeGreaterThan(summary.population_grid.file_bytes);
    expect(summary.population_source).toBe('population');
    expect(summary.population_unplaced).toBeCloseTo(15.5, 6);
    expect(summary.population_buildings).toBe(0);
    expect(summary.population).toBeCloseTo(summary.population_grid.residents - summary.population_unplaced, 6);
    expect(summary.population).toBeCloseTo(14, 6);
    // Exactly two cells hold residents: the one under (104.005, 30.025) holds 10, the other 4.
    const cells = JSON.parse(readFileSync(join(out, 'cells.geojson'), 'utf8')).features as Feature<Polygon>[];
    const peopled = cells.filter((cell) => (cell.properties?.population ?? 0) > 0);
    expect(peopled.map((cell) => cell.properties?.population).sort((a, b) => a - b)).toEqual([4, 10]);
    const ten = peopled.find((cell) => cell.properties?.population === 10)!;
    const xs = ten.geometry.coordinates[0].map((p) => p[0]);
    const ys = ten.geometry.coordinates[0].map((p) => p[1]);
    expect(Math.min(...xs) <= 104.005 && 104.005 <= Math.max(...xs)).toBe(true);
    expect(Math.min(...ys) <= 30.025 && 30.025 <= Math.max(...ys)).toBe(true);
  });
});
