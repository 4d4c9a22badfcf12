import type { FeatureCollection, Geometry, Position } from 'geojson';
import type { BoundingBox } from './grid';

/**
 * Planar helpers on GeoJSON coordinates shared by the engine, the format drivers and the scripts: a
 * ring's signed area, a walk over every position, bounding boxes, and flat paths without repeated points.
 */

/**
 * Signed area of a ring in the planar units of its coordinates, counter-clockwise positive. The ring may
 * be closed (last position repeating the first) or open: the closing edge is counted either way.
 */
export function signedArea(ring: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return sum / 2;
}

/** Calls `visit` for every position of the geometry (collections included), in order. */
export function eachPosition(geometry: Geometry, visit: (position: Position) => void): void {
  if (geometry.type === 'GeometryCollection') {
    for (const part of geometry.geometries) eachPosition(part, visit);
    return;
  }
  const walk = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number') visit(value as Position);
    else for (const item of value) walk(item);
  };
  walk(geometry.coordinates);
}

/** Grows `box` ([west, south, east, north]) to every finite position of the geometry; returns it. */
export function extendBounds(box: BoundingBox, geometry: Geometry): BoundingBox {
  eachPosition(geometry, (p) => {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) return;
    if (p[0] < box[0]) box[0] = p[0];
    if (p[1] < box[1]) box[1] = p[1];
    if (p[0] > box[2]) box[2] = p[0];
    if (p[1] > box[3]) box[3] = p[1];
  });
  return box;
}

/** [west, south, east, north] of every finite position, or null when there is none. */
export function collectionBounds(collection: FeatureCollection): BoundingBox | null {
  const box: BoundingBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const feature of collection.features) {
    if (feature.geometry) extendBounds(box, feature.geometry);
  }
  return box[0] <= box[2] ? box : null;
}

/** The path without consecutive repeats (a zero-length segment has no direction); itself when it has none. */
export function distinctConsecutivePoints(path: Float64Array): Float64Array {
  let repeats = 0;
  for (let i = 2; i < path.length; i += 2) if (path[i] === path[i - 2] && path[i + 1] === path[i - 1]) repeats++;
  if (repeats === 0) return path;
  const points = new Float64Array(path.length - 2 * repeats);
  points[0] = path[0];
  points[1] = path[1];
  for (let i = 2, k = 2; i < path.length; i += 2) {
    if (path[i] === path[i - 2] && path[i + 1] === path[i - 1]) continue;
    points[k++] = path[i];
    points[k++] = path[i + 1];
  }
  return points;
}
