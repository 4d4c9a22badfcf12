import type { Feature, GeoJsonProperties } from 'geojson';
import { defaultTagTable, type OsmTagRule, ruleKind, ruleMatchesTags } from './osm/tag-table';

/**
 * OpenStreetMap features (from osmtogeojson, Overpass turbo's GeoJSON export, or QGIS/ogr2ogr OSM
 * exports) classified by their tags into a GreenReach role and, for green spaces, a `kind`. The table
 * is data (src/io/osm/tag-table.ts, shared with the extract deriver in src/io/osm/), documented in
 * docs/osm-tags.md; keep the two in step.
 *
 * Tags are read from the properties themselves (Overpass turbo, ogr2ogr with tags as columns) or from a
 * nested `tags` object (raw osmtogeojson output). ogr2ogr's `other_tags` hstore text
 * (`"leisure"=>"park","name:en"=>"…"`) is understood too.
 */

export type OsmRole = 'communities' | 'residential' | 'greenways' | 'greenspaces';
export type OsmKind = 'park' | 'pocket_park' | 'micro_green' | 'green_space' | 'greenway';

export interface OsmClass {
  role: OsmRole;
  kind?: OsmKind;
  /** The tag that decided, e.g. "leisure=park". */
  tag: string;
}

/** Keys whose presence marks a feature as carrying OSM tags. */
const OSM_KEYS = [
  'leisure',
  'landuse',
  'natural',
  'highway',
  'route',
  'boundary',
  'place',
  'amenity',
  'barrier',
  'building',
  'entrance',
];

/** The tags of a feature (a fresh object; never the prototype), or null when it carries no OSM tags. */
export function osmTags(properties: GeoJsonProperties): Record<string, string> | null {
  if (!properties) return null;
  const tags: Record<string, string> = Object.create(null);
  const add = (key: string, value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number') tags[key] = String(value);
  };
  const nested = properties.tags;
  if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
    for (const key of Object.keys(nested)) add(key, (nested as Record<string, unknown>)[key]);
  }
  for (const key of Object.keys(properties)) if (key !== 'tags') add(key, properties[key]);
  const other = properties.other_tags;
  if (typeof other === 'string') {
    for (const match of other.matchAll(/"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"/g)) add(match[1], match[2]);
  }
  return OSM_KEYS.some((key) => key in tags) ? tags : null;
}

const CLASSIFY_LAYERS: readonly OsmRole[] = ['greenspaces', 'greenways', 'residential', 'communities'];
let classifyRules: OsmTagRule[] | null = null;

/**
 * Role and kind of an OSM feature from its tags, or null when GreenReach has no use for it (a gate, a
 * building, a road that is not a greenway, a private garden). The rules are the tag table's
 * (src/io/osm/tag-table.ts, shown in docs/osm-tags.md), in its order, without the rules that need a whole
 * extract (route relations, paths inside parks, building blocks).
 */
export function classifyOsmTags(tags: Record<string, string>, table?: readonly OsmTagRule[]): OsmClass | null {
  classifyRules ??= defaultTagTable();
  const rules = table ?? classifyRules;
  for (const layer of CLASSIFY_LAYERS) {
    for (const rule of rules) {
      if (rule.layer !== layer || !rule.enabled || rule.scope === 'extract') continue;
      if (!ruleMatchesTags(rule, tags)) continue;
      const kind = ruleKind(rule, tags) as OsmKind | undefined;
      const tag = Object.keys(rule.tags)
        .map((key) => `${key}=${tags[key]}`)
        .join(' ');
      return kind ? { role: layer, kind, tag } : { role: layer, tag };
    }
  }
  return null;
}

/**
 * For a green-space layer: a feature with OSM tags and no `kind` gets its kind from the tags. Returns
 * the feature to use (a copy when changed), or a reason when the tags say it is not green space.
 * Features without OSM tags, or with a `kind` already, come back unchanged.
 */
export function osmGreenSpace(feature: Feature): { feature: Feature } | { reason: string } {
  const properties = feature.properties;
  if (properties && properties.kind !== undefined && properties.kind !== null && properties.kind !== '') {
    return { feature };
  }
  const tags = osmTags(properties);
  if (!tags) return { feature };
  const found = classifyOsmTags(tags);
  if (found?.role !== 'greenspaces') {
    const shown = OSM_KEYS.filter((key) => key in tags)
      .map((key) => `${key}=${tags[key]}`)
      .join(', ');
    return {
      reason: `OSM tags (${shown}${tags.access ? `, access=${tags.access}` : ''}) are not a public green space`,
    };
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(properties!)) {
    Object.defineProperty(copy, key, { value: properties![key], enumerable: true, writable: true, configurable: true });
  }
  copy.kind = found.kind;
  copy.osm_class = found.tag;
  if (copy.name === undefined && tags.name) copy.name = tags.name;
  return { feature: { ...feature, properties: copy } };
}

/**
 * For a greenway layer the user chose: OSM ways and routes stay (any highway or route, since the user put
 * them in the greenway layer); OSM features that are neither (a gate, a shop, a park polygon) get a reason.
 */
export function osmGreenway(feature: Feature): { feature: Feature } | { reason: string } {
  const tags = osmTags(feature.properties);
  if (!tags) return { feature };
  const found = classifyOsmTags(tags);
  if (found?.role === 'greenways' || tags.highway || tags.route) return { feature };
  const shown = OSM_KEYS.filter((key) => key in tags)
    .map((key) => `${key}=${tags[key]}`)
    .join(', ');
  return { reason: `OSM tags (${shown}) are not a path or route` };
}
