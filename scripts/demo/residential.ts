/**
 * Step 7, residential compounds (小区). Why: homes are what coverage is counted for, and a block is
 * rarely one compound; each residential block (a lattice cell inset by its streets' half-widths) is
 * split into 1–4 parcels, which the small-green step may carve a corner from. Blocks cut by the
 * district edge or the river corridor keep their clipped shape as free-form compounds.
 */
import {
  bilinear,
  centroidOf,
  clipPolys,
  distance,
  insetQuad,
  type Poly,
  type Pt,
  polyArea,
  type Ring,
  subtractPolys,
} from './geometry';
import type { Usage } from './land-use';
import type { Lattice } from './lattice';
import type { Random } from './random';
import { type River, riverCorridorHalfWidth } from './river';

/** A compound that is part of a whole block, in the block's bilinear (s, t) frame. */
export interface Parcel {
  id: number;
  community: number;
  /** Block (inset cell) corners, counter-clockwise. */
  block: Pt[];
  blockWidth: number;
  blockHeight: number;
  s0: number;
  s1: number;
  t0: number;
  t1: number;
  /** Corner cut out for a pocket park or micro-green: 0..3 = (s0,t0), (s1,t0), (s1,t1), (s0,t1). */
  carve: { corner: number; alpha: number; beta: number } | null;
}

/** A compound with a free-form outline (a block clipped by the district edge or the river). */
export interface FreeBlock {
  id: number;
  community: number;
  poly: Poly;
}

/** The compounds: parcels of whole blocks and free-form blocks, with ids numbered from 1 in one sequence. */
export interface Compounds {
  parcels: Parcel[];
  freeBlocks: FreeBlock[];
}

/** Divides every residential cell into compounds, from the `blocks` stream. */
export function divideCompounds(
  blockRng: Random,
  lattice: Lattice,
  landCells: number[],
  owner: Int32Array,
  communityPolys: Poly[],
  usage: Map<number, Usage>,
  riverCells: Set<number>,
  river: River,
): Compounds {
  const { cellQuad, cellState, halfWidthOfEdge } = lattice;
  const { corridorNear } = river;
  const parcels: Parcel[] = [];
  const freeBlocks: FreeBlock[] = [];
  let nextId = 1;
  for (const c of landCells) {
    if (usage.get(c) !== 'residential') continue;
    const community = owner[c];
    const block = insetQuad(cellQuad(c), halfWidthOfEdge(c));
    const crossesRiver = riverCells.has(c);
    if (cellState[c] === 2 && !crossesRiver) {
      const blockWidth = (distance(block[0], block[1]) + distance(block[3], block[2])) / 2;
      const blockHeight = (distance(block[0], block[3]) + distance(block[1], block[2])) / 2;
      const splitS = blockWidth > 200 || blockRng.chance(0.5);
      const splitT = blockHeight > 200 || blockRng.chance(0.5);
      const ss = splitS ? [0, blockRng.uniform(0.35, 0.65), 1] : [0, 1];
      const ts = splitT ? [0, blockRng.uniform(0.35, 0.65), 1] : [0, 1];
      for (let a = 0; a + 1 < ss.length; a++) {
        for (let b = 0; b + 1 < ts.length; b++) {
          parcels.push({
            id: nextId++,
            community,
            block,
            blockWidth,
            blockHeight,
            s0: ss[a],
            s1: ss[a + 1],
            t0: ts[b],
            t1: ts[b + 1],
            carve: null,
          });
        }
      }
      continue;
    }
    let pieces: Poly[] = [[block]];
    if (cellState[c] === 1) pieces = pieces.flatMap((piece) => clipPolys(piece, communityPolys[community]));
    if (crossesRiver) {
      const center = centroidOf(block);
      const reach = Math.max(...block.map((p) => distance(p, center))) + riverCorridorHalfWidth + 100;
      for (const corridor of corridorNear(center, reach))
        pieces = pieces.flatMap((piece) => subtractPolys(piece, corridor));
    }
    for (const poly of pieces) {
      if (polyArea(poly) >= 2500) freeBlocks.push({ id: nextId++, community, poly });
    }
  }
  return { parcels, freeBlocks };
}

/** A point of a parcel in its own frame, (σ, τ) ∈ [0,1]² measured from corner `cornerIndex`. */
export function parcelPoint(parcel: Parcel, cornerIndex: number, sigma: number, tau: number): Pt {
  const ds = parcel.s1 - parcel.s0;
  const dt = parcel.t1 - parcel.t0;
  const s = cornerIndex === 1 || cornerIndex === 2 ? parcel.s1 - sigma * ds : parcel.s0 + sigma * ds;
  const t = cornerIndex >= 2 ? parcel.t1 - tau * dt : parcel.t0 + tau * dt;
  return bilinear(parcel.block, s, t);
}

/** A parcel's outline: its quad, or an L shape when a corner is carved out for green. */
export function parcelRing(parcel: Parcel): Ring {
  if (!parcel.carve) {
    return [
      parcelPoint(parcel, 0, 0, 0),
      parcelPoint(parcel, 0, 1, 0),
      parcelPoint(parcel, 0, 1, 1),
      parcelPoint(parcel, 0, 0, 1),
    ];
  }
  const { corner, alpha, beta } = parcel.carve;
  return (
    [
      [alpha, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, beta],
      [alpha, beta],
    ] as Pt[]
  ).map(([sigma, tau]) => parcelPoint(parcel, corner, sigma, tau));
}
