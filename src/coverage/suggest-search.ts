import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { CoverageModel } from './coverage';
import { type GreenFeature, prepareGreenFeature } from './features';
import { columnCenterLongitude, type GridWindow, rowCenterLatitude } from './grid';
import { InputError } from './input-error';
import { type CriterionId, qualifies } from './rules';
import { residentialSlots } from './site-homes';
import { scanPolygon, stampPath } from './stamp';
import { parcelSite, type SiteSpec, siteSpec, squareSite } from './suggest-sites';

/**
 * The candidate sites of "suggest N sites" (see `suggest.ts` for the greedy choice among them): a
 * lattice of grid cells off residential land, or a candidate layer, and the exact gain of each, stamped
 * with the engine's own code onto scratch fields.
 */

export interface SuggestOptions {
  /**
   * A candidate layer: each Point (or MultiPoint part) becomes a square site centred on it; each Polygon or
   * MultiPolygon is a parcel used as the site itself when its area reaches the site area (smaller ones are
   * skipped). Default: a lattice of grid cells that are not residential land.
   */
  candidates?: FeatureCollection | null;
  /** Lattice candidates may lie on residential land too (for data where all land is residential). */
  anywhere?: boolean;
  /** The lattice is thinned (one candidate per k × k block of cells) to stay within this many. Default 100,000. */
  maxCandidates?: number;
  /** Override the site area (m²); default from the rules. */
  siteAreaSquareMeters?: number;
}

const defaultMaxCandidates = 100_000;

interface Candidate {
  feature: Feature<Polygon | MultiPolygon>;
  green: GreenFeature;
}

/**
 * The search state: candidates, which residential cells still lack which criterion, and scratch fields to
 * stamp a candidate on. `gainOf` and `accept` are exact with respect to the engine's own verdicts.
 */
export class SiteSearch {
  readonly candidates: Candidate[] = [];
  readonly spec: SiteSpec;
  latticeSpacing: number | null = null;
  skippedCandidates = 0;
  /** Residential slot of each grid cell, or -1. */
  readonly slot: Int32Array;
  /** Per grid cell: bit 1 lacks green, bit 2 lacks park; 0 once it meets every criterion (and off residential land). */
  readonly lacking: Uint8Array;
  private readonly scratch: Record<CriterionId, Float32Array | null> = { green: null, park: null };
  private readonly criteria: CriterionId[];

  constructor(
    readonly model: CoverageModel,
    options: SuggestOptions = {},
  ) {
    const { grid, residentialCells, fields, rules } = model;
    this.spec = siteSpec(model, options.siteAreaSquareMeters);
    this.criteria = (['green', 'park'] as const).filter((id) => fields[id]);
    const cellCount = grid.rows * grid.columns;
    this.slot = residentialSlots(model);
    this.lacking = new Uint8Array(cellCount);
    for (const [id, bit] of [
      ['green', 1],
      ['park', 2],
    ] as const) {
      const field = fields[id];
      if (!field) continue;
      const radius = rules[id]!.radiusMeters;
      const squared = field.squaredMeters;
      for (let k = 0; k < residentialCells.length; k++) {
        const index = residentialCells[k];
        if (!(Math.sqrt(squared[index]) <= radius)) this.lacking[index] |= bit;
      }
      this.scratch[id] = new Float32Array(cellCount).fill(Infinity);
    }
    if (options.candidates) this.candidatesFromLayer(options.candidates);
    else this.latticeCandidates(options.anywhere ?? false, options.maxCandidates ?? defaultMaxCandidates);
  }

  private addCandidate(feature: Feature<Polygon | MultiPolygon>): boolean {
    const green = prepareGreenFeature(feature, -1, 'greenspaces', this.candidates.length);
    if (!green || green.areaSquareMeters < this.spec.areaSquareMeters) return false;
    this.candidates.push({ feature, green });
    return true;
  }

  /** A square site at a point, grown by 0.1 m steps if its geodesic area falls short there. */
  private addSquare(longitude: number, latitude: number): void {
    let side = this.spec.sideMeters;
    for (let attempt = 0; attempt < 100; attempt++, side += 0.1) {
      if (this.addCandidate(squareSite(longitude, latitude, side, this.spec.kind))) return;
    }
    this.skippedCandidates++;
  }

