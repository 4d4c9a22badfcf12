import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/seeded-random';
import { syntheticCity } from '../../scripts/synthetic-city';
import { buildCoverage, presetRules, snapshotCoverage } from '../../src/coverage';
import { cellProperties } from '../../src/io/coverage-export';
import { cellRasters, distanceNodata, geotiffBytes, verdictCategory, verdictColors } from '../../src/io/geotiff-cells';
import { cellStateColors } from '../../src/theme/cell-colors';

/**
 * GDAL as the outside reader of our GeoTIFFs: gdalinfo reads them, gdallocationinfo returns the cells'
 * values, and GDAL's own COG validator accepts them. Needs gdal-bin and python3-gdal: required in CI,
 * skipped with a reason elsewhere.
 */
const TIMEOUT_MS = 60_000;
const python = '/usr/bin/python3';
const validatorModule = 'osgeo_utils.samples.validate_cloud_optimized_geotiff';
const gdalinfo = spawnSync('gdalinfo', ['--version'], { encoding: 'utf8' });
const validator = spawnSync(python, ['-c', `import ${validatorModule}`], { encoding: 'utf8' });
const available = gdalinfo.status === 0 && validator.status === 0;
const skipReason =
  'gdalinfo or the GDAL Python COG validator not found: apt-get install gdal-bin python3-gdal to run the GeoTIFF tests';

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: TIMEOUT_MS });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

// A seeded 9 × 9 km city at 25 m: 360 × 361 pixels, so two tiles across and down and one overview.
const city = syntheticCity({
  seed: 7,
  sizeMeters: 9000,
  communitiesPerSide: 3,
  greenwayCount: 6,
  greenwayLengthMeters: 4000,
  microParkCount: 20,
  parkCount: 10,
  otherGreenCount: 15,
});
const result = snapshotCoverage(buildCoverage(city, presetRules('chengdu'), 25));

describe('GDAL GeoTIFF availability', () => {
  it('gdalinfo and the COG validator are installed (required when CI is set)', () => {
    if (!available && process.env.CI) expect.fail(`${skipReason}; CI must have them`);
    if (!available) console.warn(`skipping GeoTIFF tests: ${skipReason}`);
    expect(true).toBe(true);
  });
});

describe('GeoTIFF rasters of a result (no GDAL)', () => {
  it('puts every residential cell at its pixel (north-up) and nothing else', () => {
    const { distances, verdicts } = cellRasters(result);
    const { grid } = result;
    const residentialPixels = Array.from(verdicts.bands[0]).filter((v) => v !== 0).length;
    expect(residentialPixels).toBe(result.cellIndex.length);
    const k = Math.floor(result.cellIndex.length / 3);
    const row = Math.floor(result.cellIndex[k] / grid.columns);
    const column = result.cellIndex[k] % grid.columns;
    const pixel = (grid.rows - 1 - row) * grid.columns + column;
    const green = cellProperties(result, k).green_m as number | null;
    expect(distances.bands[0][pixel]).toBe(green === null ? distanceNodata : Math.fround(green));
  });

  it('uses the map palette for the verdict categories', () => {
    expect(verdictColors[4]).toEqual(cellStateColors.both.slice(0, 3));
    expect(verdictColors[2]).toEqual(cellStateColors.greenOnly.slice(0, 3));
    expect(verdictColors[3]).toEqual(cellStateColors.parkOnly.slice(0, 3));
    expect(verdictColors[1]).toEqual(cellStateColors.neither.slice(0, 3));
    expect(verdictCategory(4 | 1 | 2, 2)).toBe(4);
    expect(verdictCategory(1, 2)).toBe(2);
    expect(verdictCategory(2, 2)).toBe(3);
    expect(verdictCategory(0, 1)).toBe(1);
  });
});

