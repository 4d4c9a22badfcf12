import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileSource } from '../../scripts/cli/file-source';
import { InputError } from '../../src/coverage/input-error';
import { byteSource } from '../../src/io/byte-source';
import { readGeoTiffPopulation } from '../../src/io/geotiff-read';
import { readLayerFile } from '../../src/io/read-layer';
import { errorText } from '../../src/ui/error-banner';
import { checkFileBeforeReading, MAX_FILE_BYTES } from '../../src/worker/import-client';
import { gdal, gdalAvailable, sampleGrid, writePopulationTiff } from '../support/population-grid';
import { type SparseGrid, writeSparseGeoTiff } from '../support/sparse-geotiff';

/**
 * A GeoTIFF population grid is read by ranges: the header, the block offsets and the blocks under the
 * window only, from bytes in memory, a Blob (a browser File) or the CLI's file on disk, to the same points.
 */
const dir = mkdtempSync(join(tmpdir(), 'greenreach-geotiff-ranges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 2,048² pixels of 0.001° from (104, 31) in tiles of 256 (16 MiB); residents in two far corners. */
function cornerGrid(width: number): SparseGrid {
  const pixels: SparseGrid['pixels'] = [];
  // 120 × 40 pixels across the first tile boundary (column 256), a value from the position.
  for (let row = 10; row < 50; row++) {
    for (let column = 200; column < 320; column++)
      pixels.push({ column, row, value: 1 + ((row * 7 + column * 3) % 9) });
  }
  // Far away, in the last tile: residents no study area in the corner may count.
  pixels.push({ column: width - 3, row: width - 3, value: 1000 });
  return { width, height: width, tileSize: 256, west: 104, north: 31, pixelDegrees: 0.001, pixels };
}
/** Over columns 240–279 and rows 20–39 (the 1 km margin adds about 10 pixels each way). */
const studyArea: [number, number, number, number] = [104.24, 30.96, 104.28, 30.98];

const points = (read: { collection: { features: unknown[] } }) => JSON.stringify(read.collection.features);

const cornerPath = join(dir, 'corner.tif');
const fileBytes = writeSparseGeoTiff(cornerPath, cornerGrid(2048));
const whole = () => new Uint8Array(readFileSync(cornerPath));

describe('GeoTIFF read by ranges', () => {
  const path = cornerPath;

  it('bytes, a Blob and a file on disk give the same points; the file gives only the window’s tiles', async () => {
    expect(fileBytes).toBeGreaterThan(16 * 2 ** 20);
    const inMemory = await readGeoTiffPopulation(whole(), 'corner.tif', { clipBounds: studyArea });
    const blob = byteSource(new Blob([whole()]));
    const fromBlob = await readGeoTiffPopulation(blob, 'corner.tif', { clipBounds: studyArea });
    const file = openFileSource(path);
    const fromFile = await readGeoTiffPopulation(file, 'corner.tif', { clipBounds: studyArea }).finally(() =>
      file.close(),
    );
    expect(points(fromBlob)).toBe(points(inMemory));
    expect(points(fromFile)).toBe(points(inMemory));
    // The window: 40 + 2 × ~10 columns by 20 + 2 × ~9 rows, the far 1,000 residents not among them.
    expect(inMemory.pixelsRead).toBeGreaterThan(40 * 20);
    expect(inMemory.pixelsRead).toBeLessThan(70 * 45);
    expect(inMemory.pixelsKept).toBe(inMemory.pixelsRead);
    expect(inMemory.residents).toBeLessThan(10 * inMemory.pixelsKept);
    // Two tiles of 256 KiB (the window crosses column 256) and the directory's 64 tile offsets and counts.
    for (const read of [fromFile, fromBlob]) {
      expect(read.fileBytes).toBe(fileBytes);
      expect(read.bytesRead).toBeGreaterThanOrEqual(2 * 256 * 1024);
      expect(read.bytesRead).toBeLessThan(2 * 256 * 1024 + 8192);
    }
    expect(fromFile.warnings.join(' ')).toMatch(/became points; 514 KiB of the file's 16 MiB read$/);
  });

  it('the whole raster without bounds reads every pixel and all residents, the far ones too', async () => {
    const file = openFileSource(path);
    const read = await readLayerFile(file, 'corner.tif').finally(() => file.close());
    expect(read.grid!.pixelsRead).toBe(2048 * 2048);
    const expected = cornerGrid(2048).pixels.reduce((total, pixel) => total + pixel.value, 0);
    expect(read.grid!.residents).toBe(expected);
    expect(read.grid!.bytesRead).toBeGreaterThanOrEqual(fileBytes);
  });

  it.skipIf(!gdalAvailable)('GDAL reads the file as written (the writer is sound)', () => {
    const crop = join(dir, 'crop.tif');
    gdal('gdal_translate', ['-q', '-srcwin', '200', '10', '120', '40', path, crop]);
    const info = JSON.parse(gdal('gdalinfo', ['-json', '-stats', crop]));
    const band = info.bands[0];
    expect(info.size).toEqual([120, 40]);
    expect(band.minimum).toBe(1);
    expect(band.maximum).toBe(9);
    expect(info.geoTransform).toEqual([104.2, 0.001, 0, 30.99, 0, -0.001]);
  });
});

describe('the browser path: a File of 3 GiB', () => {
  it('passes the checks made before reading and is read by ranges, as the import worker reads it', async () => {
    const path = join(dir, 'country.tif');
    const size = writeSparseGeoTiff(path, { ...cornerGrid(28_160), pixels: cornerGrid(2048).pixels.slice(0, -1) });
    expect(size).toBeGreaterThan(6 * MAX_FILE_BYTES);
    // A File as the page hands it over: slices read from disk on demand, never the whole file.
    const descriptor = openSync(path, 'r');
    let sliced = 0;
    const file = {
      name: 'country.tif',
      size,
      slice: (start: number, end: number) => ({
        arrayBuffer: async () => {
          const bytes = new Uint8Array(end - start);
          sliced += readSync(descriptor, bytes, 0, bytes.length, start);
          return bytes.buffer;
        },
      }),
      arrayBuffer: () => Promise.reject(new Error('the whole file was read')),
    } as unknown as File;
    try {
      expect(await checkFileBeforeReading(file)).toBe('geotiff');
      const read = await readLayerFile(file, 'country.tif', {
        clipBounds: studyArea,
        maxBytes: MAX_FILE_BYTES,
        inBrowser: true,
      });
      expect(read.grid).toMatchObject({ width: 28_160, fileBytes: size });
      // The points of the small grid's window: the same pixels lie there.
      const small = await readGeoTiffPopulation(whole(), 'corner.tif', { clipBounds: studyArea });
      expect(read.grid!.pixelsKept).toBe(small.pixelsKept);
      expect(read.grid!.residents).toBe(small.residents);
      // Two tiles, the 64 KiB head (twice: the page's check and the reader's) and 12,100 offsets and counts.
      expect(sliced).toBeLessThan(2 * 256 * 1024 + 2 * 64 * 1024 + 12_100 * 8 + 8192);
    } finally {
      closeSync(descriptor);
    }
  });
});

describe.skipIf(!gdalAvailable)('GeoTIFF blocks too large to read at a time', () => {
  it('one strip over the whole raster is refused, in both languages, with the GDAL line that fixes it', async () => {
    const grid = { ...sampleGrid, rows: Array.from({ length: 64 }, () => Array(64).fill(1)) };
    const path = writePopulationTiff(dir, 'one-strip', grid, 'EPSG:4326', ['-co', 'BLOCKYSIZE=64']);
    const bytes = new Uint8Array(readFileSync(path));
    const error = await readGeoTiffPopulation(bytes, 'one-strip.tif', { maxBlockBytes: 4096 }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe('geotiff.blocks');
    expect(error.message).toMatch(
      /^one-strip\.tif: its pixels are stored in blocks of up to 16 KiB, over the 4 KiB read at a time.*TILED=YES/,
    );
    expect(errorText('zh', error.toJSON())).toMatch(/^one-strip\.tif：.*TILED=YES/);
    expect(errorText('zh', error.toJSON())).toMatch(/[\u4e00-\u9fff]/);
    // Rows of strips read band by band: the same file in strips of 8 rows is read.
    const strips = writePopulationTiff(dir, 'strips', grid, 'EPSG:4326', ['-co', 'BLOCKYSIZE=8']);
    const read = await readGeoTiffPopulation(new Uint8Array(readFileSync(strips)), 'strips.tif', {
      maxBlockBytes: 4096,
    });
    expect(read.pixelsKept).toBe(64 * 64);
    expect(statSync(strips).size).toBeGreaterThan(64 * 64 * 4);
  });
});