  /** Eligible cells (not residential unless `anywhere`, not inside an existing qualifying area), thinned to a lattice. */
  private latticeCandidates(anywhere: boolean, maxCandidates: number): void {
    const { grid, fields } = this.model;
    const inside = (fields.park ?? fields.green)!.squaredMeters;
    const eligible = (index: number) => (anywhere || this.slot[index] < 0) && inside[index] !== 0;
    let count = 0;
    for (let i = 0; i < inside.length; i++) if (eligible(i)) count++;
    let spacing = Math.max(1, Math.ceil(Math.sqrt(count / maxCandidates)));
    let picks: number[];
    for (;;) {
      picks = this.lattice(spacing, eligible);
      if (picks.length <= maxCandidates) break;
      spacing++;
    }
    this.latticeSpacing = spacing;
    for (const index of picks) {
      const row = Math.floor(index / grid.columns);
      this.addSquare(columnCenterLongitude(grid, index - row * grid.columns), rowCenterLatitude(grid, row));
    }
  }

  /** One cell per `spacing` × `spacing` block that holds an eligible cell: the eligible cell nearest the block centre. */
  private lattice(spacing: number, eligible: (index: number) => boolean): number[] {
    const { rows, columns } = this.model.grid;
    const picks: number[] = [];
    if (spacing === 1) {
      for (let i = 0; i < rows * columns; i++) if (eligible(i)) picks.push(i);
      return picks;
    }
    const centre = (spacing - 1) / 2;
    for (let blockRow = 0; blockRow < rows; blockRow += spacing) {
      for (let blockColumn = 0; blockColumn < columns; blockColumn += spacing) {
        let best = -1;
        let bestDistance = Infinity;
        for (let row = blockRow; row < Math.min(rows, blockRow + spacing); row++) {
          for (let column = blockColumn; column < Math.min(columns, blockColumn + spacing); column++) {
            const index = row * columns + column;
            if (!eligible(index)) continue;
            const distance = (row - blockRow - centre) ** 2 + (column - blockColumn - centre) ** 2;
            if (distance < bestDistance) {
              bestDistance = distance;
              best = index;
            }
          }
        }
        if (best >= 0) picks.push(best);
      }
    }
    return picks;
  }

