import { zlibSync } from 'fflate';
import { joinBytes } from './join-bytes';

/**
 * A Cloud-Optimized GeoTIFF writer for regular longitude/latitude grids (EPSG:4326), pure (Node and the
 * browser): tiled, DEFLATE (fflate), internal overviews, GDAL's nodata and metadata tags.
 *
 * Why not `geotiff` on npm: its `writeArrayBuffer` writes one uncompressed strip image, no tiles, no
 * compression, no overviews and no way to order IFDs before the data, which is what makes a TIFF
 * "cloud optimized". The layout here is the one GDAL's COG driver writes and its validator checks:
 * header, every IFD (full resolution first, then each overview), then the tile data from the smallest
 * overview to the full resolution, each level's tiles in row-major order.
 */

/** Sample type of every band in a file (TIFF allows one per file as GDAL reads it). */
export type RasterSampleType = 'float32' | 'uint8';

/** What a COG needs: the pixels (row 0 = north), the georeferencing and the descriptive tags. */
export interface CogImage {
  width: number;
  height: number;
  type: RasterSampleType;
  /** One array of `width × height` values per band, row 0 at the north edge. */
  bands: (Float32Array | Uint8Array)[];
  /** The value of "no data" in every band (GDAL_NODATA). */
  nodata: number;
  /** Longitude of the west edge and latitude of the north edge of pixel (0, 0), in degrees. */
  west: number;
  north: number;
  /** Pixel size in degrees. */
  longitudeStep: number;
  latitudeStep: number;
  /** Per band: GDAL band description (its name) and unit. */
  bandNames: string[];
  bandUnits?: string[];
  /** Dataset-level metadata items (GDAL_METADATA). */
  metadata?: Record<string, string>;
  /** A palette for a single uint8 band: 256 RGB triples, 0–255 (Photometric = palette). */
  colorMap?: [number, number, number][];
  /** Tile side in pixels (a multiple of 16); 256 by default. */
  tileSize?: number;
  /**
   * zlib-format DEFLATE of one tile; fflate's (pure JS, level 6) by default. Node callers may pass
   * `node:zlib`'s `deflateSync`, about 2.5× faster: the bytes differ, any inflater reads both.
   */
  deflate?: (bytes: Uint8Array) => Uint8Array;
}

const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const TYPE_ASCII = 2;
const TYPE_DOUBLE = 12;
const typeBytes: Record<number, number> = { [TYPE_SHORT]: 2, [TYPE_LONG]: 4, [TYPE_ASCII]: 1, [TYPE_DOUBLE]: 8 };

interface TiffTag {
  code: number;
  type: number;
  values: number[] | string;
}

/** One resolution level: its size and its bands. */
interface Level {
  width: number;
  height: number;
  bands: (Float32Array | Uint8Array)[];
}

/**
 * Encodes `image` as a Cloud-Optimized GeoTIFF. Returns the file as chunks (header and IFDs, then the
 * compressed tiles) so a caller can stream them to disk without joining them.
 */
