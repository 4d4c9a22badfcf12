/**
 * Spatial helpers of the deriver: "inside or along a green space" for paths, "outside other land" for
 * plain buildings, residential buildings buffered into blocks (cells of a local grid, traced into
 * polygons by the engine's `traceCellOutlines`), and a regular grid of statistical areas where an
 * extract has no communities.
 */
import Flatbush from 'flatbush';
import type { FeatureCollection } from 'geojson';
import { traceCellOutlines } from '../../coverage/gap-outlines';
import { pointInRing } from './assemble-areas';
import type { OsmExtract, OsmTags } from './osm-store';
import { type OsmLayerName, type OsmTagRule, OTHER_LAND, ruleMatchesTags } from './tag-table';

const METERS_PER_DEGREE = 111_320;

/** Polygons as rings ([outer, ...holes]) with a bounding-box index. */
export class PolygonIndex {
  private readonly index: Flatbush | null;
  private readonly polygons: [number, number][][][];

  /** `marginMeters` widens each box (for "within N m of"). */
  constructor(polygons: [number, number][][][], marginMeters = 0) {
    this.polygons = polygons;
    if (polygons.length === 0) {
      this.index = null;
      return;
    }
    this.index = new Flatbush(polygons.length);
    for (const polygon of polygons) {
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const [x, y] of polygon[0]) {
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
      const dy = marginMeters / METERS_PER_DEGREE;
      const dx = dy / Math.max(0.01, Math.cos((((minY + maxY) / 2) * Math.PI) / 180));
      this.index.add(minX - dx, minY - dy, maxX + dx, maxY + dy);
    }
    this.index.finish();
  }

  /** Whether the point is inside a polygon (even–odd, holes excluded). */
  contains(x: number, y: number): boolean {
    if (!this.index) return false;
    for (const k of this.index.search(x, y, x, y)) if (inPolygon(x, y, this.polygons[k])) return true;
    return false;
  }

  /** Whether the point is inside a polygon or within `meters` of its outline. */
  near(x: number, y: number, meters: number): boolean {
    if (!this.index) return false;
    for (const k of this.index.search(x, y, x, y)) {
      const polygon = this.polygons[k];
      if (inPolygon(x, y, polygon)) return true;
      for (const ring of polygon) if (distanceToRingMeters(x, y, ring) <= meters) return true;
    }
    return false;
  }
}

function inPolygon(x: number, y: number, polygon: [number, number][][]): boolean {
  if (!pointInRing(x, y, polygon[0])) return false;
  for (let k = 1; k < polygon.length; k++) if (pointInRing(x, y, polygon[k])) return false;
  return true;
}

function distanceToRingMeters(x: number, y: number, ring: [number, number][]): number {
  const kx = METERS_PER_DEGREE * Math.cos((y * Math.PI) / 180);
  const ky = METERS_PER_DEGREE;
  let best = Infinity;
  for (let i = 1; i < ring.length; i++) {
    const ax = (ring[i - 1][0] - x) * kx;
    const ay = (ring[i - 1][1] - y) * ky;
    const bx = (ring[i][0] - x) * kx;
    const by = (ring[i][1] - y) * ky;
    const dx = bx - ax;
    const dy = by - ay;
    const length2 = dx * dx + dy * dy;
    const t = length2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length2)) : 0;
    const px = ax + t * dx;
    const py = ay + t * dy;
    const d = Math.sqrt(px * px + py * py);
    if (d < best) best = d;
  }
  return best;
}

/** Share of a line's vertices inside or within `meters` of the indexed polygons. */
export function shareNear(line: [number, number][], index: PolygonIndex, meters: number): number {
  let near = 0;
  for (const [x, y] of line) if (index.near(x, y, meters)) near++;
  return line.length > 0 ? near / line.length : 0;
}

/** The mean of a ring's vertices (a cheap centre for small footprints). */
export function ringCentre(ring: [number, number][]): [number, number] {
  let x = 0;
  let y = 0;
  const n = ring.length > 1 ? ring.length - 1 : ring.length;
  for (let k = 0; k < n; k++) {
    x += ring[k][0];
    y += ring[k][1];
  }
  return [x / n, y / n];
}

/**
 * Footprints buffered by `bufferMeters` and merged: the cells of a `cellMeters` grid that the buffered
 * bounding boxes cover, traced into polygons. Returns the polygons and how many footprints each holds.
 */
