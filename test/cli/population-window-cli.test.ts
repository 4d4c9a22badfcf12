import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gdal, gdalAvailable, rectangle } from '../support/population-grid';
import { runCoverageCli } from '../support/run-cli';
import { type SparseGrid, writeSparseGeoTiff } from '../support/sparse-geotiff';

// --population country.tif: a population grid of gigabytes is read by ranges, only the blocks under the
// study area plus 1 km, so it costs the memory of that window; the figures are those of a file holding
// only the window (cut by GDAL from the big one).

const work = mkdtempSync(join(tmpdir(), 'greenreach-population-window-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const write = (name: string, value: unknown) => {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

/** 28,160² pixels of 0.001° from (104, 31), tiles of 256: 3.2 GB, of which only the written tiles take disk. */
const width = 28_160;
const pixels: SparseGrid['pixels'] = [];
for (let row = 5; row < 60; row++) {
  for (let column = 180; column < 340; column++) pixels.push({ column, row, value: ((row * 7 + column * 3) % 11) / 2 });
}
// Residents far from the study area (another tile, another end of the file): never read.
pixels.push({ column: 20_000, row: 20_000, value: 5000 }, { column: width - 1, row: width - 1, value: 7000 });
const countryGrid: SparseGrid = {
  width,
  height: width,
  tileSize: 256,
  west: 104,
  north: 31,
  pixelDegrees: 0.001,
  pixels,
};

/** A study area over columns 240–280 and rows 20–40: across the tile boundary at column 256. */
const layers = {
  communities: { type: 'FeatureCollection', features: [rectangle(104.24, 30.96, 104.28, 30.98, { name: 'A' })] },
  residential: {
    type: 'FeatureCollection',
    features: [rectangle(104.241, 30.961, 104.259, 30.979), rectangle(104.262, 30.965, 104.279, 30.975)],
  },
  greenways: { type: 'FeatureCollection', features: [] },
  greenspaces: {
    type: 'FeatureCollection',
    features: [rectangle(104.2595, 30.969, 104.2615, 30.971, { kind: 'park' })],
  },
};

describe.skipIf(!gdalAvailable)('CLI --population with a country-size GeoTIFF', () => {
  it('reads only the window: bytes read and peak memory far below the file, figures as from the window alone', () => {
    const big = join(work, 'country.tif');
    const fileBytes = writeSparseGeoTiff(big, countryGrid);
    expect(fileBytes).toBeGreaterThan(3e9);
    // The window's pixels as a file of their own, cut by GDAL (columns 100–419, rows 0–119, 1 km to spare).
    const small = join(work, 'window.tif');
    gdal('gdal_translate', ['-q', '-srcwin', '100', '0', '320', '120', big, small]);
    expect(statSync(small).size).toBeLessThan(200_000);
    const paths = Object.fromEntries(
      Object.entries(layers).map(([name, value]) => [name, write(`${name}.geojson`, value)]),
    );
    const run = (population: string, out: string, options = {}) => {
      const args = Object.entries(paths).flatMap(([name, path]) => [`--${name}`, path]);
      const result = runCoverageCli([...args, '--population', population, '--cell', '50', '--out', out], options);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      return { stdout: result.stdout, summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) };
    };
    // The small file first: a stale CLI bundle is rebuilt in that run, not in the one measured.
    const windowRun = run(small, join(work, 'out-window'));
    const ioFile = join(work, 'io.json');
    const countryRun = run(big, join(work, 'out-country'), {
      node: ['--import', './test/support/process-io.mjs'],
      env: { GREENREACH_IO_FILE: ioFile },
    });
    const io = JSON.parse(readFileSync(ioFile, 'utf8')) as { readBytes: number; peakKilobytes: number };
    const grid = countryRun.summary.population_grid;
    console.log(
      `country grid ${fileBytes} bytes: the CLI read ${io.readBytes} bytes in all (the grid: ${grid.bytes_read}), peak ${io.peakKilobytes} kB`,
    );
    expect(grid).toMatchObject({ width, height: width, file_bytes: fileBytes });
    // The window crosses one tile boundary: two tiles of 256 KiB, the first 64 KiB (the format check), the
    // 12,100 tile offsets and counts (4 bytes each) and the directory.
    expect(grid.bytes_read).toBeGreaterThanOrEqual(2 * 256 * 1024);
    expect(grid.bytes_read).toBeLessThan(2 * 256 * 1024 + 64 * 1024 + 12_100 * 8 + 8192);
    // The kernel's count of every byte the process read (the CLI's own code included), and its peak memory.
    expect(io.readBytes).toBeLessThan(64 * 2 ** 20);
    expect(io.peakKilobytes * 1024).toBeLessThan(fileBytes / 8);
    expect(countryRun.stdout).toMatch(
      /country\.tif: population grid 28160 × 28160 pixels: read \d+ \(the study area plus 1000 m\)/,
    );
    // The same pixels, residents and figures as the window on its own (which the far residents lie outside).
    const same = ['pixels_read', 'pixels_kept', 'residents'];
    for (const key of same) expect(grid[key]).toBe(windowRun.summary.population_grid[key]);
    for (const key of [
      'population',
      'population_meeting_green',
      'population_meeting_park',
      'population_meeting_both',
      'population_unplaced',
      'population_buildings',
      'cells',
      'cells_meeting_both',
    ]) {
      expect(countryRun.summary[key], key).toBe(windowRun.summary[key]);
    }
    expect(countryRun.summary.population).toBeGreaterThan(100);
    const cells = (out: string) => readFileSync(join(work, out, 'cells.geojson'), 'utf8');
    expect(cells('out-country')).toBe(cells('out-window'));
  });
});
