import Flatbush from 'flatbush';
import type { FeatureCollection } from 'geojson';
import type { GreenFeature } from '../features';
import type { BarrierIndex } from './barriers';
import {
  distanceToPathMeters,
  intersectionFraction,
  localScales,
  pointInRings,
  segmentLengthMeters,
  segmentsIntersect,
} from './geometry';
import { edgeParameter, type StreetGraph } from './graph';
import { edgePointsNear, nearestEdgePoint, type SegmentIndex, searchSegments } from './snap';
import { featureTags, isEntrancePoint } from './walkable';

/** Where a green area is entered on foot: a point on a walkable edge and the link from the area to it. */
export interface Entrance {
  edge: number;
  /** Position along the edge, 0–1 of its length. */
  t: number;
  /** Link from the area's boundary to the edge point (snap link plus the gate's distance to the boundary). */
  offsetMeters: number;
  /** A given entrance (layer or OSM gate) rather than a generated one. */
  given: boolean;
  /** Where the entrance is drawn: the gate itself when given, else the point on the edge. */
  lng: number;
  lat: number;
}

/** Given entrance points (an entrances layer, OSM `entrance=*` / `barrier=gate` nodes), indexed. */
export interface GivenEntrances {
  lngLat: Float64Array;
  index: Flatbush | null;
}

/** A given entrance counts for an area when it lies within this distance of the area's boundary. */
export const givenEntranceMaxMeters = 10;
/** Generated entrances: a boundary sample every this many metres… */
export const boundarySampleMeters = 50;
/** …joins the nearest walkable edge point within this distance. */
export const boundaryLinkMaxMeters = 30;

/** The usable entrance points of a layer (Points and MultiPoints; OSM-tagged points must be gates or entrances). */
export function givenEntrances(collection: FeatureCollection | null | undefined): GivenEntrances {
  const points: number[] = [];
  for (const feature of collection?.features ?? []) {
    const geometry = feature?.geometry;
    if (!geometry) continue;
    if (!isEntrancePoint(featureTags(feature.properties))) continue;
    if (geometry.type === 'Point') points.push(geometry.coordinates[0], geometry.coordinates[1]);
    else if (geometry.type === 'MultiPoint') for (const p of geometry.coordinates) points.push(p[0], p[1]);
  }
  const count = points.length / 2;
  let index: Flatbush | null = null;
  if (count > 0) {
    index = new Flatbush(count);
    for (let i = 0; i < count; i++) index.add(points[2 * i], points[2 * i + 1], points[2 * i], points[2 * i + 1]);
    index.finish();
  }
  return { lngLat: Float64Array.from(points), index };
}

/**
 * The entrances of a green area (issue 11): (1) the given points within 10 m of its boundary, each
 * joined to the nearest edge within `snapMaxMeters` not across a barrier; else (2) generated: every
 * point where a walkable edge touches or crosses the boundary, plus, every 50 m along the boundary, the
 * nearest point of each walkable edge within 30 m whose link crosses no barrier (so a park between two
 * streets is entered from both, and a new edge never takes an entrance away). An empty list means the area
 * cannot be reached on foot. Deterministic: sorted by edge and position, duplicates within 1 m merged.
 */
