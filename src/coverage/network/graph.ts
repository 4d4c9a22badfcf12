import { segmentLengthMeters } from './geometry';

/**
 * The walkable street graph in compressed sparse row (CSR) form, with integer ids and typed arrays.
 * Nodes are where lines share a vertex (coordinates equal after rounding to 1e-7°, about 1 cm) and the
 * ends of every line; lines that merely cross (a bridge over a river, a tunnel under a street) share no
 * vertex and so do not connect, as in OpenStreetMap. Every edge is two-way.
 */
export interface StreetGraph {
  nodeCount: number;
  /** `[lng, lat]` of each node, interleaved. */
  nodeLngLat: Float64Array;
  edgeCount: number;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** Geodesic length of each edge along its geometry. */
  edgeLengthMeters: Float32Array;
  /** Green feature id of the greenway an edge belongs to, or -1 for a street. */
  edgeFeature: Int32Array;
  /** Edge `e`'s geometry is vertices `edgeVertexStart[e]` … `edgeVertexStart[e + 1] − 1`. */
  edgeVertexStart: Int32Array;
  /** `[lng, lat]` of each geometry vertex, interleaved. */
  vertexLngLat: Float64Array;
  /** Distance along its edge of each geometry vertex, from the edge's first vertex. */
  vertexAlongMeters: Float64Array;
  /** CSR adjacency: node `n`'s neighbours are `targets[offsets[n]]` … `targets[offsets[n + 1] − 1]`. */
  offsets: Int32Array;
  targets: Int32Array;
  /** Length of each adjacency entry's edge (both directions of an edge carry the same length). */
  targetLengthMeters: Float32Array;
  /** Edge id of each adjacency entry, so both directions name the same edge. */
  targetEdge: Int32Array;
  walkableLengthMeters: number;
}

/** One input line: flat `[lng, lat, …]` and the greenway feature id it belongs to (-1 for a street). */
export interface NetworkLine {
  coordinates: Float64Array;
  featureId: number;
}

/** 1e-7° ≈ 1.1 cm: vertices closer than that are the same junction. */
const quantum = 1e7;

/** Open-addressing table from a quantised `[lng, lat]` to a slot, counting how often each was seen. */
class VertexTable {
  keysX: Float64Array;
  keysY: Float64Array;
  used: Uint8Array;
  mask: number;
  size = 0;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keysX = new Float64Array(capacity);
    this.keysY = new Float64Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  /** The slot of a quantised coordinate, inserting it when new. */
  slot(x: number, y: number): number {
    // Multiplicative hash of the low 32 bits of both integers; linear probing resolves collisions.
    let h = (Math.imul(x | 0, 0x9e3779b1) ^ Math.imul(y | 0, 0x85ebca77)) >>> 0;
    h &= this.mask;
    for (;;) {
      if (!this.used[h]) {
        this.used[h] = 1;
        this.keysX[h] = x;
        this.keysY[h] = y;
        this.size++;
        return h;
      }
      if (this.keysX[h] === x && this.keysY[h] === y) return h;
      h = (h + 1) & this.mask;
    }
  }
}