describe.skipIf(!available)(`GDAL reads our GeoTIFFs (${available ? gdalinfo.stdout.trim() : skipReason})`, () => {
  const directory = mkdtempSync(join(tmpdir(), 'greenreach-tif-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const files = geotiffBytes(result);
  const cellsFile = join(directory, 'cells.tif');
  const verdictsFile = join(directory, 'cells-verdicts.tif');
  writeFileSync(cellsFile, files.cells);
  writeFileSync(verdictsFile, files.verdicts);

  it('gdalinfo -stats -json: size, EPSG:4326, tiling, DEFLATE, bands, nodata, metadata, overviews', () => {
    const info = run('gdalinfo', ['-stats', '-json', cellsFile]);
    expect(info.status, info.stderr).toBe(0);
    const json = JSON.parse(info.stdout);
    expect(json.size).toEqual([result.grid.columns, result.grid.rows]);
    expect(json.coordinateSystem.wkt).toContain('ID["EPSG",4326]');
    expect(json.geoTransform[0]).toBeCloseTo(result.grid.west, 12);
    expect(json.geoTransform[1]).toBeCloseTo(result.grid.longitudeStep, 15);
    expect(json.geoTransform[5]).toBeCloseTo(-result.grid.latitudeStep, 15);
    expect(json.metadata.IMAGE_STRUCTURE.COMPRESSION).toBe('DEFLATE');
    expect(json.metadata.IMAGE_STRUCTURE.PREDICTOR).toBe('3');
    expect(JSON.parse(json.metadata[''].RULES).id).toBe('chengdu');
    expect(json.metadata[''].CELL_METERS).toBe('25');
    expect(json.bands.map((band: { description: string }) => band.description)).toEqual(['green_m', 'park_m']);
    for (const band of json.bands) {
      expect(band.type).toBe('Float32');
      expect(band.block).toEqual([256, 256]);
      expect(band.noDataValue).toBe(distanceNodata);
      expect(band.unit).toBe('m');
      expect(band.overviews.length).toBeGreaterThan(0);
    }
    // Statistics over the valid pixels equal those of the cells' rounded distances.
    const greens = Array.from({ length: result.cellIndex.length }, (_, k) => cellProperties(result, k).green_m)
      .filter((value): value is number => value !== null)
      .map(Math.fround);
    expect(json.bands[0].minimum).toBeCloseTo(Math.min(...greens), 3);
    expect(json.bands[0].maximum).toBeCloseTo(Math.max(...greens), 3);
    const mean = greens.reduce((sum, v) => sum + v, 0) / greens.length;
    expect(json.bands[0].mean).toBeCloseTo(mean, 2);
  });

  it('the value at sampled pixels equals the cell file’s green_m and park_m', () => {
    const random = mulberry32(3);
    const { grid } = result;
    const samples = Array.from({ length: 40 }, () => Math.floor(random() * result.cellIndex.length));
    const input = samples
      .map((k) => {
        const row = Math.floor(result.cellIndex[k] / grid.columns);
        return `${result.cellIndex[k] % grid.columns} ${grid.rows - 1 - row}`;
      })
      .join('\n');
    const located = spawnSync('gdallocationinfo', ['-valonly', cellsFile], { input, encoding: 'utf8' });
    expect(located.status, located.stderr).toBe(0);
    const values = located.stdout.trim().split('\n').map(Number);
    samples.forEach((k, i) => {
      const { green_m, park_m } = cellProperties(result, k) as { green_m: number | null; park_m: number | null };
      expect(values[2 * i]).toBeCloseTo(green_m === null ? distanceNodata : Math.fround(green_m), 3);
      expect(values[2 * i + 1]).toBeCloseTo(park_m === null ? distanceNodata : Math.fround(park_m), 3);
    });
    // Some sampled cells are beyond the reach or covered: both kinds of value are exercised.
    expect(values.some((value) => value === 0 || value > 0)).toBe(true);
  });

  it('the verdicts file: UInt8 with a colour table, categories in the metadata, counts equal the summary', () => {
    const info = run('gdalinfo', ['-hist', '-json', verdictsFile]);
    expect(info.status, info.stderr).toBe(0);
    const json = JSON.parse(info.stdout);
    const band = json.bands[0];
    expect(band.type).toBe('Byte');
    expect(band.colorInterpretation).toBe('Palette');
    expect(band.colorTable.entries[4].slice(0, 3)).toEqual(verdictColors[4]);
    expect(band.noDataValue).toBe(0);
    expect(json.metadata[''].CATEGORIES).toContain('4=both');
    const counts: number[] = band.histogram.buckets;
    // gdalinfo's default histogram of a Byte band: 256 buckets from -0.5 to 255.5.
    expect(band.histogram.count).toBe(256);
    const city = result.summary.city;
    expect(counts[4]).toBe(city.cellsMeetingBoth);
    expect(counts[2] + counts[4]).toBe(city.cellsMeetingGreen);
    expect(counts[3] + counts[4]).toBe(city.cellsMeetingPark);
  });

  it('GDAL’s COG validator accepts both files', () => {
    for (const file of [cellsFile, verdictsFile]) {
      const checked = run(python, ['-m', validatorModule, file]);
      expect(checked.status, checked.stdout + checked.stderr).toBe(0);
      expect(checked.stdout).toContain('is a valid cloud optimized GeoTIFF');
      expect(checked.stdout + checked.stderr).not.toMatch(/warning|error/i);
    }
  });
});
