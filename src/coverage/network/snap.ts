import Flatbush from 'flatbush';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../geodesy';
import { fullWindow, type Grid, type GridWindow } from '../grid';
import type { RowScales } from '../stamp';
import type { BarrierIndex } from './barriers';
import { localScales, type Projection, projectOnSegment } from './geometry';
import { edgeParameter, type StreetGraph } from './graph';

/**
 * The graph's geometry segments in a packed R-tree; segment `s` runs from vertex `segmentVertex[s]` to
 * the next. Segments appended later (a drawn greenway) live in `extra`, their own small tree, so the big
 * one is never rebuilt; searches cover both (see searchSegments).
 */
export interface SegmentIndex {
  segmentVertex: Int32Array;
  segmentEdge: Int32Array;
  index: Flatbush | null;
  extra: SegmentIndex | null;
}

/**
 * Segments whose boxes meet the query box, as `(first vertex, edge)` pairs appended to `out`. Vertex
 * ids follow segment order, so callers break distance ties by the lower vertex id, whatever the tree.
 */
export function searchSegments(
  segments: SegmentIndex,
  minX: number,
  minY: number,
  maxX: number,
  maxY: number,
  out: number[] = [],
): number[] {
  for (let level: SegmentIndex | null = segments; level; level = level.extra) {
    if (!level.index) continue;
    for (const s of level.index.search(minX, minY, maxX, maxY)) out.push(level.segmentVertex[s], level.segmentEdge[s]);
  }
  return out;
}

/** Indexes the geometry segments of edges `[firstEdge, graph.edgeCount)` (all of them by default). */
export function buildSegmentIndex(graph: StreetGraph, firstEdge = 0): SegmentIndex {
  const count = graph.vertexLngLat.length / 2 - graph.edgeVertexStart[firstEdge] - (graph.edgeCount - firstEdge);
  const segmentVertex = new Int32Array(count);
  const segmentEdge = new Int32Array(count);
  const c = graph.vertexLngLat;
  const index = count > 0 ? new Flatbush(count) : null;
  let s = 0;
  for (let e = firstEdge; e < graph.edgeCount; e++) {
    for (let v = graph.edgeVertexStart[e]; v < graph.edgeVertexStart[e + 1] - 1; v++, s++) {
      segmentVertex[s] = v;
      segmentEdge[s] = e;
      const ax = c[2 * v];
      const ay = c[2 * v + 1];
      const bx = c[2 * v + 2];
      const by = c[2 * v + 3];
      index!.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
    }
  }
  index?.finish();
  return { segmentVertex, segmentEdge, index, extra: null };
}

/** A point joined to the network: the edge, the position along it (0–1 of its length) and the link length. */
export interface EdgePoint {
  edge: number;
  t: number;
  offsetMeters: number;
  /** The point on the edge. */
  lng: number;
  lat: number;
}

/**
 * The nearest point of a walkable edge to `[lng, lat]` within `maxMeters` whose straight link does not
 * cross a barrier, or null. Candidates come from the R-tree and are tried nearest first.
 */
export function nearestEdgePoint(
  graph: StreetGraph,
  segments: SegmentIndex,
  barriers: BarrierIndex,
  lng: number,
  lat: number,
  maxMeters: number,
): EdgePoint | null {
  const [kx, ky] = localScales(lat);
  const dLng = (maxMeters * 1.01 + 0.01) / kx;
  const dLat = (maxMeters * 1.01 + 0.01) / ky;
  const candidates = searchSegments(segments, lng - dLng, lat - dLat, lng + dLng, lat + dLat);
  const c = graph.vertexLngLat;
  const projection: Projection = { fraction: 0, distanceMeters: 0 };
  const found: { v: number; edge: number; fraction: number; distance: number }[] = [];
  for (let i = 0; i < candidates.length; i += 2) {
    const v = candidates[i];
    projectOnSegment(lng, lat, c[2 * v], c[2 * v + 1], c[2 * v + 2], c[2 * v + 3], kx, ky, projection);
    if (projection.distanceMeters <= maxMeters)
      found.push({ v, edge: candidates[i + 1], fraction: projection.fraction, distance: projection.distanceMeters });
  }
  // Nearest first; equal distances keep the lower segment, so the choice never depends on the tree.
  found.sort((a, b) => a.distance - b.distance || a.v - b.v);
  for (const { v, edge, fraction, distance } of found) {
    const pointLng = c[2 * v] + fraction * (c[2 * v + 2] - c[2 * v]);
    const pointLat = c[2 * v + 1] + fraction * (c[2 * v + 3] - c[2 * v + 1]);
    if (barriers.crosses(lng, lat, pointLng, pointLat)) continue;
    return { edge, t: edgeParameter(graph, edge, v, fraction), offsetMeters: distance, lng: pointLng, lat: pointLat };
  }
  return null;
}

