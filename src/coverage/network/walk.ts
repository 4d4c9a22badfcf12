import type { GreenFeature } from '../features';
import { expandBoundingBox, type Grid, windowOfBoundingBox } from '../grid';
import { multiSourceDijkstra, NodeHeap } from './dijkstra';
import type { NetworkCriterion, NetworkState } from './network-model';

/**
 * The walk for one criterion from scratch: seeds at every qualifying feature's entrances (an entrance
 * at `t` along edge u→v seeds u with `offset + t·L` and v with `offset + (1 − t)·L`) and at both ends of
 * every qualifying greenway edge (0 m), one multi-source Dijkstra cut off at the reach, then every cell.
 */
export function computeNetworkCriterion(
  network: NetworkState,
  qualifying: GreenFeature[],
  reachMeters: number,
  insideArea: (k: number) => boolean,
): NetworkCriterion {
  const { graph } = network;
  const criterion: NetworkCriterion = {
    reachMeters,
    nodeMeters: new Float64Array(graph.nodeCount).fill(Infinity),
    wholeEdge: new Uint8Array(graph.edgeCount),
    pointEdge: new Uint8Array(graph.edgeCount),
    points: new Map(),
    cellMeters: new Float32Array(network.snap.edge.length),
  };
  const seedNodes: number[] = [];
  const seedMeters: number[] = [];
  for (const feature of qualifying) addSeeds(network, criterion, feature, seedNodes, seedMeters);
  multiSourceDijkstra(graph, seedNodes, seedMeters, reachMeters, criterion.nodeMeters, new NodeHeap(4096));
  readAllCells(network, criterion, insideArea);
  return criterion;
}

/**
 * `cellWalk` for every cell, with the arrays hoisted out of the loop (a million cells): the same
 * arithmetic in the same order, so it gives the same Float32 values as `cellWalk`.
 */
function readAllCells(network: NetworkState, criterion: NetworkCriterion, insideArea: (k: number) => boolean): void {
  const { edge, t: cellT, offsetMeters } = network.snap;
  const { edgeFrom, edgeTo, edgeLengthMeters } = network.graph;
  const { nodeMeters, wholeEdge, pointEdge, points, reachMeters } = criterion;
  const cells = criterion.cellMeters;
  for (let k = 0; k < cells.length; k++) {
    const e = edge[k];
    if (insideArea(k)) cells[k] = 0;
    else if (e < 0) cells[k] = Infinity;
    else if (wholeEdge[e]) cells[k] = offsetMeters[k] <= reachMeters ? offsetMeters[k] : Infinity;
    else {
      const t = cellT[k];
      const length = edgeLengthMeters[e];
      let walk = Math.min(nodeMeters[edgeFrom[e]] + t * length, nodeMeters[edgeTo[e]] + (1 - t) * length);
      if (pointEdge[e]) {
        const list = points.get(e)!;
        for (let i = 0; i < list.length; i += 2) walk = Math.min(walk, Math.abs(t - list[i]) * length + list[i + 1]);
      }
      const total = offsetMeters[k] + walk;
      cells[k] = total <= reachMeters ? total : Infinity;
    }
  }
}

/** Registers a feature's sources on the criterion and appends its Dijkstra seeds. */
export function addSeeds(
  network: NetworkState,
  criterion: NetworkCriterion,
  feature: GreenFeature,
  seedNodes: number[],
  seedMeters: number[],
): void {
  const { graph } = network;
  if (feature.kind === 'greenway') {
    for (const e of network.greenwayEdges.get(feature.id) ?? []) {
      criterion.wholeEdge[e] = 1;
      seedNodes.push(graph.edgeFrom[e], graph.edgeTo[e]);
      seedMeters.push(0, 0);
    }
    return;
  }
  for (const entrance of network.entrances.get(feature.id) ?? []) {
    const { edge, t, offsetMeters } = entrance;
    const length = graph.edgeLengthMeters[edge];
    criterion.pointEdge[edge] = 1;
    const list = criterion.points.get(edge);
    if (list) list.push(t, offsetMeters);
    else criterion.points.set(edge, [t, offsetMeters]);
    seedNodes.push(graph.edgeFrom[edge], graph.edgeTo[edge]);
    seedMeters.push(offsetMeters + t * length, offsetMeters + (1 - t) * length);
  }
}

/**
 * A cell's walk: 0 inside a qualifying area; else its snap link plus the shorter way along its edge,
 * `offset + min(d_u + t·L, d_v + (1 − t)·L)`, or straight along the edge to an entrance on the same
 * edge, or just the link when the edge is a qualifying greenway; Infinity beyond the reach.
 */
export function cellWalk(
  network: NetworkState,
  criterion: NetworkCriterion,
  k: number,
  insideArea: (k: number) => boolean,
): number {
  if (insideArea(k)) return 0;
  const e = network.snap.edge[k];
  if (e < 0) return Infinity;
  const offset = network.snap.offsetMeters[k];
  if (criterion.wholeEdge[e]) return offset <= criterion.reachMeters ? offset : Infinity;
  const { graph } = network;
  const t = network.snap.t[k];
  const length = graph.edgeLengthMeters[e];
  let walk = Math.min(
    criterion.nodeMeters[graph.edgeFrom[e]] + t * length,
    criterion.nodeMeters[graph.edgeTo[e]] + (1 - t) * length,
  );
  if (criterion.pointEdge[e]) {
    const list = criterion.points.get(e)!;
    for (let i = 0; i < list.length; i += 2) walk = Math.min(walk, Math.abs(t - list[i]) * length + list[i + 1]);
  }
  const total = offset + walk;
  return total <= criterion.reachMeters ? total : Infinity;
}

