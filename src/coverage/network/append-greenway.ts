import type { GreenFeature } from '../features';
import { expandBoundingBox, type Grid, windowOfBoundingBox } from '../grid';
import { areaEntrances, boundaryLinkMaxMeters, type Entrance, givenEntranceMaxMeters } from './entrances';
import { appendLines } from './graph';
import type { NetworkState } from './network-model';
import { buildSegmentIndex, type CellSnap, nearestEdgePoint } from './snap';
import { lowerBound } from './walk';

/** What appending a greenway changed, for the walks to catch up incrementally. */
export interface AppendedGreenway {
  network: NetworkState;
  /** Edge ids from here on are new. */
  firstNewEdge: number;
  /** Residential cells whose snap point changed (they now join a new edge). */
  resnapped: number[];
  /** Areas whose entrances were computed again (they may have gained some). */
  reentranced: number[];
  /** True when every re-entranced area kept all its old entrances, so the walks may be extended. */
  onlyGained: boolean;
}

/**
 * Adds a drawn greenway's lines to the network without rebuilding it: the lines are appended to the
 * graph (old ids kept), their segments get their own small R-tree, only cells within the snap distance
 * of the greenway are snapped again, and only areas near it get their entrances again. Equal to a
 * rebuild. Returns null when the greenway meets an old line at an interior vertex (an old edge would
 * be cut): the caller rebuilds then.
 */
export function appendGreenway(
  network: NetworkState,
  feature: GreenFeature,
  features: Map<number, GreenFeature>,
  grid: Grid,
  residentialCells: Uint32Array,
): AppendedGreenway | null {
  const old = network.graph;
  const graph = appendLines(
    old,
    feature.paths.map((coordinates) => ({ coordinates, featureId: feature.id })),
  );
  if (!graph) return null;
  const firstNewEdge = old.edgeCount;
  const extra = buildSegmentIndex(graph, firstNewEdge);
  // The old tree keeps the old segments; the new ones are searched in their own level.
  const segments = { ...network.segments, extra: appendLevel(network.segments.extra, extra) };
  const greenwayEdges = new Map(network.greenwayEdges);
  const edges: number[] = [];
  for (let e = firstNewEdge; e < graph.edgeCount; e++) edges.push(e);
  if (edges.length) greenwayEdges.set(feature.id, edges);
  const next: NetworkState = { ...network, graph, segments, greenwayEdges, entrances: new Map(network.entrances) };

  // Cells that may now join the greenway: within the snap distance of its bounding box.
  const snap = network.snap;
  const edge = snap.edge.slice();
  const t = snap.t.slice();
  const offsetMeters = snap.offsetMeters.slice();
  const resnapped: number[] = [];
  const window = windowOfBoundingBox(grid, expandBoundingBox(feature.bbox, network.snapMaxMeters));
  for (let row = window.rowStart; row < window.rowEnd; row++) {
    let k = lowerBound(residentialCells, row * grid.columns + window.columnStart);
    const end = row * grid.columns + window.columnEnd;
    for (; k < residentialCells.length && residentialCells[k] < end; k++) {
      const index = residentialCells[k];
      const lng = grid.west + ((index % grid.columns) + 0.5) * grid.longitudeStep;
      const lat = grid.south + (Math.floor(index / grid.columns) + 0.5) * grid.latitudeStep;
      const point = nearestEdgePoint(graph, segments, network.barriers, lng, lat, network.snapMaxMeters);
      const e = point ? point.edge : -1;
      if (
        e === edge[k] &&
        (!point || (Math.fround(point.t) === t[k] && Math.fround(point.offsetMeters) === offsetMeters[k]))
      )
        continue;
      edge[k] = e;
      t[k] = point ? point.t : 0;
      offsetMeters[k] = point ? point.offsetMeters : 0;
      resnapped.push(k);
    }
  }
  next.snap = groupByEdge(edge, t, offsetMeters, graph.edgeCount);

  // Areas near the greenway may gain crossings, boundary links or a nearer gate.
  const reach = network.snapMaxMeters + givenEntranceMaxMeters + boundaryLinkMaxMeters;
  const [west, south, east, north] = expandBoundingBox(feature.bbox, reach);
  const reentranced: number[] = [];
  let onlyGained = true;
  for (const [id, entrances] of network.entrances) {
    const area = features.get(id);
    if (!area || area.bbox[0] > east || area.bbox[2] < west || area.bbox[1] > north || area.bbox[3] < south) continue;
    const now = areaEntrances(area, graph, segments, network.barriers, network.given, network.snapMaxMeters);
    next.entrances.set(id, now);
    reentranced.push(id);
    if (!keepsAll(entrances, now)) onlyGained = false;
  }
  return { network: next, firstNewEdge, resnapped, reentranced, onlyGained };
}

function appendLevel(
  level: NetworkState['segments']['extra'],
  extra: NetworkState['segments'],
): NetworkState['segments'] {
  return level ? { ...level, extra: appendLevel(level.extra, extra) } : extra;
}

/** Whether every old entrance has one in `now` on the same edge within 1 m with a link no longer. */
function keepsAll(old: Entrance[], now: Entrance[]): boolean {
  return old.every((a) =>
    now.some((b) => b.edge === a.edge && Math.abs(b.t - a.t) < 1e-9 && b.offsetMeters <= a.offsetMeters),
  );
}

function groupByEdge(edge: Int32Array, t: Float32Array, offsetMeters: Float32Array, edgeCount: number): CellSnap {
  let offNetworkCount = 0;
  const edgeCellStart = new Int32Array(edgeCount + 1);
  for (let k = 0; k < edge.length; k++) {
    if (edge[k] >= 0) edgeCellStart[edge[k] + 1]++;
    else offNetworkCount++;
  }
  for (let e = 0; e < edgeCount; e++) edgeCellStart[e + 1] += edgeCellStart[e];
  const cursor = edgeCellStart.slice(0, edgeCount);
  const edgeCells = new Int32Array(edge.length - offNetworkCount);
  for (let k = 0; k < edge.length; k++) if (edge[k] >= 0) edgeCells[cursor[edge[k]]++] = k;
  return { edge, t, offsetMeters, offNetworkCount, edgeCellStart, edgeCells };
}
