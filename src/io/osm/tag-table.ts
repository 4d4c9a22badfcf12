/**
 * The OSM tag table: which tags make which GreenReach layer, as data (docs/osm-tags.md shows it; the
 * import dialog can list it and switch rules off). It is the single source for both `classifyOsmTags`
 * (src/io/osm.ts, features already converted to GeoJSON) and the extract deriver (derive-layers.ts).
 *
 * A rule matches an element when every key in `tags` has one of the listed values ('*' = any value),
 * none of `unless` matches, the name matches `namePattern` (if given) and the element's geometry is one
 * of `geometry`. Within a layer the first matching rule names the feature's kind. `tier` orders
 * alternatives: the layer uses the lowest tier that found anything (finest admin level first; residential
 * buildings only where there is no residential land). `scope: 'extract'` rules need the extract (a
 * relation, or the spatial context `context`) and are not used by `classifyOsmTags`.
 */
import type { OsmTags } from './osm-store';

/** The layers derived from an extract. */
export type OsmLayerName =
  | 'communities'
  | 'residential'
  | 'greenways'
  | 'greenspaces'
  | 'streets'
  | 'entrances'
  | 'barriers'
  | 'buildings'
  | 'basemap';

/** Geometry an element has: an area (closed way or multipolygon), a line (way), a point (node), a route relation. */
export type OsmGeometryKind = 'area' | 'line' | 'point' | 'route';

/** One row of the tag table. */
export interface OsmTagRule {
  /** Stable id, e.g. "greenspaces/leisure=park". */
  id: string;
  layer: OsmLayerName;
  tags: Readonly<Record<string, readonly string[] | '*'>>;
  geometry: readonly OsmGeometryKind[];
  /** The feature's kind (green-space kind, barrier kind, basemap class). */
  kind?: string;
  /** A name (name, name:zh, name:en) matching `pattern` (a case-insensitive RegExp source) gives `kind`. */
  nameKinds?: readonly { pattern: string; kind: string }[];
  /** Areas below this size (m²) get `smallKind` (extract only, where the area is known). */
  smallArea?: { belowSquareMeters: number; kind: string };
  /** The name must match this (case-insensitive RegExp source). */
  namePattern?: string;
  /** The rule does not apply when any of these tags has one of these values. */
  unless?: Readonly<Record<string, readonly string[]>>;
  /** Spatial condition (extract only): inside or along a green space; outside other land uses. */
  context?: 'in-green' | 'outside-other-land';
  /** Lower tiers win: a layer keeps only the features of its lowest tier that found any. Default 0. */
  tier?: number;
  /** Only for extracts (needs relations or spatial context). */
  scope?: 'extract';
  /** What was guessed, said in the summary when the rule produced features. */
  guess?: string;
  enabled: boolean;
}

/** Names of green ways and pocket parks, as used by today's osm.ts. */
export const GREENWAY_NAME = '绿道|greenway|green\\s*way';
export const POCKET_PARK_NAME = '小游园|游园|微绿地|口袋公园|街头绿地|pocket\\s*park';

const NOT_PUBLIC = {
  access: ['private', 'no'],
  landuse: ['cemetery'],
  amenity: ['grave_yard'],
  leisure: ['golf_course'],
} as const;

const green = (
  id: string,
  key: string,
  values: string[],
  kind: string,
  extra: Partial<OsmTagRule> = {},
): OsmTagRule => ({
  id: `greenspaces/${id}`,
  layer: 'greenspaces',
  tags: { [key]: values },
  geometry: ['area'],
  kind,
  unless: NOT_PUBLIC,
  enabled: true,
  ...extra,
});

const RESIDENTIAL_BUILDINGS = [
  'residential',
  'apartments',
  'house',
  'detached',
  'semidetached_house',
  'terrace',
  'dormitory',
  'bungalow',
];

const ROAD_CLASSES: [string, string[]][] = [
  ['motorway', ['motorway', 'motorway_link', 'trunk', 'trunk_link']],
  ['primary', ['primary', 'primary_link']],
  ['secondary', ['secondary', 'secondary_link', 'tertiary', 'tertiary_link']],
  ['minor', ['residential', 'unclassified', 'living_street', 'road', 'service']],
  ['path', ['pedestrian', 'footway', 'cycleway', 'path', 'steps', 'track', 'bridleway']],
];