/** Builds the graph of `lines` (see StreetGraph). Lines with fewer than two distinct points are ignored. */
export function buildStreetGraph(lines: readonly NetworkLine[]): StreetGraph {
  let vertexTotal = 0;
  for (const line of lines) vertexTotal += line.coordinates.length / 2;
  const table = new VertexTable(vertexTotal);
  const vertexSlot = new Int32Array(vertexTotal);
  const seen = new Uint16Array(table.used.length);
  const isEnd = new Uint8Array(table.used.length);
  // Pass 1: count every rounded vertex; a vertex seen twice (anywhere) or ending a line is a node.
  let v = 0;
  for (const line of lines) {
    const c = line.coordinates;
    const count = c.length / 2;
    for (let i = 0; i < count; i++, v++) {
      const slot = table.slot(Math.round(c[2 * i] * quantum), Math.round(c[2 * i + 1] * quantum));
      vertexSlot[v] = slot;
      if (seen[slot] < 65535) seen[slot]++;
      if (i === 0 || i === count - 1) isEnd[slot] = 1;
    }
  }
  const slotNode = new Int32Array(table.used.length).fill(-1);
  const nodeLngLat: number[] = [];
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  const edgeLength: number[] = [];
  const edgeFeature: number[] = [];
  const edgeVertexStart: number[] = [];
  const vertexLngLat: number[] = [];
  const vertexAlong: number[] = [];
  const nodeOf = (slot: number, lng: number, lat: number) => {
    if (slotNode[slot] < 0) {
      slotNode[slot] = nodeLngLat.length / 2;
      nodeLngLat.push(lng, lat);
    }
    return slotNode[slot];
  };
  // Pass 2: walk each line and cut it into edges at its node vertices.
  v = 0;
  let walkable = 0;
  for (const line of lines) {
    const c = line.coordinates;
    const count = c.length / 2;
    const first = v;
    v += count;
    if (count < 2) continue;
    let startNode = nodeOf(vertexSlot[first], c[0], c[1]);
    let edgeStart = vertexLngLat.length / 2;
    let along = 0;
    vertexLngLat.push(c[0], c[1]);
    vertexAlong.push(0);
    for (let i = 1; i < count; i++) {
      along += segmentLengthMeters(c[2 * i - 2], c[2 * i - 1], c[2 * i], c[2 * i + 1]);
      vertexLngLat.push(c[2 * i], c[2 * i + 1]);
      vertexAlong.push(along);
      const slot = vertexSlot[first + i];
      if (seen[slot] < 2 && !isEnd[slot]) continue;
      const endNode = nodeOf(slot, c[2 * i], c[2 * i + 1]);
      if (along > 0) {
        edgeFrom.push(startNode);
        edgeTo.push(endNode);
        edgeLength.push(along);
        edgeFeature.push(line.featureId);
        edgeVertexStart.push(edgeStart);
        walkable += along;
      } else {
        // A zero-length piece (repeated vertices) is no edge: drop its vertices.
        vertexLngLat.length = edgeStart * 2;
        vertexAlong.length = edgeStart;
      }
      // The next edge starts at this node's vertex (stored again as its own first vertex).
      startNode = endNode;
      if (i < count - 1) {
        edgeStart = vertexLngLat.length / 2;
        vertexLngLat.push(c[2 * i], c[2 * i + 1]);
        vertexAlong.push(0);
      }
      along = 0;
    }
    // Vertices after the last node cannot exist (the line's end is a node), so nothing is left over.
  }
  const edgeCount = edgeFrom.length;
  edgeVertexStart.push(vertexLngLat.length / 2);
  const nodeCount = nodeLngLat.length / 2;
  // CSR: count degrees, prefix-sum them into offsets, then fill both directions of every edge.
  const offsets = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    offsets[edgeFrom[e] + 1]++;
    offsets[edgeTo[e] + 1]++;
  }
  for (let n = 0; n < nodeCount; n++) offsets[n + 1] += offsets[n];
  const cursor = offsets.slice(0, nodeCount);
  const targets = new Int32Array(2 * edgeCount);
  const targetLengthMeters = new Float32Array(2 * edgeCount);
  const targetEdge = new Int32Array(2 * edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const a = cursor[edgeFrom[e]]++;
    targets[a] = edgeTo[e];
    targetLengthMeters[a] = edgeLength[e];
    targetEdge[a] = e;
    const b = cursor[edgeTo[e]]++;
    targets[b] = edgeFrom[e];
    targetLengthMeters[b] = edgeLength[e];
    targetEdge[b] = e;
  }
  return {
    nodeCount,
    nodeLngLat: Float64Array.from(nodeLngLat),
    edgeCount,
    edgeFrom: Int32Array.from(edgeFrom),
    edgeTo: Int32Array.from(edgeTo),
    edgeLengthMeters: Float32Array.from(edgeLength),
    edgeFeature: Int32Array.from(edgeFeature),
    edgeVertexStart: Int32Array.from(edgeVertexStart),
    vertexLngLat: Float64Array.from(vertexLngLat),
    vertexAlongMeters: Float64Array.from(vertexAlong),
    offsets,
    targets,
    targetLengthMeters,
    targetEdge,
    walkableLengthMeters: walkable,
  };
}

/** Position along edge `e` (0–1 of its length) of fraction `fraction` along its geometry segment from vertex `vertex`. */
export function edgeParameter(graph: StreetGraph, e: number, vertex: number, fraction: number): number {
  const along = graph.vertexAlongMeters;
  const total = along[graph.edgeVertexStart[e + 1] - 1];
  const at = along[vertex] + fraction * (along[vertex + 1] - along[vertex]);
  return total > 0 ? Math.min(1, Math.max(0, at / total)) : 0;
}
