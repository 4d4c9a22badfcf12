import { type CoverageLayers, type CoverageOptions, checkNetworkLayers, isNetworkMode } from './coverage';
import { type CoveragePlan, planCoverage } from './coverage-plan';
import { type BoundingBox, expandBoundingBox, type GridWindow } from './grid';
import { type BarrierIndex, barrierPaths, buildBarrierIndex, indexBarrierSegments } from './network/barriers';
import { type Entrance, givenEntrances } from './network/entrances';
import { buildStreetGraph, type StreetGraph, subgraphOfEdges } from './network/graph';
import {
  entrancesSteps,
  greenwayEdgeMap,
  type NetworkLayers,
  type NetworkState,
  networkLines,
  walkableLines,
} from './network/network-model';
import { buildSegmentIndex, snapCellsSteps } from './network/snap';
import { computeNetworkCriterion } from './network/walk';
import type { CoverageResult } from './result';
import { type CriterionId, defaultSnapMaxMeters, qualifies, type RuleSet, reachMeters } from './rules';
import { markAllMet } from './summary';
import { type CoverageTile, computeTile, stitchTiles, straightTile, tileWindows } from './tiles';

/**
 * Walking tiles: the network that does not depend on the cells (the whole graph of streets and
 * greenways, the barriers, every area's entrances) is built once for the run; each tile then snaps its
 * own cells and walks on the part of the graph near it. A tile equals the whole run bit for bit:
 *
 * - A cell's walk is its snap link plus a path along edges from its snap point P to a source, and counts
 *   only up to the reach R. Every point of such a path lies within R of P along the path, so within
 *   R + the snap limit of the cell in a straight line: the tile keeps every edge whose box meets its
 *   window grown by that margin (with 5% and 10 m over for the metre approximations), and so every
 *   path the whole run can count, every segment its cells can snap to, and every entrance on them.
 * - The kept edges are the whole graph's, with their Float32 lengths as they are, in the same order
 *   (graph.ts `subgraphOfEdges`), so snapping breaks ties as the whole run does and sees the same t.
 * - The Dijkstra's result does not depend on ids or on the order it settles nodes: float addition of a
 *   length ≥ 0 is monotone and never decreases a sum, so the search gives each node the minimum, over
 *   paths, of the path's own sum taken from its seed along the path (the generalized Dijkstra); a path
 *   kept in the tile has the same lengths, so the same sum. Paths the tile lacks would be longer than
 *   R at every core cell, so they change no cell's walk (beyond R is Infinity in both runs).
 */

/** What every walking tile shares, built once for a run (sent to each tile worker as it is). */
export interface WalkingPlan {
  /** The whole graph: the walkable streets and the greenways of the plan's features. */
  graph: StreetGraph;
  /** `[west, south, east, north]` of each edge's geometry. */
  edgeBoxes: Float64Array;
  /** The barriers' segments (see `indexBarrierSegments`). */
  barrierSegments: Float64Array;
  /** Entrances of every area feature by feature id, on the whole graph's edges. */
  entrances: Map<number, Entrance[]>;
  linesNotWalkable: number;
  snapMaxMeters: number;
  /** How far beyond its window a tile takes the graph: the largest reach plus the snap limit, and some over. */
  marginMeters: number;
}

/** Builds the network part every walking tile shares (the plan's features, a scenario's included). */
export function planWalking(plan: CoveragePlan, layers: NetworkLayers): WalkingPlan {
  checkNetworkLayers(layers);
  const street = walkableLines(layers.streets);
  const graph = buildStreetGraph(networkLines(street.lines, plan.features));
  const segments = buildSegmentIndex(graph);
  const barriers = buildBarrierIndex(barrierPaths(layers.barriers));
  const snapMaxMeters = plan.rules.snapMaxMeters ?? defaultSnapMaxMeters;
  const entrances = new Map<number, Entrance[]>();
  const given = givenEntrances(layers.entrances);
  // Run to the end: nothing here reports progress.
  for (const _ of entrancesSteps(plan.features, graph, segments, barriers, given, snapMaxMeters, entrances));
  const edgeBoxes = new Float64Array(4 * graph.edgeCount);
  const c = graph.vertexLngLat;
  for (let e = 0; e < graph.edgeCount; e++) {
    const box: BoundingBox = [Infinity, Infinity, -Infinity, -Infinity];
    for (let v = graph.edgeVertexStart[e]; v < graph.edgeVertexStart[e + 1]; v++) {
      box[0] = Math.min(box[0], c[2 * v]);
      box[1] = Math.min(box[1], c[2 * v + 1]);
      box[2] = Math.max(box[2], c[2 * v]);
      box[3] = Math.max(box[3], c[2 * v + 1]);
    }
    edgeBoxes.set(box, 4 * e);
  }
  let reach = 0;
  for (const id of ['green', 'park'] as const) {
    const criterion = plan.rules[id];
    if (criterion) reach = Math.max(reach, reachMeters(plan.rules, criterion));
  }
  return {
    graph,
    edgeBoxes,
    barrierSegments: barriers.segments,
    entrances,
    linesNotWalkable: street.notWalkable,
    snapMaxMeters,
    marginMeters: 1.05 * (reach + snapMaxMeters) + 10,
  };
}

/**
 * One walking tile: its straight-line part as a straight tile, its cells snapped to the graph near it,
 * one walk per criterion from every qualifying feature's sources on that graph, and the verdicts of the
 * walk. `barriers` is `indexBarrierSegments(walking.barrierSegments)` (a worker builds it once).
 */