/**
 * For every walkable edge within `maxMeters` of `[lng, lat]`, its nearest point, when the straight link
 * to it crosses no barrier; nearest first. Generated park entrances use this, so that a park between
 * two streets is entered from both and a new edge only ever adds entrances.
 */
export function edgePointsNear(
  graph: StreetGraph,
  segments: SegmentIndex,
  barriers: BarrierIndex,
  lng: number,
  lat: number,
  maxMeters: number,
): EdgePoint[] {
  const [kx, ky] = localScales(lat);
  const dLng = (maxMeters * 1.01 + 0.01) / kx;
  const dLat = (maxMeters * 1.01 + 0.01) / ky;
  const c = graph.vertexLngLat;
  const projection: Projection = { fraction: 0, distanceMeters: 0 };
  // The nearest segment of each edge (the lower segment on ties).
  const byEdge = new Map<number, { v: number; fraction: number; distance: number }>();
  const candidates = searchSegments(segments, lng - dLng, lat - dLat, lng + dLng, lat + dLat);
  for (let i = 0; i < candidates.length; i += 2) {
    const v = candidates[i];
    projectOnSegment(lng, lat, c[2 * v], c[2 * v + 1], c[2 * v + 2], c[2 * v + 3], kx, ky, projection);
    if (projection.distanceMeters > maxMeters) continue;
    const edge = candidates[i + 1];
    const old = byEdge.get(edge);
    if (!old || projection.distanceMeters < old.distance || (projection.distanceMeters === old.distance && v < old.v))
      byEdge.set(edge, { v, fraction: projection.fraction, distance: projection.distanceMeters });
  }
  const out: EdgePoint[] = [];
  for (const [edge, { v, fraction, distance }] of byEdge) {
    const pointLng = c[2 * v] + fraction * (c[2 * v + 2] - c[2 * v]);
    const pointLat = c[2 * v + 1] + fraction * (c[2 * v + 3] - c[2 * v + 1]);
    if (barriers.crosses(lng, lat, pointLng, pointLat)) continue;
    out.push({
      edge,
      t: edgeParameter(graph, edge, v, fraction),
      offsetMeters: distance,
      lng: pointLng,
      lat: pointLat,
    });
  }
  return out.sort((a, b) => a.offsetMeters - b.offsetMeters || a.edge - b.edge);
}

/** Where each residential cell joins the network (cached per network and grid). */
export interface CellSnap {
  /** Edge of each residential cell, or -1 when it is off the network. */
  edge: Int32Array;
  /** Position along the edge, 0 at `edgeFrom` and 1 at `edgeTo`. */
  t: Float32Array;
  /** Straight link from the cell centre to the edge, in metres. */
  offsetMeters: Float32Array;
  offNetworkCount: number;
  /** Cells by edge (CSR): edge `e`'s cells are `edgeCells[edgeCellStart[e]]` … `[edgeCellStart[e + 1] − 1]`. */
  edgeCellStart: Int32Array;
  edgeCells: Int32Array;
}

/**
 * Snaps every residential cell centre to its nearest walkable edge within `snapMaxMeters`, yielding
 * progress (0–1). Each segment is stamped onto the cells of its window (like the straight-line engine),
 * keeping per cell the nearest segment, so a million cells cost one pass over the segments instead of a
 * million R-tree queries. Cells within `snapMaxMeters` of a barrier are instead resolved one by one,
 * nearest candidate first, skipping any whose link crosses the barrier. The cells must lie in `window`
 * (a walking tile's; the whole grid by default): only its cells are looked at, with the same arithmetic.
 */
