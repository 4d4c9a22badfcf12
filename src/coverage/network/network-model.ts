import type { FeatureCollection, Position } from 'geojson';
import type { GreenFeature } from '../features';
import type { Grid } from '../grid';
import type { RowScales } from '../stamp';
import { type BarrierIndex, barrierPaths, buildBarrierIndex } from './barriers';
import { areaEntrances, type Entrance, type GivenEntrances, givenEntrances } from './entrances';
import { buildStreetGraph, type NetworkLine, type StreetGraph } from './graph';
import { buildSegmentIndex, type CellSnap, type SegmentIndex, snapCellsSteps } from './snap';
import { featureTags, isWalkable } from './walkable';

/** The network inputs: a streets layer (LineStrings), optional barriers (lines/polygons) and entrances (points). */
export interface NetworkLayers {
  streets: FeatureCollection;
  barriers?: FeatureCollection | null;
  entrances?: FeatureCollection | null;
}

/** Figures about the network, as summary.json reports them. */
export interface NetworkStats {
  nodes: number;
  edges: number;
  walkableLengthKm: number;
  linesNotWalkable: number;
  entrancesGiven: number;
  entrancesGenerated: number;
  /** Green areas with no entrance: unreachable on foot. */
  unreachableAreas: number;
  cellsOffNetwork: number;
  snapMaxMeters: number;
}

/** One criterion's walk: node distances from its qualifying entrances and the resulting cell distances. */
export interface NetworkCriterion {
  reachMeters: number;
  /** Walk from the nearest qualifying entrance to each node (Infinity beyond the reach). */
  nodeMeters: Float64Array;
  /** Edges of qualifying greenways: reached anywhere along them. */
  wholeEdge: Uint8Array;
  /** Edges holding an entrance, and per such edge its `(t, offsetMeters)` pairs. */
  pointEdge: Uint8Array;
  points: Map<number, number[]>;
  /** Walking distance of each residential cell (Infinity beyond the reach or off the network; 0 inside). */
  cellMeters: Float32Array;
}

/** The network part of a coverage model. Treat graph, snap and entrance lists as immutable (they are cached). */
export interface NetworkState {
  streetLines: NetworkLine[];
  linesNotWalkable: number;
  graph: StreetGraph;
  segments: SegmentIndex;
  barriers: BarrierIndex;
  given: GivenEntrances;
  snap: CellSnap;
  snapMaxMeters: number;
  /** Entrances of every area feature by feature id. */
  entrances: Map<number, Entrance[]>;
  /** Edge ids of every greenway feature by feature id. */
  greenwayEdges: Map<number, number[]>;
  criteria: { green: NetworkCriterion | null; park: NetworkCriterion | null };
}

/** The walkable lines of a streets layer, and how many lines were dropped by the walk filter. */
export function walkableLines(streets: FeatureCollection): { lines: NetworkLine[]; notWalkable: number } {
  const lines: NetworkLine[] = [];
  let notWalkable = 0;
  const add = (positions: Position[]) => {
    if (!Array.isArray(positions)) return;
    // Positions that are not a pair of finite degrees are dropped (the reader has checked the rest).
    const flat: number[] = [];
    for (const p of positions) {
      if (!Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) continue;
      if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) continue;
      flat.push(p[0], p[1]);
    }
    if (flat.length >= 4) lines.push({ coordinates: Float64Array.from(flat), featureId: -1 });
  };
  for (const feature of streets.features) {
    const geometry = feature?.geometry;
    if (!geometry || (geometry.type !== 'LineString' && geometry.type !== 'MultiLineString')) continue;
    if (!isWalkable(featureTags(feature.properties))) {
      notWalkable++;
      continue;
    }
    if (geometry.type === 'LineString') add(geometry.coordinates);
    else geometry.coordinates.forEach(add);
  }
  return { lines, notWalkable };
}

/** Street lines followed by the greenway features' lines (ascending id), so equal inputs give equal graphs. */
export function networkLines(streetLines: readonly NetworkLine[], features: Map<number, GreenFeature>): NetworkLine[] {
  const lines = [...streetLines];
  const ids = [...features.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const feature = features.get(id)!;
    if (feature.kind !== 'greenway') continue;
    for (const path of feature.paths) lines.push({ coordinates: path, featureId: id });
  }
  return lines;
}

/** Graph-level caches: reused while the streets, barriers and greenways are the same objects. */
export interface NetworkCacheEntry {
  key: unknown[];
  value: unknown;
}

