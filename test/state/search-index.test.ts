import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Community } from '../../src/coverage';
import type { GapArea } from '../../src/coverage/gap-areas';
import { loadPinyinKeys } from '../../src/state/pinyin-keys';
import { buildSearchIndex, normalizeSearch, searchEntries } from '../../src/state/search-index';

const community = (name: string, nameEnglish: string, x: number): Community => ({
  name,
  nameEnglish,
  population: 100,
  bbox: [x, 30, x + 0.01, 30.01],
});

const line = (name: string, nameEnglish: string, x0: number, x1: number) => ({
  type: 'Feature' as const,
  properties: { name, name_en: nameEnglish },
  geometry: {
    type: 'LineString' as const,
    coordinates: [
      [x0, 30],
      [x1, 30.001],
    ],
  },
});

const collection = (features: ReturnType<typeof line>[]): FeatureCollection => ({
  type: 'FeatureCollection',
  features,
});

const gap = (rank: number, communityIndex: number): GapArea => ({
  rank,
  community: communityIndex,
  cells: 3,
  residents: 10,
  nearestParkMeters: 600,
  nearestGreenMeters: 300,
  bbox: [104, 30, 104.001, 30.001],
});

async function index() {
  return buildSearchIndex({
    communities: [community('龙潭社区', 'Longtan', 104), community('沙湾社区', 'Shawan', 104.1)],
    greenspaces: collection([line('映月公园', 'Yingyue Park', 104.2, 104.21)]),
    greenways: collection([line('团结路社区绿道', 'Tuanjie Road Community Greenway', 104.3, 104.31)]),
    // One street in two parts: one entry, its box over both.
    streets: collection([line('沙湾巷', 'Shawan Lane', 104.1, 104.11), line('沙湾巷', 'Shawan Lane', 104.11, 104.13)]),
    gaps: [gap(0, 1), gap(1, 0), gap(2, 0)],
    pinyin: await loadPinyinKeys(),
  });
}

describe('search index', () => {
  it('normalizes case, width, diacritics and spaces', () => {
    expect(normalizeSearch('  Ｓhāwan   LANE ')).toBe('shawan lane');
  });

  it('finds by Chinese, English, full pinyin and pinyin initials', async () => {
    const entries = await index();
    const first = (query: string) => searchEntries(entries, query)[0];
    expect(first('龙潭')).toMatchObject({ kind: 'community', community: 0 });
    expect(first('longtan')).toMatchObject({ kind: 'community', community: 0 });
    expect(first('ltsq')).toMatchObject({ kind: 'community', name: '龙潭社区' });
    expect(first('yygy')).toMatchObject({ kind: 'greenspace', nameEnglish: 'Yingyue Park' });
    expect(first('yingyue')).toMatchObject({ kind: 'greenspace' });
    expect(first('tuanjie')).toMatchObject({ kind: 'greenway' });
  });

  it('ranks equal and prefix matches first, communities before streets, and merges a street’s parts', async () => {
    const entries = await index();
    const shawan = searchEntries(entries, 'shawan');
    expect(shawan.map((entry) => entry.kind)).toEqual(['community', 'street', 'gap']);
    const street = shawan[1];
    expect(street.bbox[0]).toBeCloseTo(104.1);
    expect(street.bbox[2]).toBeCloseTo(104.13);
    expect(searchEntries(entries, 'lane')[0]).toMatchObject({ kind: 'street' });
  });

  it('finds gap areas by number and by their community', async () => {
    const entries = await index();
    expect(searchEntries(entries, 'gap 2')[0]).toMatchObject({ kind: 'gap', gap: 1, community: 0 });
    expect(searchEntries(entries, '缺口 1')[0]).toMatchObject({ kind: 'gap', gap: 0 });
    expect(searchEntries(entries, '#3')[0]).toMatchObject({ kind: 'gap', gap: 2 });
    const longtan = searchEntries(entries, '龙潭社区');
    expect(longtan[0].kind).toBe('community');
    expect(longtan.filter((entry) => entry.kind === 'gap').map((entry) => entry.gap)).toEqual([1, 2]);
    expect(searchEntries(entries, '')).toEqual([]);
    expect(searchEntries(entries, 'zzzz')).toEqual([]);
  });
});
