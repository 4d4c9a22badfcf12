/**
 * The properties each derived layer's features carry (GeoJSON, then FlatGeobuf columns): `osm_id`
 * ("way/123"), `name` / `name_zh` / `name_en` where tagged, `rule` (the tag-table rule that made the
 * feature) and per-layer fields. Streets, entrances and barriers keep all their OSM tags in a nested
 * `tags` object (osmtogeojson's convention, read back by `osmTags`), for the walking network.
 */
import type { OsmTags } from './osm-store';
import type { OsmLayerName, OsmTagRule } from './tag-table';

/** "node", "way" or "relation" and the id. */
export interface OsmElementRef {
  type: 'node' | 'way' | 'relation';
  id: number;
}

/** The tag text a rule matched, e.g. "leisure=park" or "boundary=administrative admin_level=8". */
export function ruleTagText(rule: OsmTagRule, tags: OsmTags): string {
  return Object.keys(rule.tags)
    .map((key) => `${key}=${tags[key]}`)
    .join(' ');
}

function levelsOf(tags: OsmTags): number | null {
  const levels = Number.parseFloat(tags['building:levels'] ?? '');
  return Number.isFinite(levels) && levels > 0 ? levels : null;
}

/** The properties of one derived feature. */
export function featureProperties(
  layer: OsmLayerName,
  rule: OsmTagRule,
  element: OsmElementRef,
  tags: OsmTags,
  kind: string | undefined,
): Record<string, unknown> {
  const p: Record<string, unknown> = { osm_id: `${element.type}/${element.id}` };
  if (tags.name) p.name = tags.name;
  if (tags['name:zh']) p.name_zh = tags['name:zh'];
  if (tags['name:en']) p.name_en = tags['name:en'];
  p.rule = rule.id;
  switch (layer) {
    case 'greenspaces':
      p.kind = kind;
      p.osm_class = ruleTagText(rule, tags);
      break;
    case 'greenways':
      p.kind = 'greenway';
      p.osm_class = ruleTagText(rule, tags);
      break;
    case 'streets':
      p.highway = tags.highway;
      p.tags = { ...tags };
      break;
    case 'entrances':
      p.kind = kind;
      p.tags = { ...tags };
      break;
    case 'barriers':
      p.kind = kind;
      if (tags.bridge && tags.bridge !== 'no') p.bridge = tags.bridge;
      if (tags.tunnel && tags.tunnel !== 'no') p.tunnel = tags.tunnel;
      p.tags = { ...tags };
      break;
    case 'buildings':
      p.building = tags.building;
      p.levels = levelsOf(tags);
      break;
    case 'residential':
      p.landuse = tags.landuse ?? null;
      p.building = tags.building ?? null;
      break;
    case 'communities':
      if (tags.admin_level) p.admin_level = tags.admin_level;
      if (tags.place) p.place = tags.place;
      break;
    case 'basemap':
      p.class = kind;
      if (tags.highway) p.highway = tags.highway;
      if (tags.place) p.place = tags.place;
      if (tags.bridge && tags.bridge !== 'no') p.bridge = tags.bridge;
      if (tags.tunnel && tags.tunnel !== 'no') p.tunnel = tags.tunnel;
      if (tags.building) p.levels = levelsOf(tags);
      break;
  }
  return p;
}

const NAME_COLUMNS = [
  { name: 'osm_id', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'name_zh', type: 'string' },
  { name: 'name_en', type: 'string' },
  { name: 'rule', type: 'string' },
] as const;

/**
 * The FlatGeobuf columns of the layers that can be streamed (`streamOsmLayer`): every property
 * `featureProperties` can give them, so the writer can take the features one at a time.
 */
export const STREAMED_COLUMNS: Record<
  'buildings' | 'basemap' | 'streets' | 'barriers',
  readonly { name: string; type: 'string' | 'double' | 'json' }[]
> = {
  buildings: [...NAME_COLUMNS, { name: 'building', type: 'string' }, { name: 'levels', type: 'double' }],
  basemap: [
    ...NAME_COLUMNS,
    { name: 'class', type: 'string' },
    { name: 'highway', type: 'string' },
    { name: 'place', type: 'string' },
    { name: 'bridge', type: 'string' },
    { name: 'tunnel', type: 'string' },
    { name: 'levels', type: 'double' },
  ],
  streets: [...NAME_COLUMNS, { name: 'highway', type: 'string' }, { name: 'tags', type: 'json' }],
  barriers: [
    ...NAME_COLUMNS,
    { name: 'kind', type: 'string' },
    { name: 'bridge', type: 'string' },
    { name: 'tunnel', type: 'string' },
    { name: 'tags', type: 'json' },
  ],
};
