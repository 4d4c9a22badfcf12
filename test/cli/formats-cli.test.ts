import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { runCoverageCli } from '../support/run-cli';

// The CLI's raster output on OpenStreetMap data of Three Rivers on foot: the GeoTIFF's pixels equal the
// GeoJSON cells of the same run, walks and straight lines alike. Needs gdal-bin (skipped without, required in CI).

const directory = mkdtempSync(join(tmpdir(), 'greenreach-formats-cli-'));
const data = new URL('../../data/three-rivers/', import.meta.url).pathname;
const gdal = spawnSync('gdallocationinfo', ['--version'], { encoding: 'utf8' }).status === 0;
const skipReason = 'gdallocationinfo not found: apt-get install gdal-bin to run the GeoTIFF CLI tests';

function run(out: string, format: string) {
  const args = ['--cell', '20', '--distance', 'network', '--format', format, '--out', join(directory, out)];
  for (const layer of ['communities', 'residential', 'greenways', 'greenspaces', 'streets', 'barriers', 'entrances']) {
    args.push(`--${layer}`, join(data, `${layer}.fgb`));
  }
  return runCoverageCli(args);
}

describe('coverage CLI: output formats (tif, parquet, fgb) on foot', () => {
  it('GDAL is installed (required when CI is set)', () => {
    if (!gdal && process.env.CI) expect.fail(`${skipReason}; CI must have it`);
    if (!gdal) console.warn(`skipping: ${skipReason}`);
    expect(true).toBe(true);
  });

  it.skipIf(!gdal)('writes cells.tif (four bands on foot) and cells-verdicts.tif equal to the cells file', () => {
    const vector = run('geojson', 'geojson');
    expect(vector.status, vector.stderr).toBe(0);
    const raster = run('tif', 'tif');
    expect(raster.status, raster.stderr).toBe(0);
    const out = join(directory, 'tif');
    expect(existsSync(join(out, 'cells.geojson'))).toBe(false);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.cells_file).toBe('cells.tif');
    expect(summary.verdicts_file).toBe('cells-verdicts.tif');
    const info = JSON.parse(spawnSync('gdalinfo', ['-json', join(out, 'cells.tif')], { encoding: 'utf8' }).stdout);
    const names = ['green_m', 'park_m', 'green_straight_m', 'park_straight_m'];
    expect(info.bands.map((band: { description: string }) => band.description)).toEqual(names);
    expect(info.metadata[''].DISTANCE).toBe('network');

    // Every cell of the GeoJSON run at its pixel: the pixel holding its centre.
    const cells = JSON.parse(readFileSync(join(directory, 'geojson', 'cells.geojson'), 'utf8')) as FeatureCollection;
    const [west, stepX, , north, , stepY] = info.geoTransform as number[];
    const nodata = info.bands[0].noDataValue as number;
    const input: string[] = [];
    for (const feature of cells.features) {
      const ring = (feature.geometry as { coordinates: number[][][] }).coordinates[0];
      const x = Math.floor(((ring[0][0] + ring[2][0]) / 2 - west) / stepX);
      const y = Math.floor(((ring[0][1] + ring[2][1]) / 2 - north) / stepY);
      input.push(`${x} ${y}`);
    }
    const located = spawnSync('gdallocationinfo', ['-valonly', join(out, 'cells.tif')], {
      input: input.join('\n'),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const values = located.stdout.trim().split('\n').map(Number);
    expect(values.length).toBe(cells.features.length * 4);
    cells.features.forEach((feature, i) => {
      names.forEach((name, band) => {
        const expected = feature.properties![name] as number | null;
        expect(values[4 * i + band]).toBeCloseTo(expected === null ? nodata : Math.fround(expected), 3);
      });
    });
    const verdicts = spawnSync('gdallocationinfo', ['-valonly', join(out, 'cells-verdicts.tif')], {
      input: input.join('\n'),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const categories = verdicts.stdout.trim().split('\n').map(Number);
    cells.features.forEach((feature, i) => {
      const { meets_green, meets_park, meets_both } = feature.properties!;
      const expected = meets_both ? 4 : meets_green ? 2 : meets_park ? 3 : 1;
      expect(categories[i]).toBe(expected);
    });
  });

  it('--format parquet writes cells.parquet and communities.parquet that DuckDB reads', async () => {
    const done = run('parquet', 'parquet');
    expect(done.status, done.stderr).toBe(0);
    const out = join(directory, 'parquet');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.cells_file).toBe('cells.parquet');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    const count = async (file: string) =>
      (
        await connection.runAndReadAll(`select count(*)::integer as n from read_parquet('${join(out, file)}')`)
      ).getRowObjectsJson()[0].n;
    expect(await count('cells.parquet')).toBe(summary.cells);
    const communities = JSON.parse(readFileSync(join(out, 'communities.geojson'), 'utf8'));
    expect(await count('communities.parquet')).toBe(communities.features.length);
    const [row] = (
      await connection.runAndReadAll(
        `select count(*)::integer as n from read_parquet('${join(out, 'cells.parquet')}') where off_network`,
      )
    ).getRowObjectsJson();
    expect(row.n).toBe(summary.network.cells_off_network);
  });

  it('--format fgb on foot: every cell of the GeoJSON run, same geometry and fields', () => {
    if (!existsSync(join(directory, 'geojson', 'cells.geojson'))) expect(run('geojson', 'geojson').status).toBe(0);
    const done = run('fgb', 'fgb');
    expect(done.status, done.stderr).toBe(0);
    const bytes = readFileSync(join(directory, 'fgb', 'cells.fgb'));
    const fgb = readFlatGeobuf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'cells.fgb');
    const cells = JSON.parse(readFileSync(join(directory, 'geojson', 'cells.geojson'), 'utf8')) as FeatureCollection;
    const key = (f: { geometry: unknown }) => JSON.stringify((f.geometry as { coordinates: unknown }).coordinates);
    const byRing = new Map(fgb.features.map((f) => [key(f), f.properties]));
    expect(byRing.size).toBe(cells.features.length);
    for (const feature of cells.features) {
      const properties = byRing.get(key(feature));
      expect(properties).toEqual(feature.properties);
    }
  });
});