/**
 * Keeps the last graph, snapping and entrances so that a change of rules (the "warm" path) reuses
 * them. Pass one instance to every `buildCoverageSteps` call of a worker or a benchmark.
 */
export class NetworkCache {
  private entries = new Map<string, NetworkCacheEntry>();

  /** The cached value for `name` when every part of `key` is identical (===), else `make()` stored. */
  get<T>(name: string, key: unknown[], make: () => T): T {
    const hit = this.peek<T>(name, key);
    if (hit !== undefined) return hit;
    const value = make();
    this.set(name, key, value);
    return value;
  }

  /** The cached value for `name` under exactly `key`, or undefined. */
  peek<T>(name: string, key: unknown[]): T | undefined {
    const entry = this.entries.get(name);
    if (entry && entry.key.length === key.length && entry.key.every((part, i) => part === key[i]))
      return entry.value as T;
    return undefined;
  }

  set(name: string, key: unknown[], value: unknown): void {
    this.entries.set(name, { key, value });
  }
}

/**
 * What the cached parts depend on besides the network layers, as objects compared by identity: the
 * greenways and green-space collections the features came from, and the grid's inputs (communities,
 * residential land, cell size). Fresh objects (the default) mean "never reuse".
 */
export interface NetworkCacheKeys {
  greenways: unknown;
  greenspaces: unknown;
  grid: unknown[];
}

/** Builds the network part of a model, yielding progress (phase, 0–1 within the phase). */
export function* buildNetworkSteps(
  layers: NetworkLayers,
  features: Map<number, GreenFeature>,
  grid: Grid,
  scales: RowScales,
  residentialCells: Uint32Array,
  snapMaxMeters: number,
  cache: NetworkCache = new NetworkCache(),
  keys: NetworkCacheKeys = { greenways: {}, greenspaces: {}, grid: [{}] },
): Generator<{ phase: 'graph' | 'snapping' | 'entrances'; fraction: number }, NetworkState> {
  const graphKey = [layers.streets, layers.barriers ?? null, keys.greenways];
  const street = cache.get('lines', [layers.streets], () => walkableLines(layers.streets));
  yield { phase: 'graph', fraction: 0.2 };
  // Graph, then the two R-trees, each its own step so a worker can stop between them.
  let built = cache.peek<{ graph: StreetGraph; segments: SegmentIndex; barriers: BarrierIndex }>('graph', graphKey);
  if (!built) {
    const graph = buildStreetGraph(networkLines(street.lines, features));
    yield { phase: 'graph', fraction: 0.6 };
    const segments = buildSegmentIndex(graph);
    yield { phase: 'graph', fraction: 0.9 };
    built = { graph, segments, barriers: buildBarrierIndex(barrierPaths(layers.barriers)) };
    cache.set('graph', graphKey, built);
  }
  yield { phase: 'graph', fraction: 1 };
  const snapKey = [...graphKey, ...keys.grid, residentialCells.length, snapMaxMeters];
  let snap = cache.peek<CellSnap>('snap', snapKey);
  if (!snap) {
    const steps = snapCellsSteps(
      built.graph,
      built.segments,
      built.barriers,
      grid,
      scales,
      residentialCells,
      snapMaxMeters,
    );
    for (;;) {
      const step = steps.next();
      if (step.done) {
        snap = step.value;
        break;
      }
      yield { phase: 'snapping', fraction: step.value };
    }
    cache.set('snap', snapKey, snap);
  }
  yield { phase: 'snapping', fraction: 1 };
  const given = cache.get('given', [layers.entrances ?? null], () => givenEntrances(layers.entrances));
  const entranceKey = [...graphKey, layers.entrances ?? null, snapMaxMeters, keys.greenspaces];
  let entrances = cache.peek<Map<number, Entrance[]>>('entrances', entranceKey);
  if (!entrances) {
    entrances = new Map<number, Entrance[]>();
    for (const done of entrancesSteps(
      features,
      built.graph,
      built.segments,
      built.barriers,
      given,
      snapMaxMeters,
      entrances,
    ))
      yield { phase: 'entrances', fraction: done / features.size };
    cache.set('entrances', entranceKey, entrances);
  }
  yield { phase: 'entrances', fraction: 1 };
  return {
    streetLines: street.lines,
    linesNotWalkable: street.notWalkable,
    graph: built.graph,
    segments: built.segments,
    barriers: built.barriers,
    given,
    snap: snap!,
    snapMaxMeters,
    entrances: new Map(entrances),
    greenwayEdges: greenwayEdgeMap(built.graph),
    criteria: { green: null, park: null },
  };
}

