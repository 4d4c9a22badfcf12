import type { Feature, FeatureCollection } from 'geojson';
import { type CoverageResult, type CoverageTotals, cellRing, describeRules, type Grid, share } from '../coverage';
import { findGapAreas, type GapAnalysis } from '../coverage/gap-areas';
import { traceCellOutlines } from '../coverage/gap-outlines';
import { writeCsv } from './csv';
import type { FlatGeobufColumn } from './flatgeobuf-write';

/**
 * The coverage results as GIS layers and JSON: the one place that decides export field names, so the
 * CLI, the app's export buttons and the tests agree. Field names are documented in the README.
 */

/** Metres rounded to 0.1 m; null beyond the reach or for a criterion the rules do not use. */
function roundedMeters(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10) / 10;
}

function roundCoordinate(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** Properties of residential cell `k` of a result. */
export function cellProperties(result: CoverageResult, k: number): Record<string, unknown> {
  const community = result.cellCommunity[k];
  const verdict = result.verdicts[k];
  const properties: Record<string, unknown> = {
    green_m: result.greenMeters ? roundedMeters(result.greenMeters[k]) : null,
    park_m: result.parkMeters ? roundedMeters(result.parkMeters[k]) : null,
    meets_green: result.greenMeters ? (verdict & 1) !== 0 : null,
    meets_park: result.parkMeters ? (verdict & 2) !== 0 : null,
    meets_both: (verdict & 4) !== 0,
    community: community >= 0 ? result.communities[community].name : null,
    population: result.cellPopulation ? Math.round(result.cellPopulation[k] * 100) / 100 : null,
  };
  if (result.distance === 'network') {
    // Walking distance: green_m / park_m are walks; the straight line and the off-network flag come beside them.
    properties.green_straight_m = result.greenStraightMeters ? roundedMeters(result.greenStraightMeters[k]) : null;
    properties.park_straight_m = result.parkStraightMeters ? roundedMeters(result.parkStraightMeters[k]) : null;
    properties.off_network = result.offNetwork ? result.offNetwork[k] === 1 : null;
  }
  return properties;
}

/**
 * The rounded edges (7 decimals) of every grid column and row, as the cell polygons give them: the east
 * edge is west + step rounded, not the next column's west, exactly as `cellRing` computes it. The
 * writers that build cells straight from a result's arrays look edges up here.
 */
export function roundedCellEdges(grid: Grid) {
  const edges = (origin: number, step: number, count: number) => {
    const lower = new Float64Array(count);
    const upper = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const edge = origin + i * step;
      lower[i] = roundCoordinate(edge);
      upper[i] = roundCoordinate(edge + step);
    }
    return [lower, upper];
  };
  const [westOf, eastOf] = edges(grid.west, grid.longitudeStep, grid.columns);
  const [southOf, northOf] = edges(grid.south, grid.latitudeStep, grid.rows);
  return { westOf, eastOf, southOf, northOf };
}

