/**
 * Step 13, the walkable street network. Why: walking distance (issue 11) needs streets that meet at
 * shared vertices and barriers that are crossed only where a crossing exists. The street runs of
 * step 9 already share their lattice corners; here the stretch of street a railway replaces is dropped, every
 * street is cut where it meets the river (a band 5 m wider than the water) or a railway (12 m each
 * side and beyond its ends), and only a few of those meetings become crossings: a bridge over the river (a straight
 * segment from bank to bank, sharing its two ends with the street on either side), or an overpass
 * or underpass of a railway (a segment that crosses the track without a vertex on it). Arterials
 * are crossed more often than local streets, and wherever a greenway crosses the barrier its street
 * crosses too. Pieces left isolated by the cuts (under 300 m of connected street) are dropped.
 */
import {
  bandAround,
  distance,
  extendEnds,
  lerp,
  type Pt,
  pathLength,
  type Ring,
  RingIndex,
  splitPolyline,
} from './geometry';
import type { Greenway } from './greenways';
import type { Railway } from './railway';
import type { Random } from './random';
import { type River, riverHalfWidth } from './river';
import type { StreetRun } from './streets';
import type { Highway } from './types';

/** Streets stop this far from a railway's centreline unless they cross it (m). */
export const railwayClearance = 12;
/** Streets stop this far from the river's centreline unless they bridge it (m): the water is ±25 m. */
export const riverClearance = riverHalfWidth + 5;

/** A street of the walkable network: a piece of a street run, or a crossing. */
export interface NetworkStreet {
  path: Pt[];
  name: { zh: string; en: string };
  arterial: boolean;
  highway: Highway;
  /** A bridge over the river or over a railway. */
  bridge: boolean;
  /** An underpass of a railway. */
  tunnel: boolean;
  /** What the crossing crosses, if it is one. */
  crosses: 'river' | 'railway' | null;
}

interface Barrier {
  kind: 'river' | 'railway';
  ring: Ring;
  index: RingIndex;
  /** Chance that a street meeting the barrier crosses it: arterial, local. */
  chance: [number, number];
}

/** The OSM highway class of a street run: 大道 avenues primary, other arterials secondary, the rest residential. */
export function highwayOf(run: Pick<StreetRun, 'arterial' | 'name'>): Highway {
  if (!run.arterial) return 'residential';
  return run.name.zh.endsWith('大道') ? 'primary' : 'secondary';
}

function barrier(kind: Barrier['kind'], ring: Ring, chance: Barrier['chance']): Barrier {
  return { kind, ring, index: new RingIndex(ring), chance };
}

/** Cuts the street runs at the river and the railways and adds the crossings, from the `crossings` stream. */
export function walkableStreets(
  crossingRng: Random,
  runs: StreetRun[],
  river: River,
  railways: Railway[],
  greenways: Greenway[],
): NetworkStreet[] {
  const barriers: Barrier[] = [
    barrier('river', bandAround(river.line, riverClearance), [0.3, 0.02]),
    ...railways.map((r) =>
      barrier('railway', bandAround(extendEnds(r.line, railwayClearance), railwayClearance), [0.5, 0.03]),
    ),
  ];
  // Where greenways cross each barrier: the streets beside them cross there too.
  const greenwayCrossings = barriers.map((barrier) =>
    greenways.flatMap((g) =>
      splitPolyline(g.path, barrier.ring, barrier.index)
        .filter((run, k, all) => run.inside && k > 0 && k < all.length - 1)
        .map((run) => lerp(run.path[0], run.path[run.path.length - 1], 0.5)),
    ),
  );
  const out: NetworkStreet[] = [];
  for (const run of runs) {
    const highway = highwayOf(run);
    const street = (path: Pt[], crossing: Partial<NetworkStreet> = {}): NetworkStreet => ({
      path,
      name: run.name,
      arterial: run.arterial,
      highway,
      bridge: false,
      tunnel: false,
      crosses: null,
      ...crossing,
    });
    let pieces: Pt[][] = [run.path];
    barriers.forEach((barrier, b) => {
      const next: Pt[][] = [];
      for (const piece of pieces) {
        const parts = splitPolyline(piece, barrier.ring, barrier.index);
        parts.forEach((part, k) => {
          if (!part.inside) {
            next.push(part.path);
            return;
          }
          // Inside the barrier's band: a crossing only between two outside parts, and short.
          if (k === 0 || k === parts.length - 1) return;
          const from = part.path[0];
          const to = part.path[part.path.length - 1];
          if (distance(from, to) > 150 || pathLength(part.path) > 200) return;
          const middle = lerp(from, to, 0.5);
          const forced = greenwayCrossings[b].some((p) => distance(p, middle) < 80);
          const roll = crossingRng.next();
          if (!forced && roll >= barrier.chance[run.arterial ? 0 : 1]) return;
          const under = barrier.kind === 'railway' && crossingRng.chance(0.5);
          out.push(street([from, to], { bridge: !under, tunnel: under, crosses: barrier.kind }));
        });
      }
      pieces = next;
    });
    for (const piece of pieces) if (pathLength(piece) > 0) out.push(street(piece));
  }
  return withoutIsolatedPieces(out, 300);
}

/** The streets whose connected group (lines sharing a vertex, in metres to 1 mm) is at least `minLength` long. */
function withoutIsolatedPieces(streets: NetworkStreet[], minLength: number): NetworkStreet[] {
  const key = (p: Pt) => `${Math.round(p[0] * 1000)},${Math.round(p[1] * 1000)}`;
  const parent = streets.map((_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    return k;
  };
  const firstAt = new Map<string, number>();
  streets.forEach((s, k) => {
    for (const p of s.path) {
      const seen = firstAt.get(key(p));
      if (seen === undefined) firstAt.set(key(p), k);
      else parent[find(k)] = find(seen);
    }
  });
  const length = new Map<number, number>();
  streets.forEach((s, k) => {
    length.set(find(k), (length.get(find(k)) ?? 0) + pathLength(s.path));
  });
  return streets.filter((_, k) => (length.get(find(k)) ?? 0) >= minLength);
}
