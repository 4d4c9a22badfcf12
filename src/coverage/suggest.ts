import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { addFeature, type CoverageModel, removeFeature } from './coverage';
import { type GreenFeature, prepareGreenFeature } from './features';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from './geodesy';
import { signedArea } from './geometry';
import { columnCenterLongitude, type GridWindow, rowCenterLatitude } from './grid';
import { InputError } from './input-error';
import { type CriterionId, type GreenKind, qualifies } from './rules';
import { scanPolygon, stampPath } from './stamp';
import { summarizeCoverage } from './summary';

/**
 * "Suggest N sites": where should the next pocket parks go so that the most residents newly meet
 * every rule in force (Chengdu: 300 m to green and 500 m to a park)?
 *
 * Every candidate site is a green area of the kind and size the rules ask of a park (for Chengdu a
 * pocket park of ≥ 1,000 m², which also counts as green since it is ≥ 400 m²). A residential cell that
 * does not yet meet every rule is *covered* by a set of sites when, with them added, it does. One
 * site within the smaller of the radii the cell still lacks is enough and no pair of sites does more
 * than one of them alone, so the objective (residents, or cells when population is unknown, newly
 * meeting every rule) is a weighted coverage function: monotone and submodular. The greedy choice —
 * each time, the site with the largest marginal gain — is therefore within a factor 1 − 1/e (≈ 63%) of
 * the best possible set of N sites (Nemhauser, Wolsey & Fisher 1978), and the lazy evaluation used
 * here (CELF, Leskovec et al. 2007: a stale gain is an upper bound, so only the top of the queue is
 * re-evaluated) returns exactly the greedy's sites.
 *
 * Gains are exact, not estimates: a candidate is stamped onto scratch fields with the engine's own
 * stamping code, so its distance at each cell is the value `addFeature` would store. The reported
 * figures are nevertheless *measured*: the chosen sites are added to the model in rank order with
 * `addFeature`, the summary is taken after each, and the sites are removed again (which restores the
 * model bit for bit). Adding the suggested sites as a scenario reproduces the claimed gains exactly.
 */

/** What a site is made of: kind and target area from the rules. */
export interface SiteSpec {
  kind: GreenKind;
  /** The rules' minimum area (the larger of the criteria that accept the kind), rounded up to a whole m². */
  areaSquareMeters: number;
  /** Side of the square site in metres (rounded up to 0.1 m so that its geodesic area reaches the target). */
  sideMeters: number;
}

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

export interface SuggestedSite {
  /** 1 for the first pick. */
  rank: number;
  /** The site as GeoJSON, ready to add as a scenario edit (layer `greenspaces`) or to export. */
  feature: Feature<Polygon | MultiPolygon>;
  kind: GreenKind;
  areaSquareMeters: number;
  /** Cells that newly meet every rule, given the sites ranked before it (measured with addFeature). */
  newCellsCovered: number;
  /** Residents who newly meet every rule, given the sites ranked before it (0.1 resolution, as in summaries); null when population is unknown. */
  newResidentsCovered: number | null;
  /** Index of the candidate it came from. */
  candidateIndex: number;
}

export interface SuggestResult {
  sites: SuggestedSite[];
  site: SiteSpec;
  objective: 'population' | 'cells';
  candidateCount: number;
  /** Lattice spacing in cells (1 = every eligible cell); null for a candidate layer. */
  latticeSpacing: number | null;
  /** Candidate-layer features that could not be sites (null geometry, parcel too small). */
  skippedCandidates: number;
  /** City totals before the sites and after all of them. */
  before: { cellsMeetingBoth: number; populationMeetingBoth: number | null };
  after: { cellsMeetingBoth: number; populationMeetingBoth: number | null };
  /** Whether every fast gain equalled the measured one (it should: both use the engine's stamps). */
  estimatesExact: boolean;
  timingsMs: Record<string, number>;
}

export interface SuggestProgress {
  phase: 'candidates' | 'gains' | 'greedy' | 'measure';
  /** 0–1 over the whole suggestion. */
  fraction: number;
}

const defaultMaxCandidates = 100_000;

/** The kind and size of a suggested site under `rules` (override the area with `areaSquareMeters`). */
export function siteSpec(model: Pick<CoverageModel, 'rules'>, areaSquareMeters?: number): SiteSpec {
  const { rules } = model;
  const main = rules.park ?? rules.green!;
  const kind: GreenKind = main.kinds.includes('pocket_park')
    ? 'pocket_park'
    : (main.kinds.find((k) => k !== 'greenway') ?? 'pocket_park');
  let area = areaSquareMeters ?? 0;
  if (areaSquareMeters === undefined) {
    for (const criterion of [rules.green, rules.park]) {
      if (criterion?.kinds.includes(kind)) area = Math.max(area, criterion.minimumAreaSquareMeters);
    }
    area = Math.ceil(area) || 1000;
  }
  if (!(area > 0 && Number.isFinite(area))) throw new RangeError(`site area ${area} m² must be a positive number`);
  return { kind, areaSquareMeters: area, sideMeters: Math.ceil(Math.sqrt(area) * 10) / 10 };
}

