import type { FeatureCollection } from 'geojson';
import { collectionBounds, eachPosition } from '../coverage/geometry';
import { InputError } from '../coverage/input-error';
import { type ByteInput, byteSource, readAll } from './byte-source';
import { SNIFF_BYTES } from './content-sniff';
import {
  type CrsInfo,
  coordinateShape,
  crsFromGeoJsonMember,
  crsFromWkt,
  parseCrsCode,
  swapAxes,
  toWgs84,
  WGS84,
} from './coordinates';
import { flatGeobufInfo, readFlatGeobuf } from './flatgeobuf-read';
import { readGeoJson } from './geojson';
import type { GeoTiffPopulation } from './geotiff-read';
import { checkLayerHead, type LayerFormat } from './layer-head';
import { checkNesting } from './nesting-depth';
import { type LayerRole, prepareLayerForRole, type SkippedFeature } from './validate';

/**
 * One entry point for every imported file, in the app and the CLI: detects the format from the bytes
 * (zip → Shapefile, "fgb" magic → FlatGeobuf, TIFF magic → a GeoTIFF population grid as points, `{` →
 * GeoJSON or NDJSON) or the name (.csv/.tsv), reads it,
 * finds its coordinate system (the option, else the file's own: .prj, FlatGeobuf header, GeoJSON `crs`),
 * converts it to WGS84 (and from GCJ-02 when asked), checks that the result is longitude/latitude
 * (detecting projected and swapped coordinates), classifies OpenStreetMap features for the role, and
 * validates/repairs the geometry for the role. Fatal problems are InputErrors naming the file (and the
 * feature); everything else lands in `warnings` and `skipped`.
 *
 * The Shapefile, CSV and GeoTIFF drivers, proj4 and gcoord are imported on demand, so a GeoJSON/FlatGeobuf import
 * in WGS84 loads none of them. The input may be the bytes, a Blob (a browser File) or a `ByteSource` (the
 * CLI's file on disk): a GeoTIFF is read by ranges (only the window it needs, so no whole-file limit
 * applies to it), every other format whole.
 */

export type { LayerFormat } from './layer-head';

export interface ReadLayerOptions {
  /** The role the layer will play; without it, geometry is not checked against a role. */
  role?: LayerRole;
  /** A coordinate system chosen by the user ("EPSG:4544"); it overrides the file's own. */
  crs?: string;
  /** The data comes from a Chinese web map (GCJ-02): convert to WGS84 after any projection. */
  gcj02?: boolean;
  /** Refuse larger files read whole with a clear message (default 1 GiB; a GeoTIFF is read by ranges). */
  maxBytes?: number;
  /** Refuse larger GeoJSON text (default and at most 511 MiB). */
  maxTextBytes?: number;
  /** The limits are a browser's (the message points to the CLI). */
  inBrowser?: boolean;
  /**
   * A GeoTIFF population grid is read only over these WGS84 bounds [west, south, east, north] (the
   * residential land's) plus a margin, so a country-wide raster does not become millions of points.
   */
  clipBounds?: [number, number, number, number] | null;
}

export interface ReadLayerResult {
  format: LayerFormat;
  /** WGS84 longitude/latitude features, checked and repaired for the role. */
  collection: FeatureCollection;
  /** The system the file was in (converted from). */
  crs: CrsInfo;
  gcj02: boolean;
  /** Features in the file (before skipping). */
  featuresRead: number;
  /** For each feature of `collection`, its index in the file. */
  sourceIndex: number[];
  skipped: SkippedFeature[];
  warnings: string[];
  repairs: Record<string, number>;
  /**
   * A GeoTIFF population grid: its size, the pixels read (in the window) and kept (with residents), and
   * the bytes of the file read by ranges.
   */
  grid?: Pick<
    GeoTiffPopulation,
    'width' | 'height' | 'pixelsRead' | 'pixelsKept' | 'residents' | 'bytesRead' | 'fileBytes'
  >;
}

