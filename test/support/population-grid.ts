import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Population grids as GeoTIFFs written by GDAL (the outside writer): an ESRI ASCII grid of the given
 * rows (north first) with nodata −1, translated with `gdal_translate -a_srs … -a_nodata -1`.
 */

export const gdalTranslate = spawnSync('gdal_translate', ['--version'], { encoding: 'utf8' });
export const gdalAvailable = gdalTranslate.status === 0;

export interface AsciiGrid {
  /** West and south edges of the grid in the system's units. */
  west: number;
  south: number;
  cellSize: number;
  /** Values by row, the northernmost row first (as an ASCII grid lists them). */
  rows: number[][];
}

/** Runs a GDAL tool; throws with its stderr when it fails. */
export function gdal(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** Writes `grid` as `<name>.tif` in `dir` (Float32, nodata −1, the system `srs`), with extra gdal_translate options. */
export function writePopulationTiff(dir: string, name: string, grid: AsciiGrid, srs: string, extra: string[] = []) {
  const ascii = join(dir, `${name}.asc`);
  writeFileSync(
    ascii,
    [
      `ncols ${grid.rows[0].length}`,
      `nrows ${grid.rows.length}`,
      `xllcorner ${grid.west}`,
      `yllcorner ${grid.south}`,
      `cellsize ${grid.cellSize}`,
      'NODATA_value -1',
      ...grid.rows.map((row) => row.join(' ')),
      '',
    ].join('\n'),
  );
  const tiff = join(dir, `${name}.tif`);
  gdal('gdal_translate', [
    '-q',
    '-of',
    'GTiff',
    '-ot',
    'Float32',
    '-a_srs',
    srs,
    '-a_nodata',
    '-1',
    ...extra,
    ascii,
    tiff,
  ]);
  return tiff;
}

/** Pixel centres (longitude, latitude) of model points in `srs`, by gdaltransform (GDAL's PROJ, not ours). */
export function gdalToLonLat(points: [number, number][], srs: string): [number, number][] {
  const result = spawnSync('gdaltransform', ['-s_srs', srs, '-t_srs', 'EPSG:4326', '-output_xy'], {
    input: points.map((p) => `${p[0]} ${p[1]}`).join('\n'),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`gdaltransform: ${result.stderr}`);
  // GDAL answers latitude, longitude for EPSG:4326 unless told the traditional order; -output_xy gives x y.
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
}

/** 4 × 3 pixels of 0.01° from (104.00, 30.00), rows north first: −1 is nodata, −3 negative, 0 empty. */
export const sampleGrid: AsciiGrid = {
  west: 104,
  south: 30,
  cellSize: 0.01,
  rows: [
    [10, -1, 5, 0],
    [0, 7.5, -3, 2],
    [-1, 0, 1, 4],
  ],
};

/** A Polygon feature of the box [west, south, east, north]. */
export function rectangle(
  west: number,
  south: number,
  east: number,
  north: number,
  properties: Record<string, unknown> = {},
) {
  return {
    type: 'Feature' as const,
    properties,
    geometry: {
      type: 'Polygon' as const,
      coordinates: [
        [
          [west, south],
          [east, south],
          [east, north],
          [west, north],
          [west, south],
        ],
      ],
    },
  };
}

/** A square Polygon feature of `half` degrees half-side around (x, y). */
export function square(x: number, y: number, half: number, properties: Record<string, unknown> = {}) {
  return rectangle(x - half, y - half, x + half, y + half, properties);
}