export function cogChunks(image: CogImage): Uint8Array[] {
  const tileSize = image.tileSize ?? 256;
  if (tileSize % 16 !== 0) throw new RangeError(`tile size ${tileSize} is not a multiple of 16`);
  if (image.bands.length === 0) throw new RangeError('a GeoTIFF needs at least one band');
  for (const band of image.bands) {
    if (band.length !== image.width * image.height) throw new RangeError('band length is not width × height');
  }
  const levels = overviewLevels(image, tileSize);
  // Tiles are compressed first: the IFDs (written before the data) must hold every tile's offset and size.
  const tiles = levels.map((level) => compressLevel(level, image, tileSize));
  const ifdTags = levels.map((level, index) => levelTags(image, level, index, tileSize));

  // Lay out: 8-byte header, the IFDs with their out-of-line values, then the tiles, smallest level first.
  const ifdSizes = ifdTags.map(ifdByteLength);
  let dataOffset = 8 + ifdSizes.reduce((sum, size) => sum + size, 0);
  const tileOffsets: number[][] = levels.map(() => []);
  for (let index = levels.length - 1; index >= 0; index--) {
    for (const tile of tiles[index]) {
      tileOffsets[index].push(dataOffset);
      dataOffset += tile.length;
    }
  }
  if (dataOffset > 0xffffffff) {
    throw new RangeError(
      `the GeoTIFF would be ${Math.round(dataOffset / 2 ** 20)} MiB, over the 4 GiB of classic TIFF`,
    );
  }
  const head = new Uint8Array(8 + ifdSizes.reduce((sum, size) => sum + size, 0));
  const view = new DataView(head.buffer);
  head.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, 8, true);
  let ifdOffset = 8;
  levels.forEach((_, index) => {
    const tags = ifdTags[index];
    tags.push({ code: 324, type: TYPE_LONG, values: tileOffsets[index] });
    tags.push({ code: 325, type: TYPE_LONG, values: tiles[index].map((tile) => tile.length) });
    const next = index + 1 < levels.length ? ifdOffset + ifdSizes[index] : 0;
    writeIfd(view, ifdOffset, tags, next);
    ifdOffset += ifdSizes[index];
  });
  const out: Uint8Array[] = [head];
  for (let index = levels.length - 1; index >= 0; index--) out.push(...tiles[index]);
  return out;
}

/** The whole file as one array (small rasters, the app's export). */
export function cogBytes(image: CogImage): Uint8Array {
  return joinBytes(cogChunks(image));
}

/**
 * Full resolution and overviews halving each time until the level fits one tile. Each overview pixel is
 * the first valid pixel of its 2 × 2 block (nearest neighbour that skips nodata), so a distance or a
 * verdict is never averaged into a value no cell has.
 */
function overviewLevels(image: CogImage, tileSize: number): Level[] {
  const levels: Level[] = [{ width: image.width, height: image.height, bands: image.bands }];
  let level = levels[0];
  while (level.width > tileSize || level.height > tileSize) {
    const width = Math.ceil(level.width / 2);
    const height = Math.ceil(level.height / 2);
    const bands = level.bands.map((band) => {
      const out = image.type === 'float32' ? new Float32Array(width * height) : new Uint8Array(width * height);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let value = image.nodata;
          for (let k = 0; k < 4 && value === image.nodata; k++) {
            const sy = 2 * y + (k >> 1);
            const sx = 2 * x + (k & 1);
            if (sy < level.height && sx < level.width) value = band[sy * level.width + sx];
          }
          out[y * width + x] = value;
        }
      }
      return out;
    });
    level = { width, height, bands };
    levels.push(level);
  }
  return levels;
}

/** The level's tiles, row-major, each pixel-interleaved, padded with nodata, predicted and DEFLATE'd. */
/** Whether this machine stores numbers little-endian (TIFF's "II" order), so typed views write the file's bytes. */
const littleEndian = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

function compressLevel(level: Level, image: CogImage, tileSize: number): Uint8Array[] {
  const samples = level.bands.length;
  const bytesPerSample = image.type === 'float32' ? 4 : 1;
  const tilesAcross = Math.ceil(level.width / tileSize);
  const tilesDown = Math.ceil(level.height / tileSize);
  const rowBytes = tileSize * samples * bytesPerSample;
  const raw = new Uint8Array(rowBytes * tileSize);
  // Samples go in through a Float32Array view (a DataView call per sample was a third of the write);
  // TIFF is declared little-endian ("II"), so a big-endian machine takes the DataView path.
  const rawFloats = littleEndian ? new Float32Array(raw.buffer) : null;
  const rawView = new DataView(raw.buffer);
  const predicted = new Uint8Array(raw.length);
  const deflate = image.deflate ?? ((bytes: Uint8Array) => zlibSync(bytes, { level: 6 }));
  const out: Uint8Array[] = [];
  for (let ty = 0; ty < tilesDown; ty++) {
    for (let tx = 0; tx < tilesAcross; tx++) {
      for (let y = 0; y < tileSize; y++) {
        const sy = ty * tileSize + y;
        for (let x = 0; x < tileSize; x++) {
          const sx = tx * tileSize + x;
          const inside = sy < level.height && sx < level.width;
          for (let s = 0; s < samples; s++) {
            const value = inside ? level.bands[s][sy * level.width + sx] : image.nodata;
            const sample = y * tileSize * samples + x * samples + s;
            if (bytesPerSample === 1) raw[sample] = value;
            else if (rawFloats) rawFloats[sample] = value;
            else rawView.setFloat32(sample * 4, value, true);
          }
        }
      }
      if (bytesPerSample === 4) {
        floatingPointPredictor(raw, predicted, tileSize, samples, rowBytes);
        out.push(deflate(predicted));
      } else {
        out.push(deflate(raw));
      }
    }
  }
  return out;
}

