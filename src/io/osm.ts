import type { Feature, GeoJsonProperties } from 'geojson';
import { normalizeKind } from '../coverage/rules';
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

/** The OSM keys whose values name a kind of green space (`leisure=playground` → micro-green). */
const KIND_KEYS = ['leisure', 'landuse', 'natural'];

/**
 * The engine kind of one `kind` value: an engine kind or alias (`公园`, `pocket park`), else an OSM value
 * read through the tag table (`playground` as `leisure=playground` → micro_green; `sourceKey` first when
 * the value came from an OSM column such as `leisure`), else null (no kind GreenReach knows).
 */
export function greenKindOf(value: unknown, sourceKey?: string | null): OsmKind | null {
  const direct = normalizeKind(value);
  if (direct !== null) return direct;
  if (typeof value !== 'string') return null;
  const text = value.trim().toLowerCase();
  const keys = sourceKey && KIND_KEYS.includes(sourceKey.toLowerCase()) ? [sourceKey.toLowerCase()] : [];
  for (const key of [...keys, ...KIND_KEYS]) {
    const found = classifyOsmTags({ [key]: text });
    if (found?.role === 'greenspaces' && found.kind) return found.kind;
  }
  return null;
}

/**
 * A green-space layer with every `kind` normalised through the alias and OSM tag tables. A value that
 * maps to no kind is not a failure of the whole run: the feature counts as plain green space and a
 * warning names the value and the features.
 */
export function normalizeGreenKinds(
  features: readonly Feature[],
  sourceKey?: string | null,
  /** The feature's number in the file, for the warning (its position here by default). */
  numberOf: (index: number) => number = (index) => index,
): { features: Feature[]; warnings: string[] } {
  const unknown = new Map<string, number[]>();
  const normalized = features.map((feature, index): Feature => {
    const value = feature.properties?.kind;
    // No kind is plain green space already (the engine's default): the feature stays as it is.
    if (value === undefined || value === null || value === '') return feature;
    const kind = greenKindOf(value, sourceKey);
    if (kind !== null && kind !== 'greenway' && kind === value) return feature;
    if (kind === null || kind === 'greenway') {
      const key = typeof value === 'string' ? value : JSON.stringify(value);
      unknown.set(key, [...(unknown.get(key) ?? []), numberOf(index)]);
    }
    // A greenway kind in a green-space layer is an area along a greenway: plain green space.
    // Copied key by key as own properties, so a `__proto__` attribute stays data, never a prototype.
    const properties: Record<string, unknown> = {};
    for (const key of Object.keys(feature.properties ?? {})) {
      Object.defineProperty(properties, key, {
        value: feature.properties![key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    properties.kind = kind === null || kind === 'greenway' ? 'green_space' : kind;
    return { ...feature, properties };
  });
  const warnings = [...unknown].map(([value, list]) => {
    const shown = list.slice(0, 5).join(', ') + (list.length > 5 ? ', …' : '');
    return `kind ${JSON.stringify(value)} is no kind GreenReach knows: ${list.length} feature${list.length === 1 ? '' : 's'} (${shown}) counted as plain green space`;
  });
  return { features: normalized, warnings };
}
