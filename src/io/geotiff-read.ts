import type { Feature, FeatureCollection, Point } from 'geojson';
import type { ImageFileDirectory } from 'geotiff';
import { InputError } from '../coverage/input-error';
import { type ByteInput, type ByteSource, byteSource } from './byte-source';
import { type CrsInfo, parseCrsCode } from './coordinates';
import { formatBytes } from './layer-head';

/**
 * A population grid as a GeoTIFF (WorldPop, GHSL: one band, a count of residents per pixel), read with
 * the `geotiff` package (loaded on first use) into points at the pixel centres, each carrying its
 * `population`, in the raster's own coordinate system (the caller converts them to WGS84 as it does any
 * layer). The file is read by ranges (bytes in memory, a browser File, the CLI's file on disk: a
 * `ByteSource`): the header, the block offsets and only the blocks under the window over `clipBounds`,
 * band of rows by band of rows, so a country-wide raster of gigabytes costs the memory of the study
 * area's window; the pixels read and kept, and the bytes read of the file, are said in `warnings`.
 */

/** Longitude/latitude bounds [west, south, east, north]. */
export type LonLatBounds = [number, number, number, number];

export interface GeoTiffReadOptions {
  /** Read only pixels over these WGS84 bounds (grown by `marginMeters`); the whole raster without. */
  clipBounds?: LonLatBounds | null;
  /** Added on every side of `clipBounds` (default 1,000 m: residents just outside still reach a cell). */
  marginMeters?: number;
  /** The planner's choice of system; it overrides (and excuses) the file's GeoKeys. */
  crs?: CrsInfo | null;
  /** Refuse more pixels with residents than this (default 2,000,000): each becomes a feature. */
  maxPoints?: number;
  /** Pixels decoded at a time, in whole rows (default 16,000,000; tests make it small). */
  pixelsPerBand?: number;
  /** Refuse a file whose one block (strip or tile), stored or decoded, is larger (default 256 MiB). */
  maxBlockBytes?: number;
}

export interface GeoTiffPopulation {
  /** Points at pixel centres with `population`, in the raster's system (`crs`, else longitude/latitude). */
  collection: FeatureCollection<Point>;
  /** The system the GeoKeys name, or null when they name none (then the numbers must be longitude/latitude). */
  crs: CrsInfo | null;
  width: number;
  height: number;
  /** Pixels in the window read, and those of them with residents (> 0, not nodata). */
  pixelsRead: number;
  pixelsKept: number;
  /** Residents of the kept pixels. */
  residents: number;
  /** Bytes of the file read (header, block offsets, the window's blocks), and the file's size. */
  bytesRead: number;
  fileBytes: number;
  warnings: string[];
}

/** Pixel (column, row) → model (x, y): x = a·column + b·row + c, y = d·column + e·row + f. */
interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/**
 * Reads a one-band numeric GeoTIFF into population points; every problem is an InputError naming the file.
 * `input` is read by ranges (see {@link ByteSource}): only what the window needs is asked of it.
 */