/**
 * Adds one feature's sources to a criterion incrementally: its seeds improve the existing node
 * distances (a Dijkstra that only spreads where it beats them), and only the cells on edges it reached,
 * on its entrance edges and in its own window are read again. Equal to a full recompute.
 */
export function addToNetworkCriterion(
  network: NetworkState,
  criterion: NetworkCriterion,
  feature: GreenFeature,
  grid: Grid,
  residentialCells: Uint32Array,
  insideArea: (k: number) => boolean,
): void {
  const { graph, snap } = network;
  const seedNodes: number[] = [];
  const seedMeters: number[] = [];
  addSeeds(network, criterion, feature, seedNodes, seedMeters);
  const changed: number[] = [];
  multiSourceDijkstra(
    graph,
    seedNodes,
    seedMeters,
    criterion.reachMeters,
    criterion.nodeMeters,
    new NodeHeap(256),
    changed,
  );
  const edges = new Set<number>();
  for (const entrance of network.entrances.get(feature.id) ?? []) edges.add(entrance.edge);
  for (const e of network.greenwayEdges.get(feature.id) ?? []) edges.add(e);
  for (const node of changed) {
    for (let a = graph.offsets[node]; a < graph.offsets[node + 1]; a++) edges.add(graph.targetEdge[a]);
  }
  const cells = criterion.cellMeters;
  for (const e of edges) {
    for (let i = snap.edgeCellStart[e]; i < snap.edgeCellStart[e + 1]; i++) {
      const k = snap.edgeCells[i];
      cells[k] = cellWalk(network, criterion, k, insideArea);
    }
  }
  // Cells inside the new area (0 m) lie in its own window.
  const window = windowOfBoundingBox(grid, expandBoundingBox(feature.bbox, 1));
  for (let row = window.rowStart; row < window.rowEnd; row++) {
    let k = lowerBound(residentialCells, row * grid.columns + window.columnStart);
    const end = row * grid.columns + window.columnEnd;
    for (; k < residentialCells.length && residentialCells[k] < end; k++)
      cells[k] = cellWalk(network, criterion, k, insideArea);
  }
}

/** The first position in `sorted` whose value is at least `value` (binary search). */
export function lowerBound(sorted: Uint32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Extends a criterion's walk after edges were appended to the graph (edge ids from `firstNewEdge`):
 * the new edges (seeded from the old distances at their ends), `sources` (features whose sources are
 * new or grew: the new greenway, areas with more entrances) improve the old distances, and only the
 * cells on edges that changed, plus `cells`, are read again. Valid only when no source was lost, which
 * holds when every re-entranced area kept a superset of its entrances.
 */
export function extendNetworkCriterion(
  network: NetworkState,
  criterion: NetworkCriterion,
  firstNewEdge: number,
  sources: GreenFeature[],
  cells: Iterable<number>,
  insideArea: (k: number) => boolean,
): void {
  const { graph, snap } = network;
  // Arrays grow to the new node and edge counts.
  const nodeMeters = new Float64Array(graph.nodeCount).fill(Infinity);
  nodeMeters.set(criterion.nodeMeters);
  criterion.nodeMeters = nodeMeters;
  const wholeEdge = new Uint8Array(graph.edgeCount);
  wholeEdge.set(criterion.wholeEdge);
  criterion.wholeEdge = wholeEdge;
  const pointEdge = new Uint8Array(graph.edgeCount);
  pointEdge.set(criterion.pointEdge);
  criterion.pointEdge = pointEdge;
  const seedNodes: number[] = [];
  const seedMeters: number[] = [];
  // A new edge u–v offers u the walk to v plus its length, and v the walk to u plus its length.
  for (let e = firstNewEdge; e < graph.edgeCount; e++) {
    const u = graph.edgeFrom[e];
    const v = graph.edgeTo[e];
    const length = graph.edgeLengthMeters[e];
    if (nodeMeters[v] < Infinity) {
      seedNodes.push(u);
      seedMeters.push(nodeMeters[v] + length);
    }
    if (nodeMeters[u] < Infinity) {
      seedNodes.push(v);
      seedMeters.push(nodeMeters[u] + length);
    }
  }
  for (const feature of sources) addSeeds(network, criterion, feature, seedNodes, seedMeters);
  const changed: number[] = [];
  multiSourceDijkstra(graph, seedNodes, seedMeters, criterion.reachMeters, nodeMeters, new NodeHeap(256), changed);
  const edges = new Set<number>();
  for (let e = firstNewEdge; e < graph.edgeCount; e++) edges.add(e);
  for (const feature of sources)
    for (const entrance of network.entrances.get(feature.id) ?? []) edges.add(entrance.edge);
  for (const node of changed) {
    for (let a = graph.offsets[node]; a < graph.offsets[node + 1]; a++) edges.add(graph.targetEdge[a]);
  }
  const out = criterion.cellMeters;
  for (const e of edges) {
    for (let i = snap.edgeCellStart[e]; i < snap.edgeCellStart[e + 1]; i++) {
      const k = snap.edgeCells[i];
      out[k] = cellWalk(network, criterion, k, insideArea);
    }
  }
  for (const k of cells) out[k] = cellWalk(network, criterion, k, insideArea);
}