export function* snapCellsSteps(
  graph: StreetGraph,
  segments: SegmentIndex,
  barriers: BarrierIndex,
  grid: Grid,
  scales: RowScales,
  residentialCells: Uint32Array,
  snapMaxMeters: number,
  window: GridWindow = fullWindow(grid),
): Generator<number, CellSnap> {
  const cellCount = residentialCells.length;
  const { west, south, longitudeStep, latitudeStep, columns } = grid;
  // Cell of each grid cell of the window (-1 for none): memory of the window, not of the grid.
  const width = window.columnEnd - window.columnStart;
  const windowBase = window.rowStart * width + window.columnStart;
  const gridToCell = new Int32Array((window.rowEnd - window.rowStart) * width).fill(-1);
  for (let k = 0; k < cellCount; k++) {
    const row = Math.floor(residentialCells[k] / columns);
    gridToCell[row * width + residentialCells[k] - row * columns - windowBase] = k;
  }
  const bestSquared = new Float64Array(cellCount).fill(snapMaxMeters * snapMaxMeters);
  const bestSegment = new Int32Array(cellCount).fill(-1);
  const c = graph.vertexLngLat;
  const marginLat = (snapMaxMeters * 1.01 + 0.5) / metersPerDegreeLatitude(0);
  const segmentCount = segments.segmentVertex.length;
  // Which cells lie near a barrier: only those need the slower, barrier-aware search.
  const nearBarrier = new Uint8Array(cellCount);
  for (let b = 0; b < barriers.segmentCount; b++) {
    const o = b * 4;
    forEachCellNear(
      grid,
      barriers.segments[o],
      barriers.segments[o + 1],
      barriers.segments[o + 2],
      barriers.segments[o + 3],
      marginLat,
      snapMaxMeters,
      window,
      (row, column) => {
        const k = gridToCell[row * width + column - windowBase];
        if (k >= 0) nearBarrier[k] = 1;
      },
    );
  }
  for (let s = 0; s < segmentCount; s++) {
    const v = segments.segmentVertex[s];
    const ax = c[2 * v];
    const ay = c[2 * v + 1];
    const bx = c[2 * v + 2];
    const by = c[2 * v + 3];
    const rowFirst = firstCentreFrom(Math.min(ay, by) - marginLat, south, latitudeStep, window.rowStart);
    const rowLast = lastCentreUpTo(Math.max(ay, by) + marginLat, south, latitudeStep, window.rowEnd);
    for (let row = rowFirst; row <= rowLast; row++) {
      const kx = scales.metersPerDegreeLongitude[row];
      const ky = scales.metersPerDegreeLatitude[row];
      const marginLng = (snapMaxMeters * 1.01 + 0.5) / kx;
      const columnFirst = firstCentreFrom(Math.min(ax, bx) - marginLng, west, longitudeStep, window.columnStart);
      const columnLast = lastCentreUpTo(Math.max(ax, bx) + marginLng, west, longitudeStep, window.columnEnd);
      const lat = south + (row + 0.5) * latitudeStep;
      // The segment in this row's metric frame, relative to the row's centre line.
      const py = (ay - lat) * ky;
      const dx = (bx - ax) * kx;
      const dy = (by - ay) * ky;
      const lengthSquared = dx * dx + dy * dy;
      const base = row * width - windowBase;
      for (let column = columnFirst; column <= columnLast; column++) {
        const k = gridToCell[base + column];
        if (k < 0) continue;
        const px = (ax - (west + (column + 0.5) * longitudeStep)) * kx;
        let f = lengthSquared > 0 ? -(px * dx + py * dy) / lengthSquared : 0;
        f = f < 0 ? 0 : Math.min(f, 1);
        const x = px + f * dx;
        const y = py + f * dy;
        const squared = x * x + y * y;
        if (squared < bestSquared[k] || (squared === bestSquared[k] && bestSegment[k] < 0)) {
          bestSquared[k] = squared;
          bestSegment[k] = s;
        }
      }
    }
    if ((s & 16383) === 16383) yield (0.8 * s) / segmentCount;
  }
  const edge = new Int32Array(cellCount).fill(-1);
  const t = new Float32Array(cellCount);
  const offsetMeters = new Float32Array(cellCount);
  const projection: Projection = { fraction: 0, distanceMeters: 0 };
  let offNetworkCount = 0;
  for (let k = 0; k < cellCount; k++) {
    const index = residentialCells[k];
    const row = Math.floor(index / columns);
    const lng = west + (index - row * columns + 0.5) * longitudeStep;
    const lat = south + (row + 0.5) * latitudeStep;
    if (nearBarrier[k]) {
      const point = nearestEdgePoint(graph, segments, barriers, lng, lat, snapMaxMeters);
      if (point) {
        edge[k] = point.edge;
        t[k] = point.t;
        offsetMeters[k] = point.offsetMeters;
      } else offNetworkCount++;
    } else if (bestSegment[k] >= 0) {
      const s = bestSegment[k];
      const v = segments.segmentVertex[s];
      projectOnSegment(
        lng,
        lat,
        c[2 * v],
        c[2 * v + 1],
        c[2 * v + 2],
        c[2 * v + 3],
        scales.metersPerDegreeLongitude[row],
        scales.metersPerDegreeLatitude[row],
        projection,
      );
      edge[k] = segments.segmentEdge[s];
      t[k] = edgeParameter(graph, edge[k], v, projection.fraction);
      offsetMeters[k] = projection.distanceMeters;
    } else offNetworkCount++;
    if ((k & 65535) === 65535) yield 0.8 + (0.15 * k) / cellCount;
  }
  // Cells grouped by edge, so an incremental update can revisit only the edges its search reached.
  const edgeCellStart = new Int32Array(graph.edgeCount + 1);
  for (let k = 0; k < cellCount; k++) if (edge[k] >= 0) edgeCellStart[edge[k] + 1]++;
  for (let e = 0; e < graph.edgeCount; e++) edgeCellStart[e + 1] += edgeCellStart[e];
  const cursor = edgeCellStart.slice(0, graph.edgeCount);
  const edgeCells = new Int32Array(cellCount - offNetworkCount);
  for (let k = 0; k < cellCount; k++) if (edge[k] >= 0) edgeCells[cursor[edge[k]]++] = k;
  return { edge, t, offsetMeters, offNetworkCount, edgeCellStart, edgeCells };
}