export function areaEntrances(
  feature: GreenFeature,
  graph: StreetGraph,
  segments: SegmentIndex,
  barriers: BarrierIndex,
  given: GivenEntrances,
  snapMaxMeters: number,
): Entrance[] {
  const found: Entrance[] = [];
  const rings = feature.paths;
  if (given.index) {
    const [kx, ky] = localScales((feature.bbox[1] + feature.bbox[3]) / 2);
    const dLng = (givenEntranceMaxMeters * 1.01) / kx;
    const dLat = (givenEntranceMaxMeters * 1.01) / ky;
    const [west, south, east, north] = feature.bbox;
    for (const i of given.index.search(west - dLng, south - dLat, east + dLng, north + dLat)) {
      const lng = given.lngLat[2 * i];
      const lat = given.lngLat[2 * i + 1];
      let boundary = Infinity;
      for (const ring of rings) boundary = Math.min(boundary, distanceToPathMeters(lng, lat, ring));
      if (boundary > givenEntranceMaxMeters) continue;
      const inside = feature.polygons.some((polygon) => pointInRings(lng, lat, polygon));
      const point = nearestEdgePoint(graph, segments, barriers, lng, lat, snapMaxMeters);
      // A gate that joins no edge is still a gate: the area stays entered only through its given gates.
      if (point)
        found.push({
          edge: point.edge,
          t: point.t,
          offsetMeters: point.offsetMeters + (inside ? 0 : boundary),
          given: true,
          lng,
          lat,
        });
      else found.push({ edge: -1, t: 0, offsetMeters: Infinity, given: true, lng, lat });
    }
    if (found.length > 0)
      return dedupe(
        found.filter((entrance) => entrance.edge >= 0),
        graph,
      );
  }
  const c = graph.vertexLngLat;
  const candidates: number[] = [];
  for (const ring of rings) {
    // Crossings: every street segment that touches or crosses a boundary segment enters there.
    for (let i = 0; i + 3 < ring.length; i += 2) {
      const ax = ring[i];
      const ay = ring[i + 1];
      const bx = ring[i + 2];
      const by = ring[i + 3];
      candidates.length = 0;
      searchSegments(segments, Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by), candidates);
      for (let j = 0; j < candidates.length; j += 2) {
        const v = candidates[j];
        const cx = c[2 * v];
        const cy = c[2 * v + 1];
        const dx = c[2 * v + 2];
        const dy = c[2 * v + 3];
        if (!segmentsIntersect(cx, cy, dx, dy, ax, ay, bx, by)) continue;
        const fraction = intersectionFraction(cx, cy, dx, dy, ax, ay, bx, by);
        const edge = candidates[j + 1];
        found.push({
          edge,
          t: edgeParameter(graph, edge, v, fraction),
          offsetMeters: 0,
          given: false,
          lng: cx + fraction * (dx - cx),
          lat: cy + fraction * (dy - cy),
        });
      }
    }
    // Samples: every 50 m of boundary, the nearest point of each edge within 30 m (ParkServe's access points).
    let untilNext = 0;
    for (let i = 0; i + 3 < ring.length; i += 2) {
      const length = segmentLengthMeters(ring[i], ring[i + 1], ring[i + 2], ring[i + 3]);
      let at = untilNext;
      while (at <= length) {
        const f = length > 0 ? at / length : 0;
        const lng = ring[i] + f * (ring[i + 2] - ring[i]);
        const lat = ring[i + 1] + f * (ring[i + 3] - ring[i + 1]);
        for (const point of edgePointsNear(graph, segments, barriers, lng, lat, boundaryLinkMaxMeters))
          found.push({
            edge: point.edge,
            t: point.t,
            offsetMeters: point.offsetMeters,
            given: false,
            lng: point.lng,
            lat: point.lat,
          });
        at += boundarySampleMeters;
      }
      untilNext = at - length;
    }
  }
  return dedupe(found, graph);
}

/** Sorted by edge and position; entrances within 1 m of each other on one edge keep the shortest link. */
function dedupe(entrances: Entrance[], graph: StreetGraph): Entrance[] {
  const byKey = new Map<string, Entrance>();
  for (const entrance of entrances) {
    const key = `${entrance.edge}:${Math.round(entrance.t * graph.edgeLengthMeters[entrance.edge])}`;
    const old = byKey.get(key);
    if (!old || entrance.offsetMeters < old.offsetMeters) byKey.set(key, entrance);
  }
  return [...byKey.values()].sort((a, b) => a.edge - b.edge || a.t - b.t || a.offsetMeters - b.offsetMeters);
}
