import type { PinyinKeys } from './search-index';

let loading: Promise<PinyinKeys> | null = null;

/**
 * Loads pinyin-pro on first use (its dictionary is a few hundred kB: not on the first page) and
 * returns the full pinyin and the initials of a Chinese name, e.g. 龙潭社区 → ["longtanshequ", "ltsq"].
 */
export function loadPinyinKeys(): Promise<PinyinKeys> {
  loading ??= import('pinyin-pro').then(({ pinyin }) => (name: string) => {
    const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).map((part) =>
      part.toLowerCase().replace(/\s+/g, ''),
    );
    return [syllables.join(''), syllables.map((part) => part[0] ?? '').join('')];
  });
  return loading;
}