/** The default tag table (a fresh copy each call, so a caller may edit it). */
export function defaultTagTable(): OsmTagRule[] {
  const rules: OsmTagRule[] = [
    green('leisure=park', 'leisure', ['park'], 'park', {
      nameKinds: [{ pattern: POCKET_PARK_NAME, kind: 'pocket_park' }],
      smallArea: { belowSquareMeters: 10_000, kind: 'pocket_park' },
    }),
    green('leisure=garden', 'leisure', ['garden'], 'pocket_park'),
    green('leisure=playground', 'leisure', ['playground'], 'micro_green'),
    green('leisure=nature_reserve', 'leisure', ['nature_reserve'], 'green_space'),
    green('leisure=common|village_green', 'leisure', ['common', 'village_green'], 'green_space'),
    green('landuse=recreation_ground', 'landuse', ['recreation_ground'], 'green_space'),
    green('landuse=grass', 'landuse', ['grass'], 'green_space'),
    green('landuse=village_green', 'landuse', ['village_green'], 'green_space'),
    green('landuse=forest|meadow', 'landuse', ['forest', 'meadow'], 'green_space'),
    green('natural=wood|scrub|grassland', 'natural', ['wood', 'scrub', 'grassland'], 'green_space'),
    {
      id: 'greenways/route named greenway',
      layer: 'greenways',
      tags: { route: ['bicycle', 'foot', 'hiking'] },
      namePattern: GREENWAY_NAME,
      geometry: ['route', 'line', 'area', 'point'],
      kind: 'greenway',
      enabled: true,
    },
    {
      id: 'greenways/route=greenway',
      layer: 'greenways',
      tags: { route: ['greenway'] },
      geometry: ['route', 'line', 'area', 'point'],
      kind: 'greenway',
      enabled: true,
    },
    {
      id: 'greenways/path named greenway',
      layer: 'greenways',
      tags: { highway: ['footway', 'cycleway', 'path', 'pedestrian', 'track'] },
      namePattern: GREENWAY_NAME,
      geometry: ['line', 'route', 'area', 'point'],
      kind: 'greenway',
      enabled: true,
    },
    {
      id: 'greenways/greenway=yes',
      layer: 'greenways',
      tags: { highway: ['footway', 'cycleway', 'path', 'pedestrian', 'track'], greenway: ['yes'] },
      geometry: ['line', 'route', 'area', 'point'],
      kind: 'greenway',
      enabled: true,
    },
    {
      id: 'greenways/route=hiking|foot|bicycle',
      layer: 'greenways',
      tags: { route: ['hiking', 'foot', 'bicycle'] },
      geometry: ['route'],
      kind: 'greenway',
      scope: 'extract',
      guess: 'every hiking, foot and bicycle route relation is taken as a greenway',
      enabled: true,
    },
    {
      id: 'greenways/path in or along green',
      layer: 'greenways',
      tags: { highway: ['footway', 'cycleway', 'path'] },
      unless: { footway: ['sidewalk', 'crossing'] },
      geometry: ['line'],
      kind: 'greenway',
      context: 'in-green',
      scope: 'extract',
      guess:
        'footways, cycleways and paths with at least half their vertices inside or within 20 m of a green space are taken as greenways',
      enabled: true,
    },
    {
      id: 'residential/landuse=residential',
      layer: 'residential',
      tags: { landuse: ['residential'] },
      geometry: ['area'],
      enabled: true,
    },
    {
      id: 'residential/residential buildings',
      layer: 'residential',
      tags: { building: RESIDENTIAL_BUILDINGS },
      geometry: ['area'],
      tier: 1,
      scope: 'extract',
      guess:
        'no landuse=residential in the extract: residential buildings, buffered 20 m and merged into blocks, stand for residential land',
      enabled: true,
    },
    {
      id: 'residential/building=yes outside other land',
      layer: 'residential',
      tags: { building: ['yes'] },
      geometry: ['area'],
      context: 'outside-other-land',
      tier: 1,
      scope: 'extract',
      guess:
        'no landuse=residential in the extract: buildings tagged only building=yes, under 1,000 m² and outside industrial, commercial, retail, school and similar land, are guessed to be homes',
      enabled: true,
    },
    ...[10, 9, 8].map(
      (level, tier): OsmTagRule => ({
        id: `communities/admin_level=${level}`,
        layer: 'communities',
        tags: { boundary: ['administrative'], admin_level: [String(level)] },
        geometry: ['area'],
        tier,
        enabled: true,
      }),
    ),
    {
      id: 'communities/admin_level=11|12',
      layer: 'communities',
      tags: { boundary: ['administrative'], admin_level: ['11', '12'] },
      geometry: ['area'],
      tier: 3,
      enabled: true,
    },
    {
      id: 'communities/place=neighbourhood|quarter|suburb',
      layer: 'communities',
      tags: { place: ['neighbourhood', 'quarter', 'suburb'] },
      geometry: ['area'],
      tier: 4,
      enabled: true,
    },
    {
      id: 'streets/highway=*',
      layer: 'streets',
      tags: { highway: '*' },
      unless: { area: ['yes'] },
      geometry: ['line'],
      enabled: true,
    },
    {
      id: 'entrances/entrance=*',
      layer: 'entrances',
      tags: { entrance: '*' },
      geometry: ['point'],
      kind: 'entrance',
      enabled: true,
    },
    {
      id: 'entrances/barrier=gate|entrance',
      layer: 'entrances',
      tags: { barrier: ['gate', 'entrance', 'lift_gate', 'kissing_gate', 'turnstile'] },
      unless: { access: ['private', 'no'] },
      geometry: ['point'],
      kind: 'gate',
      enabled: true,
    },
    barrier('waterway=river|canal', { waterway: ['river', 'canal'] }, ['line'], 'water'),
    barrier('natural=water', { natural: ['water'] }, ['area'], 'water'),
    barrier('waterway=riverbank', { waterway: ['riverbank'] }, ['area'], 'water'),
    barrier('railway=rail', { railway: ['rail'] }, ['line'], 'rail'),
    barrier('highway=motorway', { highway: ['motorway', 'motorway_link'] }, ['line'], 'motorway'),
    {
      id: 'buildings/building=*',
      layer: 'buildings',
      tags: { building: '*' },
      unless: { building: ['no'] },
      geometry: ['area'],
      enabled: true,
    },
    ...ROAD_CLASSES.map(
      ([kind, values]): OsmTagRule => ({
        id: `basemap/road ${kind}`,
        layer: 'basemap',
        tags: { highway: values },
        unless: { area: ['yes'] },
        geometry: ['line'],
        kind: `road_${kind}`,
        enabled: true,
      }),
    ),
    basemap('water area', { natural: ['water'] }, ['area'], 'water'),
    basemap('riverbank', { waterway: ['riverbank'] }, ['area'], 'water'),
    basemap('waterway', { waterway: ['river', 'canal', 'stream', 'ditch', 'drain'] }, ['line'], 'waterway'),
    basemap('rail', { railway: ['rail', 'light_rail', 'subway', 'tram', 'narrow_gauge'] }, ['line'], 'rail'),
    basemap(
      'park',
      { leisure: ['park', 'garden', 'playground', 'nature_reserve', 'pitch', 'common'] },
      ['area'],
      'park',
    ),
    basemap(
      'green land',
      { landuse: ['grass', 'forest', 'meadow', 'recreation_ground', 'village_green', 'cemetery'] },
      ['area'],
      'green',
    ),
    basemap('wood', { natural: ['wood', 'scrub', 'grassland', 'wetland'] }, ['area'], 'green'),
    basemap('residential land', { landuse: ['residential'] }, ['area'], 'residential'),
    basemap(
      'other land',
      { landuse: ['industrial', 'commercial', 'retail', 'railway', 'farmland'] },
      ['area'],
      'landuse',
    ),
    basemap('building', { building: '*' }, ['area'], 'building'),
    basemap(
      'place label',
      { place: ['city', 'town', 'village', 'hamlet', 'suburb', 'quarter', 'neighbourhood', 'island', 'locality'] },
      ['point'],
      'place',
    ),
  ];
  return rules;
}

