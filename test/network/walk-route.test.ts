import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildBarrierIndex,
  buildSegmentIndex,
  buildStreetGraph,
  nearestEdgePoint,
  noBarriers,
  segmentLengthMeters,
  walkableLines,
  walkRoute,
} from '../../src/coverage/network';
import { collection, frame } from './scene';

// Measuring on foot: the shortest walk between two clicked points along the streets.

const { at, line } = frame();

function network(lines: ReturnType<typeof line>[]) {
  const graph = buildStreetGraph(walkableLines(collection(lines)).lines);
  return { graph, segments: buildSegmentIndex(graph) };
}

/** Geodesic length of a path, segment by segment. */
function pathMeters(path: [number, number][]): number {
  let total = 0;
  for (let i = 1; i < path.length; i++) total += segmentLengthMeters(...path[i - 1], ...path[i]);
  return total;
}

describe('walk route', () => {
  it('walks around the block, not across it: an L of streets, measured by hand', () => {
    // Streets along the south and east sides of a 300 m × 200 m block.
    const { graph, segments } = network([
      line([
        [0, 0],
        [300, 0],
      ]),
      line([
        [300, 0],
        [300, 200],
      ]),
    ]);
    // From 10 m north of (50, 0) to 20 m west of (300, 150): 10 + 250 + 150 + 20 = 430 m.
    const route = walkRoute(graph, segments, noBarriers, at(50, 10), at(280, 150))!;
    expect(route.meters).toBeCloseTo(430, 0);
    expect(pathMeters(route.path)).toBeCloseTo(route.meters, 0);
    // The corner is on the path.
    const corner = at(300, 0);
    expect(route.path.some(([x, y]) => Math.abs(x - corner[0]) < 1e-9 && Math.abs(y - corner[1]) < 1e-9)).toBe(true);
    // Both points on one street: the walk along it only.
    expect(walkRoute(graph, segments, noBarriers, at(50, 0), at(250, 0))!.meters).toBeCloseTo(200, 0);
  });

  it('is null off the network or across a barrier, and between unconnected streets', () => {
    const { graph, segments } = network([
      line([
        [0, 0],
        [100, 0],
      ]),
      line([
        [0, 500],
        [100, 500],
      ]),
    ]);
    expect(walkRoute(graph, segments, noBarriers, at(50, 400), at(50, 0))).toBeNull();
    expect(walkRoute(graph, segments, noBarriers, at(50, 5), at(50, 495))).toBeNull();
    // A river between the point and the street: the link may not cross it.
    const river = Float64Array.from([...at(-50, 20), ...at(150, 20)]);
    expect(walkRoute(graph, segments, buildBarrierIndex([river]), at(50, 30), at(60, 5))).toBeNull();
  });

  it('on a random lattice of streets: as long as its own line, never shorter than the straight line, the same both ways, as short as Floyd–Warshall finds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
        fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
        (size, kept, a, b) => {
          // A size × size lattice of 100 m blocks; some of its sides left out.
          const lines = [];
          let k = 0;
          for (let i = 0; i <= size; i++)
            for (let j = 0; j < size; j++) {
              if (kept[k++ % kept.length] || j === 0)
                lines.push(
                  line([
                    [j * 100, i * 100],
                    [(j + 1) * 100, i * 100],
                  ]),
                );
              if (kept[k++ % kept.length] || i === 0)
                lines.push(
                  line([
                    [i * 100, j * 100],
                    [i * 100, (j + 1) * 100],
                  ]),
                );
            }
          const { graph, segments } = network(lines);
          const from = at(a[0] * size * 100, a[1] * size * 100);
          const to = at(b[0] * size * 100, b[1] * size * 100);
          const there = walkRoute(graph, segments, noBarriers, from, to);
          const back = walkRoute(graph, segments, noBarriers, to, from);
          expect(there === null).toBe(back === null);
          if (!there || !back) return;
          expect(pathMeters(there.path)).toBeCloseTo(there.meters, 3);
          // (Links and segments are measured by local scales: equal lengths may differ by micrometres.)
          expect(there.meters + 1e-3).toBeGreaterThanOrEqual(segmentLengthMeters(...from, ...to));
          expect(back.meters).toBeCloseTo(there.meters, 4);
          // Oracle: Floyd–Warshall over the lattice's nodes, from the start point's edge ends to the end point's.
          const start = nearestEdgePoint(graph, segments, noBarriers, ...from, 250)!;
          const end = nearestEdgePoint(graph, segments, noBarriers, ...to, 250)!;
          const n = graph.nodeCount;
          const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
          for (let e = 0; e < graph.edgeCount; e++) {
            const [u, v, w] = [graph.edgeFrom[e], graph.edgeTo[e], graph.edgeLengthMeters[e]];
            d[u][v] = Math.min(d[u][v], w);
            d[v][u] = Math.min(d[v][u], w);
          }
          for (let m = 0; m < n; m++)
            for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i][j] = Math.min(d[i][j], d[i][m] + d[m][j]);
          const ends = (point: typeof start) => {
            const length = graph.edgeLengthMeters[point.edge];
            return [
              [graph.edgeFrom[point.edge], point.t * length],
              [graph.edgeTo[point.edge], (1 - point.t) * length],
            ] as const;
          };
          let oracle = Infinity;
          for (const [u, du] of ends(start))
            for (const [v, dv] of ends(end)) oracle = Math.min(oracle, du + d[u][v] + dv);
          if (start.edge === end.edge)
            oracle = Math.min(oracle, Math.abs(start.t - end.t) * graph.edgeLengthMeters[start.edge]);
          expect(there.meters).toBeCloseTo(oracle + start.offsetMeters + end.offsetMeters, 2);
        },
      ),
      { numRuns: 300 },
    );
  });
});