/** One Polygon feature per residential cell (counter-clockwise, 7 decimals). */
function cellFeature(result: CoverageResult, k: number): Feature {
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

/** The cells' FlatGeobuf schema for a result: walking-distance results add the straight line and `off_network`. */
export function cellColumnsFor(result: CoverageResult): FlatGeobufColumn[] {
  if (result.distance !== 'network') return cellColumns;
  return [
    ...cellColumns,
    { name: 'green_straight_m', type: 'double' },
    { name: 'park_straight_m', type: 'double' },
    { name: 'off_network', type: 'boolean' },
  ];
}

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
function totalsRecord(totals: CoverageTotals): Record<string, number | null> {
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
  return { type: 'FeatureCollection', rules: rulesRecord(result), features } as FeatureCollection;
}

/** The columns of communities.csv, in order. */
export function communityCsvFields(): string[] {
  return [
    'name',
    'name_en',
    'population_given',
    ...Object.keys(totalsRecord(emptyTotals)),
    'rules',
    'green_radius_m',
    'park_radius_m',
    'cell_meters',
  ];
}

const emptyTotals: CoverageTotals = {
  cells: 0,
  cellsMeetingGreen: null,
  cellsMeetingPark: null,
  cellsMeetingBoth: 0,
  population: null,
  populationMeetingGreen: null,
  populationMeetingPark: null,
  populationMeetingBoth: null,
};

/**
 * Community statistics as CSV for Excel and GIS: UTF-8 with a BOM (Excel shows Chinese names), CRLF,
 * one row per community in input order, the same fields as communities.geojson, and the rules in every
 * row (`rules` id, radii, `cell_meters`), since CSV has no place for file-level metadata that both
 * Excel and GDAL read.
 */
export function communityCsv(result: CoverageResult): string {
  const rows = result.communities.map((community, index) => {
    const record: Record<string, unknown> = {
      name: community.name,
      name_en: community.nameEnglish,
      population_given: community.population,
      ...totalsRecord(result.summary.communities[index]),
      rules: result.rules.id,
      green_radius_m: result.rules.green?.radiusMeters ?? null,
      park_radius_m: result.rules.park?.radiusMeters ?? null,
      cell_meters: result.grid.cellMeters,
    };
    return communityCsvFields().map((field) => record[field]);
  });
  return writeCsv(communityCsvFields(), rows);
}

/**
 * The gaps: the gap areas of `analysis` (residential cells that do not meet every rule in use, in
 * 4-connected groups: `findGapAreas`, the same analysis the app lists, so the counts agree), each traced
 * along the grid into one polygon with holes, in rank order (most residents, or cells when no population).
 * Properties: `rank` (1 = first), `residents` (null without population), `cells`, `area_ha` (cells × cell²,
 * nominal), `cells_missing_green`, `cells_missing_park` (null for a rule not in use), `nearest_green_m`
 * and `nearest_park_m` (the smallest distance over the gap's cells; null beyond the reach or not in use),
 * `community` (the community holding most of its cells, or null). The rules travel as the foreign member
 * `rules`. Polygons are RFC 7946 (counter-clockwise outer rings, 7 decimals).
 */
export function gapCollection(
  result: CoverageResult,
  analysis: GapAnalysis = findGapAreas(result, 4),
): FeatureCollection {
  const { grid } = result;
  // Cells of each area, by rank (positions in the result's per-cell arrays, ascending), in one typed
  // array: area `rank`'s are `memberCells[memberStart[rank]]` … `[memberStart[rank + 1] − 1]`.
  const { cellGap } = analysis;
  const memberStart = new Int32Array(analysis.areas.length + 1);
  for (let k = 0; k < cellGap.length; k++) if (cellGap[k] >= 0) memberStart[cellGap[k] + 1]++;
  for (let rank = 0; rank < analysis.areas.length; rank++) memberStart[rank + 1] += memberStart[rank];
  const cursor = memberStart.slice(0, analysis.areas.length);
  const memberCells = new Int32Array(memberStart[analysis.areas.length]);
  for (let k = 0; k < cellGap.length; k++) if (cellGap[k] >= 0) memberCells[cursor[cellGap[k]]++] = k;
  const cornerX = (column: number) => roundCoordinate(grid.west + column * grid.longitudeStep);
  const cornerY = (row: number) => roundCoordinate(grid.south + row * grid.latitudeStep);
  const features = analysis.areas.map((area, rank) => {
    let missingGreen = 0;
    let missingPark = 0;
    const members = memberCells.subarray(memberStart[rank], memberStart[rank + 1]);
    const cells = new Uint32Array(members.length);
    members.forEach((k, i) => {
      if ((result.verdicts[k] & 1) === 0) missingGreen++;
      if ((result.verdicts[k] & 2) === 0) missingPark++;
      cells[i] = result.cellIndex[k];
    });
    // One outline per area when it is 4-connected; an 8-connected area may trace into several parts.
    const outlines = traceCellOutlines(grid.columns, cells);
    const polygons = outlines.map((outline) =>
      outline.rings.map((ring) => ring.map(([c, r]) => [cornerX(c), cornerY(r)])),
    );
    return {
      type: 'Feature' as const,
      properties: {
        rank: rank + 1,
        residents: area.residents !== null ? Math.round(area.residents * 10) / 10 : null,
        cells: area.cells,
        area_ha: Math.round(((area.cells * grid.cellMeters * grid.cellMeters) / 10_000) * 100) / 100,
        cells_missing_green: result.greenMeters ? missingGreen : null,
        cells_missing_park: result.parkMeters ? missingPark : null,
        nearest_green_m: area.nearestGreenMeters !== null ? roundedMeters(area.nearestGreenMeters) : null,
        nearest_park_m: area.nearestParkMeters !== null ? roundedMeters(area.nearestParkMeters) : null,
        community: area.community >= 0 ? result.communities[area.community].name : null,
      },
      geometry:
        polygons.length === 1
          ? { type: 'Polygon' as const, coordinates: polygons[0] }
          : { type: 'MultiPolygon' as const, coordinates: polygons },
    };
  });
  return { type: 'FeatureCollection', rules: rulesRecord(result), features } as FeatureCollection;
}

/** summary.json: the city's statistics and everything needed to reproduce them. */
export function summaryRecord(result: CoverageResult, extra: Record<string, unknown> = {}) {
  return {
    generator: 'GreenReach',
    ...totalsRecord(result.summary.city),
    population_source: result.populationSource,
    ...(result.populationUnplaced !== null ? { population_unplaced: result.populationUnplaced } : {}),
    ...(result.populationBuildings !== null ? { population_buildings: result.populationBuildings } : {}),
    outside_communities: totalsRecord(result.summary.outsideCommunities),
    communities: result.communities.length,
    rules: rulesRecord(result),
    cell_meters: result.grid.cellMeters,
    reach_meters: result.reachMeters,
    grid: result.grid,
    skipped_features: result.skipped,
    distance: result.distance,
    network: networkRecord(result),
    ...(result.distance === 'network' ? { cells_meeting_both_straight: result.summary.cellsMeetingBothStraight } : {}),
    ...extra,
    timings_ms: result.timingsMs,
  };
}

/** summary.json `network`: the walking network's figures, or null for straight-line distance. */
export function networkRecord(result: CoverageResult) {
  const stats = result.summary.network;
  if (!stats) return null;
  return {
    nodes: stats.nodes,
    edges: stats.edges,
    walkable_length_km: Math.round(stats.walkableLengthKm * 1000) / 1000,
    lines_not_walkable: stats.linesNotWalkable,
    entrances_given: stats.entrancesGiven,
    entrances_generated: stats.entrancesGenerated,
    unreachable_areas: stats.unreachableAreas,
    cells_off_network: stats.cellsOffNetwork,
    snap_max_m: stats.snapMaxMeters,
  };
}
