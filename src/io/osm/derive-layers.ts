/**
 * GreenReach's layers from an OSM extract, by the tag table (tag-table.ts): green spaces with kinds,
 * greenways, streets, residential land, communities, entrances, barriers, buildings and a basemap, each
 * a GeoJSON FeatureCollection (RFC 7946, [lng, lat]) with a report: how many features, which rules
 * made them, what was guessed. Areas come from closed ways and assembled multipolygons; relations that
 * cannot be closed are skipped and listed. Runs in a worker or in Node; yields to the event loop every
 * `progressIntervalMs` and stops on `signal`.
 */
import area from '@turf/area';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { isClosedWay } from './assemble-areas';
import {
  bufferIntoBlocks,
  isOtherLand,
  lowestTiers,
  PolygonIndex,
  polygonsOf,
  ringCentre,
  shareNear,
  statisticalGrid,
} from './derive-context';
import { featureProperties, type OsmElementRef } from './derive-properties';
import { throwIfAborted } from './osm-error';
import { type MissingNodePolicy, OsmGeometry, type OsmSkipped } from './osm-geometry';
import type { OsmExtract, OsmTags } from './osm-store';
import {
  defaultTagTable,
  type OsmGeometryKind,
  type OsmLayerName,
  type OsmTagRule,
  ruleKind,
  ruleMatchesTags,
} from './tag-table';

/** Said when no boundary or place polygon gave communities and the ~1 km grid stands in for them. */
export const COMMUNITIES_GRID_GUESS =
  'no administrative boundary (admin_level 8–12) or place=neighbourhood|quarter|suburb polygon in the extract: a grid of ~1 km squares over the residential land stands for communities';

/** Every layer the deriver writes, in the order they are reported. */
export const OSM_LAYERS: readonly OsmLayerName[] = [
  'communities',
  'residential',
  'greenways',
  'greenspaces',
  'streets',
  'entrances',
  'barriers',
  'buildings',
  'basemap',
];

/** What one derived layer holds and how it was made. */
export interface OsmLayerReport {
  features: number;
  /** Features per rule id. */
  rules: Record<string, number>;
  /** Plain-language notes on what was guessed (empty when nothing was). */
  guessed: string[];
}

/** The result of `deriveOsmLayers`. */
export interface OsmDerived {
  /** The derived layers (those asked for; all by default). */
  layers: Record<OsmLayerName, FeatureCollection>;
  report: {
    fileName: string;
    nodes: number;
    ways: number;
    relations: number;
    layers: Record<OsmLayerName, OsmLayerReport>;
    /** Elements skipped (relations that cannot be closed, ways with missing nodes when allowed). */
    skipped: OsmSkipped[];
  };
}

/** Options of `deriveOsmLayers`. */
export interface OsmDeriveOptions {
  /** The tag table (default `defaultTagTable()`); switch a rule off with `enabled: false`. */
  table?: readonly OsmTagRule[];
  /** A way referring to a node not in the file: 'error' (default) or 'skip' it and list it. */
  missingNodes?: MissingNodePolicy;
  signal?: AbortSignal;
  onProgress?: (progress: { phase: 'derive'; fraction: number }) => void;
  progressIntervalMs?: number;
  /** Metres around green areas within which a path counts as "along" them (default 20). */
  alongGreenMeters?: number;
  /**
   * The layers to derive (default all). Leaving out `buildings` and `basemap` saves most of the memory
   * on a large extract; the layers others depend on are derived anyway and left out of the result.
   */
  layers?: readonly OsmLayerName[];
}

const DEPENDS_ON: Partial<Record<OsmLayerName, OsmLayerName[]>> = {
  greenways: ['greenspaces'],
  entrances: ['greenspaces'],
  communities: ['residential'],
};

interface Candidate {
  element: OsmElementRef;
  tags: OsmTags;
  geometry: OsmGeometryKind;
  /** Index of the way (area/line from a way), or -1. */
  way: number;
  relation?: import('./osm-store').OsmRelation;
  node?: number;
}

interface Match {
  candidate: Candidate;
  rule: OsmTagRule;
}

