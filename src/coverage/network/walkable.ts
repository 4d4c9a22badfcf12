/**
 * Which lines of a streets layer a pedestrian may walk on, and which points are park gates, from their
 * OpenStreetMap tags. Pure functions over a feature's properties: tags may be flat properties, a nested
 * `tags` object, or ogr2ogr's `other_tags` string (`"k"=>"v","k2"=>"v2"`).
 */

/** The OSM tags of a feature's properties (flat, nested `tags`, and ogr2ogr `other_tags` merged). */
export function featureTags(properties: Record<string, unknown> | null | undefined): Record<string, string> {
  const tags: Record<string, string> = Object.create(null);
  if (!properties) return tags;
  const add = (key: string, value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number') tags[key] = String(value);
  };
  const nested = properties.tags;
  if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
    for (const key of Object.keys(nested)) add(key, (nested as Record<string, unknown>)[key]);
  }
  for (const key of Object.keys(properties)) if (key !== 'tags' && key !== 'other_tags') add(key, properties[key]);
  const other = properties.other_tags;
  if (typeof other === 'string') {
    for (const match of other.matchAll(/"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"/g)) add(match[1], match[2]);
  }
  return tags;
}

/** `highway` values no pedestrian uses (the OSMnx walk filter, plus motorway and trunk roads). */
const notWalkableHighway = /* @__PURE__ */ new Set([
  'motorway',
  'motorway_link',
  'trunk',
  'trunk_link',
  'construction',
  'proposed',
  'planned',
  'abandoned',
  'raceway',
  'bus_guideway',
  'platform',
]);

/** OSM keys of line features that are not ways for people (rivers, railways, power lines, boundaries…). */
const otherLineKeys = [
  'waterway',
  'railway',
  'power',
  'boundary',
  'barrier',
  'natural',
  'landuse',
  'building',
  'man_made',
  'aeroway',
  'aerialway',
  'admin_level',
];

/**
 * Whether a line with these tags is walkable: OSMnx's walk filter as issue 11 states it. Drops
 * `highway=motorway|motorway_link|trunk|trunk_link|construction|proposed|raceway|bus_guideway|platform`
 * (and `planned`, `abandoned`), `foot=no`, `access=private|no` unless `foot=yes|designated`, and
 * `area=yes`. Everything else is kept, including lines with no tags at all (a plain street layer); an
 * OSM line with no `highway` that is something else (`waterway`, `railway`, `power`, `boundary`, …) is
 * not a way, unless `foot=yes|designated` says so.
 */
export function isWalkable(tags: Record<string, string>): boolean {
  const foot = tags.foot;
  if (foot === 'no') return false;
  if (tags.area === 'yes') return false;
  const highway = tags.highway;
  if (highway === undefined && foot !== 'yes' && foot !== 'designated' && otherLineKeys.some((key) => key in tags))
    return false;
  if (highway !== undefined && notWalkableHighway.has(highway)) return false;
  const footAllowed = foot === 'yes' || foot === 'designated' || foot === 'permissive';
  if ((tags.access === 'private' || tags.access === 'no') && !footAllowed) return false;
  if (tags.service === 'private' && !footAllowed) return false;
  return true;
}

/**
 * Whether a point of an entrances layer is a usable entrance: any point without OSM tags (the user
 * chose the layer), or an OSM `entrance=*` / `barrier=gate|entrance` node that is not private.
 */
export function isEntrancePoint(tags: Record<string, string>): boolean {
  const osm = 'entrance' in tags || 'barrier' in tags || 'highway' in tags || 'access' in tags;
  if (!osm) return true;
  if (tags.access === 'private' || tags.access === 'no' || tags.entrance === 'no') return false;
  return (
    (tags.entrance !== undefined && tags.entrance !== 'no') || tags.barrier === 'gate' || tags.barrier === 'entrance'
  );
}