/**
 * The entrances of every area feature (not greenways), in feature order, into `out`; yields how many
 * features were done every 64 features.
 */
export function* entrancesSteps(
  features: Map<number, GreenFeature>,
  graph: StreetGraph,
  segments: SegmentIndex,
  barriers: BarrierIndex,
  given: GivenEntrances,
  snapMaxMeters: number,
  out: Map<number, Entrance[]>,
): Generator<number, void> {
  let done = 0;
  for (const feature of features.values()) {
    done++;
    if (feature.kind === 'greenway') continue;
    out.set(feature.id, areaEntrances(feature, graph, segments, barriers, given, snapMaxMeters));
    if (done % 64 === 0) yield done;
  }
}

/** Edge ids of every greenway feature by feature id. */
export function greenwayEdgeMap(graph: StreetGraph): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let e = 0; e < graph.edgeCount; e++) {
    const id = graph.edgeFeature[e];
    if (id < 0) continue;
    const list = out.get(id);
    if (list) list.push(e);
    else out.set(id, [e]);
  }
  return out;
}

/** Recomputes the network after a greenway was added or removed: new graph, snapping and entrances. */
export function rebuildNetwork(
  network: NetworkState,
  features: Map<number, GreenFeature>,
  grid: Grid,
  scales: RowScales,
  residentialCells: Uint32Array,
): NetworkState {
  const graph = buildStreetGraph(networkLines(network.streetLines, features));
  const segments = buildSegmentIndex(graph);
  const steps = snapCellsSteps(
    graph,
    segments,
    network.barriers,
    grid,
    scales,
    residentialCells,
    network.snapMaxMeters,
  );
  let step = steps.next();
  while (!step.done) step = steps.next();
  const entrances = new Map<number, Entrance[]>();
  // Run to the end: nothing here reports progress.
  for (const _ of entrancesSteps(
    features,
    graph,
    segments,
    network.barriers,
    network.given,
    network.snapMaxMeters,
    entrances,
  ));
  return {
    ...network,
    graph,
    segments,
    snap: step.value,
    entrances,
    greenwayEdges: greenwayEdgeMap(graph),
    criteria: { green: null, park: null },
  };
}

/** What the network figures are taken from (a tiled run has the whole graph and entrances, and counts off-network cells per tile). */
export type NetworkStatsSource = Pick<NetworkState, 'graph' | 'linesNotWalkable' | 'entrances' | 'snapMaxMeters'> & {
  snap: Pick<CellSnap, 'offNetworkCount'>;
};

/** Entrances and generated-vs-given counts, areas with none, and the rest of NetworkStats. */
export function networkStats(network: NetworkStatsSource): NetworkStats {
  let given = 0;
  let generated = 0;
  let unreachable = 0;
  for (const list of network.entrances.values()) {
    if (list.length === 0) unreachable++;
    for (const entrance of list) {
      if (entrance.given) given++;
      else generated++;
    }
  }
  return {
    nodes: network.graph.nodeCount,
    edges: network.graph.edgeCount,
    walkableLengthKm: network.graph.walkableLengthMeters / 1000,
    linesNotWalkable: network.linesNotWalkable,
    entrancesGiven: given,
    entrancesGenerated: generated,
    unreachableAreas: unreachable,
    cellsOffNetwork: network.snap.offNetworkCount,
    snapMaxMeters: network.snapMaxMeters,
  };
}

/** Every entrance of the model's areas, for drawing: `[lng, lat]` pairs, the area's feature id, and 1 if given. */
export interface EntrancePoints {
  lngLat: Float64Array;
  featureId: Int32Array;
  given: Uint8Array;
}

/** The entrances of every area, in feature-id order (see EntrancePoints). */
export function entrancePoints(network: Pick<NetworkState, 'entrances'>): EntrancePoints {
  const ids = [...network.entrances.keys()].sort((a, b) => a - b);
  let count = 0;
  for (const id of ids) count += network.entrances.get(id)!.length;
  const lngLat = new Float64Array(2 * count);
  const featureId = new Int32Array(count);
  const given = new Uint8Array(count);
  let i = 0;
  for (const id of ids) {
    for (const entrance of network.entrances.get(id)!) {
      lngLat[2 * i] = entrance.lng;
      lngLat[2 * i + 1] = entrance.lat;
      featureId[i] = id;
      given[i++] = entrance.given ? 1 : 0;
    }
  }
  return { lngLat, featureId, given };
}
