/**
 * One derived layer as a stream of features, built one at a time from the extract and never held
 * together: for the big, self-contained layers (buildings, basemap, streets, barriers) of a large city,
 * written straight to FlatGeobuf (`flatGeobufChunks` with `STREAMED_COLUMNS`) or handed to a drawing
 * pipeline in slices. Same rules, order and properties as `deriveOsmLayers` gives that layer.
 */
import type { Feature, Geometry } from 'geojson';
import { isClosedWay } from './assemble-areas';
import type { OsmLayerReport } from './derive-layers';
import { featureProperties } from './derive-properties';
import { type MissingNodePolicy, OsmGeometry } from './osm-geometry';
import type { OsmExtract, OsmRelation, OsmTags } from './osm-store';
import { defaultTagTable, type OsmGeometryKind, type OsmTagRule, ruleKind, ruleMatchesTags } from './tag-table';

/** The layers that can be streamed (they need no other layer). */
export type StreamableOsmLayer = 'buildings' | 'basemap' | 'streets' | 'barriers';

/** Options of `streamOsmLayer`. */
export interface OsmStreamOptions {
  table?: readonly OsmTagRule[];
  missingNodes?: MissingNodePolicy;
  /** Filled as the stream runs: features and rules (counts), skipped elements. */
  report?: OsmLayerReport & { skipped?: number };
  /** Reuse one geometry builder (and its relation-loop check) for several layers. */
  geometry?: OsmGeometry;
}

/** The features of `layer`, one at a time. */
export function* streamOsmLayer(
  extract: OsmExtract,
  layer: StreamableOsmLayer,
  options: OsmStreamOptions = {},
): Generator<Feature> {
  const rules = (options.table ?? defaultTagTable()).filter((rule) => rule.enabled && rule.layer === layer);
  // A stream of its own builds each way's path once and drops it with the feature (no cache).
  const geometry = options.geometry ?? new OsmGeometry(extract, options.missingNodes ?? 'error', false);
  const report = options.report;
  const forGeometry = (kind: OsmGeometryKind) => rules.filter((rule) => rule.geometry.includes(kind));
  const areaRules = forGeometry('area');
  const lineRules = forGeometry('line');
  const routeRules = forGeometry('route');
  const pointRules = forGeometry('point');
  const first = (list: OsmTagRule[], tags: OsmTags) => list.find((rule) => ruleMatchesTags(rule, tags));
  // A way that is a member of a relation matched by the same rule is that relation's ring.
  const memberOf = new Set<string>();
  for (const relation of extract.relations) {
    if (relation.tags.type !== 'multipolygon' && relation.tags.type !== 'boundary') continue;
    const rule = first(areaRules, relation.tags);
    if (rule) for (const m of relation.members) memberOf.add(`${rule.id}|${m.ref}`);
  }
  const emit = (
    rule: OsmTagRule,
    type: 'node' | 'way' | 'relation',
    id: number,
    tags: OsmTags,
    g: Geometry,
  ): Feature => {
    if (report) {
      report.features++;
      report.rules[rule.id] = (report.rules[rule.id] ?? 0) + 1;
    }
    const kind = ruleKind(rule, tags);
    return { type: 'Feature', properties: featureProperties(layer, rule, { type, id }, tags, kind), geometry: g };
  };
  const { wayTags, wayIds } = extract;
  for (let i = 0; i < wayTags.length; i++) {
    const tags = wayTags[i];
    if (!tags) continue;
    if (tags.area !== 'no' && areaRules.length > 0 && isClosedWay(geometry.wayRefs(i))) {
      const rule = first(areaRules, tags);
      if (rule && !memberOf.has(`${rule.id}|${wayIds[i]}`)) {
        const polygon = geometry.closedWayArea(i);
        if (polygon) yield emit(rule, 'way', wayIds[i], tags, { type: 'Polygon', coordinates: polygon });
      }
    }
    if (tags.area !== 'yes' && lineRules.length > 0) {
      const rule = first(lineRules, tags);
      const path = rule ? geometry.wayPath(i) : null;
      if (rule && path && path.coordinates.length >= 2) {
        yield emit(rule, 'way', wayIds[i], tags, { type: 'LineString', coordinates: path.coordinates });
      }
    }
  }
  for (const relation of extract.relations) {
    const g = relationGeometry(relation, geometry, areaRules, routeRules, first);
    if (g) yield emit(g.rule, 'relation', relation.id, relation.tags, g.geometry);
  }
  const { index, tags } = extract.taggedNodes;
  for (let k = 0; k < index.length && pointRules.length > 0; k++) {
    const rule = first(pointRules, tags[k]);
    if (!rule) continue;
    const node = index[k];
    const point: Geometry = {
      type: 'Point',
      coordinates: [extract.nodeLon7[node] / 1e7, extract.nodeLat7[node] / 1e7],
    };
    yield emit(rule, 'node', extract.nodeIds[node], tags[k], point);
  }
  if (report) report.skipped = geometry.skipped.length;
}

function relationGeometry(
  relation: OsmRelation,
  geometry: OsmGeometry,
  areaRules: OsmTagRule[],
  routeRules: OsmTagRule[],
  first: (list: OsmTagRule[], tags: OsmTags) => OsmTagRule | undefined,
): { rule: OsmTagRule; geometry: Geometry } | null {
  const type = relation.tags.type;
  if (type === 'multipolygon' || type === 'boundary') {
    const rule = first(areaRules, relation.tags);
    const polygons = rule ? geometry.relationArea(relation) : null;
    if (!rule || !polygons) return null;
    return {
      rule,
      geometry:
        polygons.length === 1
          ? { type: 'Polygon', coordinates: polygons[0] }
          : { type: 'MultiPolygon', coordinates: polygons },
    };
  }
  if (type === 'route') {
    const rule = first(routeRules, relation.tags);
    const lines = rule ? geometry.routeLines(relation) : null;
    return rule && lines ? { rule, geometry: { type: 'MultiLineString', coordinates: lines } } : null;
  }
  return null;
}