export async function readGeoTiffPopulation(
  input: ByteInput,
  fileName: string,
  options: GeoTiffReadOptions = {},
): Promise<GeoTiffPopulation> {
  const problem = (code: string, detail: string, values?: Record<string, number | string>) =>
    new InputError(fileName, null, detail, { code: `geotiff.${code}`, ...(values ? { values } : {}) });
  const source = byteSource(input);
  const { GeoTIFF } = await import('geotiff');
  let image: Awaited<ReturnType<Awaited<ReturnType<typeof GeoTIFF.fromSource>>['getImage']>>;
  try {
    image = await (await GeoTIFF.fromSource(geotiffSource(source))).getImage();
  } catch (error) {
    throw problem('truncated', `the TIFF header or its first image directory is cut off (${reason(error)})`, {
      size: source.size,
    });
  }
  const directory = image.getFileDirectory();
  const width = image.getWidth();
  const height = image.getHeight();
  // The data blocks must lie in the file: a cut download fails here, not as garbled residents.
  const tiled = directory.hasTag('TileOffsets');
  const offsets = (await directory.loadValue(tiled ? 'TileOffsets' : 'StripOffsets')) as ArrayLike<number> | undefined;
  const counts = (await directory.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')) as
    | ArrayLike<number>
    | undefined;
  let needed = 0;
  let largestStored = 0;
  for (let i = 0; i < (offsets?.length ?? 0); i++) {
    needed = Math.max(needed, Number(offsets![i]) + Number(counts?.[i] ?? 0));
    largestStored = Math.max(largestStored, Number(counts?.[i] ?? 0));
  }
  if (needed > source.size) {
    throw problem('truncated', `the file is cut off: its pixels need ${needed} bytes, it has ${source.size}`, {
      size: source.size,
      needed,
    });
  }
  // A block is read and decoded whole: one strip over a whole country would be the whole file at once.
  const maxBlockBytes = options.maxBlockBytes ?? 256 * 2 ** 20;
  const block = Math.max(largestStored, image.getTileWidth() * image.getTileHeight() * image.getBytesPerPixel());
  if (block > maxBlockBytes) {
    const [size, limit] = [formatBytes(block, maxBlockBytes), formatBytes(maxBlockBytes)];
    throw problem(
      'blocks',
      `its pixels are stored in blocks of up to ${size}, over the ${limit} read at a time; rewrite it in tiles (gdal_translate -co TILED=YES -co COMPRESS=DEFLATE in.tif out.tif)`,
      { block: size, limit },
    );
  }
  const bands = image.getSamplesPerPixel();
  if (bands !== 1) {
    throw problem('bands', `a population grid has one band (residents per pixel); this file has ${bands}`, { bands });
  }
  const sampleFormat = image.getSampleFormat();
  const photometric = Number(directory.getValue('PhotometricInterpretation') ?? 1);
  if (![1, 2, 3].includes(sampleFormat) || photometric === 3) {
    // The tag that says so, as the TIFF names it (the same words in either language).
    const tag = photometric === 3 ? 'PhotometricInterpretation=3' : `SampleFormat=${sampleFormat}`;
    const what = photometric === 3 ? 'a palette (colour) image' : `samples of format ${sampleFormat}`;
    throw problem('not-numeric', `the band holds ${what}, not numbers of residents`, { what: tag });
  }
  const affine = await affineOf(directory);
  if (!affine) {
    throw problem(
      'not-georeferenced',
      'the file has no georeferencing (no ModelTiepoint + ModelPixelScale nor ModelTransformation): write it with GDAL (gdal_translate -a_srs … -a_ullr …)',
    );
  }
  const keys = image.getGeoKeys() ?? {};
  // PixelIsPoint: the tiepoint is a pixel's centre; PixelIsArea (the default): its corner.
  const centre = keys.GTRasterTypeGeoKey === 2 ? 0 : 0.5;
  const crs = options.crs ?? crsOfKeys(keys, problem);
  const window = await pixelWindow(affine, width, height, crs, options);
  const noData = image.getGDALNoData();
  const noDataSingle = noData === null ? null : Math.fround(noData);
  const maxPoints = options.maxPoints ?? 2_000_000;
  const features: Feature<Point>[] = [];
  let residents = 0;
  const columns = window.columnEnd - window.columnStart;
  // Bands of rows keep the decoded pixels to ~16M at a time, whatever the window.
  const rowsPerBand = Math.max(1, Math.floor((options.pixelsPerBand ?? 16_000_000) / Math.max(1, columns)));
  for (let rowStart = window.rowStart; columns > 0 && rowStart < window.rowEnd; rowStart += rowsPerBand) {
    const rowEnd = Math.min(window.rowEnd, rowStart + rowsPerBand);
    let values: ArrayLike<number>;
    try {
      const rasters = await image.readRasters({
        window: [window.columnStart, rowStart, window.columnEnd, rowEnd],
        samples: [0],
        interleave: false,
      });
      values = rasters[0] as ArrayLike<number>;
    } catch (error) {
      throw problem('damaged', `its pixels cannot be decoded (${reason(error)})`, { reason: reason(error) });
    }
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      // Nodata (as written, or as the float32 the band holds), negatives and zeros hold no residents.
      if (!(value > 0) || !Number.isFinite(value) || value === noData || value === noDataSingle) continue;
      if (features.length >= maxPoints) {
        throw problem(
          'too-many-pixels',
          `more than ${maxPoints} pixels hold residents over the study area; clip the raster (gdal_translate -projwin …) or coarsen it`,
          { limit: maxPoints },
        );
      }
      const column = window.columnStart + (i % columns) + centre;
      const row = rowStart + Math.floor(i / columns) + centre;
      features.push({
        type: 'Feature',
        geometry: {
          type: 'Point',
          coordinates: [affine.a * column + affine.b * row + affine.c, affine.d * column + affine.e * row + affine.f],
        },
        properties: { population: value },
      });
      residents += value;
    }
  }
  const pixelsRead = columns * (window.rowEnd - window.rowStart);
  const within = options.clipBounds ? ` (the study area plus ${options.marginMeters ?? 1000} m)` : '';
  if (features.length === 0) {
    // An empty layer would silently leave every figure without residents.
    throw problem(
      'no-residents',
      pixelsRead === 0
        ? 'the grid does not cover the study area'
        : `none of the ${pixelsRead} pixels read${within} holds residents (all 0, negative or nodata)`,
      { pixels: pixelsRead },
    );
  }
  return {
    collection: { type: 'FeatureCollection', features },
    crs,
    width,
    height,
    pixelsRead,
    pixelsKept: features.length,
    residents,
    bytesRead: source.bytesRead,
    fileBytes: source.size,
    warnings: [
      `population grid ${width} × ${height} pixels: read ${pixelsRead}${within}, ${features.length} with residents (${Math.round(residents * 10) / 10} residents) became points; ${formatBytes(source.bytesRead)} of the file's ${formatBytes(source.size)} read`,
    ],
  };
}