function barrier(id: string, tags: Record<string, string[]>, geometry: OsmGeometryKind[], kind: string): OsmTagRule {
  return { id: `barriers/${id}`, layer: 'barriers', tags, geometry, kind, enabled: true };
}

function basemap(
  id: string,
  tags: Record<string, string[] | '*'>,
  geometry: OsmGeometryKind[],
  kind: string,
): OsmTagRule {
  return { id: `basemap/${id}`, layer: 'basemap', tags, geometry, kind, enabled: true };
}

/** Land that is not homes, for the `outside-other-land` context. */
export const OTHER_LAND: Readonly<Record<string, readonly string[]>> = {
  landuse: ['industrial', 'commercial', 'retail', 'railway', 'military', 'farmyard', 'farmland', 'construction'],
  amenity: ['school', 'university', 'college', 'hospital', 'parking', 'place_of_worship', 'prison'],
  leisure: ['park', 'pitch', 'sports_centre', 'stadium'],
  aeroway: ['aerodrome'],
};

const patternCache = new Map<string, RegExp>();
function pattern(source: string): RegExp {
  let found = patternCache.get(source);
  if (!found) {
    found = new RegExp(source, 'i');
    patternCache.set(source, found);
  }
  return found;
}

/** "name name:zh name:en" of an element. */
export function namesOf(tags: OsmTags): string {
  return `${tags.name ?? ''} ${tags['name:zh'] ?? ''} ${tags['name:en'] ?? ''}`;
}

/** Whether the rule's tag conditions (tags, unless, name) hold; geometry and context are the caller's. */
export function ruleMatchesTags(rule: OsmTagRule, tags: OsmTags): boolean {
  for (const key in rule.tags) {
    const value = tags[key];
    if (value === undefined) return false;
    const allowed = rule.tags[key];
    if (allowed !== '*' && !allowed.includes(value)) return false;
  }
  if (rule.unless) {
    for (const key in rule.unless) {
      const value = tags[key];
      if (value !== undefined && rule.unless[key].includes(value)) return false;
    }
  }
  if (rule.namePattern && !pattern(rule.namePattern).test(namesOf(tags))) return false;
  return true;
}

/** The kind a matching rule gives an element (name hints first, then the small-area kind). */
export function ruleKind(rule: OsmTagRule, tags: OsmTags, areaSquareMeters?: number): string | undefined {
  if (rule.nameKinds) {
    const names = namesOf(tags);
    for (const hint of rule.nameKinds) if (pattern(hint.pattern).test(names)) return hint.kind;
  }
  if (rule.smallArea && areaSquareMeters !== undefined && areaSquareMeters < rule.smallArea.belowSquareMeters) {
    return rule.smallArea.kind;
  }
  return rule.kind;
}