export function computeWalkingTile(
  plan: CoveragePlan,
  walking: WalkingPlan,
  window: GridWindow,
  barriers: BarrierIndex = indexBarrierSegments(walking.barrierSegments),
): CoverageTile {
  const { rules } = plan;
  const straight = straightTile(plan, window);
  const cells = straight.residentialCells;
  const network = tileNetwork(plan, walking, window, cells, barriers);
  const meters: Record<CriterionId, Float32Array | null> = { green: null, park: null };
  const verdicts = new Uint8Array(cells.length);
  let allFlags = 0;
  for (const [id, flag] of [
    ['green', 1],
    ['park', 2],
  ] as const) {
    const criterion = rules[id];
    if (!criterion) continue;
    const squared = straight.squared[id]!;
    const qualifying = [...plan.features.values()].filter((f) => qualifies(criterion, f.kind, f.areaSquareMeters));
    // Inside a qualifying area the walk is 0, as the whole run's straight-line field says.
    const walk = computeNetworkCriterion(network, qualifying, reachMeters(rules, criterion), (k) => squared[k] === 0);
    // The walk's verdict, as `cellVerdicts` takes it in network mode.
    for (let k = 0; k < cells.length; k++) if (walk.cellMeters[k] <= criterion.radiusMeters) verdicts[k] |= flag;
    allFlags |= flag;
    meters[id] = walk.cellMeters;
  }
  markAllMet(verdicts, allFlags);
  const offNetwork = new Uint8Array(cells.length);
  for (let k = 0; k < cells.length; k++) if (network.snap.edge[k] < 0) offNetwork[k] = 1;
  let cellsMeetingBothStraight = 0;
  for (const verdict of straight.verdicts) if (verdict & 4) cellsMeetingBothStraight++;
  return {
    window,
    residentialCells: cells,
    cellCommunity: straight.cellCommunity,
    cellResidentialPolygon: straight.cellResidentialPolygon,
    greenMeters: meters.green,
    parkMeters: meters.park,
    verdicts,
    walk: {
      greenStraightMeters: straight.meters.green,
      parkStraightMeters: straight.meters.park,
      offNetwork,
      cellsMeetingBothStraight,
    },
  };
}

/** The network state of one tile: the whole graph's edges near the window, its cells snapped, the entrances on those edges. */
function tileNetwork(
  plan: CoveragePlan,
  walking: WalkingPlan,
  window: GridWindow,
  cells: Uint32Array,
  barriers: BarrierIndex,
): NetworkState {
  const { grid } = plan;
  const [west, south, east, north] = expandBoundingBox(
    [
      grid.west + window.columnStart * grid.longitudeStep,
      grid.south + window.rowStart * grid.latitudeStep,
      grid.west + window.columnEnd * grid.longitudeStep,
      grid.south + window.rowEnd * grid.latitudeStep,
    ],
    walking.marginMeters,
  );
  const boxes = walking.edgeBoxes;
  const kept: number[] = [];
  const localEdge = new Int32Array(walking.graph.edgeCount).fill(-1);
  for (let e = 0; e < walking.graph.edgeCount; e++) {
    const o = 4 * e;
    if (boxes[o] > east || boxes[o + 2] < west || boxes[o + 1] > north || boxes[o + 3] < south) continue;
    localEdge[e] = kept.length;
    kept.push(e);
  }
  const graph = subgraphOfEdges(walking.graph, Int32Array.from(kept));
  const segments = buildSegmentIndex(graph);
  const steps = snapCellsSteps(graph, segments, barriers, grid, plan.scales, cells, walking.snapMaxMeters, window);
  let step = steps.next();
  while (!step.done) step = steps.next();
  // Entrances on kept edges, renamed to the tile's edge ids; the others lie too far to count here.
  const entrances = new Map<number, Entrance[]>();
  for (const [id, list] of walking.entrances) {
    entrances.set(
      id,
      list
        .filter((entrance) => localEdge[entrance.edge] >= 0)
        .map((entrance) => ({ ...entrance, edge: localEdge[entrance.edge] })),
    );
  }
  return {
    streetLines: [],
    linesNotWalkable: walking.linesNotWalkable,
    graph,
    segments,
    barriers,
    given: { lngLat: new Float64Array(0), index: null },
    snap: step.value,
    snapMaxMeters: walking.snapMaxMeters,
    entrances,
    greenwayEdges: greenwayEdgeMap(graph),
    criteria: { green: null, park: null },
  };
}

/**
 * A whole run computed tile by tile in this thread, in either distance mode (tests, and where workers
 * are not wanted): equal, bit for bit, to `snapshotCoverage(buildCoverage(layers, rules, cellMeters))`.
 */
export function computeTiled(
  layers: CoverageLayers,
  rules: RuleSet,
  cellMeters: number,
  tileCells: number,
  options: CoverageOptions = {},
): CoverageResult {
  const plan = planCoverage(layers, rules, cellMeters);
  const windows = tileWindows(plan.grid, tileCells);
  if (!isNetworkMode(rules)) {
    return stitchTiles(
      plan,
      windows.map((window) => computeTile(plan, window)),
      layers,
      options,
    );
  }
  const walking = planWalking(plan, {
    streets: layers.streets!,
    barriers: layers.barriers,
    entrances: layers.entrances,
  });
  const barriers = indexBarrierSegments(walking.barrierSegments);
  const tiles = windows.map((window) => computeWalkingTile(plan, walking, window, barriers));
  return stitchTiles(plan, tiles, layers, options, walkingNetwork(walking));
}

/** The whole network's figures a stitched walking result reports (see `TileStitcher`). */
export function walkingNetwork(walking: WalkingPlan) {
  return {
    graph: walking.graph,
    linesNotWalkable: walking.linesNotWalkable,
    entrances: walking.entrances,
    snapMaxMeters: walking.snapMaxMeters,
  };
}