/**
 * The `geotiff` package's source over a {@link ByteSource}: each slice it asks for is one `read` (the
 * package asks for the header, each directory and each block it decodes, nothing more).
 */
function geotiffSource(source: ByteSource) {
  const fetchSlice = async (slice: { offset: number; length: number }) => {
    const bytes = await source.read(slice.offset, slice.length);
    // The package wants an ArrayBuffer of exactly the slice: a view's buffer may be the whole file.
    const data =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : (bytes.slice().buffer as ArrayBuffer);
    return { data, offset: slice.offset, length: slice.length };
  };
  return {
    fetchSlice,
    fetch: (slices: { offset: number; length: number }[]) =>
      Promise.all(slices.map(async (slice) => (await fetchSlice(slice)).data)),
    get fileSize() {
      return source.size;
    },
    close: async () => {},
  };
}

/** The pixel-to-model transform of ModelTransformation, else ModelTiepoint + ModelPixelScale; null without either. */
async function affineOf(directory: ImageFileDirectory): Promise<Affine | null> {
  if (directory.hasTag('ModelTransformation')) {
    const m = (await directory.loadValue('ModelTransformation')) as ArrayLike<number>;
    if (m.length >= 8) return { a: m[0], b: m[1], c: m[3], d: m[4], e: m[5], f: m[7] };
  }
  if (!directory.hasTag('ModelTiepoint') || !directory.hasTag('ModelPixelScale')) return null;
  const tie = (await directory.loadValue('ModelTiepoint')) as ArrayLike<number>;
  const scale = (await directory.loadValue('ModelPixelScale')) as ArrayLike<number>;
  if (tie.length < 6 || scale.length < 2 || !(scale[0] > 0) || !(scale[1] > 0)) return null;
  // Rows run south: y falls by the pixel height per row from the tiepoint's (i, j) → (x, y).
  return { a: scale[0], b: 0, c: tie[3] - tie[0] * scale[0], d: 0, e: -scale[1], f: tie[4] + tie[1] * scale[1] };
}