export function bufferIntoBlocks(
  footprints: [number, number][][][],
  bufferMeters = 20,
  cellMeters = 10,
): { polygon: [number, number][][]; footprints: number }[] {
  if (footprints.length === 0) return [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of footprints) {
    for (const [x, y] of polygon[0]) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  const dLat = cellMeters / METERS_PER_DEGREE;
  const dLon = dLat / Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const pad = Math.ceil(bufferMeters / cellMeters) + 1;
  const x0 = minX - pad * dLon;
  const y0 = minY - pad * dLat;
  const columns = Math.ceil((maxX - x0) / dLon) + pad + 1;
  const marked = new Set<number>();
  const owner = new Map<number, number>();
  const bufferCells = bufferMeters / cellMeters;
  footprints.forEach((polygon, k) => {
    let a = Infinity;
    let b = Infinity;
    let c = -Infinity;
    let d = -Infinity;
    for (const [x, y] of polygon[0]) {
      a = Math.min(a, x);
      b = Math.min(b, y);
      c = Math.max(c, x);
      d = Math.max(d, y);
    }
    const c0 = Math.floor((a - x0) / dLon - bufferCells);
    const c1 = Math.floor((c - x0) / dLon + bufferCells);
    const r0 = Math.floor((b - y0) / dLat - bufferCells);
    const r1 = Math.floor((d - y0) / dLat + bufferCells);
    for (let r = r0; r <= r1; r++) {
      for (let col = c0; col <= c1; col++) {
        const cell = r * columns + col;
        marked.add(cell);
        if (!owner.has(cell)) owner.set(cell, k);
      }
    }
  });
  const cells = [...marked].sort((p, q) => p - q);
  return traceCellOutlines(columns, cells).map((outline) => {
    const held = new Set<number>();
    for (const m of outline.members) held.add(owner.get(cells[m])!);
    return {
      polygon: outline.rings.map((ring) =>
        ring.map(([col, row]): [number, number] => [x0 + col * dLon, y0 + row * dLat]),
      ),
      footprints: held.size,
    };
  });
}

/**
 * Squares of about `sizeMeters` over the bounding box of the polygons, kept where a polygon's bounding box
 * overlaps the square. Row and column numbers name them ("R2C5").
 */
export function statisticalGrid(
  polygons: [number, number][][][],
  sizeMeters = 1000,
): { ring: [number, number][]; row: number; column: number }[] {
  if (polygons.length === 0) return [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of polygons) {
    for (const [x, y] of polygon[0]) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  const dLat = sizeMeters / METERS_PER_DEGREE;
  const dLon = dLat / Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const columns = Math.max(1, Math.ceil((maxX - minX) / dLon));
  const used = new Set<number>();
  for (const polygon of polygons) {
    let a = Infinity;
    let b = Infinity;
    let c = -Infinity;
    let d = -Infinity;
    for (const [x, y] of polygon[0]) {
      a = Math.min(a, x);
      b = Math.min(b, y);
      c = Math.max(c, x);
      d = Math.max(d, y);
    }
    const c1 = Math.min(columns - 1, Math.floor((c - minX) / dLon));
    const r1 = Math.floor((d - minY) / dLat);
    for (let r = Math.floor((b - minY) / dLat); r <= r1; r++) {
      for (let col = Math.floor((a - minX) / dLon); col <= c1; col++) used.add(r * columns + col);
    }
  }
  return [...used]
    .sort((a, b) => a - b)
    .map((cell) => {
      const row = Math.floor(cell / columns);
      const column = cell % columns;
      const x = minX + column * dLon;
      const y = minY + row * dLat;
      return {
        row: row + 1,
        column: column + 1,
        ring: [
          [x, y],
          [x + dLon, y],
          [x + dLon, y + dLat],
          [x, y + dLat],
          [x, y],
        ],
      };
    });
}

/**
 * Keeps, in each layer with tiers, only the rules of the lowest tier whose tags occur in the extract (a
 * quick scan of the tags), so a city with residential land never holds its buildings as candidates.
 */
export function lowestTiers(table: OsmTagRule[], extract: OsmExtract): OsmTagRule[] {
  const tiered = new Map<OsmLayerName, OsmTagRule[]>();
  for (const rule of table) if ((rule.tier ?? 0) > 0) tiered.set(rule.layer, []);
  if (tiered.size === 0) return table;
  for (const rule of table) tiered.get(rule.layer)?.push(rule);
  const lowest = new Map<OsmLayerName, number>();
  const scan = (tags: OsmTags | null) => {
    if (!tags) return;
    for (const [layer, rules] of tiered) {
      const best = lowest.get(layer) ?? Infinity;
      for (const rule of rules) {
        const tier = rule.tier ?? 0;
        if (tier < best && ruleMatchesTags(rule, tags)) lowest.set(layer, tier);
      }
    }
  };
  const allLowest = () => lowest.size === tiered.size && [...lowest.values()].every((tier) => tier === 0);
  for (let i = 0; i < extract.wayTags.length && !((i & 1023) === 0 && allLowest()); i++) scan(extract.wayTags[i]);
  for (const relation of extract.relations) scan(relation.tags);
  return table.filter((rule) => !tiered.has(rule.layer) || (rule.tier ?? 0) === (lowest.get(rule.layer) ?? 0));
}

/** Whether the tags are land that is not homes (industrial, schools, …). */
export function isOtherLand(tags: OsmTags): boolean {
  for (const key in OTHER_LAND) {
    const value = tags[key];
    if (value !== undefined && OTHER_LAND[key].includes(value)) return true;
  }
  return false;
}

/** The polygons ([outer, ...holes]) of a collection's Polygon and MultiPolygon features. */
export function polygonsOf(collection: FeatureCollection): [number, number][][][] {
  const out: [number, number][][][] = [];
  for (const f of collection.features) {
    if (f.geometry?.type === 'Polygon') out.push(f.geometry.coordinates as [number, number][][]);
    else if (f.geometry?.type === 'MultiPolygon') out.push(...(f.geometry.coordinates as [number, number][][][]));
  }
  return out;
}
