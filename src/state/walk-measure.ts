import {
  type BarrierIndex,
  barrierPaths,
  buildBarrierIndex,
  buildSegmentIndex,
  buildStreetGraph,
  type SegmentIndex,
  type StreetGraph,
  walkableLines,
  walkRoute,
} from '../coverage/network';
import type { DataSet } from './load-data';

/** The walking network of a data set for measuring on foot: streets and greenways, and the barriers. */
export interface WalkNetwork {
  graph: StreetGraph;
  segments: SegmentIndex;
  barriers: BarrierIndex;
}

/** A measured walk through clicked points: its length, its line, and how many legs found no walk. */
export interface WalkMeasure {
  meters: number;
  path: [number, number][];
  unreachableLegs: number;
}

const networks = new WeakMap<object, WalkNetwork | null>();

/**
 * The walking network of `data` (built once per data set, on first use): its streets and greenways
 * as the engine walks them, with its barriers. Null without streets.
 */
export function walkNetworkOf(data: Pick<DataSet, 'streets' | 'greenways' | 'barriers'>): WalkNetwork | null {
  const key = data.streets;
  if (!key) return null;
  if (networks.has(key)) return networks.get(key)!;
  const lines = [...walkableLines(key).lines, ...walkableLines(data.greenways).lines];
  const graph = buildStreetGraph(lines);
  const network =
    graph.edgeCount > 0
      ? { graph, segments: buildSegmentIndex(graph), barriers: buildBarrierIndex(barrierPaths(data.barriers)) }
      : null;
  networks.set(key, network);
  return network;
}

/** The walk through `points` in order, leg by leg (a leg with no walk adds nothing and is counted). */
export function measureWalk(network: WalkNetwork, points: readonly [number, number][]): WalkMeasure {
  const measure: WalkMeasure = { meters: 0, path: [], unreachableLegs: 0 };
  for (let i = 1; i < points.length; i++) {
    const leg = walkRoute(network.graph, network.segments, network.barriers, points[i - 1], points[i]);
    if (!leg) {
      measure.unreachableLegs++;
      continue;
    }
    measure.meters += leg.meters;
    measure.path.push(...(measure.path.length > 0 ? leg.path.slice(1) : leg.path));
  }
  return measure;
}
