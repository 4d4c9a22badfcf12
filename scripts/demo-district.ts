/**
 * A deterministic synthetic demo district, modelled loosely on Chengdu's Chenghua district (成华区,
 * about 30.66°N 104.10°E, ~110 km²): an irregular outline, a slightly rotated and warped street grid,
 * blocks between the streets (most residential, some industrial, schools or empty land), ~80
 * communities (社区) tiling the district in ~12 sub-districts (街道), the Sha River (沙河) with its
 * greenway, community greenways, a few large parks, tens of pocket parks (小游园) and tens of
 * micro-green spaces (微绿地, some below 400 m²). Green is placed unevenly on purpose, so that some
 * neighbourhoods are well served and others are real gaps.
 *
 * Everything is synthetic: names are plausible, places are invented. The same seed and scale give
 * byte-identical output (a seeded mulberry32 PRNG, no Math.random). `scale` multiplies the area
 * (and so every feature count); see `residentialCellsAtScale` in the report of generate-demo.ts for
 * the scale a 1M-cell benchmark needs.
 *
 * Geometry is built in a local metric frame (x east, y north, metres) and converted to WGS84
 * [lng, lat] (RFC 7946: exterior rings counter-clockwise, holes clockwise, 7 decimals ≈ 1 cm).
 */