function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/**
 * A square of `sideMeters` centred on a point, counter-clockwise, coordinates rounded to 7 decimals (as
 * GeoJSON export writes them, so the file reproduces the site exactly).
 */
export function squareSite(longitude: number, latitude: number, sideMeters: number, kind: GreenKind): Feature<Polygon> {
  const halfLongitude = sideMeters / 2 / metersPerDegreeLongitude(latitude);
  const halfLatitude = sideMeters / 2 / metersPerDegreeLatitude(latitude);
  const west = round7(longitude - halfLongitude);
  const east = round7(longitude + halfLongitude);
  const south = round7(latitude - halfLatitude);
  const north = round7(latitude + halfLatitude);
  return boxFeature(west, south, east, north, { kind });
}

/** An axis-aligned box `[west, south, east, north]` as a counter-clockwise Polygon feature. */
export function boxFeature(
  west: number,
  south: number,
  east: number,
  north: number,
  properties: Record<string, unknown>,
): Feature<Polygon> {
  return {
    type: 'Feature',
    properties,
    geometry: {
      type: 'Polygon',
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
  private readonly slot: Int32Array;
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
    this.slot = new Int32Array(cellCount).fill(-1);
    for (let k = 0; k < residentialCells.length; k++) this.slot[residentialCells[k]] = k;
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

/** A candidate parcel as a site: coordinates rounded to 7 decimals, exterior rings counter-clockwise, holes clockwise. */
function parcelSite(geometry: Polygon | MultiPolygon, kind: GreenKind, index: number): Feature<Polygon | MultiPolygon> {
  const ring = (positions: Position[], outer: boolean): Position[] => {
    if (!Array.isArray(positions))
      throw InputError.inLayer('candidates', index, 'a ring is not an array of positions', 'coordinates');
    const rounded = positions.map((position) => {
      if (!Number.isFinite(position?.[0]) || !Number.isFinite(position?.[1])) {
        throw InputError.inLayer('candidates', index, 'a coordinate is not a pair of finite numbers', 'coordinates');
      }
      return [round7(position[0]), round7(position[1])];
    });
    return signedArea(rounded) > 0 === outer ? rounded : rounded.reverse();
  };
  const polygon = (rings: Position[][]) => rings.map((positions, r) => ring(positions, r === 0));
  return {
    type: 'Feature',
    properties: { kind },
    geometry:
      geometry.type === 'Polygon'
        ? { type: 'Polygon', coordinates: polygon(geometry.coordinates) }
        : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(polygon) },
  };
}

/** Population to 0.1, as the summaries report it. */
function roundPopulation(value: number): number {
  return Math.round(value * 10) / 10;
}

export interface MeasuredGain {
  cells: number;
  population: number | null;
}

/**
 * Adds `sites` (GeoJSON areas) to the model one after another with `addFeature`, measures the city's cells
 * and residents meeting every criterion after each, then removes them again (the model returns bit for bit
 * to its state). Returns the marginal gain of each site in order, and the totals before and after.
 */
export function measureSites(
  model: CoverageModel,
  sites: Feature[],
): { gains: MeasuredGain[]; before: SuggestResult['before']; after: SuggestResult['after'] } {
  const totals = () => {
    const city = summarizeCoverage(model).city;
    return {
      cellsMeetingBoth: city.cellsMeetingBoth,
      populationMeetingBoth: city.populationMeetingBoth === null ? null : roundPopulation(city.populationMeetingBoth),
    };
  };
  const before = totals();
  const savedNextId = model.nextFeatureId;
  const added: number[] = [];
  const gains: MeasuredGain[] = [];
  let previous = before;
  try {
    sites.forEach((site, index) => {
      const feature = prepareGreenFeature(site, model.nextFeatureId, 'greenspaces', index);
      if (!feature) throw new Error(`site ${index} has no geometry`);
      addFeature(model, feature);
      added.push(feature.id);
      const now = totals();
      gains.push({
        cells: now.cellsMeetingBoth - previous.cellsMeetingBoth,
        population:
          now.populationMeetingBoth === null
            ? null
            : roundPopulation(now.populationMeetingBoth - previous.populationMeetingBoth!),
      });
      previous = now;
    });
  } finally {
    for (const id of added.reverse()) removeFeature(model, id);
    model.nextFeatureId = savedNextId;
  }
  return { gains, before, after: previous };
}

/** A binary max-heap of candidate indices under `better(a, b)`. */
class Heap {
  readonly items: number[] = [];
  constructor(private readonly better: (a: number, b: number) => boolean) {}
  push(item: number): void {
    const { items } = this;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.better(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop(): number {
    const { items } = this;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }
  siftDown(i: number): void {
    const { items } = this;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < items.length && this.better(items[left], items[best])) best = left;
      if (right < items.length && this.better(items[right], items[best])) best = right;
      if (best === i) return;
      [items[i], items[best]] = [items[best], items[i]];
      i = best;
    }
  }
}

/** Runs the suggestion to completion (see `suggestSitesSteps`). */
export function suggestSites(
  model: CoverageModel,
  count: number,
  options: SuggestOptions = {},
  onProgress?: (progress: SuggestProgress) => void,
): SuggestResult {
  const steps = suggestSitesSteps(model, count, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.(step.value);
  }
}

/**
 * Chooses up to `count` sites by lazy greedy maximum coverage (within 1 − 1/e of the optimum, see the
 * module comment), as a generator that yields progress every few hundred evaluations so a worker can
 * report it and stop between steps. Fewer sites come back when no candidate adds anything. The model is
 * left as it was. The measuring step (add the sites, summarize, remove them) runs without yielding.
 */
export function* suggestSitesSteps(
  model: CoverageModel,
  count: number,
  options: SuggestOptions = {},
): Generator<SuggestProgress, SuggestResult> {
  if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`site count ${count} must be a whole number`);
  const started = performance.now();
  const search = new SiteSearch(model, options);
  const candidatesMs = performance.now() - started;
  yield { phase: 'candidates', fraction: 0.05 };

  const n = search.candidates.length;
  const byPopulation = model.cellPopulation !== null;
  const primary = new Float64Array(n);
  const cells = new Int32Array(n);
  const evaluatedAt = new Int32Array(n);
  const better = (a: number, b: number) =>
    primary[a] > primary[b] || (primary[a] === primary[b] && (cells[a] > cells[b] || (cells[a] === cells[b] && a < b)));
  const heap = new Heap(better);
  const evaluate = (i: number) => {
    const gain = search.gainOf(i);
    primary[i] = byPopulation ? gain.population : gain.cells;
    cells[i] = gain.cells;
  };
  const gainsStarted = performance.now();
  for (let i = 0; i < n; i++) {
    evaluate(i);
    if (cells[i] > 0) heap.push(i);
    if ((i & 255) === 255) yield { phase: 'gains', fraction: 0.05 + (0.8 * i) / n };
  }
  const gainsMs = performance.now() - gainsStarted;

  const greedyStarted = performance.now();
  const chosen: number[] = [];
  const estimatedCells: number[] = [];
  let round = 0;
  let evaluations = 0;
  while (chosen.length < count && heap.items.length > 0) {
    const top = heap.items[0];
    if (evaluatedAt[top] === round) {
      heap.pop();
      chosen.push(top);
      estimatedCells.push(cells[top]);
      search.accept(top);
      round++;
      yield { phase: 'greedy', fraction: 0.85 + (0.1 * chosen.length) / Math.max(1, count) };
      continue;
    }
    evaluate(top);
    evaluatedAt[top] = round;
    if (cells[top] === 0) heap.pop();
    else heap.siftDown(0);
    if ((++evaluations & 255) === 0)
      yield { phase: 'greedy', fraction: 0.85 + (0.1 * chosen.length) / Math.max(1, count) };
  }
  const greedyMs = performance.now() - greedyStarted;
  yield { phase: 'measure', fraction: 0.95 };

  const measureStarted = performance.now();
  const features = chosen.map((i) => search.candidates[i].feature);
  const measured = measureSites(model, features);
  const sites: SuggestedSite[] = chosen.map((i, rank) => {
    const { green } = search.candidates[i];
    const area = Math.round(green.areaSquareMeters * 10) / 10;
    const gain = measured.gains[rank];
    return {
      rank: rank + 1,
      feature: {
        type: 'Feature',
        properties: {
          rank: rank + 1,
          kind: green.kind,
          area_m2: area,
          new_residents_covered: gain.population,
          new_cells_covered: gain.cells,
        },
        geometry: features[rank].geometry,
      },
      kind: green.kind,
      areaSquareMeters: area,
      newCellsCovered: gain.cells,
      newResidentsCovered: gain.population,
      candidateIndex: i,
    };
  });
  const measureMs = performance.now() - measureStarted;
  return {
    sites,
    site: search.spec,
    objective: byPopulation ? 'population' : 'cells',
    candidateCount: n,
    latticeSpacing: search.latticeSpacing,
    skippedCandidates: search.skippedCandidates,
    before: measured.before,
    after: measured.after,
    estimatesExact: estimatedCells.every((cellsGain, rank) => cellsGain === measured.gains[rank].cells),
    timingsMs: {
      candidates: candidatesMs,
      gains: gainsMs,
      greedy: greedyMs,
      measure: measureMs,
      total: performance.now() - started,
    },
  };
}

/** The suggestions as a GeoJSON FeatureCollection (rank, kind, area_m2, new_residents_covered, new_cells_covered). */
export function suggestionCollection(result: SuggestResult): FeatureCollection<Polygon | MultiPolygon> {
  return { type: 'FeatureCollection', features: result.sites.map((site) => site.feature) };
}