/** Calls `visit` with every cell of `window` whose centre may lie within `meters` of segment A→B. */
function forEachCellNear(
  grid: Grid,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  marginLat: number,
  meters: number,
  window: GridWindow,
  visit: (row: number, column: number) => void,
): void {
  const { west, south, longitudeStep, latitudeStep } = grid;
  const rowFirst = firstCentreFrom(Math.min(ay, by) - marginLat, south, latitudeStep, window.rowStart);
  const rowLast = lastCentreUpTo(Math.max(ay, by) + marginLat, south, latitudeStep, window.rowEnd);
  for (let row = rowFirst; row <= rowLast; row++) {
    const lat = south + (row + 0.5) * latitudeStep;
    const marginLng = (meters * 1.01 + 0.5) / metersPerDegreeLongitude(Math.min(89, Math.abs(lat)));
    const columnFirst = firstCentreFrom(Math.min(ax, bx) - marginLng, west, longitudeStep, window.columnStart);
    const columnLast = lastCentreUpTo(Math.max(ax, bx) + marginLng, west, longitudeStep, window.columnEnd);
    for (let column = columnFirst; column <= columnLast; column++) visit(row, column);
  }
}

/** The first row (or column) from `low` on whose centre lies at or past `value` (cells of `step` from `origin`). */
function firstCentreFrom(value: number, origin: number, step: number, low: number): number {
  return Math.max(low, Math.ceil((value - origin) / step - 0.5));
}

/** The last row (or column) below `high` whose centre lies at or before `value`. */
function lastCentreUpTo(value: number, origin: number, step: number, high: number): number {
  return Math.min(high - 1, Math.floor((value - origin) / step - 0.5));
}
