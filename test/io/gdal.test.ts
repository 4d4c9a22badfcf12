import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { writeFlatGeobuf } from '../../src/io/flatgeobuf-write';
import { readGeoJson, writeGeoJson } from '../../src/io/geojson';
import { gridOfSquares, sampleParks } from './sample-data';

/**
 * GDAL as an outside reader and writer of our files. Needs gdal-bin (ogrinfo, ogr2ogr): required in CI,
 * skipped with a reason elsewhere.
 */
const GDAL_TIMEOUT_MS = 30_000;
const gdalVersion = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
const gdalAvailable = gdalVersion.status === 0;
const skipReason =
  'ogrinfo not found: install gdal-bin (apt-get install gdal-bin) to run the GDAL interoperability tests';

function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: GDAL_TIMEOUT_MS });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** The single value of a one-row, one-column SQL query, as ogrinfo prints it. */
function sqlValue(file: string, sql: string): string {
  const result = run('ogrinfo', ['-ro', '-q', file, '-sql', sql]);
  expect(result.status, result.stderr).toBe(0);
  const match = /^\s+\w+ \(\w+\) = (.*)$/m.exec(result.stdout);
  expect(match, result.stdout).not.toBeNull();
  return match![1];
}

describe('GDAL availability', () => {
  it('ogrinfo is installed (required when CI is set)', () => {
    if (!gdalAvailable && process.env.CI) expect.fail(`${skipReason}; CI must have it`);
    if (!gdalAvailable) console.warn(`skipping GDAL tests: ${skipReason}`);
    expect(true).toBe(true);
  });
});