/** The system the GeoKeys name (EPSG codes through coordinates.ts), null when they name none. */
function crsOfKeys(
  keys: Record<string, unknown>,
  problem: (code: string, detail: string, values?: Record<string, number | string>) => InputError,
): CrsInfo | null {
  const projected = keys.ProjectedCSTypeGeoKey;
  const geographic = keys.GeographicTypeGeoKey;
  const code = keys.GTModelTypeGeoKey === 1 || projected !== undefined ? projected : geographic;
  if (code === undefined) return null;
  if (typeof code !== 'number' || code === 32767) {
    throw problem(
      'crs',
      'its GeoKeys describe a user-defined coordinate system with no EPSG code; reproject it (gdalwarp -t_srs EPSG:4326) or choose its system',
      { code: 'GeoKey 32767' },
    );
  }
  try {
    return parseCrsCode(`EPSG:${code}`, 'geotiff');
  } catch (error) {
    throw problem('crs', `its coordinate system: ${(error as Error).message}`, { code: `EPSG:${code}` });
  }
}

/** The pixel window (clamped to the raster) over the clip bounds in the raster's system, or the whole raster. */
async function pixelWindow(
  affine: Affine,
  width: number,
  height: number,
  crs: CrsInfo | null,
  options: GeoTiffReadOptions,
): Promise<{ columnStart: number; columnEnd: number; rowStart: number; rowEnd: number }> {
  const whole = { columnStart: 0, columnEnd: width, rowStart: 0, rowEnd: height };
  if (!options.clipBounds) return whole;
  const [west, south, east, north] = options.clipBounds;
  const margin = options.marginMeters ?? 1000;
  const latitudeMargin = margin / 111_320;
  const longitudeMargin = margin / (111_320 * Math.max(0.05, Math.cos((((south + north) / 2) * Math.PI) / 180)));
  const box = [west - longitudeMargin, south - latitudeMargin, east + longitudeMargin, north + latitudeMargin];
  // The box's outline, sampled along each edge: a projected system bends straight lon/lat edges.
  const outline: number[][] = [];
  for (let k = 0; k <= 16; k++) {
    const x = box[0] + ((box[2] - box[0]) * k) / 16;
    const y = box[1] + ((box[3] - box[1]) * k) / 16;
    outline.push([x, box[1]], [x, box[3]], [box[0], y], [box[2], y]);
  }
  let model = outline;
  if (crs?.definition) {
    const { default: proj4 } = await import('proj4');
    const converter = proj4('EPSG:4326', crs.definition);
    model = outline.map((p) => converter.forward(p)).filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
    if (model.length === 0) return whole;
  }
  // Model → pixel by the inverse of the 2 × 2 part of the transform.
  const determinant = affine.a * affine.e - affine.b * affine.d;
  let columnMin = Infinity;
  let columnMax = -Infinity;
  let rowMin = Infinity;
  let rowMax = -Infinity;
  for (const [x, y] of model) {
    const dx = x - affine.c;
    const dy = y - affine.f;
    const column = (affine.e * dx - affine.b * dy) / determinant;
    const row = (affine.a * dy - affine.d * dx) / determinant;
    columnMin = Math.min(columnMin, column);
    columnMax = Math.max(columnMax, column);
    rowMin = Math.min(rowMin, row);
    rowMax = Math.max(rowMax, row);
  }
  const clamp = (value: number, limit: number) => Math.min(limit, Math.max(0, value));
  const columnStart = clamp(Math.floor(columnMin), width);
  const rowStart = clamp(Math.floor(rowMin), height);
  return {
    columnStart,
    columnEnd: Math.max(columnStart, clamp(Math.ceil(columnMax), width)),
    rowStart,
    rowEnd: Math.max(rowStart, clamp(Math.ceil(rowMax), height)),
  };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
