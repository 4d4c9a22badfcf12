import type { Feature, FeatureCollection } from 'geojson';
import type { Community, CoverageLayers, CoverageModel, CoverageOptions, SkippedFeature } from './coverage';
import {
  assertFeatureCollection,
  type GreenFeature,
  polygonRings,
  polygonsBoundingBox,
  prepareGreenFeature,
} from './features';
import { type BoundingBox, createGrid, type Grid, type GridWindow } from './grid';
import { InputError } from './input-error';
import { spreadPopulation } from './population';
import type { RuleSet } from './rules';
import { type RowScales, rowScales, scanPolygon } from './stamp';

/**
 * What a run knows before it measures anything: the checked layers as flat rings and prepared green
 * features, the communities, and the one grid over the whole study area. A whole run and a tiled run
 * both start here, so a tile's window is a window of this grid (each row's scale depends on the grid's
 * south edge: a new grid over the tile would measure other distances).
 */
export interface CoveragePlan {
  grid: Grid;
  scales: RowScales;
  rules: RuleSet;
  communities: Community[];
  /** Each community's polygons (outer ring first, flat closed `[lng, lat, …]`), in layer order. */
  communityPolygons: Float64Array[][][];
  /** Each residential polygon's, or null without a residential layer (the communities are the residential land). */
  residentialPolygons: Float64Array[][][] | null;
  /** Each residential polygon's `population`, or null without a residential layer. */
  residentialPopulations: (number | null)[] | null;
  features: Map<number, GreenFeature>;
  skipped: SkippedFeature[];
  nextFeatureId: number;
}

/** The residential cells of a window of the plan's grid, in grid order, and who holds each. */
export interface ResidentialCells {
  /** Grid indices (`row * columns + column` of the whole grid), ascending. */
  residentialCells: Uint32Array;
  /** Index into `communities` of each cell, or -1 when no community holds its centre. */
  cellCommunity: Int32Array;
  /** Index of the residential polygon holding each cell (of the community without a residential layer). */
  cellResidentialPolygon: Int32Array;
}

/** Checks the layers and prepares everything but the distances; throws InputError naming a bad feature. */
export function planCoverage(layers: CoverageLayers, rules: RuleSet, cellMeters: number): CoveragePlan {
  assertFeatureCollection(layers.communities, 'communities');
  assertFeatureCollection(layers.greenways, 'greenways');
  assertFeatureCollection(layers.greenspaces, 'greenspaces');
  if (layers.residential) assertFeatureCollection(layers.residential, 'residential');
  const skipped: SkippedFeature[] = [];

  const communityAreas = areaPolygons(layers.communities, 'communities', skipped);
  const residentialAreas = layers.residential ? areaPolygons(layers.residential, 'residential', skipped) : null;
  if (communityAreas.length === 0) throw InputError.inLayer('communities', null, 'has no polygons', 'empty');
  if (residentialAreas && residentialAreas.length === 0)
    throw InputError.inLayer('residential', null, 'has no polygons', 'empty');

  const communities: Community[] = communityAreas.map(({ feature, polygons }) => {
    const properties = feature.properties ?? {};
    return {
      name: typeof properties.name === 'string' || typeof properties.name === 'number' ? String(properties.name) : '',
      nameEnglish: typeof properties.name_en === 'string' ? properties.name_en : null,
      population: positiveNumber(properties.population),
      bbox: polygonsBoundingBox(polygons),
    };
  });

  const features = new Map<number, GreenFeature>();
  let nextFeatureId = 0;
  for (const [layer, collection] of [
    ['greenways', layers.greenways],
    ['greenspaces', layers.greenspaces],
  ] as const) {
    collection.features.forEach((feature, index) => {
      const prepared = prepareGreenFeature(feature, nextFeatureId, layer, index);
      if (prepared) features.set(nextFeatureId++, prepared);
      else skipped.push({ layer, featureIndex: index, reason: 'null or empty geometry' });
    });
  }

  // The grid covers the communities and the residential land; green features outside still reach in.
  const bbox: BoundingBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { polygons } of [...communityAreas, ...(residentialAreas ?? [])]) {
    const box = polygonsBoundingBox(polygons);
    bbox[0] = Math.min(bbox[0], box[0]);
    bbox[1] = Math.min(bbox[1], box[1]);
    bbox[2] = Math.max(bbox[2], box[2]);
    bbox[3] = Math.max(bbox[3], box[3]);
  }
  const grid = createGrid(bbox, cellMeters);
  return {
    grid,
    scales: rowScales(grid),
    rules,
    communities,
    communityPolygons: communityAreas.map(({ polygons }) => polygons),
    residentialPolygons: residentialAreas?.map(({ polygons }) => polygons) ?? null,
    residentialPopulations:
      residentialAreas?.map(({ feature }) => positiveNumber(feature.properties?.population)) ?? null,
    features,
    skipped,
    nextFeatureId,
  };
}

