import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { addFeature, type CoverageModel, removeFeature } from './coverage';
import { prepareGreenFeature } from './features';
import type { GreenKind } from './rules';
import { siteHomes } from './site-homes';
import type { SitePlace, SitePlaces } from './site-places';
import { SiteSearch, type SuggestOptions } from './suggest-search';
import type { SiteSpec } from './suggest-sites';
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
 *
 * This file: the greedy choice and the measured result; `suggest-search.ts`: the candidates and their
 * gains; `suggest-sites.ts`: the sites' size and shapes.
 */

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
  /** Residential cells whose centre the site holds: building it there displaces homes (0 on other land). */
  residentialCellsOnSite: number;
  /** Residents of those cells (0.1 resolution); null when population is unknown. */
  residentsOnSite: number | null;
  /** The community it lies in and the nearest named street; null until `placeSites` named it. */
  place: SitePlace | null;
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
  const measureMs = performance.now() - measureStarted;
  const homesStarted = performance.now();
  const homes = chosen.map((i) => siteHomes(model, search.candidates[i].green.polygons, search.slot));
  const homesMs = performance.now() - homesStarted;
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
          residential_cells_on_site: homes[rank].residentialCells,
          residents_on_site: homes[rank].residents,
        },
        geometry: features[rank].geometry,
      },
      kind: green.kind,
      areaSquareMeters: area,
      newCellsCovered: gain.cells,
      newResidentsCovered: gain.population,
      candidateIndex: i,
      residentialCellsOnSite: homes[rank].residentialCells,
      residentsOnSite: homes[rank].residents,
      place: null,
    };
  });
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
      homes: homesMs,
      total: performance.now() - started,
    },
  };
}

/**
 * Names each site's community and nearest named street (see `site-places.ts`), in `place` and as the
 * feature properties `community`, `community_en`, `nearest_street`, `nearest_street_en` and
 * `nearest_street_m` (null where unknown). Returns a new result; `timingsMs.places` is the time taken.
 */
export function placeSites(result: SuggestResult, places: SitePlaces): SuggestResult {
  const started = performance.now();
  const sites = result.sites.map((site): SuggestedSite => {
    const place = places.placeOf(site.feature);
    return {
      ...site,
      place,
      feature: {
        ...site.feature,
        properties: {
          ...site.feature.properties,
          community: place.community?.name || null,
          community_en: place.community?.nameEnglish ?? null,
          nearest_street: place.street?.name || null,
          nearest_street_en: place.street?.nameEnglish ?? null,
          nearest_street_m: place.street?.distanceMeters ?? null,
        },
      },
    };
  });
  return { ...result, sites, timingsMs: { ...result.timingsMs, places: performance.now() - started } };
}

/**
 * The suggestions as a GeoJSON FeatureCollection (rank, kind, area_m2, new_residents_covered,
 * new_cells_covered, residential_cells_on_site, residents_on_site, and the place names of `placeSites`).
 */
export function suggestionCollection(result: SuggestResult): FeatureCollection<Polygon | MultiPolygon> {
  return { type: 'FeatureCollection', features: result.sites.map((site) => site.feature) };
}
