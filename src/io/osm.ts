import type { Feature, GeoJsonProperties } from 'geojson';

/**
 * OpenStreetMap features (from osmtogeojson, Overpass turbo's GeoJSON export, or QGIS/ogr2ogr OSM
 * exports) classified by their tags into a GreenReach role and, for green spaces, a `kind`. The table
 * is documented in docs/osm-tags.md; keep the two in step.
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
const GREENWAY_NAME = /绿道|greenway|green\s*way/i;
const POCKET_PARK_NAME = /小游园|游园|微绿地|口袋公园|街头绿地|pocket\s*park/i;

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

/**
 * Role and kind of an OSM feature from its tags, or null when GreenReach has no use for it (a gate, a
 * building, a road that is not a greenway, a private garden). See docs/osm-tags.md.
 */
export function classifyOsmTags(tags: Record<string, string>): OsmClass | null {
  const name = `${tags.name ?? ''} ${tags['name:zh'] ?? ''} ${tags['name:en'] ?? ''}`;
  const isPrivate = tags.access === 'private' || tags.access === 'no';
  const leisure = tags.leisure;
  const landuse = tags.landuse;
  if (!isPrivate) {
    if (leisure === 'park') {
      return POCKET_PARK_NAME.test(name)
        ? { role: 'greenspaces', kind: 'pocket_park', tag: 'leisure=park' }
        : { role: 'greenspaces', kind: 'park', tag: 'leisure=park' };
    }
    if (leisure === 'garden') return { role: 'greenspaces', kind: 'pocket_park', tag: 'leisure=garden' };
    if (leisure === 'playground') return { role: 'greenspaces', kind: 'micro_green', tag: 'leisure=playground' };
    if (leisure === 'nature_reserve')
      return { role: 'greenspaces', kind: 'green_space', tag: 'leisure=nature_reserve' };
    if (landuse === 'recreation_ground')
      return { role: 'greenspaces', kind: 'green_space', tag: 'landuse=recreation_ground' };
    if (landuse === 'grass') return { role: 'greenspaces', kind: 'green_space', tag: 'landuse=grass' };
    if (landuse === 'village_green') return { role: 'greenspaces', kind: 'green_space', tag: 'landuse=village_green' };
    if (landuse === 'forest' || tags.natural === 'wood') {
      return {
        role: 'greenspaces',
        kind: 'green_space',
        tag: landuse === 'forest' ? 'landuse=forest' : 'natural=wood',
      };
    }
  }
  const highway = tags.highway;
  const route = tags.route;
  if (
    route &&
    ['bicycle', 'foot', 'hiking', 'greenway'].includes(route) &&
    (route === 'greenway' || GREENWAY_NAME.test(name))
  ) {
    return { role: 'greenways', kind: 'greenway', tag: `route=${route}` };
  }
  if (highway && ['footway', 'cycleway', 'path', 'pedestrian', 'track'].includes(highway)) {
    if (GREENWAY_NAME.test(name) || tags.greenway === 'yes') {
      return { role: 'greenways', kind: 'greenway', tag: `highway=${highway}` };
    }
    return null;
  }
  if (landuse === 'residential') return { role: 'residential', tag: 'landuse=residential' };
  const adminLevel = Number(tags.admin_level);
  if (tags.boundary === 'administrative' && adminLevel >= 8) {
    return { role: 'communities', tag: `boundary=administrative admin_level=${tags.admin_level}` };
  }
  if (tags.place === 'neighbourhood' || tags.place === 'quarter' || tags.place === 'suburb') {
    return { role: 'communities', tag: `place=${tags.place}` };
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
