import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/seeded-random';
import { buildCoverage, type CoverageModel, presetRules, qualifies, reachMeters } from '../../src/coverage';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../../src/coverage/geodesy';
import { segmentsIntersect } from '../../src/coverage/network/geometry';
import { randomStreets } from './random-streets';

/**
 * The brute-force oracle: for a sampled cell, snap it by trying every segment of the graph (nearest
 * first, testing every barrier segment), split the edges at the cell and at every qualifying entrance,
 * and run a plain Dijkstra from the cell over the whole graph (no cut-off, no caching, no typed arrays).
 */
function oracleWalk(model: CoverageModel, id: 'green' | 'park', k: number): number {
  const network = model.network!;
  const { graph } = network;
  const criterion = model.rules[id]!;
  if (model.fields[id]!.squaredMeters[model.residentialCells[k]] === 0) return 0;
  const { grid } = model;
  const index = model.residentialCells[k];
  const row = Math.floor(index / grid.columns);
  const lng = grid.west + (index - row * grid.columns + 0.5) * grid.longitudeStep;
  const lat = grid.south + (row + 0.5) * grid.latitudeStep;
  const kx = metersPerDegreeLongitude(lat);
  const ky = metersPerDegreeLatitude(lat);
  const c = graph.vertexLngLat;
  const barrier = network.barriers.segments;
  // Snap: every segment of every edge, nearest first; the first whose link crosses no barrier.
  const candidates: { edge: number; along: number; distance: number; plng: number; plat: number }[] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    let along = 0;
    for (let v = graph.edgeVertexStart[e]; v < graph.edgeVertexStart[e + 1] - 1; v++) {
      const ax = (c[2 * v] - lng) * kx;
      const ay = (c[2 * v + 1] - lat) * ky;
      const bx = (c[2 * v + 2] - lng) * kx;
      const by = (c[2 * v + 3] - lat) * ky;
      const dx = bx - ax;
      const dy = by - ay;
      const l2 = dx * dx + dy * dy;
      const f = l2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / l2)) : 0;
      const distance = Math.hypot(ax + f * dx, ay + f * dy);
      const segment = graph.vertexAlongMeters[v + 1] - graph.vertexAlongMeters[v];
      if (distance <= network.snapMaxMeters)
        candidates.push({
          edge: e,
          along: along + f * segment,
          distance,
          plng: c[2 * v] + f * (c[2 * v + 2] - c[2 * v]),
          plat: c[2 * v + 1] + f * (c[2 * v + 3] - c[2 * v + 1]),
        });
      along += segment;
    }
  }
  candidates.sort((a, b) => a.distance - b.distance);
  const crosses = (p: { plng: number; plat: number }) => {
    for (let s = 0; s < barrier.length; s += 4) {
      if (segmentsIntersect(lng, lat, p.plng, p.plat, barrier[s], barrier[s + 1], barrier[s + 2], barrier[s + 3]))
        return true;
    }
    return false;
  };
  const snap = candidates.find((candidate) => !crosses(candidate));
  if (!snap) return Infinity;
  // Points on edges: the cell (source) and every qualifying entrance (target, with its link).
  const qualifying = [...model.features.values()].filter((f) => qualifies(criterion, f.kind, f.areaSquareMeters));
  const pointsOnEdge = new Map<number, { along: number; node: number }[]>();
  let nodeCount = graph.nodeCount;
  const targetLink = new Map<number, number>();
  const addPoint = (edge: number, along: number) => {
    const node = nodeCount++;
    const list = pointsOnEdge.get(edge) ?? [];
    list.push({ along, node });
    pointsOnEdge.set(edge, list);
    return node;
  };
  const edgeLength = (e: number) => graph.vertexAlongMeters[graph.edgeVertexStart[e + 1] - 1];
  const source = addPoint(snap.edge, snap.along);
  const greenwayNodes = new Set<number>();
  for (const feature of qualifying) {
    if (feature.kind === 'greenway') {
      for (let e = 0; e < graph.edgeCount; e++) {
        if (graph.edgeFeature[e] !== feature.id) continue;
        if (e === snap.edge) return snap.distance;
        greenwayNodes.add(graph.edgeFrom[e]).add(graph.edgeTo[e]);
      }
      continue;
    }
    for (const entrance of network.entrances.get(feature.id) ?? []) {
      const node = addPoint(entrance.edge, entrance.t * edgeLength(entrance.edge));
      targetLink.set(node, entrance.offsetMeters);
    }
  }
  const adjacency: [number, number][][] = Array.from({ length: nodeCount }, () => []);
  const link = (a: number, b: number, meters: number) => {
    adjacency[a].push([b, meters]);
    adjacency[b].push([a, meters]);
  };
  for (let e = 0; e < graph.edgeCount; e++) {
    const length = edgeLength(e);
    const points = [...(pointsOnEdge.get(e) ?? [])].sort((a, b) => a.along - b.along);
    let previous = graph.edgeFrom[e];
    let previousAlong = 0;
    for (const point of points) {
      link(previous, point.node, point.along - previousAlong);
      previous = point.node;
      previousAlong = point.along;
    }
    link(previous, graph.edgeTo[e], length - previousAlong);
  }
  // Plain Dijkstra over the whole graph with an array scan for the minimum.
  const distance = new Array<number>(nodeCount).fill(Infinity);
  const done = new Array<boolean>(nodeCount).fill(false);
  distance[source] = 0;
  const frontier = new Set([source]);
  while (frontier.size) {
    let best = -1;
    for (const node of frontier) if (best < 0 || distance[node] < distance[best]) best = node;
    frontier.delete(best);
    done[best] = true;
    for (const [next, meters] of adjacency[best]) {
      if (!done[next] && distance[best] + meters < distance[next]) {
        distance[next] = distance[best] + meters;
        frontier.add(next);
      }
    }
  }
  let walk = Infinity;
  for (const [node, offset] of targetLink) walk = Math.min(walk, distance[node] + offset);
  for (const node of greenwayNodes) walk = Math.min(walk, distance[node]);
  return snap.distance + walk;
}

describe('walking distance against a brute-force oracle', () => {
  for (const latitude of [0, 30, 55]) {
    it(`seeded random street grids at ${latitude}°: every sampled cell within max(1 m, 0.5%)`, () => {
      let compared = 0;
      let finite = 0;
      for (const seed of [1, 2]) {
        const city = randomStreets({ seed: seed * 100 + latitude, latitude });
        const rules = presetRules('chengdu');
        rules.distance = 'network';
        const model = buildCoverage(city, rules, 25);
        const random = mulberry32(seed);
        for (let sample = 0; sample < 60; sample++) {
          const k = Math.floor(random() * model.residentialCells.length);
          for (const id of ['green', 'park'] as const) {
            const engine = model.network!.criteria[id]!.cellMeters[k];
            const oracle = oracleWalk(model, id, k);
            const reach = reachMeters(rules, rules[id]!);
            const tolerance = Math.max(1, 0.005 * oracle);
            if (oracle <= reach - tolerance) {
              expect(engine, `${id} of cell ${k} (seed ${seed})`).toBeGreaterThan(oracle - tolerance);
              expect(engine, `${id} of cell ${k} (seed ${seed})`).toBeLessThan(oracle + tolerance);
              finite++;
            } else if (oracle > reach + tolerance) expect(engine, `${id} of cell ${k} beyond reach`).toBe(Infinity);
            compared++;
          }
        }
      }
      expect(compared).toBe(240);
      // The sample must exercise real walks, not only "beyond reach".
      expect(finite).toBeGreaterThan(60);
    });
  }
});
