import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

/**
 * A large population grid that takes almost no disk: a little-endian tiled GeoTIFF (EPSG:4326,
 * uncompressed Float32, nodata −1) whose tiles lie at fixed offsets, only the tiles holding a value
 * written and the rest left as holes of a sparse file (zeros: no residents). A 3 GiB grid costs a few
 * kilobytes on disk and a second to write, so a test can give the CLI a country-size file.
 */
export interface SparseGrid {
  width: number;
  height: number;
  tileSize: number;
  /** West and north edges of pixel (0, 0) and the pixel size, in degrees. */
  west: number;
  north: number;
  pixelDegrees: number;
  /** The pixels that hold a value (any other is 0). */
  pixels: { column: number; row: number; value: number }[];
}

const SHORT = 3;
const LONG = 4;
const ASCII = 2;
const DOUBLE = 12;
const sizeOf: Record<number, number> = { [SHORT]: 2, [LONG]: 4, [ASCII]: 1, [DOUBLE]: 8 };

/** Writes `grid` to `path`; returns the file's size in bytes. */
export function writeSparseGeoTiff(path: string, grid: SparseGrid): number {
  const across = Math.ceil(grid.width / grid.tileSize);
  const down = Math.ceil(grid.height / grid.tileSize);
  const tiles = across * down;
  const tileBytes = grid.tileSize * grid.tileSize * 4;
  const nodata = '-1\0';
  const tags: [number, number, number[] | string][] = [
    [256, LONG, [grid.width]],
    [257, LONG, [grid.height]],
    [258, SHORT, [32]],
    [259, SHORT, [1]],
    [262, SHORT, [1]],
    [277, SHORT, [1]],
    [284, SHORT, [1]],
    [322, SHORT, [grid.tileSize]],
    [323, SHORT, [grid.tileSize]],
    [324, LONG, []], // TileOffsets, filled below
    [325, LONG, new Array(tiles).fill(tileBytes)],
    [339, SHORT, [3]],
    [33550, DOUBLE, [grid.pixelDegrees, grid.pixelDegrees, 0]],
    [33922, DOUBLE, [0, 0, 0, grid.west, grid.north, 0]],
    // GeoKeys: geographic model, PixelIsArea, WGS 84.
    [34735, SHORT, [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326]],
    [42113, ASCII, nodata],
  ];
  const count = (values: number[] | string) => values.length;
  const ifdBytes = 2 + tags.length * 12 + 4;
  // Values longer than 4 bytes go after the directory; the tiles after them, 16-byte aligned.
  let extra = 8 + ifdBytes;
  const extraAt = tags.map(([, type, values], index) => {
    const bytes = (index === 9 ? tiles : count(values)) * sizeOf[type];
    if (bytes <= 4) return -1;
    const at = extra;
    extra += bytes + (bytes % 2);
    return at;
  });
  const dataStart = Math.ceil(extra / 16) * 16;
  tags[9][2] = Array.from({ length: tiles }, (_, i) => dataStart + i * tileBytes);
  const size = dataStart + tiles * tileBytes;
  if (size >= 2 ** 32) throw new RangeError('a classic TIFF ends before 4 GiB');

  const head = new DataView(new ArrayBuffer(dataStart));
  head.setUint16(0, 0x4949);
  head.setUint16(2, 42, true);
  head.setUint32(4, 8, true);
  head.setUint16(8, tags.length, true);
  const put = (at: number, type: number, values: number[] | string) => {
    for (let i = 0; i < count(values); i++) {
      const value = typeof values === 'string' ? values.charCodeAt(i) : values[i];
      if (type === SHORT) head.setUint16(at + i * 2, value, true);
      else if (type === LONG) head.setUint32(at + i * 4, value, true);
      else if (type === DOUBLE) head.setFloat64(at + i * 8, value, true);
      else head.setUint8(at + i, value);
    }
  };
  tags.forEach(([code, type, values], index) => {
    const entry = 10 + index * 12;
    head.setUint16(entry, code, true);
    head.setUint16(entry + 2, type, true);
    head.setUint32(entry + 4, count(values), true);
    if (extraAt[index] < 0) put(entry + 8, type, values);
    else {
      head.setUint32(entry + 8, extraAt[index], true);
      put(extraAt[index], type, values);
    }
  });

  // Only the tiles that hold a pixel are written; the file is then stretched to its full size.
  const written = new Map<number, Float32Array>();
  for (const { column, row, value } of grid.pixels) {
    const tile = Math.floor(row / grid.tileSize) * across + Math.floor(column / grid.tileSize);
    const values = written.get(tile) ?? new Float32Array(grid.tileSize * grid.tileSize);
    written.set(tile, values);
    values[(row % grid.tileSize) * grid.tileSize + (column % grid.tileSize)] = value;
  }
  const descriptor = openSync(path, 'w');
  try {
    writeSync(descriptor, new Uint8Array(head.buffer), 0, dataStart, 0);
    for (const [tile, values] of written) {
      writeSync(descriptor, new Uint8Array(values.buffer), 0, tileBytes, dataStart + tile * tileBytes);
    }
    ftruncateSync(descriptor, size);
  } finally {
    closeSync(descriptor);
  }
  return size;
}