/** The residential cells of `window`: each cell belongs to the first community (and residential polygon) holding its centre. */
export function residentialCellsOf(plan: CoveragePlan, window: GridWindow): ResidentialCells {
  const { grid } = plan;
  const gridCommunity = ownerGrid(grid, plan.communityPolygons, window);
  // Without a residential layer, communities are the residential land: reuse their scan.
  const residentialOwner = plan.residentialPolygons ? ownerGrid(grid, plan.residentialPolygons, window) : gridCommunity;
  let residentialCount = 0;
  for (let i = 0; i < residentialOwner.length; i++) if (residentialOwner[i] >= 0) residentialCount++;
  const residentialCells = new Uint32Array(residentialCount);
  const cellCommunity = new Int32Array(residentialCount);
  const cellResidentialPolygon = new Int32Array(residentialCount);
  const width = window.columnEnd - window.columnStart;
  // Row by row: a division and a remainder per cell cost as much as the rest of the loop.
  for (let row = window.rowStart, i = 0, k = 0; row < window.rowEnd; row++) {
    const rowBase = row * grid.columns + window.columnStart;
    for (let column = 0; column < width; column++, i++) {
      if (residentialOwner[i] < 0) continue;
      residentialCells[k] = rowBase + column;
      cellCommunity[k] = gridCommunity[i];
      cellResidentialPolygon[k++] = residentialOwner[i];
    }
  }
  return { residentialCells, cellCommunity, cellResidentialPolygon };
}

/**
 * Residents of each residential cell (of the whole grid: a polygon's or a community's residents are
 * spread over all its cells): from a population layer, else residential polygons that carry it, else
 * each community's spread evenly over its cells (cells are equal in area, so that is "by area").
 */
export function residentsOf(
  plan: CoveragePlan,
  layers: Pick<CoverageLayers, 'population' | 'buildings'>,
  cells: ResidentialCells,
  options: CoverageOptions = {},
): Pick<CoverageModel, 'cellPopulation' | 'populationSource' | 'populationUnplaced' | 'populationBuildings'> {
  if (layers.population) {
    // The planner's own population layer, spread by floor area where buildings are given.
    assertFeatureCollection(layers.population, 'population');
    const spreadLayer = spreadPopulation(plan.grid, cells.residentialCells, layers.population, {
      buildings: layers.buildings ?? null,
      defaultLevels: options.defaultBuildingLevels,
    });
    return {
      populationSource: 'population',
      cellPopulation: spreadLayer.cellPopulation,
      populationUnplaced: Math.round(spreadLayer.unplaced * 10) / 10,
      populationBuildings: spreadLayer.buildingsWeighed,
    };
  }
  if (plan.residentialPopulations?.some((population) => population !== null)) {
    return {
      populationSource: 'residential',
      cellPopulation: spread(plan.residentialPopulations, cells.cellResidentialPolygon),
      populationUnplaced: null,
      populationBuildings: null,
    };
  }
  if (plan.communities.some((community) => community.population !== null)) {
    return {
      populationSource: 'communities',
      cellPopulation: spread(
        plan.communities.map((community) => community.population),
        cells.cellCommunity,
      ),
      populationUnplaced: null,
      populationBuildings: null,
    };
  }
  return { populationSource: null, cellPopulation: null, populationUnplaced: null, populationBuildings: null };
}

/** Each owner's total divided evenly among the cells it owns (`owners[k]`, -1 for none). */
function spread(totals: (number | null)[], owners: Int32Array): Float64Array {
  const counts = new Float64Array(totals.length);
  for (let k = 0; k < owners.length; k++) if (owners[k] >= 0) counts[owners[k]]++;
  const perCell = totals.map((total, owner) => (total !== null && counts[owner] > 0 ? total / counts[owner] : 0));
  const out = new Float64Array(owners.length);
  for (let k = 0; k < owners.length; k++) if (owners[k] >= 0) out[k] = perCell[owners[k]];
  return out;
}

/** Per cell of `window` (row by row), the index of the first owner whose area holds the cell centre, or -1. */
function ownerGrid(grid: Grid, owners: Float64Array[][][], window: GridWindow): Int32Array {
  const width = window.columnEnd - window.columnStart;
  const owner = new Int32Array((window.rowEnd - window.rowStart) * width).fill(-1);
  owners.forEach((polygons, index) => {
    for (const rings of polygons) {
      scanPolygon(grid, rings, window, (row, columnStart, columnEnd) => {
        const base = (row - window.rowStart) * width - window.columnStart;
        for (let column = columnStart; column < columnEnd; column++) {
          if (owner[base + column] < 0) owner[base + column] = index;
        }
      });
    }
  });
  return owner;
}

function positiveNumber(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : null;
}

function areaPolygons(
  collection: FeatureCollection,
  layer: string,
  skipped: SkippedFeature[],
): { feature: Feature; polygons: Float64Array[][] }[] {
  const out: { feature: Feature; polygons: Float64Array[][] }[] = [];
  collection.features.forEach((feature, index) => {
    if (typeof feature !== 'object' || feature === null || feature.type !== 'Feature') {
      throw InputError.inLayer(layer, index, 'is not a GeoJSON Feature', 'geometry');
    }
    if (!feature.geometry) {
      skipped.push({ layer, featureIndex: index, reason: 'null geometry' });
      return;
    }
    const polygons = polygonRings(feature.geometry, layer, index);
    if (polygons === null) {
      throw InputError.inLayer(
        layer,
        index,
        `geometry is ${feature.geometry.type}; ${layer} must be Polygon or MultiPolygon`,
        'geometry',
      );
    }
    if (polygons.length === 0) {
      skipped.push({ layer, featureIndex: index, reason: 'empty geometry' });
      return;
    }
    out.push({ feature, polygons });
  });
  return out;
}