  private candidatesFromLayer(layer: FeatureCollection): void {
    if (layer?.type !== 'FeatureCollection' || !Array.isArray(layer.features)) {
      throw InputError.inLayer('candidates', null, 'is not a GeoJSON FeatureCollection');
    }
    layer.features.forEach((feature, index) => {
      const geometry = feature?.geometry;
      if (!geometry) {
        this.skippedCandidates++;
        return;
      }
      const points: Position[] =
        geometry.type === 'Point' ? [geometry.coordinates] : geometry.type === 'MultiPoint' ? geometry.coordinates : [];
      if (geometry.type === 'Point' || geometry.type === 'MultiPoint') {
        for (const [longitude, latitude] of points) {
          if (!Number.isFinite(longitude) || !Number.isFinite(latitude) || Math.abs(latitude) > 90) {
            throw InputError.inLayer('candidates', index, 'a point is not a finite longitude/latitude', 'coordinates');
          }
          this.addSquare(longitude, latitude);
        }
      } else if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') {
        if (!this.addCandidate(parcelSite(geometry, this.spec.kind, index))) this.skippedCandidates++;
      } else {
        throw InputError.inLayer(
          'candidates',
          index,
          `geometry is ${geometry.type}; candidates must be points or polygons`,
          'geometry',
        );
      }
    });
  }

  /** Criteria the candidate qualifies for, among those in use. */
  private siteCriteria(site: GreenFeature): CriterionId[] {
    return this.criteria.filter((id) => qualifies(this.model.rules[id], site.kind, site.areaSquareMeters));
  }

  /**
   * Stamps `site` on the scratch fields exactly as `DistanceField.add` would, but only over the cells that
   * still lack the criterion (a cell's stamped value does not depend on the window stamped), calls `visit`
   * with each residential cell still lacking something, then clears the scratch.
   */
  private withStamp(site: GreenFeature, visit: (index: number) => void): void {
    const { model, lacking } = this;
    const { grid, scales } = model;
    const { columns } = grid;
    let outer: GridWindow | null = null;
    const stamped: [Float32Array, GridWindow][] = [];
    for (const id of this.siteCriteria(site)) {
      const bit = id === 'green' ? 1 : 2;
      const field = model.fields[id]!;
      const scratch = this.scratch[id]!;
      const reach = field.windowOf(site);
      // The part of the reach window holding cells that lack this criterion.
      let rowStart = -1;
      let rowEnd = -1;
      let columnStart = reach.columnEnd;
      let columnEnd = reach.columnStart;
      for (let row = reach.rowStart; row < reach.rowEnd; row++) {
        const base = row * columns;
        let first = -1;
        let last = -1;
        for (let column = reach.columnStart; column < reach.columnEnd; column++) {
          if (lacking[base + column] & bit) {
            if (first < 0) first = column;
            last = column;
          }
        }
        if (first < 0) continue;
        if (rowStart < 0) rowStart = row;
        rowEnd = row + 1;
        if (first < columnStart) columnStart = first;
        if (last + 1 > columnEnd) columnEnd = last + 1;
      }
      if (rowStart < 0) continue;
      const window: GridWindow = { rowStart, rowEnd, columnStart, columnEnd };
      for (const rings of site.polygons) {
        scanPolygon(grid, rings, window, (row, start, end) => {
          scratch.fill(0, row * columns + start, row * columns + end);
        });
      }
      for (const path of site.paths) stampPath(scratch, grid, scales, path, field.reachMeters, window);
      stamped.push([scratch, window]);
      outer = outer ? unionWindow(outer, window) : window;
    }
    if (outer) {
      const { rowStart, rowEnd, columnStart, columnEnd } = outer as GridWindow;
      for (let row = rowStart; row < rowEnd; row++) {
        const end = row * columns + columnEnd;
        for (let index = row * columns + columnStart; index < end; index++) {
          if (lacking[index] !== 0) visit(index);
        }
      }
    }
    for (const [scratch, window] of stamped) {
      for (let row = window.rowStart; row < window.rowEnd; row++) {
        scratch.fill(Infinity, row * columns + window.columnStart, row * columns + window.columnEnd);
      }
    }
  }

  /** Which of the cell's lacking bits the stamped site supplies. */
  private supplied(index: number, lacking: number): number {
    const { green, park } = this.scratch;
    const { rules } = this.model;
    let bits = 0;
    if (lacking & 1 && green && Math.sqrt(green[index]) <= rules.green!.radiusMeters) bits |= 1;
    if (lacking & 2 && park && Math.sqrt(park[index]) <= rules.park!.radiusMeters) bits |= 2;
    return bits;
  }

  /** Cells and residents that would newly meet every criterion if candidate `i` were added now. */
  gainOf(i: number): { cells: number; population: number } {
    const population = this.model.cellPopulation;
    let cells = 0;
    let residents = 0;
    const { lacking, slot } = this;
    this.withStamp(this.candidates[i].green, (index) => {
      if (this.supplied(index, lacking[index]) === lacking[index]) {
        cells++;
        if (population) residents += population[slot[index]];
      }
    });
    return { cells, population: residents };
  }

  /** Records candidate `i` as built: the criteria it supplies are no longer lacking. */
  accept(i: number): void {
    const { lacking } = this;
    this.withStamp(this.candidates[i].green, (index) => {
      lacking[index] &= ~this.supplied(index, lacking[index]);
    });
  }
}

function unionWindow(a: GridWindow, b: GridWindow): GridWindow {
  return {
    rowStart: Math.min(a.rowStart, b.rowStart),
    rowEnd: Math.max(a.rowEnd, b.rowEnd),
    columnStart: Math.min(a.columnStart, b.columnStart),
    columnEnd: Math.max(a.columnEnd, b.columnEnd),
  };
}