describe.skipIf(!gdalAvailable)(
  `GDAL reads our files (${gdalAvailable ? gdalVersion.stdout.trim() : skipReason})`,
  () => {
    const directory = mkdtempSync(join(tmpdir(), 'greenreach-io-'));
    afterAll(() => rmSync(directory, { recursive: true, force: true }));

    const parksFgb = join(directory, 'parks.fgb');
    writeFileSync(parksFgb, writeFlatGeobuf(sampleParks(), { layerName: 'parks' }));
    const parksGeoJson = join(directory, 'parks.geojson');
    writeFileSync(parksGeoJson, writeGeoJson(sampleParks()));

    it('FlatGeobuf: feature count, every column (also those starting later), EPSG:4326', () => {
      const result = run('ogrinfo', ['-ro', '-al', '-so', parksFgb]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('Layer name: parks');
      expect(result.stdout).toContain('Feature Count: 3');
      for (const field of [
        'name: String',
        'kind: String',
        'area_m2: Real',
        'is_park: Integer(Boolean)',
        'visitors: Integer',
        'note: String',
        'tags: String',
      ]) {
        expect(result.stdout).toContain(field);
      }
      expect(result.stdout).toContain('WGS 84');
      expect(result.stdout).toContain('ID["EPSG",4326]');
      expect(result.stderr).not.toMatch(/ERROR/);
    });

    it('FlatGeobuf: nulls are nulls (not nan, 0 or ""), text and booleans verbatim', () => {
      const result = run('ogrinfo', ['-ro', '-al', '-q', parksFgb]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(/= nan/i);
      expect(result.stdout).toContain('景山公园');
      expect(result.stdout).toContain('<img src=x onerror=alert(1)>');
      expect(result.stdout.match(/is_park \(Integer\(Boolean\)\) = 0/g)).toHaveLength(1); // only the real false
      expect(sqlValue(parksFgb, 'SELECT COUNT(*) AS n FROM parks WHERE area_m2 IS NULL')).toBe('2');
      expect(sqlValue(parksFgb, 'SELECT COUNT(*) AS n FROM parks WHERE is_park IS NULL')).toBe('1');
      expect(sqlValue(parksFgb, 'SELECT COUNT(*) AS n FROM parks WHERE note IS NULL')).toBe('2');
    });

    it('FlatGeobuf: ogr2ogr converts to GeoPackage, nulls intact', () => {
      const gpkg = join(directory, 'parks.gpkg');
      const result = run('ogr2ogr', ['-f', 'GPKG', gpkg, parksFgb]);
      expect(result.status, result.stderr).toBe(0);
      expect(sqlValue(gpkg, 'SELECT COUNT(*) AS n FROM parks WHERE area_m2 IS NULL')).toBe('2');
      expect(sqlValue(gpkg, 'SELECT COUNT(*) AS n FROM parks WHERE visitors IS NULL')).toBe('1');
    });

    it('FlatGeobuf: the spatial index answers a spatial filter', () => {
      const gridFgb = join(directory, 'grid.fgb');
      writeFileSync(gridFgb, writeFlatGeobuf(gridOfSquares(150), { layerName: 'grid' }));
      const result = run('ogrinfo', ['-ro', '-al', '-so', gridFgb, '-spat', '116.3', '39.8', '116.304', '39.804']);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('Feature Count: 1');
      const all = run('ogrinfo', ['-ro', '-al', '-so', gridFgb]);
      expect(all.stdout).toContain('Feature Count: 150');
    });

    it('FlatGeobuf: an empty collection is a valid empty layer', () => {
      const emptyFgb = join(directory, 'empty.fgb');
      writeFileSync(emptyFgb, writeFlatGeobuf({ type: 'FeatureCollection', features: [] }, { layerName: 'empty' }));
      const result = run('ogrinfo', ['-ro', '-al', '-so', emptyFgb]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('Feature Count: 0');
      expect(run('ogr2ogr', ['-f', 'GPKG', join(directory, 'empty.gpkg'), emptyFgb]).status).toBe(0);
    });

    it('GeoJSON: feature count, fields, WGS 84, GeoPackage conversion and nulls', () => {
      const info = run('ogrinfo', ['-ro', '-al', '-so', parksGeoJson]);
      expect(info.status, info.stderr).toBe(0);
      expect(info.stdout).toContain('Feature Count: 3');
      for (const field of ['name: String', 'area_m2: Real', 'is_park: Integer(Boolean)', 'note: String'])
        expect(info.stdout).toContain(field);
      expect(info.stdout).toContain('WGS 84');
      const gpkg = join(directory, 'parks-from-geojson.gpkg');
      const convert = run('ogr2ogr', ['-f', 'GPKG', '-nln', 'parks', gpkg, parksGeoJson]);
      expect(convert.status, convert.stderr).toBe(0);
      expect(sqlValue(gpkg, 'SELECT COUNT(*) AS n FROM parks WHERE area_m2 IS NULL')).toBe('2');
      const text = run('ogrinfo', ['-ro', '-al', '-q', parksGeoJson]);
      expect(text.stdout).not.toMatch(/= nan/i);
    });

    it('GeoJSON: GDAL finds our rings already in RFC 7946 order', () => {
      const rewound = join(directory, 'rewound.geojson');
      const result = run('ogr2ogr', ['-f', 'GeoJSON', '-lco', 'RFC7946=YES', rewound, parksGeoJson]);
      expect(result.status, result.stderr).toBe(0);
      const ours = readGeoJson(readFileSync(parksGeoJson, 'utf8'), 'parks.geojson');
      const gdals = readGeoJson(readFileSync(rewound, 'utf8'), 'rewound.geojson');
      expect(gdals.features.map((feature) => feature.geometry)).toEqual(
        ours.features.map((feature) => feature.geometry),
      );
    });

    it('GDAL-written FlatGeobuf reads back with our reader', () => {
      const gdalFgb = join(directory, 'gdal.fgb');
      const result = run('ogr2ogr', ['-f', 'FlatGeobuf', gdalFgb, parksGeoJson]);
      expect(result.status, result.stderr).toBe(0);
      const collection = readFlatGeobuf(new Uint8Array(readFileSync(gdalFgb)), 'gdal.fgb');
      const byName = new Map(collection.features.map((feature) => [feature.properties?.name, feature]));
      expect(byName.size).toBe(3);
      const jingshan = byName.get('景山公园')!;
      expect(jingshan.properties).toMatchObject({ area_m2: 230000.5, is_park: true, note: null, visitors: 12 });
      expect(jingshan.geometry).toEqual(sampleParks().features[0].geometry);
      // GDAL stores JSON as a String column: it comes back as text.
      expect(typeof byName.get('Micro "green" & co')!.properties?.tags).toBe('string');
    });
  },
);