/**
 * TIFF predictor 3 (floating point, as libtiff's fpDiff): per row, the bytes of every value are split
 * into planes, most significant byte first, then each byte is replaced by its difference from the byte
 * `samples` before it. Smooth distance fields then compress several times better than raw floats.
 */
function floatingPointPredictor(
  raw: Uint8Array,
  out: Uint8Array,
  width: number,
  samples: number,
  rowBytes: number,
): void {
  const count = width * samples;
  for (let rowStart = 0; rowStart < raw.length; rowStart += rowBytes) {
    for (let i = 0; i < count; i++) {
      // `raw` is little-endian: byte b of value i goes to plane 3 − b.
      for (let b = 0; b < 4; b++) out[rowStart + (3 - b) * count + i] = raw[rowStart + i * 4 + b];
    }
    for (let i = rowBytes - 1; i >= samples; i--)
      out[rowStart + i] = (out[rowStart + i] - out[rowStart + i - samples]) & 0xff;
  }
}

/** The tags of one level's IFD except the tile offsets and sizes (added once the layout is known). */
function levelTags(image: CogImage, level: Level, index: number, tileSize: number): TiffTag[] {
  const samples = level.bands.length;
  const isFloat = image.type === 'float32';
  const tags: TiffTag[] = [
    { code: 254, type: TYPE_LONG, values: [index === 0 ? 0 : 1] },
    { code: 256, type: TYPE_LONG, values: [level.width] },
    { code: 257, type: TYPE_LONG, values: [level.height] },
    { code: 258, type: TYPE_SHORT, values: new Array(samples).fill(isFloat ? 32 : 8) },
    { code: 259, type: TYPE_SHORT, values: [8] },
    { code: 262, type: TYPE_SHORT, values: [image.colorMap ? 3 : 1] },
    { code: 277, type: TYPE_SHORT, values: [samples] },
    { code: 284, type: TYPE_SHORT, values: [1] },
    { code: 317, type: TYPE_SHORT, values: [isFloat ? 3 : 1] },
    { code: 322, type: TYPE_SHORT, values: [tileSize] },
    { code: 323, type: TYPE_SHORT, values: [tileSize] },
    { code: 339, type: TYPE_SHORT, values: new Array(samples).fill(isFloat ? 3 : 1) },
  ];
  if (image.colorMap) {
    if (samples !== 1 || isFloat) throw new RangeError('a colour table needs a single uint8 band');
    // TIFF ColorMap: all reds, then all greens, then all blues, 16 bits each.
    const map: number[] = [];
    for (let channel = 0; channel < 3; channel++) {
      for (let i = 0; i < 256; i++) map.push((image.colorMap[i]?.[channel] ?? 0) * 257);
    }
    tags.push({ code: 320, type: TYPE_SHORT, values: map });
  }
  if (samples > 1) tags.push({ code: 338, type: TYPE_SHORT, values: new Array(samples - 1).fill(0) });
  if (index === 0) {
    const north = image.north;
    tags.push({ code: 33550, type: TYPE_DOUBLE, values: [image.longitudeStep, image.latitudeStep, 0] });
    tags.push({ code: 33922, type: TYPE_DOUBLE, values: [0, 0, 0, image.west, north, 0] });
    // GeoKeys: model type geographic (2), raster type pixel-is-area (1), EPSG:4326, degrees.
    tags.push({
      code: 34735,
      type: TYPE_SHORT,
      values: [1, 1, 0, 4, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326, 2054, 0, 1, 9102],
    });
    tags.push({ code: 42112, type: TYPE_ASCII, values: gdalMetadataXml(image) });
  }
  tags.push({ code: 42113, type: TYPE_ASCII, values: String(image.nodata) });
  return tags.sort((a, b) => a.code - b.code);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** GDAL_METADATA: dataset items, and per band its description (name) and unit. */
function gdalMetadataXml(image: CogImage): string {
  const items: string[] = [];
  for (const [name, value] of Object.entries(image.metadata ?? {})) {
    items.push(`<Item name="${escapeXml(name)}">${escapeXml(value)}</Item>`);
  }
  image.bandNames.forEach((name, sample) => {
    items.push(`<Item name="DESCRIPTION" sample="${sample}" role="description">${escapeXml(name)}</Item>`);
    const unit = image.bandUnits?.[sample];
    if (unit) items.push(`<Item name="UNITTYPE" sample="${sample}" role="unittype">${escapeXml(unit)}</Item>`);
  });
  return `<GDALMetadata>${items.join('')}</GDALMetadata>`;
}

function tagValueBytes(tag: TiffTag): number {
  // ASCII values are UTF-8 and NUL-terminated.
  const count = typeof tag.values === 'string' ? new TextEncoder().encode(tag.values).length + 1 : tag.values.length;
  return count * typeBytes[tag.type];
}

/** An IFD: entry count, 12-byte entries, next-IFD offset, then the values over 4 bytes (word-aligned). */
function ifdByteLength(tags: TiffTag[]): number {
  // Tile offsets and sizes are added later: count them now from the level's tile count (same as TileWidth).
  let size = 2 + (tags.length + 2) * 12 + 4;
  for (const tag of tags) {
    const bytes = tagValueBytes(tag);
    if (bytes > 4) size += bytes + (bytes & 1);
  }
  return size + 2 * outOfLine(tileCountOf(tags) * 4);
}

function outOfLine(bytes: number): number {
  return bytes > 4 ? bytes + (bytes & 1) : 0;
}

function tileCountOf(tags: TiffTag[]): number {
  const value = (code: number) => (tags.find((tag) => tag.code === code)!.values as number[])[0];
  return Math.ceil(value(256) / value(322)) * Math.ceil(value(257) / value(323));
}

function writeIfd(view: DataView, offset: number, unsorted: TiffTag[], next: number): void {
  const tags = [...unsorted].sort((a, b) => a.code - b.code);
  view.setUint16(offset, tags.length, true);
  let valueOffset = offset + 2 + tags.length * 12 + 4;
  tags.forEach((tag, i) => {
    const entry = offset + 2 + i * 12;
    const encoded = typeof tag.values === 'string' ? [...new TextEncoder().encode(tag.values), 0] : tag.values;
    view.setUint16(entry, tag.code, true);
    view.setUint16(entry + 2, tag.type, true);
    view.setUint32(entry + 4, encoded.length, true);
    const bytes = encoded.length * typeBytes[tag.type];
    const at = bytes > 4 ? valueOffset : entry + 8;
    if (bytes > 4) {
      view.setUint32(entry + 8, valueOffset, true);
      valueOffset += bytes + (bytes & 1);
    }
    encoded.forEach((value, k) => {
      if (tag.type === TYPE_SHORT) view.setUint16(at + k * 2, value, true);
      else if (tag.type === TYPE_LONG) view.setUint32(at + k * 4, value, true);
      else if (tag.type === TYPE_DOUBLE) view.setFloat64(at + k * 8, value, true);
      else view.setUint8(at + k, value);
    });
  });
  view.setUint32(offset + 2 + tags.length * 12, next, true);
}