import { difference, featureCollection, intersect, polygon as turfPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../src/coverage/geodesy';
import { mulberry32 } from './seeded-random';

// ---------------------------------------------------------------------------------------------
// Public types

export interface DemoDistrictOptions {
  /** PRNG seed (unsigned 32-bit integer); default 2017, the year the programme began. */
  seed?: number;
  /** Area multiplier: 1 ≈ 110 km² (Chenghua), 10 ≈ 1,100 km². Feature counts scale with it. */
  scale?: number;
}

export interface CommunityProperties {
  name: string;
  name_en: string;
  population: number;
  subdistrict: string;
  subdistrict_en: string;
}
export interface ResidentialProperties {
  id: number;
  name: string;
}
export interface StreetProperties {
  name: string;
  name_en: string;
  class: 'arterial' | 'local';
}
export interface NamedProperties {
  name: string;
  name_en: string;
}
export interface GreenwayProperties extends NamedProperties {
  kind: 'greenway';
}
export type GreenspaceKind = 'park' | 'pocket_park' | 'micro_green';
export interface GreenspaceProperties extends NamedProperties {
  kind: GreenspaceKind;
}
export interface DistrictProperties extends NamedProperties {
  synthetic: true;
  seed: number;
  scale: number;
}

export interface DemoDistrict {
  seed: number;
  scale: number;
  district: FeatureCollection<Polygon, DistrictProperties>;
  communities: FeatureCollection<Polygon, CommunityProperties>;
  residential: FeatureCollection<Polygon, ResidentialProperties>;
  streets: FeatureCollection<LineString, StreetProperties>;
  river: FeatureCollection<Polygon, NamedProperties>;
  greenways: FeatureCollection<LineString, GreenwayProperties>;
  greenspaces: FeatureCollection<Polygon, GreenspaceProperties>;
}

/** Layer names in the order they are written. */
export const demoLayers = [
  'district',
  'communities',
  'residential',
  'streets',
  'river',
  'greenways',
  'greenspaces',
] as const;
export type DemoLayer = (typeof demoLayers)[number];

export const defaultDemoSeed = 2017;
export const defaultDemoScale = 1;
/** Centre of the district (Chenghua). */
export const demoCenter: [number, number] = [104.1, 30.66];
/** District area at scale 1, m². */
export const demoAreaSquareMeters = 110e6;

// ---------------------------------------------------------------------------------------------
// Seeded randomness

export { mulberry32 };

/** An independent stream per stage, so tuning one stage does not reshuffle the others. */
function hashSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

class Random {
  readonly next: () => number;
  constructor(seed: number, label: string) {
    this.next = mulberry32(hashSeed(seed, label));
  }
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  /** Integer in [a, b], both inclusive. */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/** A smooth random field in about [-1, 1]: a sum of plane waves. */
function noiseField(
  rng: Random,
  components: number,
  minWave: number,
  maxWave: number,
): (x: number, y: number) => number {
  const waves: { kx: number; ky: number; phase: number; amplitude: number }[] = [];
  let total = 0;
  for (let k = 0; k < components; k++) {
    const angle = rng.uniform(0, Math.PI * 2);
    const wave = rng.uniform(minWave, maxWave);
    const amplitude = rng.uniform(0.5, 1);
    total += amplitude;
    waves.push({
      kx: (Math.cos(angle) * 2 * Math.PI) / wave,
      ky: (Math.sin(angle) * 2 * Math.PI) / wave,
      phase: rng.uniform(0, Math.PI * 2),
      amplitude,
    });
  }
  return (x, y) => {
    let sum = 0;
    for (const w of waves) sum += w.amplitude * Math.sin(w.kx * x + w.ky * y + w.phase);
    return sum / total;
  };
}

// ---------------------------------------------------------------------------------------------
// Plane geometry in metres

type Pt = [number, number];
/** Open ring (first point not repeated). */
type Ring = Pt[];
/** Outer ring then holes. */
type Poly = Ring[];

function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return sum / 2;
}

function polyArea(poly: Poly): number {
  return poly.reduce((sum, ring, k) => sum + (k === 0 ? 1 : -1) * Math.abs(signedArea(ring)), 0);
}

function centroidOf(ring: Ring): Pt {
  let x = 0;
  let y = 0;
  for (const p of ring) {
    x += p[0];
    y += p[1];
  }
  return [x / ring.length, y / ring.length];
}

function pointInRing(p: Pt, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distance(a: Pt, b: Pt): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function lerp(a: Pt, b: Pt, t: number): Pt {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}

/** Parameter t along a→b where it crosses c→d, or null. */
function segmentCrossing(a: Pt, b: Pt, c: Pt, d: Pt): number | null {
  const rx = b[0] - a[0];
  const ry = b[1] - a[1];
  const sx = d[0] - c[0];
  const sy = d[1] - c[1];
  const denominator = rx * sy - ry * sx;
  if (denominator === 0) return null;
  const qx = c[0] - a[0];
  const qy = c[1] - a[1];
  const t = (qx * sy - qy * sx) / denominator;
  const u = (qx * ry - qy * rx) / denominator;
  return t > 0 && t < 1 && u >= 0 && u <= 1 ? t : null;
}

/** The parts of a polyline inside a ring. */
function clipPolyline(path: Pt[], ring: Ring): Pt[][] {
  const runs: Pt[][] = [];
  let current: Pt[] | null = null;
  for (let k = 0; k + 1 < path.length; k++) {
    const a = path[k];
    const b = path[k + 1];
    const ts = [0, 1];
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const t = segmentCrossing(a, b, ring[j], ring[i]);
      if (t !== null) ts.push(t);
    }
    ts.sort((x, y) => x - y);
    for (let m = 0; m + 1 < ts.length; m++) {
      if (ts[m + 1] - ts[m] < 1e-12) continue;
      const inside = pointInRing(lerp(a, b, (ts[m] + ts[m + 1]) / 2), ring);
      if (inside) {
        if (!current) {
          current = [lerp(a, b, ts[m])];
          runs.push(current);
        }
        current.push(lerp(a, b, ts[m + 1]));
      } else {
        current = null;
      }
    }
  }
  return runs;
}

function pathLength(path: Pt[]): number {
  let sum = 0;
  for (let k = 1; k < path.length; k++) sum += distance(path[k - 1], path[k]);
  return sum;
}

/** A polyline moved sideways by `offset` metres (positive = to the left of the direction of travel). */
function offsetPolyline(path: Pt[], offset: number): Pt[] {
  return path.map((p, k) => {
    const a = path[Math.max(0, k - 1)];
    const b = path[Math.min(path.length - 1, k + 1)];
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const length = Math.hypot(dx, dy) || 1;
    return [p[0] - (dy / length) * offset, p[1] + (dx / length) * offset];
  });
}

/** A quadrilateral (counter-clockwise) with each edge k moved inwards by `insets[k]` metres. */
function insetQuad(quad: Pt[], insets: number[]): Pt[] {
  const normals = quad.map((p, k) => {
    const q = quad[(k + 1) % 4];
    const length = distance(p, q);
    return [-(q[1] - p[1]) / length, (q[0] - p[0]) / length] as Pt;
  });
  return quad.map((p, k) => {
    const a = (k + 3) % 4; // edge ending at p
    const b = k; // edge starting at p
    const [ax, ay] = normals[a];
    const [bx, by] = normals[b];
    const det = ax * by - ay * bx;
    if (Math.abs(det) < 1e-6) return [p[0] + ax * insets[a], p[1] + ay * insets[a]] as Pt;
    const x = (insets[a] * by - ay * insets[b]) / det;
    const y = (ax * insets[b] - insets[a] * bx) / det;
    return [p[0] + x, p[1] + y] as Pt;
  });
}

/** Bilinear point of a quad (corners at (0,0), (1,0), (1,1), (0,1)). */
function bilinear(quad: Pt[], s: number, t: number): Pt {
  const [q0, q1, q2, q3] = quad;
  const a = (1 - s) * (1 - t);
  const b = s * (1 - t);
  const c = s * t;
  const d = (1 - s) * t;
  return [a * q0[0] + b * q1[0] + c * q2[0] + d * q3[0], a * q0[1] + b * q1[1] + c * q2[1] + d * q3[1]];
}

function closeRing(ring: Ring): Position[] {
  return [...ring, ring[0]];
}

function toTurf(poly: Poly) {
  return turfPolygon(poly.map(closeRing));
}

function fromTurf(geometry: Polygon | MultiPolygon | null | undefined): Poly[] {
  if (!geometry) return [];
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return parts.map((rings) => rings.map((ring) => ring.slice(0, -1).map((p) => [p[0], p[1]] as Pt)));
}

function clipPolys(subject: Poly, clip: Poly): Poly[] {
  return fromTurf(intersect(featureCollection([toTurf(subject), toTurf(clip)]))?.geometry);
}

function subtractPolys(subject: Poly, hole: Poly): Poly[] {
  return fromTurf(difference(featureCollection([toTurf(subject), toTurf(hole)]))?.geometry);
}

/** A bucketed point set for "anything within r of p?" queries. */
class SpatialHash {
  private readonly buckets = new Map<string, { p: Pt; radius: number }[]>();
  constructor(private readonly size: number) {}
  private key(i: number, j: number): string {
    return `${i},${j}`;
  }
  add(p: Pt, radius = 0): void {
    const key = this.key(Math.floor(p[0] / this.size), Math.floor(p[1] / this.size));
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = [];
      this.buckets.set(key, bucket);
    }
    bucket.push({ p, radius });
  }
  /** Whether some stored point lies within `distance + its radius` of p (radius + distance ≤ reach). */
  near(p: Pt, minDistance: number, reach: number): boolean {
    const i0 = Math.floor((p[0] - reach) / this.size);
    const i1 = Math.floor((p[0] + reach) / this.size);
    const j0 = Math.floor((p[1] - reach) / this.size);
    const j1 = Math.floor((p[1] + reach) / this.size);
    for (let i = i0; i <= i1; i++) {
      for (let j = j0; j <= j1; j++) {
        for (const entry of this.buckets.get(this.key(i, j)) ?? []) {
          if (distance(entry.p, p) < minDistance + entry.radius) return true;
        }
      }
    }
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Names (plausible Chengdu-style place names, with toneless pinyin)

/** Two-character place words with their toneless pinyin syllables. */
const words: [string, string, string][] = `
  和美 he mei, 双桥 shuang qiao, 建设 jian she, 府青 fu qing, 猛追 meng zhui, 万年 wan nian, 杉板 shan ban,
  崔家 cui jia, 跳蹬 tiao deng, 东虹 dong hong, 华林 hua lin, 龙潭 long tan, 青龙 qing long, 保和 bao he,
  圣灯 sheng deng, 白莲 bai lian, 桃蹊 tao xi, 二仙 er xian, 双水 shuang shui, 北湖 bei hu, 新华 xin hua,
  东风 dong feng, 八里 ba li, 李家 li jia, 踏水 ta shui, 驷马 si ma, 五桂 wu gui, 杨柳 yang liu, 枫林 feng lin,
  翠竹 cui zhu, 锦绣 jin xiu, 玉双 yu shuang, 昭觉 zhao jue, 荆竹 jing zhu, 青和 qing he, 槐树 huai shu, 梨花 li hua,
  桂花 gui hua, 紫荆 zi jing, 红花 hong hua, 金马 jin ma, 银杏 yin xing, 长青 chang qing, 双林 shuang lin,
  前锋 qian feng, 建华 jian hua, 民兴 min xing, 宏明 hong ming, 光荣 guang rong, 新鸿 xin hong, 高车 gao che,
  东林 dong lin, 秀苑 xiu yuan, 府河 fu he, 沙湾 sha wan, 望平 wang ping, 多宝 duo bao, 蜀龙 shu long, 和平 he ping,
  联合 lian he, 团结 tuan jie, 幸福 xing fu, 富民 fu min, 福兴 fu xing, 兴隆 xing long, 嘉祥 jia xiang,
  龙华 long hua, 同仁 tong ren, 石岭 shi ling, 桂溪 gui xi, 青林 qing lin, 锦华 jin hua, 天祥 tian xiang,
  东篱 dong li, 宝石 bao shi, 磨盘 mo pan, 水碾 shui nian, 倪家 ni jia, 曹家 cao jia, 怡福 yi fu, 红星 hong xing,
  东秀 dong xiu, 迎晖 ying hui, 桃源 tao yuan, 瑞星 rui xing, 民主 min zhu, 先锋 xian feng, 友谊 you yi,
  东华 dong hua, 映山 ying shan, 泉水 quan shui, 清水 qing shui, 游家 you jia, 白家 bai jia, 何家 he jia,
  龚家 gong jia, 翠林 cui lin, 繁荣 fan rong, 新风 xin feng, 安康 an kang, 和睦 he mu, 瑞丰 rui feng, 丰收 feng shou,
  金桂 jin gui, 映月 ying yue, 卓锦 zhuo jin, 双庆 shuang qing, 东郊 dong jiao
`
  .split(',')
  .map((entry) => entry.trim().split(/\s+/) as [string, string, string]);
const placeSuffixes: [string, string][] = [
  ['桥', 'qiao'],
  ['湾', 'wan'],
  ['坝', 'ba'],
  ['园', 'yuan'],
  ['里', 'li'],
  ['坡', 'po'],
  ['堰', 'yan'],
  ['寺', 'si'],
  ['子', 'zi'],
  ['塘', 'tang'],
  ['街', 'jie'],
];
const modifiers: [string, string][] = [
  ['东', 'East'],
  ['西', 'West'],
  ['南', 'South'],
  ['北', 'North'],
  ['中', 'Central'],
  ['新', 'New'],
  ['上', 'Upper'],
  ['下', 'Lower'],
  ['外', 'Outer'],
];

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Unique name stems for one layer: two-character place words and word + place suffix first (in a
 * seeded order), then pairs of characters from different words, then stems with a direction.
 */
class NameBank {
  private readonly tiers: { zh: string; en: string }[][];
  private tier = 0;
  private index = 0;
  private modifier = 0;
  private readonly used = new Set<string>();
  constructor(rng: Random) {
    const first = words.map(([zh, a, b]) => ({ zh, en: capitalize(a + b) }));
    const suffixed: { zh: string; en: string }[] = [];
    for (const [zh, a, b] of words) {
      for (const [suffix, pinyin] of placeSuffixes) {
        if (zh.endsWith(suffix) || b === pinyin) continue;
        suffixed.push({ zh: zh + suffix, en: capitalize(a + b + pinyin) });
      }
    }
    const second: { zh: string; en: string }[] = [];
    for (const [zh1, a] of words) {
      for (const [zh2, , b] of words) {
        if (zh1[0] !== zh2[1]) second.push({ zh: zh1[0] + zh2[1], en: capitalize(a + b) });
      }
    }
    this.tiers = [rng.shuffle(first), rng.shuffle(suffixed), rng.shuffle(second)];
  }
  next(): { zh: string; en: string } {
    for (;;) {
      if (this.tier < this.tiers.length) {
        const tier = this.tiers[this.tier];
        if (this.index >= tier.length) {
          this.tier++;
          this.index = 0;
          continue;
        }
        const stem = tier[this.index++];
        if (this.used.has(stem.zh)) continue;
        this.used.add(stem.zh);
        return stem;
      }
      // Exhausted (very large scales): the suffixed stems again, with a direction.
      const base = this.tiers[1];
      const k = this.index++;
      if (k >= base.length) {
        this.index = 0;
        this.modifier++;
        if (this.modifier >= modifiers.length) throw new Error('demo district: out of names');
        continue;
      }
      const [zh, en] = modifiers[this.modifier];
      const stem = { zh: base[k].zh + zh, en: `${base[k].en} ${en}` };
      if (this.used.has(stem.zh)) continue;
      this.used.add(stem.zh);
      return stem;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The generator

/** Street half-widths (m): arterials are 40 m wide, local streets 16 m. */
const arterialHalfWidth = 20;
const localHalfWidth = 8;
const riverHalfWidth = 25;
/** River, banks and the riverside greenway: no buildings within this distance of the centreline. */
const riverCorridorHalfWidth = 60;

type Usage = 'residential' | 'industrial' | 'school' | 'empty' | 'park';
type Level = 'well' | 'moderate' | 'gap';

interface Parcel {
  id: number;
  community: number;
  /** Block (inset cell) corners, counter-clockwise. */
  block: Pt[];
  blockWidth: number;
  blockHeight: number;
  s0: number;
  s1: number;
  t0: number;
  t1: number;
  /** Corner cut out for a pocket park or micro-green: 0..3 = (s0,t0), (s1,t0), (s1,t1), (s0,t1). */
  carve: { corner: number; alpha: number; beta: number } | null;
}

interface FreeBlock {
  id: number;
  community: number;
  poly: Poly;
}

interface Green {
  kind: GreenspaceKind;
  ring: Ring;
  name: { zh: string; en: string };
}

const kindNames: Record<GreenspaceKind, [string, string]> = {
  park: ['公园', 'Park'],
  pocket_park: ['小游园', 'Pocket Park'],
  micro_green: ['微绿地', 'Micro-green'],
};

export function generateDistrict(options: DemoDistrictOptions = {}): DemoDistrict {
  const seed = (options.seed ?? defaultDemoSeed) >>> 0;
  const scale = options.scale ?? defaultDemoScale;
  if (!(scale > 0 && scale <= 200)) throw new RangeError(`scale must be in (0, 200], got ${scale}`);
  const rng = (label: string) => new Random(seed, label);

  // 1. District outline: a star-shaped blob with a few low harmonics, scaled to the target area.
  const outlineRng = rng('outline');
  const vertexCount = 256;
  const harmonics: { k: number; amplitude: number; phase: number }[] = [];
  for (let k = 2; k <= 7; k++) {
    const amplitude = k === 2 ? outlineRng.uniform(0.14, 0.22) : outlineRng.uniform(0.03, 0.1) * (3 / k);
    harmonics.push({ k, amplitude, phase: outlineRng.uniform(0, Math.PI * 2) });
  }
  for (let k = 9; k <= 31; k += 2)
    harmonics.push({ k, amplitude: outlineRng.uniform(0, 0.012), phase: outlineRng.uniform(0, Math.PI * 2) });
  let outline: Ring = [];
  for (let v = 0; v < vertexCount; v++) {
    const theta = (v / vertexCount) * Math.PI * 2;
    let exponent = 0;
    for (const h of harmonics) exponent += h.amplitude * Math.cos(h.k * theta + h.phase);
    const r = Math.exp(exponent);
    outline.push([r * Math.cos(theta), r * Math.sin(theta)]);
  }
  const targetArea = demoAreaSquareMeters * scale;
  const stretch = Math.sqrt(targetArea / Math.abs(signedArea(outline)));
  outline = outline.map(([x, y]) => [x * stretch, y * stretch]);
  const districtPoly: Poly = [outline];
  const inDistrict = (p: Pt) => pointInRing(p, outline);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of outline) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const radius = Math.sqrt(targetArea / Math.PI);

  // 2. Street lattice: two families of lines in a frame rotated by a few degrees, with irregular
  //    spacing, arterials every 3–5 lines, a smooth warp and a little jitter at every crossing.
  const latticeRng = rng('lattice');
  const rotation = latticeRng.uniform(-0.22, 0.22);
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  let uMin = Infinity;
  let uMax = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  for (const [x, y] of outline) {
    const u = x * cos + y * sin;
    const v = -x * sin + y * cos;
    uMin = Math.min(uMin, u);
    uMax = Math.max(uMax, u);
    vMin = Math.min(vMin, v);
    vMax = Math.max(vMax, v);
  }
  const lines = (from: number, to: number) => {
    const positions: number[] = [];
    const arterial: boolean[] = [];
    let next = latticeRng.int(1, 3);
    for (let p = from - 400; p < to + 600; p += latticeRng.uniform(200, 360)) {
      positions.push(p);
      arterial.push(next === 0);
      next = next === 0 ? latticeRng.int(3, 5) : next - 1;
    }
    return { positions, arterial };
  };
  const uLines = lines(uMin, uMax);
  const vLines = lines(vMin, vMax);
  const nu = uLines.positions.length;
  const nv = vLines.positions.length;
  const warpX = noiseField(latticeRng, 3, 3500, 9000);
  const warpY = noiseField(latticeRng, 3, 3500, 9000);
  const warpAmplitude = latticeRng.uniform(90, 150);
  const corners: Pt[] = new Array(nu * nv);
  for (let j = 0; j < nv; j++) {
    for (let i = 0; i < nu; i++) {
      const u = uLines.positions[i];
      const v = vLines.positions[j];
      const x = u * cos - v * sin;
      const y = u * sin + v * cos;
      const jitter = uLines.arterial[i] && vLines.arterial[j] ? 4 : 10;
      corners[j * nu + i] = [
        x + warpAmplitude * warpX(x, y) + latticeRng.uniform(-jitter, jitter),
        y + warpAmplitude * warpY(x, y) + latticeRng.uniform(-jitter, jitter),
      ];
    }
  }
  const corner = (i: number, j: number) => corners[j * nu + i];
  const cellColumns = nu - 1;
  const cellRows = nv - 1;
  const cellCount = cellColumns * cellRows;
  const cellQuad = (c: number): Pt[] => {
    const i = c % cellColumns;
    const j = (c - i) / cellColumns;
    return [corner(i, j), corner(i + 1, j), corner(i + 1, j + 1), corner(i, j + 1)];
  };
  const cellCenter = (c: number): Pt => centroidOf(cellQuad(c));

  // Which cells are wholly inside (2), partly inside (1) or outside (0) the district. A convex quad
  // with every corner on one side and no outline vertex inside it cannot be crossed by the outline.
  const cornerInside = new Uint8Array(nu * nv);
  for (let k = 0; k < corners.length; k++) {
    const [x, y] = corners[k];
    if (x >= minX && x <= maxX && y >= minY && y <= maxY && inDistrict(corners[k])) cornerInside[k] = 1;
  }
  const cellState = new Uint8Array(cellCount);
  for (let c = 0; c < cellCount; c++) {
    const i = c % cellColumns;
    const j = (c - i) / cellColumns;
    const inside =
      cornerInside[j * nu + i] +
      cornerInside[j * nu + i + 1] +
      cornerInside[(j + 1) * nu + i + 1] +
      cornerInside[(j + 1) * nu + i];
    const quad = cellQuad(c);
    let qMinX = Infinity;
    let qMinY = Infinity;
    let qMaxX = -Infinity;
    let qMaxY = -Infinity;
    for (const [x, y] of quad) {
      qMinX = Math.min(qMinX, x);
      qMaxX = Math.max(qMaxX, x);
      qMinY = Math.min(qMinY, y);
      qMaxY = Math.max(qMaxY, y);
    }
    if (inside === 0 && (qMaxX < minX || qMinX > maxX || qMaxY < minY || qMinY > maxY)) continue;
    let vertexInside = false;
    for (const p of outline) {
      if (p[0] >= qMinX && p[0] <= qMaxX && p[1] >= qMinY && p[1] <= qMaxY && pointInRing(p, quad)) {
        vertexInside = true;
        break;
      }
    }
    cellState[c] = inside === 4 && !vertexInside ? 2 : inside === 0 && !vertexInside ? 0 : 1;
  }

  // 3. The Sha River: a meandering line across the district, roughly north to south, west of centre.
  const riverRng = rng('river');
  const riverAngle = riverRng.uniform(-0.35, 0.35);
  const riverDirection: Pt = [Math.sin(riverAngle), -Math.cos(riverAngle)];
  const riverNormal: Pt = [-riverDirection[1], riverDirection[0]];
  const riverOrigin: Pt = [-radius * riverRng.uniform(0.15, 0.35), radius * riverRng.uniform(-0.1, 0.1)];
  const meanders = [0, 1, 2].map(() => ({
    wave: riverRng.uniform(1800, 5200),
    amplitude: riverRng.uniform(120, 380),
    phase: riverRng.uniform(0, Math.PI * 2),
  }));
  const riverLine: Pt[] = [];
  const riverHalfLength = 1.6 * radius + 1000;
  for (let s = -riverHalfLength; s <= riverHalfLength; s += 40) {
    let lateral = 0;
    for (const m of meanders) lateral += m.amplitude * Math.sin((2 * Math.PI * s) / m.wave + m.phase);
    riverLine.push([
      riverOrigin[0] + riverDirection[0] * s + riverNormal[0] * lateral,
      riverOrigin[1] + riverDirection[1] * s + riverNormal[1] * lateral,
    ]);
  }
  const band = (halfWidth: number): Poly => [
    [...offsetPolyline(riverLine, halfWidth), ...offsetPolyline(riverLine, -halfWidth).reverse()],
  ];
  /** The corridor near a point: bands along the runs of the centreline that come within `reach` (fast clipping). */
  const corridorNear = (center: Pt, reach: number): Poly[] => {
    const pieces: Poly[] = [];
    let start = -1;
    for (let k = 0; k <= riverLine.length; k++) {
      const near = k < riverLine.length && distance(riverLine[k], center) <= reach;
      if (near && start < 0) start = k;
      if (!near && start >= 0) {
        const run = riverLine.slice(Math.max(0, start - 2), Math.min(riverLine.length, k + 2));
        pieces.push([
          [...offsetPolyline(run, riverCorridorHalfWidth), ...offsetPolyline(run, -riverCorridorHalfWidth).reverse()],
        ]);
        start = -1;
      }
    }
    return pieces;
  };
  const riverPolys = clipPolys(band(riverHalfWidth), districtPoly);
  const riverHash = new SpatialHash(250);
  for (const p of riverLine) riverHash.add(p);
  const cellCrossesRiver = (c: number) => {
    const quad = cellQuad(c);
    const center = centroidOf(quad);
    const halfDiagonal = Math.max(...quad.map((p) => distance(p, center)));
    return riverHash.near(
      center,
      halfDiagonal + riverCorridorHalfWidth + 30,
      halfDiagonal + riverCorridorHalfWidth + 30,
    );
  };

  // 4. Communities: seeds spread over the district, each cell joins the nearest seed (distances
  //    weighted per seed, so sizes vary); each community is then made 4-connected.
  const communityRng = rng('communities');
  const landCells: number[] = [];
  const fullCells: number[] = [];
  for (let c = 0; c < cellCount; c++) {
    if (cellState[c] > 0) landCells.push(c);
    if (cellState[c] === 2) fullCells.push(c);
  }
  const centers = new Map<number, Pt>();
  for (const c of landCells) centers.set(c, cellCenter(c));
  const communityTarget = Math.max(4, Math.round(80 * scale));
  const seedCells: number[] = [];
  const seedHash = new SpatialHash(1500);
  const seedSpacing = Math.sqrt(targetArea / communityTarget);
  for (let n = 0; n < communityTarget; n++) {
    // Best of several candidates: the one farthest from existing seeds (cheap Poisson-disc sampling).
    let best = -1;
    let bestDistance = -1;
    for (let attempt = 0; attempt < 12; attempt++) {
      const c = communityRng.pick(fullCells);
      if (seedCells.includes(c)) continue;
      let d = seedSpacing * 3;
      for (let r = seedSpacing * 0.25; r <= seedSpacing * 2; r *= 1.5) {
        if (seedHash.near(centers.get(c)!, r, r)) {
          d = r;
          break;
        }
      }
      if (d > bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    if (best < 0) continue;
    seedCells.push(best);
    seedHash.add(centers.get(best)!);
  }
  const seedWeights = seedCells.map(() => communityRng.uniform(0.8, 1.25));
  const seedPoints = seedCells.map((c) => centers.get(c)!);
  const owner = new Int32Array(cellCount).fill(-1);
  {
    // Bucket seeds for the nearest-seed search.
    const bucketSize = seedSpacing * 2;
    const buckets = new Map<string, number[]>();
    seedPoints.forEach((p, k) => {
      const key = `${Math.floor(p[0] / bucketSize)},${Math.floor(p[1] / bucketSize)}`;
      if (!buckets.has(key)) buckets.set(key, []);
      buckets.get(key)!.push(k);
    });
    for (const c of landCells) {
      const p = centers.get(c)!;
      const bi = Math.floor(p[0] / bucketSize);
      const bj = Math.floor(p[1] / bucketSize);
      let best = -1;
      let bestScore = Infinity;
      for (let ring = 1; best < 0 || ring <= 2; ring++) {
        for (let di = -ring; di <= ring; di++) {
          for (let dj = -ring; dj <= ring; dj++) {
            for (const k of buckets.get(`${bi + di},${bj + dj}`) ?? []) {
              const score = distance(p, seedPoints[k]) / seedWeights[k];
              if (score < bestScore || (score === bestScore && k < best)) {
                bestScore = score;
                best = k;
              }
            }
          }
        }
        if (ring > 50) break;
      }
      owner[c] = best;
    }
  }
  const neighbours = (c: number): number[] => {
    const i = c % cellColumns;
    const j = (c - i) / cellColumns;
    const out: number[] = [];
    if (i > 0) out.push(c - 1);
    if (i < cellColumns - 1) out.push(c + 1);
    if (j > 0) out.push(c - cellColumns);
    if (j < cellRows - 1) out.push(c + cellColumns);
    return out;
  };
  for (let pass = 0; pass < 20; pass++) {
    let changed = false;
    const byCommunity = new Map<number, number[]>();
    for (const c of landCells) {
      if (!byCommunity.has(owner[c])) byCommunity.set(owner[c], []);
      byCommunity.get(owner[c])!.push(c);
    }
    for (const [community, cells] of byCommunity) {
      const seen = new Set<number>();
      const components: number[][] = [];
      for (const start of cells) {
        if (seen.has(start)) continue;
        const component = [start];
        seen.add(start);
        for (let k = 0; k < component.length; k++) {
          for (const n of neighbours(component[k])) {
            if (owner[n] === community && !seen.has(n)) {
              seen.add(n);
              component.push(n);
            }
          }
        }
        components.push(component);
      }
      if (components.length < 2) continue;
      const seedCell = seedCells[community];
      const keep = components.find((component) => component.includes(seedCell)) ?? components[0];
      for (const component of components) {
        if (component === keep) continue;
        for (const c of component) {
          const other = neighbours(c).find((n) => owner[n] >= 0 && owner[n] !== community);
          if (other !== undefined) {
            owner[c] = owner[other];
            changed = true;
          }
        }
      }
    }
    if (!changed) break;
  }
  const communityCells: number[][] = seedCells.map(() => []);
  for (const c of landCells) if (owner[c] >= 0) communityCells[owner[c]].push(c);

  // Community outlines: the boundary of each community's cells, along the street centrelines,
  // clipped to the district where it reaches the edge.
  const communityPolys: Poly[] = communityCells.map((cells, community) => {
    const edges: [number, number][] = [];
    for (const c of cells) {
      const i = c % cellColumns;
      const j = (c - i) / cellColumns;
      const a = j * nu + i;
      const b = a + 1;
      const d = a + nu;
      const e = d + 1;
      const other = (n: number | null) => n === null || owner[n] !== community;
      if (other(j > 0 ? c - cellColumns : null)) edges.push([a, b]);
      if (other(i < cellColumns - 1 ? c + 1 : null)) edges.push([b, e]);
      if (other(j < cellRows - 1 ? c + cellColumns : null)) edges.push([e, d]);
      if (other(i > 0 ? c - 1 : null)) edges.push([d, a]);
    }
    const outgoing = new Map<number, number[]>();
    edges.forEach(([from], k) => {
      if (!outgoing.has(from)) outgoing.set(from, []);
      outgoing.get(from)!.push(k);
    });
    const used = new Uint8Array(edges.length);
    const rings: number[][] = [];
    for (let first = 0; first < edges.length; first++) {
      if (used[first]) continue;
      const ring: number[] = [];
      let k = first;
      for (;;) {
        used[k] = 1;
        const [from, to] = edges[k];
        ring.push(from);
        if (to === edges[first][0]) break;
        const candidates = (outgoing.get(to) ?? []).filter((n) => !used[n]);
        if (candidates.length === 0) break;
        // Prefer the left turn at a vertex where the region touches itself diagonally.
        const di = (to % nu) - (from % nu);
        const dj = Math.floor(to / nu) - Math.floor(from / nu);
        let bestScore = -Infinity;
        for (const n of candidates) {
          const ni = (edges[n][1] % nu) - (to % nu);
          const nj = Math.floor(edges[n][1] / nu) - Math.floor(to / nu);
          const cross = di * nj - dj * ni;
          const score = cross > 0 ? 2 : cross === 0 ? 1 : 0;
          if (score > bestScore) {
            bestScore = score;
            k = n;
          }
        }
      }
      rings.push(ring);
    }
    const indexArea = (ring: number[]) => signedArea(ring.map((v) => [v % nu, Math.floor(v / nu)] as Pt));
    const outers = rings.filter((ring) => indexArea(ring) > 0).sort((a, b) => indexArea(b) - indexArea(a));
    const holes = rings.filter((ring) => indexArea(ring) < 0);
    let poly: Poly = [outers[0], ...holes].map((ring) => ring.map((v) => corners[v]));
    if (cells.some((c) => cellState[c] === 1)) {
      const parts = clipPolys(poly, districtPoly).sort((a, b) => polyArea(b) - polyArea(a));
      poly = parts[0];
    }
    return poly;
  });

  // 5. Sub-districts: about 12 per 110 km², grouped around spread-out communities.
  const subdistrictRng = rng('subdistricts');
  const communityCenters = communityCells.map((cells) => {
    let x = 0;
    let y = 0;
    for (const c of cells) {
      const p = centers.get(c)!;
      x += p[0];
      y += p[1];
    }
    return [x / cells.length, y / cells.length] as Pt;
  });
  const subdistrictCount = Math.max(1, Math.min(communityCells.length, Math.round(12 * scale)));
  const subdistrictSeeds = [subdistrictRng.int(0, communityCells.length - 1)];
  const nearestSeedDistance = communityCenters.map((p) => distance(p, communityCenters[subdistrictSeeds[0]]));
  while (subdistrictSeeds.length < subdistrictCount) {
    let best = 0;
    for (let k = 1; k < communityCenters.length; k++) if (nearestSeedDistance[k] > nearestSeedDistance[best]) best = k;
    subdistrictSeeds.push(best);
    communityCenters.forEach((p, k) => {
      nearestSeedDistance[k] = Math.min(nearestSeedDistance[k], distance(p, communityCenters[best]));
    });
  }
  const communitySubdistrict = communityCenters.map((p) => {
    let best = 0;
    subdistrictSeeds.forEach((s, k) => {
      if (distance(p, communityCenters[s]) < distance(p, communityCenters[subdistrictSeeds[best]])) best = k;
    });
    return best;
  });
  const subdistrictBank = new NameBank(subdistrictRng);
  const subdistrictNames = subdistrictSeeds.map(() => subdistrictBank.next());

  // 6. Land use per cell: industrial belts (Chenghua's old eastern factory areas), schools, empty
  //    land, a few large parks; the rest residential.
  const landRng = rng('land-use');
  const industrialField = noiseField(landRng, 4, 3000, 7000);
  const renewalField = noiseField(landRng, 5, 5000, 11000);
  const usage = new Map<number, Usage>();
  const industrialValues = landCells.map((c) => industrialField(...centers.get(c)!)).sort((a, b) => a - b);
  const industrialThreshold = industrialValues[Math.floor(industrialValues.length * 0.88)];
  for (const c of landCells) {
    const value = industrialField(...centers.get(c)!);
    const roll = landRng.next();
    usage.set(
      c,
      value > industrialThreshold ? 'industrial' : roll < 0.05 ? 'school' : roll < 0.12 ? 'empty' : 'residential',
    );
  }

  // Community service levels from the renewal field: the lowest fifth are the gaps.
  const communityRenewal = communityCells.map(
    (cells) => cells.reduce((sum, c) => sum + renewalField(...centers.get(c)!), 0) / cells.length,
  );
  const renewalOrder = communityRenewal.map((value, k) => [value, k]).sort((a, b) => a[0] - b[0]);
  const communityLevel: Level[] = communityCells.map(() => 'moderate');
  renewalOrder.forEach(([, k], rank) => {
    const q = rank / renewalOrder.length;
    communityLevel[k] = q < 0.16 ? 'gap' : q >= 0.5 ? 'well' : 'moderate';
  });

  const greenRng = rng('greens');
  const greenBank = new NameBank(greenRng);
  const greens: Green[] = [];
  const parkHash = new SpatialHash(600);
  const microHash = new SpatialHash(400);
  const riverCells = new Set<number>();
  for (const c of landCells) if (cellCrossesRiver(c)) riverCells.add(c);

  // Large parks: blobs over 1–3 × 1–3 cells, away from the gaps and from each other.
  const parkCellOf = new Map<number, number>();
  const parkTarget = Math.max(2, Math.round(5 * scale) + greenRng.int(0, 1));
  const parkShapes: [number, number][] = [
    [1, 1],
    [1, 2],
    [2, 1],
    [2, 2],
    [2, 2],
    [2, 3],
    [3, 2],
    [3, 3],
  ];
  for (let attempt = 0, placed = 0; placed < parkTarget && attempt < parkTarget * 60; attempt++) {
    const c = greenRng.pick(fullCells);
    const [w, h] = greenRng.pick(parkShapes);
    const i0 = c % cellColumns;
    const j0 = (c - i0) / cellColumns;
    if (i0 + w > cellColumns || j0 + h > cellRows) continue;
    const cells: number[] = [];
    for (let dj = 0; dj < h; dj++) for (let di = 0; di < w; di++) cells.push(c + dj * cellColumns + di);
    if (cells.some((n) => cellState[n] !== 2 || riverCells.has(n) || parkCellOf.has(n))) continue;
    if (cells.some((n) => communityLevel[owner[n]] === 'gap')) continue;
    const outer = [corner(i0, j0), corner(i0 + w, j0), corner(i0 + w, j0 + h), corner(i0, j0 + h)];
    const center = centroidOf(outer);
    const size = Math.sqrt(Math.abs(signedArea(outer)));
    if (parkHash.near(center, 1800 + size / 2, 2500 + size)) continue;
    // Irregular blob in the range's bilinear frame, inside the surrounding streets.
    const inset = insetQuad(outer, [
      arterialHalfWidth + 10,
      arterialHalfWidth + 10,
      arterialHalfWidth + 10,
      arterialHalfWidth + 10,
    ]);
    const target = Math.min(58e4, Math.max(5.2e4, Math.abs(signedArea(inset)) * greenRng.uniform(0.45, 0.8)));
    const wobble = [2, 3, 5].map((k) => ({ k, a: greenRng.uniform(0, 0.1), phase: greenRng.uniform(0, Math.PI * 2) }));
    const blob = (radiusFactor: number): Ring => {
      const ring: Ring = [];
      for (let v = 0; v < 40; v++) {
        const theta = (v / 40) * Math.PI * 2;
        let r = radiusFactor;
        for (const { k, a, phase } of wobble) r *= 1 + a * Math.cos(k * theta + phase);
        const s = 0.5 + Math.min(0.5, r * Math.cos(theta));
        const t = 0.5 + Math.min(0.5, r * Math.sin(theta));
        ring.push(bilinear(inset, Math.max(0, s), Math.max(0, t)));
      }
      return ring;
    };
    let factor = 0.45;
    let ring = blob(factor);
    const full = Math.abs(signedArea(ring));
    if (full < 5.1e4) continue;
    factor *= Math.sqrt(Math.min(1, target / full));
    ring = blob(factor);
    for (let k = 0; k < 4 && Math.abs(signedArea(ring)) > 59e4; k++) {
      factor *= 0.95;
      ring = blob(factor);
    }
    cells.forEach((n) => {
      parkCellOf.set(n, placed);
      usage.set(n, 'park');
    });
    const name = greenBank.next();
    greens.push({
      kind: 'park',
      ring,
      name: { zh: name.zh + kindNames.park[0], en: `${name.en} ${kindNames.park[1]}` },
    });
    parkHash.add(center, size / 2);
    placed++;
  }

  // Every community keeps some homes.
  for (const cells of communityCells) {
    if (cells.some((c) => usage.get(c) === 'residential')) continue;
    const candidate = cells.find((c) => usage.get(c) !== 'park') ?? null;
    if (candidate !== null) usage.set(candidate, 'residential');
  }

  // 7. Residential land: each residential block (a cell inside its streets) is split into 1–4
  //    compounds (小区); blocks cut by the district edge or the river keep their clipped shape.
  const blockRng = rng('blocks');
  const halfWidthOfEdge = (c: number): number[] => {
    const i = c % cellColumns;
    const j = (c - i) / cellColumns;
    const hw = (arterial: boolean) => (arterial ? arterialHalfWidth : localHalfWidth);
    return [hw(vLines.arterial[j]), hw(uLines.arterial[i + 1]), hw(vLines.arterial[j + 1]), hw(uLines.arterial[i])];
  };
  const parcels: Parcel[] = [];
  const freeBlocks: FreeBlock[] = [];
  let nextId = 1;
  for (const c of landCells) {
    if (usage.get(c) !== 'residential') continue;
    const community = owner[c];
    const block = insetQuad(cellQuad(c), halfWidthOfEdge(c));
    const crossesRiver = riverCells.has(c);
    if (cellState[c] === 2 && !crossesRiver) {
      const blockWidth = (distance(block[0], block[1]) + distance(block[3], block[2])) / 2;
      const blockHeight = (distance(block[0], block[3]) + distance(block[1], block[2])) / 2;
      const splitS = blockWidth > 200 || blockRng.chance(0.5);
      const splitT = blockHeight > 200 || blockRng.chance(0.5);
      const ss = splitS ? [0, blockRng.uniform(0.35, 0.65), 1] : [0, 1];
      const ts = splitT ? [0, blockRng.uniform(0.35, 0.65), 1] : [0, 1];
      for (let a = 0; a + 1 < ss.length; a++) {
        for (let b = 0; b + 1 < ts.length; b++) {
          parcels.push({
            id: nextId++,
            community,
            block,
            blockWidth,
            blockHeight,
            s0: ss[a],
            s1: ss[a + 1],
            t0: ts[b],
            t1: ts[b + 1],
            carve: null,
          });
        }
      }
      continue;
    }
    let pieces: Poly[] = [[block]];
    if (cellState[c] === 1) pieces = pieces.flatMap((piece) => clipPolys(piece, communityPolys[community]));
    if (crossesRiver) {
      const center = centroidOf(block);
      const reach = Math.max(...block.map((p) => distance(p, center))) + riverCorridorHalfWidth + 100;
      for (const corridor of corridorNear(center, reach))
        pieces = pieces.flatMap((piece) => subtractPolys(piece, corridor));
    }
    for (const poly of pieces) {
      if (polyArea(poly) >= 2500) freeBlocks.push({ id: nextId++, community, poly });
    }
  }

  // 8. Pocket parks and micro-greens, cut from compound corners along the street. Pocket parks are
  //    dense in well-served communities, sparse in moderate ones and absent from the gaps; the gaps
  //    get micro-greens, most of them below 400 m².
  const pocketRng = rng('pocket-parks');
  const microRng = rng('micro-greens');
  const parcelsByCommunity: Parcel[][] = communityCells.map(() => []);
  for (const parcel of parcels) parcelsByCommunity[parcel.community].push(parcel);
  const parcelCorner = (parcel: Parcel, cornerIndex: number): [number, number] => [
    cornerIndex === 1 || cornerIndex === 2 ? parcel.s1 : parcel.s0,
    cornerIndex >= 2 ? parcel.t1 : parcel.t0,
  ];
  const carve = (rand: Random, parcel: Parcel, areaSquareMeters: number): Ring | null => {
    // Corners on the block's edge (street side), block corners first.
    const options = [0, 1, 2, 3]
      .map((k) => {
        const [s, t] = parcelCorner(parcel, k);
        const onS = s === 0 || s === 1;
        const onT = t === 0 || t === 1;
        return { k, rank: onS && onT ? 0 : onS || onT ? 1 : 2 };
      })
      .filter((o) => o.rank < 2);
    const best = Math.min(...options.map((o) => o.rank));
    const choice = rand.pick(options.filter((o) => o.rank === best)).k;
    const aspect = rand.uniform(0.6, 1.6);
    const width = Math.sqrt(areaSquareMeters * aspect);
    const height = areaSquareMeters / width;
    const parcelWidth = (parcel.s1 - parcel.s0) * parcel.blockWidth;
    const parcelHeight = (parcel.t1 - parcel.t0) * parcel.blockHeight;
    if (width > 0.7 * parcelWidth || height > 0.7 * parcelHeight) return null;
    let alpha = width / parcelWidth;
    let beta = height / parcelHeight;
    const corners = () =>
      (
        [
          [0, 0],
          [alpha, 0],
          [alpha, beta],
          [0, beta],
        ] as Pt[]
      ).map(([sigma, tau]) => parcelPoint(parcel, choice, sigma, tau));
    // The block is not quite a rectangle: correct the size so the area is the one drawn.
    for (let k = 0; k < 3; k++) {
      const correction = Math.sqrt(areaSquareMeters / Math.abs(signedArea(corners())));
      alpha *= correction;
      beta *= correction;
    }
    parcel.carve = { corner: choice, alpha, beta };
    return corners();
  };
  const parcelCenter = (parcel: Parcel): Pt =>
    bilinear(parcel.block, (parcel.s0 + parcel.s1) / 2, (parcel.t0 + parcel.t1) / 2);
  const pocketDensity: Record<Level, number> = { well: 4, moderate: 2.2, gap: 0 };
  const microDensity: Record<Level, number> = { well: 2.4, moderate: 2.6, gap: 2.2 };
  const smallShare: Record<Level, number> = { well: 0.25, moderate: 0.3, gap: 0.75 };
  const parcelArea = (parcel: Parcel) =>
    (parcel.s1 - parcel.s0) * (parcel.t1 - parcel.t0) * parcel.blockWidth * parcel.blockHeight;
  communityCells.forEach((_, community) => {
    const level = communityLevel[community];
    const candidates = pocketRng.shuffle([...parcelsByCommunity[community]]);
    const residentialKm2 = candidates.reduce((sum, parcel) => sum + parcelArea(parcel), 0) / 1e6;
    let pockets = Math.round(pocketDensity[level] * residentialKm2 + pocketRng.uniform(-0.5, 0.5));
    let micros = Math.round(microDensity[level] * residentialKm2 + microRng.uniform(-0.5, 0.5));
    for (const parcel of candidates) {
      if (pockets <= 0) break;
      const center = parcelCenter(parcel);
      if (parkHash.near(center, 650, 1800)) continue;
      const areaSquareMeters = Math.round(Math.exp(pocketRng.uniform(Math.log(1100), Math.log(7800))));
      const ring = carve(pocketRng, parcel, areaSquareMeters);
      if (!ring) continue;
      const name = greenBank.next();
      greens.push({
        kind: 'pocket_park',
        ring,
        name: { zh: name.zh + kindNames.pocket_park[0], en: `${name.en} ${kindNames.pocket_park[1]}` },
      });
      parkHash.add(center);
      microHash.add(center);
      pockets--;
    }
    for (const parcel of candidates) {
      if (micros <= 0) break;
      if (parcel.carve) continue;
      const center = parcelCenter(parcel);
      if (microHash.near(center, 400, 400)) continue;
      const small = microRng.chance(smallShare[level]);
      const areaSquareMeters = Math.round(small ? microRng.uniform(110, 390) : microRng.uniform(420, 880));
      const ring = carve(microRng, parcel, areaSquareMeters);
      if (!ring) continue;
      const name = greenBank.next();
      greens.push({
        kind: 'micro_green',
        ring,
        name: { zh: name.zh + kindNames.micro_green[0], en: `${name.en} ${kindNames.micro_green[1]}` },
      });
      microHash.add(center);
      micros--;
    }
  });

  // 9. Streets: one line per lattice line, cut where a park closes it and at the district edge.
  const streetRng = rng('streets');
  const streetBank = new NameBank(streetRng);
  const streetName = (arterial: boolean) => {
    const stem = streetBank.next();
    const [zh, en] = arterial
      ? streetRng.pick([
          ['路', 'Road'],
          ['大道', 'Avenue'],
          ['路', 'Road'],
        ] as const)
      : streetRng.pick([
          ['路', 'Road'],
          ['街', 'Street'],
          ['巷', 'Lane'],
          ['路', 'Road'],
        ] as const);
    return { zh: stem.zh + zh, en: `${stem.en} ${en}` };
  };
  const uNames = uLines.positions.map((_, i) => streetName(uLines.arterial[i]));
  const vNames = vLines.positions.map((_, j) => streetName(vLines.arterial[j]));
  const streetRuns: {
    path: Pt[];
    name: { zh: string; en: string };
    arterial: boolean;
    family: 'u' | 'v';
    index: number;
  }[] = [];
  const closedByPark = (a: number, b: number) =>
    a >= 0 && b >= 0 && parkCellOf.has(a) && parkCellOf.get(a) === parkCellOf.get(b);
  for (let i = 0; i < nu; i++) {
    let path: Pt[] = [corner(i, 0)];
    const flush = () => {
      if (path.length > 1)
        for (const run of clipPolyline(path, outline))
          streetRuns.push({ path: run, name: uNames[i], arterial: uLines.arterial[i], family: 'u', index: i });
    };
    for (let j = 0; j + 1 < nv; j++) {
      const left = i > 0 ? j * cellColumns + i - 1 : -1;
      const right = i < cellColumns ? j * cellColumns + i : -1;
      if (closedByPark(left, right)) {
        flush();
        path = [corner(i, j + 1)];
      } else path.push(corner(i, j + 1));
    }
    flush();
  }
  for (let j = 0; j < nv; j++) {
    let path: Pt[] = [corner(0, j)];
    const flush = () => {
      if (path.length > 1)
        for (const run of clipPolyline(path, outline))
          streetRuns.push({ path: run, name: vNames[j], arterial: vLines.arterial[j], family: 'v', index: j });
    };
    for (let i = 0; i + 1 < nu; i++) {
      const below = j > 0 ? (j - 1) * cellColumns + i : -1;
      const above = j < cellRows ? j * cellColumns + i : -1;
      if (closedByPark(below, above)) {
        flush();
        path = [corner(i + 1, j)];
      } else path.push(corner(i + 1, j));
    }
    flush();
  }
  const streets = streetRuns.filter((run) => pathLength(run.path) >= 120);

  // 10. Greenways: the Sha River greenway on the east bank, plus community greenways along a few
  //     streets (not in the gap communities).
  const greenwayRng = rng('greenways');
  const greenwayFeatures: { path: Pt[]; name: { zh: string; en: string } }[] = [];
  const riverside = clipPolyline(offsetPolyline(riverLine, -40), outline).filter((run) => pathLength(run) > 300);
  riverside.forEach((path, k) => {
    const part = riverside.length > 1 ? `（${k + 1}段）` : '';
    const partEn = riverside.length > 1 ? ` (section ${k + 1})` : '';
    greenwayFeatures.push({ path, name: { zh: `沙河绿道${part}`, en: `Sha River Greenway${partEn}` } });
  });
  const greenwayTarget = Math.max(2, Math.round(16 * scale));
  const usedStreets = new Set<string>();
  const communityAt = (p: Pt): number => {
    for (let k = 0; k < communityPolys.length; k++) if (pointInRing(p, communityPolys[k][0])) return k;
    return -1;
  };
  for (let attempt = 0, placed = 0; placed < greenwayTarget && attempt < greenwayTarget * 50; attempt++) {
    const family = greenwayRng.chance(0.5) ? 'u' : 'v';
    const index = greenwayRng.int(0, (family === 'u' ? nu : nv) - 1);
    const key = `${family}${index}`;
    if (usedStreets.has(key)) continue;
    const candidates = streets.filter((run) => run.family === family && run.index === index && run.path.length >= 5);
    if (candidates.length === 0) continue;
    const run = greenwayRng.pick(candidates);
    const count = Math.min(run.path.length, greenwayRng.int(7, 13));
    const start = greenwayRng.int(0, run.path.length - count);
    const piece = run.path.slice(start, start + count);
    const middle = piece[Math.floor(piece.length / 2)];
    const home = communityAt(middle);
    if (home < 0 || communityLevel[home] === 'gap') continue;
    const side = greenwayRng.chance(0.5) ? 1 : -1;
    const halfWidth = run.arterial ? arterialHalfWidth : localHalfWidth;
    const path = clipPolyline(offsetPolyline(piece, side * (halfWidth - 3)), outline)[0];
    if (!path || pathLength(path) < 600) continue;
    usedStreets.add(key);
    greenwayFeatures.push({ path, name: { zh: `${run.name.zh}社区绿道`, en: `${run.name.en} Community Greenway` } });
    placed++;
  }

  // 11. Population: compounds at ~22,000 residents per km² of residential land, varied per community,
  //     kept within 5,000–25,000.
  const populationRng = rng('population');
  const residentialArea = communityCells.map(() => 0);
  const residentialRings: { id: number; community: number; poly: Poly }[] = [];
  for (const parcel of parcels) {
    const ring = parcelRing(parcel);
    residentialRings.push({ id: parcel.id, community: parcel.community, poly: [ring] });
  }
  for (const block of freeBlocks) residentialRings.push(block);
  residentialRings.sort((a, b) => a.id - b.id);
  for (const r of residentialRings) residentialArea[r.community] += polyArea(r.poly);
  const communityNameBank = new NameBank(communityRng);
  const communities = communityPolys.map((poly, k) => {
    const name = communityNameBank.next();
    const density = 20000 * populationRng.uniform(0.7, 1.3);
    const raw = (residentialArea[k] / 1e6) * density;
    // Outside the plausible range, spread over its top or bottom rather than piling up at the limit.
    const population = Math.round(
      raw > 24000 ? populationRng.uniform(21500, 25000) : raw < 6000 ? populationRng.uniform(5000, 7500) : raw,
    );
    const subdistrict = subdistrictNames[communitySubdistrict[k]];
    return feature(poly, {
      name: `${name.zh}社区`,
      name_en: name.en,
      population,
      subdistrict: `${subdistrict.zh}街道`,
      subdistrict_en: subdistrict.en,
    });
  });

  return {
    seed,
    scale,
    district: collection([
      feature(districtPoly, {
        name: '成华示范区（虚构）',
        name_en: 'Chenghua demo district (synthetic)',
        synthetic: true as const,
        seed,
        scale,
      }),
    ]),
    communities: collection(communities),
    residential: collection(residentialRings.map((r) => feature(r.poly, { id: r.id, name: `小区 ${r.id}` }))),
    streets: collection(
      streets.map((run) =>
        lineFeature(run.path, {
          name: run.name.zh,
          name_en: run.name.en,
          class: run.arterial ? ('arterial' as const) : ('local' as const),
        }),
      ),
    ),
    river: collection(riverPolys.map((poly) => feature(poly, { name: '沙河', name_en: 'Sha River' }))),
    greenways: collection(
      greenwayFeatures.map((g) =>
        lineFeature(g.path, { name: g.name.zh, name_en: g.name.en, kind: 'greenway' as const }),
      ),
    ),
    greenspaces: collection(
      greens.map((g) => feature([g.ring], { name: g.name.zh, name_en: g.name.en, kind: g.kind })),
    ),
  };
}

/** A point of a parcel in its own frame, (σ, τ) ∈ [0,1]² measured from corner `cornerIndex`. */
function parcelPoint(parcel: Parcel, cornerIndex: number, sigma: number, tau: number): Pt {
  const ds = parcel.s1 - parcel.s0;
  const dt = parcel.t1 - parcel.t0;
  const s = cornerIndex === 1 || cornerIndex === 2 ? parcel.s1 - sigma * ds : parcel.s0 + sigma * ds;
  const t = cornerIndex >= 2 ? parcel.t1 - tau * dt : parcel.t0 + tau * dt;
  return bilinear(parcel.block, s, t);
}

/** A parcel's outline: its quad, or an L shape when a corner is carved out for green. */
function parcelRing(parcel: Parcel): Ring {
  if (!parcel.carve) {
    return [
      parcelPoint(parcel, 0, 0, 0),
      parcelPoint(parcel, 0, 1, 0),
      parcelPoint(parcel, 0, 1, 1),
      parcelPoint(parcel, 0, 0, 1),
    ];
  }
  const { corner, alpha, beta } = parcel.carve;
  return (
    [
      [alpha, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, beta],
      [alpha, beta],
    ] as Pt[]
  ).map(([sigma, tau]) => parcelPoint(parcel, corner, sigma, tau));
}

// ---------------------------------------------------------------------------------------------
// Output: metres → WGS84, RFC 7946 winding, 7 decimals

const latitudeScale = metersPerDegreeLatitude(demoCenter[1]);

function toLngLat([x, y]: Pt): Position {
  const lat = demoCenter[1] + y / latitudeScale;
  const lng = demoCenter[0] + x / metersPerDegreeLongitude(lat);
  return [round7(lng), round7(lat)];
}

function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

function wgs84Ring(ring: Ring, counterClockwise: boolean): Position[] {
  const oriented = signedArea(ring) > 0 === counterClockwise ? ring : [...ring].reverse();
  const out: Position[] = [];
  for (const p of oriented) {
    const q = toLngLat(p);
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  if (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  out.push(out[0]);
  return out;
}

function feature<P>(poly: Poly, properties: P): Feature<Polygon, P> {
  return {
    type: 'Feature',
    properties,
    geometry: { type: 'Polygon', coordinates: poly.map((ring, k) => wgs84Ring(ring, k === 0)) },
  };
}

function lineFeature<P>(path: Pt[], properties: P): Feature<LineString, P> {
  const coordinates: Position[] = [];
  for (const p of path) {
    const q = toLngLat(p);
    const last = coordinates[coordinates.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) coordinates.push(q);
  }
  return { type: 'Feature', properties, geometry: { type: 'LineString', coordinates } };
}

function collection<G extends Polygon | LineString, P>(features: Feature<G, P>[]): FeatureCollection<G, P> {
  return { type: 'FeatureCollection', features };
}
