/**
 * What a read keeps of each element's tags (osm-store.ts asks this filter): elements with a key the tag
 * table reads, and of their tags only the keys the table reads plus `KEPT_TAG_KEYS`; identical tag sets
 * are shared.
 */
import type { OsmTags } from './osm-store';
import { defaultTagTable, type OsmTagRule, OTHER_LAND, ruleMatchesTags } from './tag-table';

/** The keys any rule reads, plus the ones the layers carry. */
function ruleKeys(table: readonly OsmTagRule[]): Set<string> {
  const keys = new Set<string>(['area', 'type', 'access']);
  for (const rule of table) for (const key in rule.tags) keys.add(key);
  for (const key in OTHER_LAND) keys.add(key);
  return keys;
}

/**
 * Tags kept on the elements a read keeps, besides the keys the rules read: names, and what a walking
 * network or a population estimate needs. Other tags (addresses, sources, notes, other languages) are
 * dropped as they are read, so a city's tags do not fill the memory.
 */
export const KEPT_TAG_KEYS: readonly string[] = [
  'name',
  'name:zh',
  'name:zh-Hans',
  'name:zh-Hant',
  'name:en',
  'ref',
  'access',
  'foot',
  'bicycle',
  'motor_vehicle',
  'service',
  'footway',
  'sidewalk',
  'crossing',
  'bridge',
  'tunnel',
  'layer',
  'level',
  'oneway',
  'surface',
  'width',
  'lit',
  'wheelchair',
  'indoor',
  'covered',
  'building:levels',
  'height',
  'water',
  'intermittent',
  'network',
  'operator',
  'border_type',
];

/** Which elements' tags a read keeps: those with a key the table reads (see osm-store.ts). */
export function osmKeepFilter(table: readonly OsmTagRule[] = defaultTagTable()) {
  const ruleKeySet = ruleKeys(table);
  const keys = [...ruleKeySet].filter((key) => key !== 'area' && key !== 'type' && key !== 'access');
  const kept = new Set([...ruleKeySet, ...KEPT_TAG_KEYS]);
  const nodeRules = table.filter((rule) => rule.geometry.includes('point'));
  const hasKey = (tags: OsmTags) => {
    for (const key of keys) if (tags[key] !== undefined) return true;
    return false;
  };
  // Identical tag sets (building=yes, …) share one object.
  const interned = new Map<string, OsmTags>();
  return {
    node: (tags: OsmTags) => nodeRules.some((rule) => ruleMatchesTags(rule, tags)),
    way: hasKey,
    relation: (tags: OsmTags) =>
      tags.type === 'multipolygon' || tags.type === 'boundary' || tags.type === 'route' ? hasKey(tags) : false,
    pick: (tags: OsmTags): OsmTags => {
      const out: OsmTags = {};
      let signature = '';
      let named = false;
      for (const key in tags) {
        if (!kept.has(key)) continue;
        out[key] = tags[key];
        if (key.startsWith('name') || key === 'ref') named = true;
        else signature += `${key}\u0000${tags[key]}\u0001`;
      }
      if (named || interned.size > 100_000) return out;
      const found = interned.get(signature);
      if (found) return found;
      interned.set(signature, out);
      return out;
    },
  };
}
