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

/** Edges being collected, as plain arrays (vertex indices relative to the collection's own vertices). */
interface EdgeLists {
  nodeLngLat: number[];
  edgeFrom: number[];
  edgeTo: number[];
  edgeLength: number[];
  edgeFeature: number[];
  edgeVertexStart: number[];
  vertexLngLat: number[];
  vertexAlong: number[];
  walkable: number;
}

function emptyLists(): EdgeLists {
  return {
    nodeLngLat: [],
    edgeFrom: [],
    edgeTo: [],
    edgeLength: [],
    edgeFeature: [],
    edgeVertexStart: [],
    vertexLngLat: [],
    vertexAlong: [],
    walkable: 0,
  };
}

/**
 * Walks each line and cuts it into edges at its node vertices (`isNode(slot)`), appending to `out`;
 * `nodeOf` gives (or creates) the node id of a slot.
 */
function cutLines(
  lines: readonly NetworkLine[],
  vertexSlot: Int32Array,
  isNode: (slot: number) => boolean,
  nodeOf: (slot: number, lng: number, lat: number) => number,
  out: EdgeLists,
  vertexBase: number,
): void {
  const { vertexLngLat, vertexAlong } = out;
  let v = 0;
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
      if (!isNode(slot)) continue;
      const endNode = nodeOf(slot, c[2 * i], c[2 * i + 1]);
      if (along > 0) {
        out.edgeFrom.push(startNode);
        out.edgeTo.push(endNode);
        out.edgeLength.push(along);
        out.edgeFeature.push(line.featureId);
        out.edgeVertexStart.push(vertexBase + edgeStart);
        out.walkable += along;
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
}

/** Quantised keys of every vertex of `lines`, their slots, how often each was seen and whether it ends a line. */
function countVertices(
  lines: readonly NetworkLine[],
  table: VertexTable,
  seen: Uint16Array,
  isEnd: Uint8Array,
): Int32Array {
  let total = 0;
  for (const line of lines) total += line.coordinates.length / 2;
  const vertexSlot = new Int32Array(total);
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
  return vertexSlot;
}

/** Builds the graph of `lines` (see StreetGraph). Lines with fewer than two distinct points are ignored. */
export function buildStreetGraph(lines: readonly NetworkLine[]): StreetGraph {
  let vertexTotal = 0;
  for (const line of lines) vertexTotal += line.coordinates.length / 2;
  const table = new VertexTable(vertexTotal);
  const seen = new Uint16Array(table.used.length);
  const isEnd = new Uint8Array(table.used.length);
  // Pass 1: count every rounded vertex; a vertex seen twice (anywhere) or ending a line is a node.
  const vertexSlot = countVertices(lines, table, seen, isEnd);
  const slotNode = new Int32Array(table.used.length).fill(-1);
  const out = emptyLists();
  const nodeOf = (slot: number, lng: number, lat: number) => {
    if (slotNode[slot] < 0) {
      slotNode[slot] = out.nodeLngLat.length / 2;
      out.nodeLngLat.push(lng, lat);
    }
    return slotNode[slot];
  };
  // Pass 2: cut each line into edges at its node vertices.
  cutLines(lines, vertexSlot, (slot) => seen[slot] >= 2 || isEnd[slot] === 1, nodeOf, out, 0);
  return assembleGraph(null, out);
}

/**
 * The graph with `lines` added, built without re-reading the old lines, or null when a new line meets
 * an old line at one of its interior vertices (that old edge would be cut in two: rebuild instead).
 * Node and edge ids of the old graph are kept, and the result equals `buildStreetGraph(old lines + lines)`.
 */
export function appendLines(graph: StreetGraph, lines: readonly NetworkLine[]): StreetGraph | null {
  let newTotal = 0;
  for (const line of lines) newTotal += line.coordinates.length / 2;
  const oldVertices = graph.vertexLngLat.length / 2;
  const table = new VertexTable(oldVertices + newTotal);
  // Old vertices: slot → node id at edge ends, −2 inside an edge (such a key occurs exactly once).
  const slotNode = new Int32Array(table.used.length).fill(-1);
  const c = graph.vertexLngLat;
  for (let e = 0; e < graph.edgeCount; e++) {
    const first = graph.edgeVertexStart[e];
    const last = graph.edgeVertexStart[e + 1] - 1;
    for (let v = first; v <= last; v++) {
      const slot = table.slot(Math.round(c[2 * v] * quantum), Math.round(c[2 * v + 1] * quantum));
      if (v === first) slotNode[slot] = graph.edgeFrom[e];
      else if (v === last) slotNode[slot] = graph.edgeTo[e];
      else if (slotNode[slot] === -1) slotNode[slot] = -2;
    }
  }
  const seen = new Uint16Array(table.used.length);
  const isEnd = new Uint8Array(table.used.length);
  const vertexSlot = countVertices(lines, table, seen, isEnd);
  for (let v = 0; v < vertexSlot.length; v++) if (slotNode[vertexSlot[v]] === -2) return null;
  const out = emptyLists();
  const nodeOf = (slot: number, lng: number, lat: number) => {
    if (slotNode[slot] < 0) {
      slotNode[slot] = graph.nodeCount + out.nodeLngLat.length / 2;
      out.nodeLngLat.push(lng, lat);
    }
    return slotNode[slot];
  };
  cutLines(
    lines,
    vertexSlot,
    (slot) => slotNode[slot] >= 0 || seen[slot] >= 2 || isEnd[slot] === 1,
    nodeOf,
    out,
    oldVertices,
  );
  return assembleGraph(graph, out);
}

/**
 * The graph of some of `graph`'s edges (`edges`, ascending ids): each edge keeps its geometry, its
 * Float32 length and its greenway, nodes are numbered in ascending order of their ids in `graph`, so
 * edge, node, vertex and segment order (every tie-break) follow the whole graph's. A walking tile's
 * graph; `walkableLengthMeters` is the sum over the kept edges only.
 */
export function subgraphOfEdges(graph: StreetGraph, edges: Int32Array): StreetGraph {
  const nodeId = new Int32Array(graph.nodeCount).fill(-1);
  let vertexCount = 0;
  for (const e of edges) {
    nodeId[graph.edgeFrom[e]] = 0;
    nodeId[graph.edgeTo[e]] = 0;
    vertexCount += graph.edgeVertexStart[e + 1] - graph.edgeVertexStart[e];
  }
  let nodeCount = 0;
  for (let n = 0; n < graph.nodeCount; n++) if (nodeId[n] >= 0) nodeId[n] = nodeCount++;
  const nodeLngLat = new Float64Array(2 * nodeCount);
  for (let n = 0; n < graph.nodeCount; n++) {
    if (nodeId[n] < 0) continue;
    nodeLngLat[2 * nodeId[n]] = graph.nodeLngLat[2 * n];
    nodeLngLat[2 * nodeId[n] + 1] = graph.nodeLngLat[2 * n + 1];
  }
  const out = {
    nodeLngLat,
    edgeFrom: new Int32Array(edges.length),
    edgeTo: new Int32Array(edges.length),
    // The Float32 lengths as they are, so every walk sums the same values.
    edgeLength: new Float32Array(edges.length),
    edgeFeature: new Int32Array(edges.length),
    edgeVertexStart: new Int32Array(edges.length),
    vertexLngLat: new Float64Array(2 * vertexCount),
    vertexAlong: new Float64Array(vertexCount),
    walkable: 0,
  };
  let vertex = 0;
  edges.forEach((e, i) => {
    out.edgeFrom[i] = nodeId[graph.edgeFrom[e]];
    out.edgeTo[i] = nodeId[graph.edgeTo[e]];
    out.edgeLength[i] = graph.edgeLengthMeters[e];
    out.edgeFeature[i] = graph.edgeFeature[e];
    out.edgeVertexStart[i] = vertex;
    const first = graph.edgeVertexStart[e];
    const last = graph.edgeVertexStart[e + 1];
    out.vertexLngLat.set(graph.vertexLngLat.subarray(2 * first, 2 * last), 2 * vertex);
    out.vertexAlong.set(graph.vertexAlongMeters.subarray(first, last), vertex);
    vertex += last - first;
    out.walkable += graph.edgeLengthMeters[e];
  });
  return assembleGraph(null, out);
}

function concat<T extends Float64Array | Float32Array | Int32Array>(
  base: T | null,
  extra: ArrayLike<number>,
  make: (n: number) => T,
): T {
  const out = make((base?.length ?? 0) + extra.length);
  if (base) out.set(base);
  out.set(extra, base?.length ?? 0);
  return out;
}

/** Typed arrays of `base` (or nothing) followed by `extra`, and the CSR adjacency of all edges. */
function assembleGraph(
  base: StreetGraph | null,
  extra: { [K in keyof EdgeLists]: EdgeLists[K] extends number[] ? ArrayLike<number> : EdgeLists[K] },
): StreetGraph {
  const edgeFrom = concat(base?.edgeFrom ?? null, extra.edgeFrom, (n) => new Int32Array(n));
  const edgeTo = concat(base?.edgeTo ?? null, extra.edgeTo, (n) => new Int32Array(n));
  const edgeLengthMeters = concat(base?.edgeLengthMeters ?? null, extra.edgeLength, (n) => new Float32Array(n));
  const vertexLngLat = concat(base?.vertexLngLat ?? null, extra.vertexLngLat, (n) => new Float64Array(n));
  const edgeCount = edgeFrom.length;
  // Vertex starts: the base's (without its closing entry), the new ones, then the closing entry.
  const edgeVertexStart = new Int32Array(edgeCount + 1);
  if (base) edgeVertexStart.set(base.edgeVertexStart.subarray(0, base.edgeCount));
  edgeVertexStart.set(extra.edgeVertexStart, base?.edgeCount ?? 0);
  edgeVertexStart[edgeCount] = vertexLngLat.length / 2;
  const nodeLngLat = concat(base?.nodeLngLat ?? null, extra.nodeLngLat, (n) => new Float64Array(n));
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
    targetLengthMeters[a] = edgeLengthMeters[e];
    targetEdge[a] = e;
    const b = cursor[edgeTo[e]]++;
    targets[b] = edgeFrom[e];
    targetLengthMeters[b] = edgeLengthMeters[e];
    targetEdge[b] = e;
  }
  return {
    nodeCount,
    nodeLngLat,
    edgeCount,
    edgeFrom,
    edgeTo,
    edgeLengthMeters,
    edgeFeature: concat(base?.edgeFeature ?? null, extra.edgeFeature, (n) => new Int32Array(n)),
    edgeVertexStart,
    vertexLngLat,
    vertexAlongMeters: concat(base?.vertexAlongMeters ?? null, extra.vertexAlong, (n) => new Float64Array(n)),
    offsets,
    targets,
    targetLengthMeters,
    targetEdge,
    walkableLengthMeters: (base?.walkableLengthMeters ?? 0) + extra.walkable,
  };
}

/** Position along edge `e` (0–1 of its length) of fraction `fraction` along its geometry segment from vertex `vertex`. */
export function edgeParameter(graph: StreetGraph, e: number, vertex: number, fraction: number): number {
  const along = graph.vertexAlongMeters;
  const total = along[graph.edgeVertexStart[e + 1] - 1];
  const at = along[vertex] + fraction * (along[vertex + 1] - along[vertex]);
  return total > 0 ? Math.min(1, Math.max(0, at / total)) : 0;
}