/** Derives all layers from an extract (see the file comment). */
export async function deriveOsmLayers(extract: OsmExtract, options: OsmDeriveOptions = {}): Promise<OsmDerived> {
  const wanted = new Set(options.layers ?? OSM_LAYERS);
  const needed = new Set(wanted);
  for (const layer of wanted) for (const dependency of DEPENDS_ON[layer] ?? []) needed.add(dependency);
  const table = lowestTiers(
    (options.table ?? defaultTagTable()).filter((rule) => rule.enabled && needed.has(rule.layer)),
    extract,
  );
  const { signal } = options;
  const geometry = new OsmGeometry(extract, options.missingNodes ?? 'error');
  const interval = options.progressIntervalMs ?? 100;
  let last = Date.now();
  const tick = async (fraction: number) => {
    throwIfAborted(signal);
    if (Date.now() - last < interval) return;
    last = Date.now();
    options.onProgress?.({ phase: 'derive', fraction });
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    throwIfAborted(signal);
  };
  const byGeometry = new Map<OsmGeometryKind, OsmTagRule[]>();
  for (const kind of ['area', 'line', 'point', 'route'] as const) {
    byGeometry.set(
      kind,
      table.filter((rule) => rule.geometry.includes(kind)),
    );
  }
  const matches = new Map<OsmLayerName, Match[]>(OSM_LAYERS.map((layer) => [layer, []]));
  // Land that is not homes, only needed when plain buildings may be guessed to be homes.
  const needOtherLand = table.some((rule) => rule.context === 'outside-other-land');
  const otherLand: [number, number][][][] = [];
  const otherLandRule: OsmTagRule = { id: 'other land', layer: 'basemap', tags: {}, geometry: ['area'], enabled: true };
  const classify = (candidate: Candidate) => {
    const seen = new Set<OsmLayerName>();
    for (const rule of byGeometry.get(candidate.geometry)!) {
      if (seen.has(rule.layer) || !ruleMatchesTags(rule, candidate.tags)) continue;
      seen.add(rule.layer);
      matches.get(rule.layer)!.push({ candidate, rule });
    }
    if (needOtherLand && candidate.geometry === 'area' && isOtherLand(candidate.tags)) {
      matches.get('basemap')!.push({ candidate, rule: otherLandRule });
    }
    return seen.size > 0;
  };
  const { wayTags, relations, taggedNodes } = extract;
  const total = wayTags.length + relations.length + taggedNodes.index.length;
  const areaRules = byGeometry.get('area')!;
  const lineRules = byGeometry.get('line')!;
  for (let i = 0; i < wayTags.length; i++) {
    if ((i & 4095) === 0) await tick((0.5 * i) / total);
    const tags = wayTags[i];
    if (!tags) continue;
    const element: OsmElementRef = { type: 'way', id: extract.wayIds[i] };
    if (
      tags.area !== 'no' &&
      isClosedWay(geometry.wayRefs(i)) &&
      (areaRules.some((r) => ruleMatchesTags(r, tags)) || (needOtherLand && isOtherLand(tags)))
    ) {
      classify({ element, tags, geometry: 'area', way: i });
    }
    if (tags.area !== 'yes' && lineRules.some((r) => ruleMatchesTags(r, tags)))
      classify({ element, tags, geometry: 'line', way: i });
  }
  for (const relation of relations) {
    const tags = relation.tags;
    const element: OsmElementRef = { type: 'relation', id: relation.id };
    if (tags.type === 'multipolygon' || tags.type === 'boundary')
      classify({ element, tags, geometry: 'area', way: -1, relation });
    else if (tags.type === 'route') classify({ element, tags, geometry: 'route', way: -1, relation });
  }
  for (let k = 0; k < taggedNodes.index.length; k++) {
    const node = taggedNodes.index[k];
    classify({
      element: { type: 'node', id: extract.nodeIds[node] },
      tags: taggedNodes.tags[k],
      geometry: 'point',
      way: -1,
      node,
    });
  }

  // A way that is a member of a relation matched by the same rule is that relation's ring, not a feature.
  const memberOf = new Set<string>();
  for (const [layer, list] of matches) {
    for (const m of list) {
      if (m.candidate.geometry !== 'area' || !m.candidate.relation) continue;
      for (const member of m.candidate.relation.members) memberOf.add(`${layer}|${m.rule.id}|${member.ref}`);
    }
  }
  for (const [layer, list] of matches) {
    matches.set(
      layer,
      list.filter(
        (m) =>
          !(
            m.candidate.geometry === 'area' &&
            m.candidate.way >= 0 &&
            memberOf.has(`${layer}|${m.rule.id}|${m.candidate.element.id}`)
          ),
      ),
    );
  }

  // Geometry, built once per candidate and shared between layers.
  const built = new Map<Candidate, Geometry | null>();
  const geometryOf = (c: Candidate): Geometry | null => {
    if (built.has(c)) return built.get(c)!;
    let g: Geometry | null = null;
    if (c.geometry === 'point')
      g = { type: 'Point', coordinates: [extract.nodeLon7[c.node!] / 1e7, extract.nodeLat7[c.node!] / 1e7] };
    else if (c.geometry === 'line') {
      const path = geometry.wayPath(c.way);
      g = path && path.coordinates.length >= 2 ? { type: 'LineString', coordinates: path.coordinates } : null;
    } else if (c.geometry === 'route') {
      const lines = geometry.routeLines(c.relation!);
      g = lines ? { type: 'MultiLineString', coordinates: lines } : null;
    } else if (c.way >= 0) {
      const polygon = geometry.closedWayArea(c.way);
      g = polygon ? { type: 'Polygon', coordinates: polygon } : null;
    } else {
      const polygons = geometry.relationArea(c.relation!);
      g = polygons
        ? polygons.length === 1
          ? { type: 'Polygon', coordinates: polygons[0] }
          : { type: 'MultiPolygon', coordinates: polygons }
        : null;
    }
    built.set(c, g);
    return g;
  };

  const layers = {} as Record<OsmLayerName, FeatureCollection>;
  const reports = {} as Record<OsmLayerName, OsmLayerReport>;
  let done = 0;
  const makeLayer = async (layer: OsmLayerName, keep: (m: Match, g: Geometry) => boolean = () => true) => {
    if (!needed.has(layer)) {
      layers[layer] = { type: 'FeatureCollection', features: [] };
      reports[layer] = { features: 0, rules: {}, guessed: [] };
      return 0;
    }
    const tiers = new Map<number, { features: Feature[]; rules: Record<string, number>; guessed: Set<string> }>();
    for (const match of matches.get(layer)!) {
      if ((++done & 1023) === 0) await tick(0.5 + (0.5 * done) / (total * 2));
      if (match.rule === otherLandRule) continue;
      const g = geometryOf(match.candidate);
      if (!g || !keep(match, g)) continue;
      const tier = match.rule.tier ?? 0;
      let bucket = tiers.get(tier);
      if (!bucket) {
        bucket = { features: [], rules: {}, guessed: new Set() };
        tiers.set(tier, bucket);
      }
      const areaSquareMeters = match.rule.smallArea && g.type.endsWith('Polygon') ? area(g) : undefined;
      const kind = ruleKind(match.rule, match.candidate.tags, areaSquareMeters);
      bucket.features.push({
        type: 'Feature',
        properties: featureProperties(layer, match.rule, match.candidate.element, match.candidate.tags, kind),
        geometry: g,
      });
      bucket.rules[match.rule.id] = (bucket.rules[match.rule.id] ?? 0) + 1;
      if (match.rule.guess) bucket.guessed.add(match.rule.guess);
    }
    const lowest = Math.min(...tiers.keys());
    const bucket = tiers.get(lowest) ?? { features: [], rules: {}, guessed: new Set<string>() };
    layers[layer] = { type: 'FeatureCollection', features: bucket.features };
    reports[layer] = { features: bucket.features.length, rules: bucket.rules, guessed: [...bucket.guessed] };
    return lowest;
  };

  for (const m of matches.get('basemap')!) {
    if (m.rule !== otherLandRule) continue;
    const g = geometryOf(m.candidate);
    if (g?.type === 'Polygon') otherLand.push(g.coordinates as [number, number][][]);
    else if (g?.type === 'MultiPolygon') otherLand.push(...(g.coordinates as [number, number][][][]));
  }
  await makeLayer('greenspaces');
  const greenPolygons = polygonsOf(layers.greenspaces);
  const greenIndex = new PolygonIndex(greenPolygons, options.alongGreenMeters ?? 20);
  const along = options.alongGreenMeters ?? 20;
  await makeLayer('greenways', (m, g) =>
    m.rule.context === 'in-green'
      ? g.type === 'LineString' && shareNear(g.coordinates as [number, number][], greenIndex, along) >= 0.5
      : true,
  );
  await makeLayer('streets');
  const greenNodes = new Set<number>();
  for (const m of matches.get('greenspaces')!) {
    const refs =
      m.candidate.way >= 0 ? [geometry.wayRefs(m.candidate.way)] : geometry.relationWayRefs(m.candidate.relation!);
    for (const list of refs) for (const ref of list) greenNodes.add(ref);
  }
  await makeLayer('entrances');
  for (const f of layers.entrances.features) {
    const id = Number(String(f.properties!.osm_id).slice(5));
    f.properties!.on_green = greenNodes.has(id);
  }
  await makeLayer('barriers');
  await makeLayer('buildings');
  await makeLayer('basemap');
  const otherIndex = new PolygonIndex(otherLand);
  const residentialTier = await makeLayer('residential', (m, g) => {
    if (m.rule.context !== 'outside-other-land') return true;
    if (g.type !== 'Polygon') return false;
    const [x, y] = ringCentre(g.coordinates[0] as [number, number][]);
    return !otherIndex.contains(x, y) && area(g) < 1000;
  });
  if (residentialTier > 0 && layers.residential.features.length > 0) {
    const blocks = bufferIntoBlocks(polygonsOf(layers.residential));
    const rules = reports.residential.rules;
    layers.residential = {
      type: 'FeatureCollection',
      features: blocks.map((block, k) => ({
        type: 'Feature',
        properties: {
          osm_id: `block/${k + 1}`,
          name: `街区 ${k + 1}`,
          name_en: `Block ${k + 1}`,
          rule: 'residential/buildings buffered into blocks',
          buildings: block.footprints,
        },
        geometry: { type: 'Polygon', coordinates: block.polygon },
      })),
    };
    reports.residential = { features: blocks.length, rules, guessed: reports.residential.guessed };
  }
  await makeLayer('communities');
  if (needed.has('communities') && layers.communities.features.length === 0) {
    const grid = statisticalGrid(polygonsOf(layers.residential));
    layers.communities = {
      type: 'FeatureCollection',
      features: grid.map((cell) => ({
        type: 'Feature',
        properties: {
          osm_id: `grid/R${cell.row}C${cell.column}`,
          name: `网格 R${cell.row}C${cell.column}`,
          name_en: `Grid R${cell.row}C${cell.column}`,
          rule: 'communities/1 km grid',
        },
        geometry: { type: 'Polygon', coordinates: [cell.ring] },
      })),
    };
    reports.communities = {
      features: grid.length,
      rules: grid.length > 0 ? { 'communities/1 km grid': grid.length } : {},
      guessed: grid.length > 0 ? [COMMUNITIES_GRID_GUESS] : [],
    };
  }
  for (const f of layers.communities.features) f.properties!.name ??= f.properties!.name_en ?? f.properties!.osm_id;
  options.onProgress?.({ phase: 'derive', fraction: 1 });
  const ordered = {} as Record<OsmLayerName, FeatureCollection>;
  const orderedReports = {} as Record<OsmLayerName, OsmLayerReport>;
  for (const layer of OSM_LAYERS) {
    if (!wanted.has(layer)) continue;
    ordered[layer] = layers[layer];
    orderedReports[layer] = reports[layer];
  }
  return {
    layers: ordered,
    report: { fileName: extract.fileName, ...extract.counts, layers: orderedReports, skipped: geometry.skipped },
  };
}
