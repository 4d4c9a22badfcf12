import type { Feature, FeatureCollection } from 'geojson';
import { type CoverageResult, type CoverageTotals, cellRing, describeRules, share } from '../coverage';
import type { FlatGeobufColumn } from './flatgeobuf';

/**
 * The coverage results as GIS layers and JSON: the one place that decides export field names, so the
 * CLI, the app's export buttons and the tests agree. Field names are documented in the README.
 */

/** Metres rounded to 0.1 m; null beyond the reach or for a criterion the rules do not use. */
export function roundedMeters(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10) / 10;
}

function roundCoordinate(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** Properties of residential cell `k` of a result. */
export function cellProperties(result: CoverageResult, k: number): Record<string, unknown> {
  const community = result.cellCommunity[k];
  const verdict = result.verdicts[k];
  return {
    green_m: result.greenMeters ? roundedMeters(result.greenMeters[k]) : null,
    park_m: result.parkMeters ? roundedMeters(result.parkMeters[k]) : null,
    meets_green: result.greenMeters ? (verdict & 1) !== 0 : null,
    meets_park: result.parkMeters ? (verdict & 2) !== 0 : null,
    meets_both: (verdict & 4) !== 0,
    community: community >= 0 ? result.communities[community].name : null,
    population: result.cellPopulation ? Math.round(result.cellPopulation[k] * 100) / 100 : null,
  };
}

/** One Polygon feature per residential cell (counter-clockwise, 7 decimals). */
export function cellFeature(result: CoverageResult, k: number): Feature {
  return {
    type: 'Feature',
    properties: cellProperties(result, k),
    geometry: {
      type: 'Polygon',
      coordinates: [
        cellRing(result.grid, result.cellIndex[k]).map(([lng, lat]) => [roundCoordinate(lng), roundCoordinate(lat)]),
      ],
    },
  };
}

/** The cell features one by one (for FlatGeobuf streaming, or small results). */
export function* cellFeatures(result: CoverageResult): Generator<Feature> {
  for (let k = 0; k < result.cellIndex.length; k++) yield cellFeature(result, k);
}

/** The cells' FlatGeobuf schema, declared so the column types never depend on the values. */
export const cellColumns: FlatGeobufColumn[] = [
  { name: 'green_m', type: 'double' },
  { name: 'park_m', type: 'double' },
  { name: 'meets_green', type: 'boolean' },
  { name: 'meets_park', type: 'boolean' },
  { name: 'meets_both', type: 'boolean' },
  { name: 'community', type: 'string' },
  { name: 'population', type: 'double' },
];

/**
 * The cells as RFC 7946 GeoJSON text in chunks, so a million cells never become one giant string.
 * The rules travel as a foreign member, as RFC 7946 allows.
 */
export function* cellGeoJsonChunks(result: CoverageResult): Generator<string> {
  yield `{"type":"FeatureCollection","rules":${JSON.stringify(rulesRecord(result))},"features":[\n`;
  const batch: string[] = [];
  for (let k = 0; k < result.cellIndex.length; k++) {
    batch.push(JSON.stringify(cellFeature(result, k)));
    if (batch.length === 5000) {
      yield `${batch.join(',\n')}${k + 1 < result.cellIndex.length ? ',\n' : ''}`;
      batch.length = 0;
    }
  }
  if (batch.length) yield batch.join(',\n');
  yield '\n]}\n';
}

/** The totals as flat snake_case fields with shares (0–1, null where unknown). */
export function totalsRecord(totals: CoverageTotals): Record<string, number | null> {
  return {
    cells: totals.cells,
    cells_meeting_green: totals.cellsMeetingGreen,
    cells_meeting_park: totals.cellsMeetingPark,
    cells_meeting_both: totals.cellsMeetingBoth,
    share_cells_meeting_green: share(totals.cellsMeetingGreen, totals.cells),
    share_cells_meeting_park: share(totals.cellsMeetingPark, totals.cells),
    share_cells_meeting_both: share(totals.cellsMeetingBoth, totals.cells),
    population: roundPopulation(totals.population),
    population_meeting_green: roundPopulation(totals.populationMeetingGreen),
    population_meeting_park: roundPopulation(totals.populationMeetingPark),
    population_meeting_both: roundPopulation(totals.populationMeetingBoth),
    share_population_meeting_green: share(totals.populationMeetingGreen, totals.population),
    share_population_meeting_park: share(totals.populationMeetingPark, totals.population),
    share_population_meeting_both: share(totals.populationMeetingBoth, totals.population),
  };
}

function roundPopulation(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

/** The rules as recorded in every export: the rule set, its description, the cell size and the reach. */
export function rulesRecord(result: CoverageResult) {
  return {
    ...result.rules,
    description: { zh: describeRules(result.rules, 'zh'), en: describeRules(result.rules, 'en') },
    cell_meters: result.grid.cellMeters,
    reach_meters: result.reachMeters,
  };
}

/** Community polygons (as given) with their statistics as properties. */
export function communityCollection(result: CoverageResult, communities: FeatureCollection): FeatureCollection {
  let index = 0;
  const features: Feature[] = [];
  for (const feature of communities.features) {
    // The engine numbers only communities that have a geometry, in input order.
    if (!feature.geometry) continue;
    const community = result.communities[index];
    const totals = result.summary.communities[index++];
    features.push({
      type: 'Feature',
      properties: {
        name: community.name,
        name_en: community.nameEnglish,
        population_given: community.population,
        ...totalsRecord(totals),
        rules: result.rules.id,
        cell_meters: result.grid.cellMeters,
      },
      geometry: feature.geometry,
    });
  }
  return { type: 'FeatureCollection', features };
}

/** summary.json: the city's statistics and everything needed to reproduce them. */
export function summaryRecord(result: CoverageResult, extra: Record<string, unknown> = {}) {
  return {
    generator: 'GreenReach',
    ...totalsRecord(result.summary.city),
    population_source: result.populationSource,
    outside_communities: totalsRecord(result.summary.outsideCommunities),
    communities: result.communities.length,
    rules: rulesRecord(result),
    cell_meters: result.grid.cellMeters,
    reach_meters: result.reachMeters,
    grid: result.grid,
    skipped_features: result.skipped,
    ...extra,
    timings_ms: result.timingsMs,
  };
}
