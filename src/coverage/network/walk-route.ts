import type { BarrierIndex } from './barriers';
import { NodeHeap } from './dijkstra';
import type { StreetGraph } from './graph';
import { type EdgePoint, nearestEdgePoint, type SegmentIndex } from './snap';

/** A walk between two points: its length and its line, both including the links from the points to the network. */
export interface WalkRoute {
  meters: number;
  /** `[lng, lat]` from the start, along the streets, to the end. */
  path: [number, number][];
}

/** How far a clicked point may lie from the nearest walkable line (m): farther, it is off the network. */
export const routeLinkMaxMeters = 250;

/** Length of edge `e` along its geometry (the last vertex's distance along it). */
function edgeMeters(graph: StreetGraph, e: number): number {
  return graph.vertexAlongMeters[graph.edgeVertexStart[e + 1] - 1];
}

/**
 * The part of edge `e`'s geometry from position `from` to position `to` (0–1 of its length; `from > to`
 * walks it backwards), with the end points interpolated on their segments.
 */
function edgeSlice(graph: StreetGraph, e: number, from: number, to: number): [number, number][] {
  const first = graph.edgeVertexStart[e];
  const last = graph.edgeVertexStart[e + 1] - 1;
  const along = graph.vertexAlongMeters;
  const c = graph.vertexLngLat;
  const total = along[last];
  const at = (t: number): [number, number] => {
    const meters = t * total;
    let v = first;
    while (v < last - 1 && along[v + 1] < meters) v++;
    const span = along[v + 1] - along[v];
    const f = span > 0 ? (meters - along[v]) / span : 0;
    return [c[2 * v] + f * (c[2 * v + 2] - c[2 * v]), c[2 * v + 1] + f * (c[2 * v + 3] - c[2 * v + 1])];
  };
  const low = Math.min(from, to) * total;
  const high = Math.max(from, to) * total;
  const inner: [number, number][] = [];
  for (let v = first + 1; v < last; v++) if (along[v] > low && along[v] < high) inner.push([c[2 * v], c[2 * v + 1]]);
  if (from > to) inner.reverse();
  return [at(from), ...inner, at(to)];
}

/**
 * The shortest walk on the street graph from `from` to `to` (`[lng, lat]`): each point joins its nearest
 * walkable line within `maxLinkMeters` by a straight link that crosses no barrier, then Dijkstra runs
 * from the start edge's two ends. Null when either point is off the network or no walk connects them.
 */
export function walkRoute(
  graph: StreetGraph,
  segments: SegmentIndex,
  barriers: BarrierIndex,
  from: readonly [number, number],
  to: readonly [number, number],
  maxLinkMeters = routeLinkMaxMeters,
): WalkRoute | null {
  const start = nearestEdgePoint(graph, segments, barriers, from[0], from[1], maxLinkMeters);
  const end = nearestEdgePoint(graph, segments, barriers, to[0], to[1], maxLinkMeters);
  if (!start || !end) return null;
  const links = start.offsetMeters + end.offsetMeters;
  const ends = (point: EdgePoint) => {
    const length = edgeMeters(graph, point.edge);
    return [
      { node: graph.edgeFrom[point.edge], meters: point.t * length, t: 0 },
      { node: graph.edgeTo[point.edge], meters: (1 - point.t) * length, t: 1 },
    ];
  };
  // Seeds: the start edge's two nodes, at their distance along the edge from the start point.
  const distance = new Float64Array(graph.nodeCount).fill(Number.POSITIVE_INFINITY);
  // How each node was reached: the node before it and the edge between them (-1 for a seed).
  const previousNode = new Int32Array(graph.nodeCount).fill(-1);
  const previousEdge = new Int32Array(graph.nodeCount).fill(-1);
  const heap = new NodeHeap();
  for (const seed of ends(start)) {
    if (seed.meters < distance[seed.node]) {
      distance[seed.node] = seed.meters;
      heap.push(seed.node, seed.meters);
    }
  }
  const { offsets, targets, targetLengthMeters, targetEdge } = graph;
  while (heap.length > 0) {
    const key = heap.peekKey();
    const node = heap.pop();
    if (key > distance[node]) continue;
    for (let a = offsets[node]; a < offsets[node + 1]; a++) {
      const through = key + targetLengthMeters[a];
      const next = targets[a];
      if (through < distance[next]) {
        distance[next] = through;
        previousNode[next] = node;
        previousEdge[next] = targetEdge[a];
        heap.push(next, through);
      }
    }
  }
  // The best of: through either node of the end edge, or along one edge when both points share it.
  let best = Number.POSITIVE_INFINITY;
  let via: { node: number; t: number } | null = null;
  for (const option of ends(end)) {
    const meters = distance[option.node] + option.meters;
    if (meters < best) {
      best = meters;
      via = option;
    }
  }
  if (start.edge === end.edge) {
    const direct = Math.abs(start.t - end.t) * edgeMeters(graph, start.edge);
    if (direct <= best)
      return {
        meters: direct + links,
        path: [[from[0], from[1]], ...edgeSlice(graph, start.edge, start.t, end.t), [to[0], to[1]]],
      };
  }
  if (!via || !Number.isFinite(best)) return null;
  // Back from the end edge's node to a seed, edge by edge.
  const legs: [number, number][][] = [];
  let node = via.node;
  while (previousEdge[node] >= 0) {
    const e = previousEdge[node];
    const fromNode = previousNode[node];
    legs.push(
      graph.edgeFrom[e] === fromNode && graph.edgeTo[e] === node
        ? edgeSlice(graph, e, 0, 1)
        : edgeSlice(graph, e, 1, 0),
    );
    node = fromNode;
  }
  legs.reverse();
  const seedT = graph.edgeFrom[start.edge] === node ? 0 : 1;
  const path: [number, number][] = [
    [from[0], from[1]],
    ...edgeSlice(graph, start.edge, start.t, seedT),
    ...legs.flat(),
    ...edgeSlice(graph, end.edge, via.t, end.t),
    [to[0], to[1]],
  ];
  return { meters: best + links, path };
}
