import { area } from '@turf/area';
import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import { fullWindow, type Grid } from './grid';
import { scanPolygon } from './stamp';

/**
 * Residents of each residential cell from a population layer (the planner's own: points with a count,
 * such as a census or a WorldPop grid as points, or polygons with a count, such as census blocks),
 * spread by building floor area (footprint × levels) where buildings exist and by area otherwise.
 */

/** What a population layer gives, and where it could not be placed. */
export interface PopulationSpread {
  cellPopulation: Float64Array;
  /** Residents the layer gives in all. */
  given: number;
  /** Residents of points with no residential cell within `pointReachCells`, and of polygons holding none. */
  unplaced: number;
  /** Buildings whose floor area weighs the residents (their centre lies in a residential cell); 0 without. */
  buildingsWeighed: number;
}

export interface PopulationOptions {
  /** Building footprints; `building:levels` (or `levels`) multiplies the footprint, else `defaultLevels`. */
  buildings?: FeatureCollection | null;
  /** Levels of a building that does not say (default 3). */
  defaultLevels?: number;
  /** A point outside residential land goes to the nearest residential cell within this many cells (default 5). */
  pointReachCells?: number;
}

/** The count a feature carries: `population`, else `pop` or `count`; null when none is a number ≥ 0. */
export function populationOf(feature: Feature): number | null {
  const properties = feature.properties ?? {};
  for (const key of ['population', 'pop', 'count']) {
    const raw = properties[key];
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return null;
}

/**
 * Spreads a population layer over the residential cells (`residentialCells`: grid indices, ascending).
 * Every resident of the layer ends in a cell or in `unplaced`, so the cells add up to the layer.
 */
export function spreadPopulation(
  grid: Grid,
  residentialCells: Uint32Array,
  population: FeatureCollection,
  options: PopulationOptions = {},
): PopulationSpread {
  const count = residentialCells.length;
  // Position in residentialCells of each grid cell, or -1 (one lookup per point or scanned cell).
  const positionOf = new Int32Array(grid.rows * grid.columns).fill(-1);
  for (let k = 0; k < count; k++) positionOf[residentialCells[k]] = k;
  const { weights, buildingsWeighed } = floorAreaWeights(grid, positionOf, count, options);
  const cellPopulation = new Float64Array(count);
  let given = 0;
  let unplaced = 0;
  const whole = fullWindow(grid);
  for (const feature of population.features) {
    const residents = populationOf(feature);
    const geometry = feature.geometry;
    if (residents === null || residents === 0 || !geometry) continue;
    given += residents;
    if (geometry.type === 'Point' || geometry.type === 'MultiPoint') {
      const points = geometry.type === 'Point' ? [geometry.coordinates] : geometry.coordinates;
      for (const point of points) {
        const k = nearestResidential(grid, positionOf, point, options.pointReachCells ?? 5);
        if (k >= 0) cellPopulation[k] += residents / points.length;
        else unplaced += residents / points.length;
      }
      continue;
    }
    if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') continue;
    // A polygon's residents go to the residential cells whose centre it holds, by floor area.
    const members: number[] = [];
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const rings of polygons) {
      const flat = rings.map((ring) => Float64Array.from(ring.flatMap((p) => [p[0], p[1]])));
      scanPolygon(grid, flat, whole, (row, columnStart, columnEnd) => {
        for (let column = columnStart; column < columnEnd; column++) {
          const k = positionOf[row * grid.columns + column];
          if (k >= 0) members.push(k);
        }
      });
    }
    if (!distribute(cellPopulation, members, weights, residents)) unplaced += residents;
  }
  return { cellPopulation, given, unplaced, buildingsWeighed };
}

/**
 * Floor area (m²) of the buildings whose centroid lies in each residential cell, or null without
 * buildings, and how many buildings lie in one. A cell with no building weighs nothing where its
 * neighbours in the same polygon have some.
 */
function floorAreaWeights(
  grid: Grid,
  positionOf: Int32Array,
  count: number,
  options: PopulationOptions,
): { weights: Float64Array | null; buildingsWeighed: number } {
  const buildings = options.buildings?.features ?? [];
  if (buildings.length === 0) return { weights: null, buildingsWeighed: 0 };
  const weights = new Float64Array(count);
  let buildingsWeighed = 0;
  const defaultLevels = options.defaultLevels ?? 3;
  for (const building of buildings) {
    const geometry = building.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) continue;
    const outer = geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0]?.[0];
    if (!outer || outer.length < 3) continue;
    const [x, y] = ringCentre(outer);
    const k = positionOf[cellAt(grid, x, y)] ?? -1;
    if (k < 0) continue;
    const raw = building.properties?.['building:levels'] ?? building.properties?.levels;
    const levels = Number(raw);
    weights[k] += area(building as Feature<Polygon>) * (Number.isFinite(levels) && levels > 0 ? levels : defaultLevels);
    buildingsWeighed++;
  }
  return { weights, buildingsWeighed };
}

/** Adds `residents` to `members` by weight (equally when they weigh nothing); false when there are none. */
function distribute(out: Float64Array, members: number[], weights: Float64Array | null, residents: number): boolean {
  if (members.length === 0) return false;
  let total = 0;
  if (weights) for (const k of members) total += weights[k];
  for (const k of members) out[k] += total > 0 ? (residents * weights![k]) / total : residents / members.length;
  return true;
}

/** The grid index of the cell holding a position (−1 outside the grid). */
function cellAt(grid: Grid, longitude: number, latitude: number): number {
  const column = Math.floor((longitude - grid.west) / grid.longitudeStep);
  const row = Math.floor((latitude - grid.south) / grid.latitudeStep);
  return column < 0 || row < 0 || column >= grid.columns || row >= grid.rows ? -1 : row * grid.columns + column;
}

/** The residential cell (position in the cell arrays) holding `point`, else the nearest one within `reach` cells, else −1. */
function nearestResidential(grid: Grid, positionOf: Int32Array, point: Position, reach: number): number {
  const column = Math.floor((point[0] - grid.west) / grid.longitudeStep);
  const row = Math.floor((point[1] - grid.south) / grid.latitudeStep);
  // Rings of cells around the point, nearest first (Chebyshev rings, then the closest centre in a ring).
  for (let radius = 0; radius <= reach; radius++) {
    let best = -1;
    let bestDistance = Infinity;
    for (let r = row - radius; r <= row + radius; r++) {
      for (let c = column - radius; c <= column + radius; c++) {
        if (Math.max(Math.abs(r - row), Math.abs(c - column)) !== radius) continue;
        if (r < 0 || c < 0 || r >= grid.rows || c >= grid.columns) continue;
        const k = positionOf[r * grid.columns + c];
        const distance = (r - row) ** 2 + (c - column) ** 2;
        if (k >= 0 && distance < bestDistance) {
          best = k;
          bestDistance = distance;
        }
      }
    }
    if (best >= 0) return best;
  }
  return -1;
}

/** The mean of a ring's vertices (the closing vertex once): a building's centre, for its cell. */
function ringCentre(ring: Position[]): [number, number] {
  const n =
    ring.length > 1 && ring[0][0] === ring.at(-1)![0] && ring[0][1] === ring.at(-1)![1] ? ring.length - 1 : ring.length;
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    x += ring[i][0];
    y += ring[i][1];
  }
  return [x / n, y / n];
}
