/**
 * Brute-force reference for the engine: for one point, the WGS84 geodesic distance (GeographicLib)
 * to the nearest qualifying feature, checking every segment of every feature, with no grid, no
 * stamping and no local frame. Slow and obviously right.
 */
import { booleanPointInPolygon } from '@turf/turf';
import geographiclib from 'geographiclib-geodesic';
import type { GreenFeature } from '../../src/coverage';

const wgs84 = geographiclib.Geodesic.WGS84;

export function geodesicMeters(lng1: number, lat1: number, lng2: number, lat2: number): number {
  return wgs84.Inverse(lat1, lng1, lat2, lng2).s12!;
}

/** Geodesic distance from a point to a segment taken as straight in [lng, lat] (as GeoJSON draws it). */
export function geodesicToSegment(lng: number, lat: number, a: [number, number], b: [number, number]): number {
  const at = (t: number) => geodesicMeters(lng, lat, a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]));
  // Golden-section search: the distance along a short segment is unimodal.
  let low = 0;
  let high = 1;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let x1 = high - ratio * (high - low);
  let x2 = low + ratio * (high - low);
  let f1 = at(x1);
  let f2 = at(x2);
  for (let i = 0; i < 60; i++) {
    if (f1 < f2) {
      high = x2;
      x2 = x1;
      f2 = f1;
      x1 = high - ratio * (high - low);
      f1 = at(x1);
    } else {
      low = x1;
      x1 = x2;
      f1 = f2;
      x2 = low + ratio * (high - low);
      f2 = at(x2);
    }
  }
  return Math.min(f1, f2, at(0), at(1));
}

/** Rough planar metres, only to skip segments that cannot be nearest. */
function roughMeters(lng: number, lat: number, a: [number, number], b: [number, number]): number {
  const kx = 111_320 * Math.cos((lat * Math.PI) / 180);
  const ky = 110_574;
  const ax = (a[0] - lng) * kx;
  const ay = (a[1] - lat) * ky;
  const dx = (b[0] - a[0]) * kx;
  const dy = (b[1] - a[1]) * ky;
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / l2)) : 0;
  return Math.hypot(ax + t * dx, ay + t * dy);
}

export function oracleDistance(lng: number, lat: number, features: GreenFeature[]): number {
  for (const feature of features) {
    for (const rings of feature.polygons) {
      const polygon = {
        type: 'Polygon' as const,
        coordinates: rings.map((ring) =>
          Array.from({ length: ring.length / 2 }, (_, i) => [ring[2 * i], ring[2 * i + 1]]),
        ),
      };
      if (booleanPointInPolygon([lng, lat], polygon, { ignoreBoundary: false })) return 0;
    }
  }
  const segments: [number, number, [number, number], [number, number]][] = [];
  let bestRough = Infinity;
  for (const feature of features) {
    for (const path of feature.paths) {
      const count = path.length / 2;
      for (let i = 0; i < Math.max(1, count - 1); i++) {
        const j = Math.min(i + 1, count - 1);
        const a: [number, number] = [path[2 * i], path[2 * i + 1]];
        const b: [number, number] = [path[2 * j], path[2 * j + 1]];
        const rough = roughMeters(lng, lat, a, b);
        bestRough = Math.min(bestRough, rough);
        segments.push([rough, 0, a, b]);
      }
    }
  }
  let best = Infinity;
  // The rough metric is within 1% of the truth, so anything 2% + 1 m beyond the best cannot win.
  for (const [rough, , a, b] of segments) {
    if (rough > bestRough * 1.02 + 1) continue;
    best = Math.min(best, geodesicToSegment(lng, lat, a, b));
  }
  return best;
}
