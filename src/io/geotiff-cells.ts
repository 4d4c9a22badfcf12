import type { CoverageResult } from '../coverage';
import { rulesRecord } from './coverage-export';
import { type CogImage, cogBytes, cogChunks } from './geotiff-write';

/**
 * The residential grid as two Cloud-Optimized GeoTIFFs (EPSG:4326; the grid is regular in longitude and
 * latitude): `cells.tif` with Float32 distance bands, `cells-verdicts.tif` with the verdict as UInt8
 * categories and a colour table. Pixels that are not residential, and distances beyond the reach, are
 * nodata.
 */

/** Nodata of the distance bands: not residential, beyond the reach, or a rule not in use. */
export const distanceNodata = -9999;

/** Verdict categories of `cells-verdicts.tif` (0 is nodata: not residential). */
export const verdictCategories = ['not residential', 'neither', 'green only', 'park only', 'both'] as const;

/**
 * Category colours (RGB), the map's palette (src/theme/cell-colors.ts, Paul Tol's "muted"; the theme may
 * not be imported from io, a test keeps them equal).
 */
export const verdictColors: [number, number, number][] = [
  [0, 0, 0],
  [136, 34, 85],
  [68, 170, 153],
  [221, 204, 119],
  [136, 204, 238],
];

/** The verdict category of one cell from its flags (1 green, 2 park, 4 every rule in use), as the legend names it. */
export function verdictCategory(verdict: number, rulesInUse: number): number {
  if (verdict & 4) return 4;
  if (rulesInUse < 2) return 1;
  if (verdict & 1) return 2;
  if (verdict & 2) return 3;
  return 1;
}

/** Metres rounded to 0.1 m as in the vector exports; nodata beyond the reach. */
function rounded(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 10) / 10 : distanceNodata;
}

/** The two rasters of a result: distance bands and verdict categories, row 0 at the north edge. */
export function cellRasters(result: CoverageResult): { distances: CogImage; verdicts: CogImage } {
  const { grid } = result;
  const size = grid.columns * grid.rows;
  const fields: [string, Float32Array | null][] = [
    ['green_m', result.greenMeters],
    ['park_m', result.parkMeters],
  ];
  if (result.distance === 'network') {
    fields.push(['green_straight_m', result.greenStraightMeters], ['park_straight_m', result.parkStraightMeters]);
  }
  const bands = fields.map(() => new Float32Array(size).fill(distanceNodata));
  const verdicts = new Uint8Array(size);
  const rulesInUse = Number(result.rules.green !== null) + Number(result.rules.park !== null);
  for (let k = 0; k < result.cellIndex.length; k++) {
    const index = result.cellIndex[k];
    const row = Math.floor(index / grid.columns);
    // Grid row 0 is the south edge; raster row 0 is the north edge.
    const pixel = (grid.rows - 1 - row) * grid.columns + (index - row * grid.columns);
    fields.forEach(([, field], band) => {
      if (field) bands[band][pixel] = rounded(field[k]);
    });
    verdicts[pixel] = verdictCategory(result.verdicts[k], rulesInUse);
  }
  const rules = rulesRecord(result);
  const common = {
    width: grid.columns,
    height: grid.rows,
    west: grid.west,
    north: grid.south + grid.rows * grid.latitudeStep,
    longitudeStep: grid.longitudeStep,
    latitudeStep: grid.latitudeStep,
  };
  const metadata = {
    RULES: JSON.stringify(rules),
    RULES_DESCRIPTION: rules.description.en,
    CELL_METERS: String(grid.cellMeters),
    DISTANCE: result.distance,
    REACH_METERS: JSON.stringify(result.reachMeters),
    OVERVIEW_RESAMPLING: 'NEAREST (first valid pixel of each 2x2 block)',
  };
  return {
    distances: {
      ...common,
      type: 'float32',
      bands,
      nodata: distanceNodata,
      bandNames: fields.map(([name]) => name),
      bandUnits: fields.map(() => 'm'),
      metadata: {
        ...metadata,
        NODATA_MEANING: 'not residential, beyond reach_meters, or a rule not in use',
      },
    },
    verdicts: {
      ...common,
      type: 'uint8',
      bands: [verdicts],
      nodata: 0,
      bandNames: ['verdict'],
      metadata: {
        ...metadata,
        CATEGORIES: verdictCategories.map((name, value) => `${value}=${name}`).join(', '),
      },
      colorMap: verdictColors,
    },
  };
}

/** Both files as chunks to stream to disk (the CLI); `deflate` as in {@link CogImage}. */
export function geotiffChunks(
  result: CoverageResult,
  deflate?: CogImage['deflate'],
): { cells: Uint8Array[]; verdicts: Uint8Array[] } {
  const rasters = cellRasters(result);
  return {
    cells: cogChunks({ ...rasters.distances, deflate }),
    verdicts: cogChunks({ ...rasters.verdicts, deflate }),
  };
}

/** Both files as bytes (the app's export menu): `cells.tif` and `cells-verdicts.tif`. */
export function geotiffBytes(result: CoverageResult): { cells: Uint8Array; verdicts: Uint8Array } {
  const rasters = cellRasters(result);
  return { cells: cogBytes(rasters.distances), verdicts: cogBytes(rasters.verdicts) };
}