/** Reads, converts and validates one layer file. */
export async function readLayerFile(
  input: ByteInput,
  fileName: string,
  options: ReadLayerOptions = {},
): Promise<ReadLayerResult> {
  const source = byteSource(input);
  const head = input instanceof Uint8Array ? input : await source.read(0, SNIFF_BYTES);
  const format = checkLayerHead(head, fileName, source.size, {
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    ...(options.maxTextBytes !== undefined ? { maxTextBytes: options.maxTextBytes } : {}),
    ...(options.inBrowser !== undefined ? { inBrowser: options.inBrowser } : {}),
  });
  // Every format but GeoTIFF is read whole (the head check above refused one over the limit).
  const bytes = format === 'geotiff' ? new Uint8Array(0) : await readAll(input);
  const warnings: string[] = [];
  const skippedBefore: SkippedFeature[] = [];
  let collection: FeatureCollection;
  let fileCrs: CrsInfo | null = null;
  let grid: ReadLayerResult['grid'];
  const crsProblem = (problem: string) => new InputError(fileName, null, problem, { code: 'crs' });

  if (format === 'shapefile') {
    const { readShapefileZip } = await import('./shapefile');
    const layer = await readShapefileZip(bytes, fileName);
    collection = layer.collection;
    warnings.push(...layer.warnings.filter((w) => !(options.crs && /\.prj/.test(w))));
    if (layer.encoding !== 'none') warnings.push(`attributes decoded as ${layer.encoding}`);
    if (layer.prj) {
      try {
        fileCrs = crsFromWkt(layer.prj, 'prj');
      } catch (error) {
        if (!options.crs) throw crsProblem(`.prj: ${(error as Error).message}`);
      }
    }
  } else if (format === 'flatgeobuf') {
    const info = flatGeobufInfo(bytes, fileName);
    collection = readFlatGeobuf(bytes, fileName);
    if (info.hasZ || info.hasM) warnings.push('dropped Z/M values (the file is 3D)');
    if (info.crs) {
      try {
        fileCrs =
          info.crs.code > 0 && (info.crs.org ?? 'EPSG').toUpperCase() === 'EPSG'
            ? parseCrsCode(`EPSG:${info.crs.code}`, 'flatgeobuf')
            : crsFromWkt(info.crs.wkt ?? '', 'flatgeobuf');
      } catch (error) {
        if (!options.crs) throw crsProblem(`the header's coordinate system: ${(error as Error).message}`);
      }
    }
  } else if (format === 'geotiff') {
    const { readGeoTiffPopulation } = await import('./geotiff-read');
    let chosen: CrsInfo | null = null;
    if (options.crs) {
      try {
        chosen = parseCrsCode(options.crs, 'option');
      } catch (error) {
        throw crsProblem((error as Error).message);
      }
    }
    const read = await readGeoTiffPopulation(source, fileName, { clipBounds: options.clipBounds ?? null, crs: chosen });
    collection = read.collection;
    if (!chosen) fileCrs = read.crs;
    warnings.push(...read.warnings);
    const { width, height, pixelsRead, pixelsKept, residents, bytesRead, fileBytes } = read;
    grid = { width, height, pixelsRead, pixelsKept, residents, bytesRead, fileBytes };
  } else if (format === 'csv') {
    const { readCsv } = await import('./csv');
    const layer = readCsv(bytes, fileName);
    collection = layer.collection;
    warnings.push(...layer.warnings, `coordinates from columns "${layer.columns.x}" and "${layer.columns.y}"`);
    skippedBefore.push(...layer.skipped);
  } else {
    const text = new TextDecoder().decode(bytes);
    collection = readGeoJson(text, fileName);
    if (THREE_D_POSITION.test(text.slice(0, 4_000_000))) warnings.push('dropped Z values (3D coordinates)');
    const member = (collection as { crs?: unknown }).crs;
    if (member !== undefined) {
      try {
        fileCrs = crsFromGeoJsonMember(member);
      } catch (error) {
        if (!options.crs) throw crsProblem(`"crs" member: ${(error as Error).message}`);
      }
      delete (collection as { crs?: unknown }).crs;
    }
  }

  // Before anything copies the features (a worker, IndexedDB): attributes nested without end overflow them.
  checkNesting(collection, fileName);
  let crs = fileCrs ?? WGS84;
  if (options.crs) {
    try {
      crs = parseCrsCode(options.crs, 'option');
    } catch (error) {
      throw crsProblem((error as Error).message);
    }
    if (fileCrs && fileCrs.code !== crs.code) {
      warnings.push(`the file says ${fileCrs.name} (${fileCrs.code}); using ${crs.code} as asked`);
    }
  }
  const featuresRead = collection.features.length + (format === 'csv' ? skippedBefore.length : 0);

  if (crs.definition === null) checkLonLat(collection, fileName, crs, warnings);
  else {
    const bounds = collectionBounds(collection);
    if (bounds && coordinateShape(bounds).kind === 'lonlat') {
      throw crsProblem(
        `the coordinates look like longitude/latitude already (x ${bounds[0]}…${bounds[2]}), not ${crs.name} (${crs.code}, from ${describeSource(crs.source)})`,
      );
    }
  }
  if (crs.definition !== null || options.gcj02) await toWgs84(collection, crs, options.gcj02 === true, fileName);
  if (crs.definition !== null) {
    const bounds = collectionBounds(collection);
    if (bounds && coordinateShape(bounds).kind !== 'lonlat') {
      throw crsProblem(
        `after conversion from ${crs.code} the coordinates are still not longitude/latitude; is ${crs.code} right?`,
      );
    }
    warnings.push(`converted from ${crs.name} (${crs.code}, from ${describeSource(crs.source)}) to WGS 84`);
  }
  if (options.gcj02) warnings.push('converted from GCJ-02 (Chinese web-map coordinates) to WGS 84');

  if (!options.role) {
    return {
      format,
      collection,
      crs,
      gcj02: options.gcj02 === true,
      featuresRead,
      sourceIndex: collection.features.map((_, i) => i),
      skipped: skippedBefore,
      warnings,
      repairs: {},
      ...(grid ? { grid } : {}),
    };
  }

  // OpenStreetMap exports: kinds from tags, features the role has no use for skipped; then validation.
  const prepared = prepareLayerForRole(collection, options.role, fileName, skippedBefore);
  return {
    format,
    collection: prepared.collection,
    crs,
    gcj02: options.gcj02 === true,
    featuresRead,
    sourceIndex: prepared.sourceIndex,
    skipped: prepared.skipped,
    warnings: [
      ...warnings,
      // Shapefile outer rings are clockwise by definition: rewinding them is no news.
      ...prepared.warnings.filter((w) => !(format === 'shapefile' && w.startsWith('rewound'))),
    ],
    repairs: prepared.repairs,
    ...(grid ? { grid } : {}),
  };
}

