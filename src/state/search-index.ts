import type { FeatureCollection } from 'geojson';
import type { BoundingBox, Community } from '../coverage';
import type { GapArea } from '../coverage/gap-areas';
import { extendBounds } from '../coverage/geometry';
import type { MapFeatureSelection } from '../map/map-types';

/** Features of one map layer, by index: what a search for a green space, greenway or street highlights. */
export type FeatureSelection = MapFeatureSelection & { indexes: number[] };

/** What a search result is. */
export type SearchKind = 'community' | 'greenspace' | 'greenway' | 'street' | 'gap';

/** One thing the search finds: its names, where it is and what choosing it selects. */
export interface SearchEntry {
  kind: SearchKind;
  /** Chinese (or only) name. */
  name: string;
  /** English name, when the data gives one. */
  nameEnglish: string | null;
  bbox: BoundingBox;
  /** The community's index (communities), or the community holding most of a gap's cells. */
  community: number | null;
  /** The gap area's rank (gaps). */
  gap: number | null;
  /** The features found (green spaces, greenways, streets): their layer and indexes in it, all parts of one name. */
  features: FeatureSelection | null;
  /** Normalized texts matched against the query: names, pinyin, pinyin initials. */
  keys: string[];
  /** Texts that find it with less weight (a gap area by its community's names): after every direct match. */
  relatedKeys?: string[];
}

/** Lower case, no diacritics, full-width letters and digits as ASCII, single spaces. */
export function normalizeSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Pinyin of Chinese text: full syllables and initials, e.g. 龙潭社区 → ["longtanshequ", "ltsq"]. */
export type PinyinKeys = (text: string) => string[];

const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);

function keysOf(names: (string | null | undefined)[], pinyin: PinyinKeys | null): string[] {
  const keys = new Set<string>();
  for (const name of names) {
    if (!name) continue;
    keys.add(normalizeSearch(name));
    if (pinyin && hasChinese(name)) for (const key of pinyin(name)) keys.add(normalizeSearch(key));
  }
  return [...keys].filter(Boolean);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/** Named features of a layer, one entry per kind and name (the parts of one street become one entry). */
function featureEntries(
  layer: FeatureCollection | null,
  kind: SearchKind,
  layerName: FeatureSelection['layer'],
  pinyin: PinyinKeys | null,
): SearchEntry[] {
  if (!layer) return [];
  const byName = new Map<string, SearchEntry>();
  for (const [index, feature] of layer.features.entries()) {
    const name = text(feature.properties?.name);
    const nameEnglish = text(feature.properties?.name_en);
    if ((!name && !nameEnglish) || !feature.geometry) continue;
    const id = `${name ?? ''}\u0000${nameEnglish ?? ''}`;
    const seen = byName.get(id);
    const start: BoundingBox = seen
      ? seen.bbox
      : [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const bbox = extendBounds(start, feature.geometry);
    if (!Number.isFinite(bbox[0])) continue;
    if (seen) {
      seen.bbox = bbox;
      seen.features!.indexes.push(index);
    } else
      byName.set(id, {
        kind,
        name: name ?? nameEnglish!,
        nameEnglish,
        bbox,
        community: null,
        gap: null,
        features: { layer: layerName, indexes: [index] },
        keys: keysOf([name, nameEnglish], pinyin),
      });
  }
  return [...byName.values()];
}

/**
 * Everything the planner can search by name: communities, green spaces, greenways, streets, and the
 * gap areas (by "gap N" / "缺口 N" and by their community's name). `pinyin`, when given (loaded
 * lazily), adds pinyin and pinyin initials for Chinese names.
 */
export function buildSearchIndex(input: {
  communities: Community[];
  greenspaces: FeatureCollection | null;
  greenways: FeatureCollection | null;
  streets: FeatureCollection | null;
  gaps: GapArea[];
  pinyin: PinyinKeys | null;
}): SearchEntry[] {
  const { pinyin } = input;
  const communities = input.communities.map(
    (community, index): SearchEntry => ({
      kind: 'community',
      name: community.name || community.nameEnglish || '',
      nameEnglish: community.nameEnglish,
      bbox: community.bbox,
      community: index,
      gap: null,
      features: null,
      keys: keysOf([community.name, community.nameEnglish], pinyin),
    }),
  );
  const gaps = input.gaps.map((gap): SearchEntry => {
    const community = input.communities[gap.community];
    const number = gap.rank + 1;
    return {
      kind: 'gap',
      name: `缺口 ${number}`,
      nameEnglish: `Gap ${number}`,
      bbox: gap.bbox,
      community: gap.community >= 0 ? gap.community : null,
      gap: gap.rank,
      features: null,
      keys: [`缺口 ${number}`, `gap ${number}`, `#${number}`],
      relatedKeys: keysOf([community?.name, community?.nameEnglish], pinyin),
    };
  });
  return [
    ...communities,
    ...featureEntries(input.greenspaces, 'greenspace', 'greenspaces', pinyin),
    ...featureEntries(input.greenways, 'greenway', 'greenways', pinyin),
    ...featureEntries(input.streets, 'street', 'streets', pinyin),
    ...gaps,
  ];
}

const kindOrder: Record<SearchKind, number> = { community: 0, greenspace: 1, greenway: 2, street: 3, gap: 4 };

/** How well `key` matches `query`: 0 equal, 1 prefix, 2 a word's prefix, 3 inside; null for no match. */
function matchRank(key: string, query: string): number | null {
  if (key === query) return 0;
  if (key.startsWith(query)) return 1;
  const at = key.indexOf(query);
  if (at < 0) return null;
  return /[\s\-(（·]/.test(key[at - 1] ?? '') ? 2 : 3;
}

/**
 * The `limit` best entries for `query`: by how well a key matches (equal, prefix, word prefix, inside),
 * then communities before green spaces, greenways, streets and gaps, then shorter names. Gap areas
 * match by "gap N", "缺口 N", "#N" or their community's name.
 */
export function searchEntries(entries: readonly SearchEntry[], query: string, limit = 8): SearchEntry[] {
  const wanted = normalizeSearch(query);
  if (!wanted) return [];
  const scored: { entry: SearchEntry; rank: number }[] = [];
  for (const entry of entries) {
    let best: number | null = null;
    for (const key of entry.keys) {
      const rank = matchRank(key, wanted);
      if (rank !== null && (best === null || rank < best)) best = rank;
    }
    for (const key of entry.relatedKeys ?? []) {
      const rank = matchRank(key, wanted);
      if (rank !== null && (best === null || 4 + rank < best)) best = 4 + rank;
    }
    if (best !== null) scored.push({ entry, rank: best });
  }
  scored.sort(
    (a, b) =>
      a.rank - b.rank ||
      kindOrder[a.entry.kind] - kindOrder[b.entry.kind] ||
      a.entry.name.length - b.entry.name.length ||
      (a.entry.gap ?? 0) - (b.entry.gap ?? 0),
  );
  return scored.slice(0, limit).map((item) => item.entry);
}
