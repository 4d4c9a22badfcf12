/**
 * Step 14, entrances (park gates). Why: on foot a park is reached at its gates, not anywhere on its
 * edge (issue 11: ParkServe measures from park access points). A large park gets a gate on its
 * boundary where a street ends or passes nearest, up to four gates at least 150 m apart, the first
 * the main gate; a pocket park or micro-green gets one entrance at its street-side corner.
 */
import { distance, type Pt } from './geometry';
import type { NetworkStreet } from './network';
import type { Green } from './parks';
import type { GreenspaceKind } from './types';

/** A gate of a green space, in metres. */
export interface Entrance {
  at: Pt;
  /** Index of its green space in the green-space layer. */
  green: number;
  kind: GreenspaceKind;
  /** 1, 2, … per green space; 1 is the main gate. */
  number: number;
}

/** The entrances of every green space, in the order of the green spaces. */
export function placeEntrances(greens: Green[], streets: NetworkStreet[]): Entrance[] {
  const streetPoints: Pt[] = streets.flatMap((s) => s.path);
  const entrances: Entrance[] = [];
  greens.forEach((green, index) => {
    if (green.kind !== 'park') {
      // The carved corner (the ring's first vertex) is the parcel's corner on the street.
      entrances.push({ at: green.ring[0], green: index, kind: green.kind, number: 1 });
      return;
    }
    // Each ring vertex scored by its distance to the nearest street vertex (only streets near the park).
    const [cx, cy] = green.ring.reduce(
      ([x, y], p) => [x + p[0] / green.ring.length, y + p[1] / green.ring.length],
      [0, 0],
    );
    const reach = Math.max(...green.ring.map((p) => distance(p, [cx, cy]))) + 250;
    const near = streetPoints.filter((p) => distance(p, [cx, cy]) < reach);
    const scored = green.ring
      .map((p, k) => ({ p, k, d: Math.min(Infinity, ...near.map((q) => distance(p, q))) }))
      .sort((a, b) => a.d - b.d || a.k - b.k);
    const gates: Pt[] = [];
    for (const { p, d } of scored) {
      if (gates.length >= 4 || (gates.length > 0 && d > 120)) break;
      if (gates.every((g) => distance(g, p) >= 150)) gates.push(p);
    }
    gates.forEach((at, k) => {
      entrances.push({ at, green: index, kind: green.kind, number: k + 1 });
    });
  });
  return entrances;
}
