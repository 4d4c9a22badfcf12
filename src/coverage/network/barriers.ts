import Flatbush from 'flatbush';
import type { FeatureCollection, Position } from 'geojson';
import { segmentsIntersect } from './geometry';
import { featureTags } from './walkable';

/**
 * Barrier segments (rivers, railways, motorways: lines, or polygon rings) in a packed R-tree, so that a
 * snap link or an entrance link can be tested against the few segments near it.
 */
export interface BarrierIndex {
  segmentCount: number;
  /** `[lngA, latA, lngB, latB]` per segment. */
  segments: Float64Array;
  index: Flatbush | null;
  /** Whether the straight link A→B touches or crosses a barrier segment. */
  crosses(lngA: number, latA: number, lngB: number, latB: number): boolean;
}

/**
 * Flat `[lng, lat, …]` paths of a barriers layer: every line and every polygon ring. Points are ignored,
 * and so are features tagged `tunnel=yes|culvert` (a railway in a tunnel or a brook in a culvert blocks nothing).
 */
export function barrierPaths(collection: FeatureCollection | null | undefined): Float64Array[] {
  const out: Float64Array[] = [];
  const add = (positions: Position[]) => {
    if (!Array.isArray(positions) || positions.length < 2) return;
    const flat = new Float64Array(positions.length * 2);
    positions.forEach((position, i) => {
      flat[2 * i] = position[0];
      flat[2 * i + 1] = position[1];
    });
    out.push(flat);
  };
  for (const feature of collection?.features ?? []) {
    const geometry = feature?.geometry;
    if (!geometry) continue;
    const tunnel = featureTags(feature.properties).tunnel;
    if (tunnel === 'yes' || tunnel === 'culvert') continue;
    if (geometry.type === 'LineString') add(geometry.coordinates);
    else if (geometry.type === 'MultiLineString' || geometry.type === 'Polygon') geometry.coordinates.forEach(add);
    else if (geometry.type === 'MultiPolygon') for (const polygon of geometry.coordinates) polygon.forEach(add);
  }
  return out;
}

/** Indexes the segments of `paths` (see BarrierIndex). */
export function buildBarrierIndex(paths: readonly Float64Array[]): BarrierIndex {
  let count = 0;
  for (const path of paths) count += Math.max(0, path.length / 2 - 1);
  const segments = new Float64Array(count * 4);
  let s = 0;
  for (const path of paths) {
    for (let i = 0; i + 3 < path.length; i += 2, s++) segments.set(path.subarray(i, i + 4), s * 4);
  }
  return indexBarrierSegments(segments);
}

/**
 * Indexes barrier segments given as `[lngA, latA, lngB, latB]` per segment (a `BarrierIndex`'s own
 * `segments`, e.g. sent to a tile worker, gives the same index again).
 */
export function indexBarrierSegments(segments: Float64Array): BarrierIndex {
  const count = segments.length / 4;
  let index: Flatbush | null = null;
  if (count > 0) {
    index = new Flatbush(count);
    for (let i = 0; i < count; i++) {
      const [ax, ay, bx, by] = segments.subarray(i * 4, i * 4 + 4);
      index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
    }
    index.finish();
  }
  const found = { value: false };
  return {
    segmentCount: count,
    segments,
    index,
    crosses(lngA, latA, lngB, latB) {
      if (!index) return false;
      found.value = false;
      // The filter runs per candidate box; once one segment is crossed the rest are skipped cheaply.
      index.search(Math.min(lngA, lngB), Math.min(latA, latB), Math.max(lngA, lngB), Math.max(latA, latB), (i) => {
        if (found.value) return false;
        const o = i * 4;
        if (segmentsIntersect(lngA, latA, lngB, latB, segments[o], segments[o + 1], segments[o + 2], segments[o + 3]))
          found.value = true;
        return false;
      });
      return found.value;
    },
  };
}

/** A barrier index with no segments. */
export const noBarriers: BarrierIndex = /* @__PURE__ */ buildBarrierIndex([]);
