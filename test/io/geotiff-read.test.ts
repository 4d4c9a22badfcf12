import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Point } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/coverage/input-error';
import { detectGeoTiff } from '../../src/io/geotiff-format';
import { readLayerFile } from '../../src/io/read-layer';
import { errorText } from '../../src/ui/error-banner';
import { gdal, gdalAvailable, gdalToLonLat, sampleGrid, writePopulationTiff } from '../support/population-grid';

/**
 * The GeoTIFF population grid driver against grids GDAL wrote: pixel centres and counts by hand (and,
 * for projected grids, GDAL's own transformation), nodata, zeros and negatives dropped, the crop to the
 * study area, and each kind of bad file as a coded InputError naming the file.
 */
const dir = mkdtempSync(join(tmpdir(), 'greenreach-geotiff-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lonLatGrid = sampleGrid;
// The kept pixels by hand: centre (west + (column + ½)·0.01, 30.03 − (row + ½)·0.01) and count.
const lonLatKept: [number, number, number][] = [
  [104.005, 30.025, 10],
  [104.025, 30.025, 5],
  [104.015, 30.015, 7.5],
  [104.035, 30.015, 2],
  [104.025, 30.005, 1],
  [104.035, 30.005, 4],
];

function bytesOf(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** Every refusal met, to check its words in both languages. */
const refusals: InputError[] = [];

async function readFailure(bytes: Uint8Array, name: string, options = {}): Promise<InputError> {
  const error = await readLayerFile(bytes, name, options).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  refusals.push(error as InputError);
  return error as InputError;
}

function points(collection: { features: { geometry: unknown; properties: unknown }[] }) {
  return collection.features.map((feature) => {
    const [x, y] = (feature.geometry as Point).coordinates;
    return [x, y, (feature.properties as { population: number }).population];
  });
}

describe('detectGeoTiff', () => {
  it('knows TIFF and BigTIFF in both byte orders, and nothing else', () => {
    expect(detectGeoTiff(Uint8Array.of(0x49, 0x49, 42, 0))).toBe(true);
    expect(detectGeoTiff(Uint8Array.of(0x4d, 0x4d, 0, 42))).toBe(true);
    expect(detectGeoTiff(Uint8Array.of(0x49, 0x49, 43, 0))).toBe(true);
    expect(detectGeoTiff(Uint8Array.of(0x4d, 0x4d, 0, 43))).toBe(true);
    expect(detectGeoTiff(Uint8Array.of(0x49, 0x49, 0, 42))).toBe(false);
    expect(detectGeoTiff(new TextEncoder().encode('{"type"'))).toBe(false);
    expect(detectGeoTiff(Uint8Array.of(0x49, 0x49))).toBe(false);
  });
});

describe.skipIf(!gdalAvailable)('GeoTIFF population grids written by GDAL', () => {
  it('EPSG:4326: a point per pixel with residents at its centre, nodata, zeros and negatives dropped', async () => {
    const path = writePopulationTiff(dir, 'lonlat', lonLatGrid, 'EPSG:4326');
    const bytes = bytesOf(path);
    const read = await readLayerFile(bytes, 'lonlat.tif');
    expect(read.format).toBe('geotiff');
    expect(read.crs.code).toBe('EPSG:4326');
    expect(read.grid).toEqual({
      width: 4,
      height: 3,
      pixelsRead: 12,
      pixelsKept: 6,
      residents: 29.5,
      // The reader's ranges overlap (header, directory, strips): a tiny file is read more than once over.
      bytesRead: expect.any(Number),
      fileBytes: bytes.length,
    });
    expect(read.grid!.bytesRead).toBeGreaterThanOrEqual(bytes.length);
    const got = points(read.collection);
    expect(got).toHaveLength(lonLatKept.length);
    lonLatKept.forEach(([x, y, population], i) => {
      expect(got[i][0]).toBeCloseTo(x, 9);
      expect(got[i][1]).toBeCloseTo(y, 9);
      expect(got[i][2]).toBe(population);
    });
    expect(read.warnings.join(' ')).toMatch(/read 12, 6 with residents \(29\.5 residents\)/);
  });

  it('BigTIFF, big-endian and tiled, compressed files read the same', async () => {
    for (const [name, options] of [
      ['bigtiff', ['-co', 'BIGTIFF=YES']],
      ['big-endian', ['-co', 'ENDIANNESS=BIG']],
      [
        'tiled-deflate',
        ['-co', 'TILED=YES', '-co', 'BLOCKXSIZE=16', '-co', 'BLOCKYSIZE=16', '-co', 'COMPRESS=DEFLATE'],
      ],
    ] as const) {
      const path = writePopulationTiff(dir, name, lonLatGrid, 'EPSG:4326', [...options]);
      const read = await readLayerFile(bytesOf(path), `${name}.tif`);
      expect(points(read.collection).map((p) => p[2])).toEqual(lonLatKept.map((p) => p[2]));
    }
    expect(bytesOf(join(dir, 'bigtiff.tif'))[2]).toBe(43);
    expect(bytesOf(join(dir, 'big-endian.tif'))[0]).toBe(0x4d);
  });

  it('crops to the study area: only the window over the bounds (plus the margin) is read', async () => {
    const bytes = bytesOf(writePopulationTiff(dir, 'crop', lonLatGrid, 'EPSG:4326'));
    // Without a margin: the bounds lie inside pixel (column 2, row 2), which holds 1 resident.
    const { readGeoTiffPopulation } = await import('../../src/io/geotiff-read');
    const tight = await readGeoTiffPopulation(bytes, 'crop.tif', {
      clipBounds: [104.021, 30.001, 104.029, 30.009],
      marginMeters: 0,
    });
    expect([tight.pixelsRead, tight.pixelsKept, tight.residents]).toEqual([1, 1, 1]);
    // 1 km more on each side: columns 1–3 of rows 1–2 (6 pixels), of which 7.5, 2, 1 and 4 hold residents.
    const read = await readLayerFile(bytes, 'crop.tif', { clipBounds: [104.021, 30.001, 104.029, 30.009] });
    expect(read.grid).toMatchObject({ width: 4, height: 3, pixelsRead: 6, pixelsKept: 4, residents: 14.5 });
    expect(read.warnings.join(' ')).toMatch(/read 6 \(the study area plus 1000 m\), 4 with residents/);
  });

  it('reads band of rows by band of rows to the same points, and refuses more points than the limit', async () => {
    const bytes = bytesOf(writePopulationTiff(dir, 'bands', lonLatGrid, 'EPSG:4326'));
    const { readGeoTiffPopulation } = await import('../../src/io/geotiff-read');
    const whole = await readGeoTiffPopulation(bytes, 'bands.tif');
    const rowByRow = await readGeoTiffPopulation(bytes, 'bands.tif', { pixelsPerBand: 1 });
    expect(rowByRow.collection).toEqual(whole.collection);
    const error = await readGeoTiffPopulation(bytes, 'bands.tif', { maxPoints: 5 }).catch((caught) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe('geotiff.too-many-pixels');
    refusals.push(error);
  });

  for (const [srs, west, south, cellSize] of [
    ['EPSG:32648', 404_000, 3_386_000, 100],
    ['EPSG:3857', 11_580_000, 3_580_000, 250],
  ] as const) {
    it(`${srs}: pixel centres converted to longitude/latitude as GDAL converts them`, async () => {
      const grid = {
        west,
        south,
        cellSize,
        rows: [
          [3, -1, 0.5],
          [0, 12, -1],
        ],
      };
      const name = srs.replace(':', '-');
      const read = await readLayerFile(bytesOf(writePopulationTiff(dir, name, grid, srs)), `${name}.tif`);
      expect(read.crs.code).toBe(srs);
      // Centres in the system's metres: row 0 at south + 1.5 cells, row 1 at south + 0.5.
      const model: [number, number][] = [
        [west + 0.5 * cellSize, south + 1.5 * cellSize],
        [west + 2.5 * cellSize, south + 1.5 * cellSize],
        [west + 1.5 * cellSize, south + 0.5 * cellSize],
      ];
      const expected = gdalToLonLat(model, srs);
      const got = points(read.collection);
      expect(got.map((p) => p[2])).toEqual([3, 0.5, 12]);
      expected.forEach(([x, y], i) => {
        expect(got[i][0]).toBeCloseTo(x, 7);
        expect(got[i][1]).toBeCloseTo(y, 7);
      });
    });
  }
});

describe.skipIf(!gdalAvailable)('bad GeoTIFFs are InputErrors naming the file and the problem', () => {
  it('truncated: the header, or the pixels, cut off', async () => {
    const bytes = bytesOf(writePopulationTiff(dir, 'whole', lonLatGrid, 'EPSG:4326'));
    for (const length of [6, bytes.length - 8]) {
      const error = await readFailure(bytes.subarray(0, length), 'cut.tif');
      expect(error.fileName).toBe('cut.tif');
      expect(error.code).toBe('geotiff.truncated');
      expect(error.message).toMatch(/^cut\.tif: .*cut off/);
    }
  });

  it('not georeferenced', async () => {
    const path = writePopulationTiff(dir, 'plain', lonLatGrid, 'EPSG:4326', ['-co', 'PROFILE=BASELINE']);
    const error = await readFailure(bytesOf(path), 'plain.tif');
    expect(error.code).toBe('geotiff.not-georeferenced');
    expect(error.message).toMatch(/^plain\.tif: the file has no georeferencing/);
  });

  it('more than one band', async () => {
    const one = writePopulationTiff(dir, 'one-band', lonLatGrid, 'EPSG:4326');
    const two = join(dir, 'two-bands.tif');
    gdal('gdal_translate', ['-q', '-b', '1', '-b', '1', '-b', '1', one, two]);
    const error = await readFailure(bytesOf(two), 'two-bands.tif');
    expect(error.code).toBe('geotiff.bands');
    expect(error.values).toEqual({ bands: 3 });
  });

  it('a band that is not numbers of residents (complex samples)', async () => {
    const path = writePopulationTiff(dir, 'complex', lonLatGrid, 'EPSG:4326', ['-ot', 'CFloat32']);
    const error = await readFailure(bytesOf(path), 'complex.tif');
    expect(error.code).toBe('geotiff.not-numeric');
  });

  it('a coordinate system with no EPSG code, unless the planner names one', async () => {
    const srs = '+proj=tmerc +lat_0=0 +lon_0=104.5 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';
    const grid = { west: 450_000, south: 3_380_000, cellSize: 100, rows: [[5, 6]] };
    const bytes = bytesOf(writePopulationTiff(dir, 'custom', grid, srs));
    const error = await readFailure(bytes, 'custom.tif');
    expect(error.code).toBe('geotiff.crs');
    expect(error.message).toMatch(/^custom\.tif: .*user-defined coordinate system/);
    // CGCS2000 / 3-degree Gauss-Kruger CM 105E is not this system, but a named one is used as asked.
    const asked = await readLayerFile(bytes, 'custom.tif', { crs: 'EPSG:4545' });
    expect(asked.crs.code).toBe('EPSG:4545');
    expect(points(asked.collection).map((p) => p[2])).toEqual([5, 6]);
  });

  it('no pixel with residents over the study area', async () => {
    const path = writePopulationTiff(dir, 'zeros', { ...lonLatGrid, rows: [[0, -1, 0, 0]] }, 'EPSG:4326');
    const error = await readFailure(bytesOf(path), 'zeros.tif');
    expect(error.code).toBe('geotiff.no-residents');
    const away = await readFailure(bytesOf(path), 'zeros.tif', { clipBounds: [10, 10, 10.1, 10.1] });
    expect(away.problem).toMatch(/does not cover the study area/);
  });

  it('every refusal is said in Chinese (naming the file, no English left) and in English', () => {
    const codes = new Set(refusals.map((error) => error.code).filter((code) => code.startsWith('geotiff.')));
    expect([...codes].sort()).toEqual([
      'geotiff.bands',
      'geotiff.crs',
      'geotiff.no-residents',
      'geotiff.not-georeferenced',
      'geotiff.not-numeric',
      'geotiff.too-many-pixels',
      'geotiff.truncated',
    ]);
    for (const error of refusals.filter((e) => e.code.startsWith('geotiff.'))) {
      const zh = errorText('zh', error.toJSON());
      expect(zh.startsWith(`${error.fileName}：`), zh).toBe(true);
      expect(zh, zh).toMatch(/[\u4e00-\u9fff]/);
      expect(zh, zh).not.toMatch(/\b(the|file|pixels|band|samples|format|user|defined)\b/);
      expect(errorText('en', error.toJSON())).toMatch(new RegExp(`^${error.fileName.replace('.', '\\.')}: `));
    }
  });

  it('a .tif that is not a TIFF at all', async () => {
    const error = await readFailure(new TextEncoder().encode('not an image, just text\n'), 'grid.tif');
    expect(error.message).toMatch(/^grid\.tif: not GeoTIFF: the file is plain text/);
  });
});