/** A position with three numbers somewhere in GeoJSON text. */
const THREE_D_POSITION = /\[\s*-?\d[\d.eE+-]*\s*,\s*-?\d[\d.eE+-]*\s*,\s*-?\d[\d.eE+-]*\s*[,\]]/;

function describeSource(source: CrsInfo['source']): string {
  return {
    prj: 'the .prj',
    flatgeobuf: 'the FlatGeobuf header',
    geojson: 'the GeoJSON "crs" member',
    geotiff: 'the GeoTIFF GeoKeys',
    option: 'the chosen system',
    default: 'the default',
  }[source];
}

/**
 * For a layer taken as longitude/latitude: swapped axes are fixed (with a warning) when only the swapped
 * reading is valid; projected numbers are an InputError naming the first such position and the likely systems.
 */
function checkLonLat(collection: FeatureCollection, fileName: string, crs: CrsInfo, warnings: string[]): void {
  const bounds = collectionBounds(collection);
  if (!bounds) return;
  const shape = coordinateShape(bounds);
  if (shape.kind === 'lonlat') return;
  if (shape.kind === 'swapped') {
    swapAxes(collection);
    warnings.push('the coordinates were latitude, longitude (y beyond ±90°): swapped to longitude, latitude');
    return;
  }
  let where: { index: number; position: number[] } | null = null;
  collection.features.some((feature, index) => {
    if (!feature.geometry) return false;
    eachPosition(feature.geometry, (p) => {
      if (!where && (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)) where = { index, position: p };
    });
    return where !== null;
  });
  const found = where as { index: number; position: number[] } | null;
  const range = `x ${fmt(bounds[0])}…${fmt(bounds[2])}, y ${fmt(bounds[1])}…${fmt(bounds[3])}`;
  const likely = shape.candidates.length > 0 ? ` (likely ${shape.candidates.join(' or ')})` : '';
  const said = crs.source === 'default' ? 'names no coordinate system' : `says ${crs.name}`;
  throw new InputError(
    fileName,
    found ? found.index : null,
    `coordinate [${found ? found.position.slice(0, 2).join(', ') : '?'}] is not longitude/latitude: the layer looks projected (${range}) but ${said}; give its system (CLI: --crs LAYER=EPSG:NNNN)${likely}`,
    { code: 'crs' },
  );
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
