/**
 * Step 6b, large parks (公园). Why: a few large parks (5–58 ha) anchor the "500 m to a park" rule;
 * they are placed as irregular blobs over 1–3 × 1–3 blocks, away from the gap communities, the river
 * and each other, so that some neighbourhoods sit beside a park and others are far from any. A park
 * closes the streets that ran through its blocks (step 9).
 */
import { bilinear, centroidOf, insetQuad, type Ring, SpatialHash, signedArea } from './geometry';
import type { Level, Usage } from './land-use';
import { arterialHalfWidth, type Lattice } from './lattice';
import { greenName, NameBank } from './names';
import type { Random } from './random';
import type { GreenspaceKind } from './types';

/** One green space in metres. */
export interface Green {
  kind: GreenspaceKind;
  ring: Ring;
  name: { zh: string; en: string };
}

/**
 * The green spaces placed so far and what later green steps need: the shared name bank of the
 * `greens` stream, the spatial hashes of parks (and pocket parks) and of small greens, and which
 * lattice cells each large park covers.
 */
export interface GreenSpaces {
  rng: Random;
  bank: NameBank;
  greens: Green[];
  parkHash: SpatialHash;
  microHash: SpatialHash;
  /** Lattice cell → index of the large park on it. */
  parkCellOf: Map<number, number>;
}

/** Places about 5 large parks per unit of scale from the `greens` stream; their cells become 'park'. */
export function placeLargeParks(
  greenRng: Random,
  lattice: Lattice,
  fullCells: number[],
  owner: Int32Array,
  riverCells: Set<number>,
  usage: Map<number, Usage>,
  communityLevel: Level[],
  scale: number,
): GreenSpaces {
  const { cellColumns, cellRows, cellState, corner } = lattice;
  const greenBank = new NameBank(greenRng);
  const greens: Green[] = [];
  const parkHash = new SpatialHash(600);
  const microHash = new SpatialHash(400);

  // Large parks: blobs over 1–3 × 1–3 cells, away from the gaps and from each other.
  const parkCellOf = new Map<number, number>();
  const parkTarget = Math.max(2, Math.round(5 * scale) + greenRng.int(0, 1));
  const parkShapes: [number, number][] = [
    [1, 1],
    [1, 2],
    [2, 1],
    [2, 2],
    [2, 2],
    [2, 3],
    [3, 2],
    [3, 3],
  ];
  for (let attempt = 0, placed = 0; placed < parkTarget && attempt < parkTarget * 60; attempt++) {
    const c = greenRng.pick(fullCells);
    const [w, h] = greenRng.pick(parkShapes);
    const i0 = c % cellColumns;
    const j0 = (c - i0) / cellColumns;
    if (i0 + w > cellColumns || j0 + h > cellRows) continue;
    const cells: number[] = [];
    for (let dj = 0; dj < h; dj++) for (let di = 0; di < w; di++) cells.push(c + dj * cellColumns + di);
    if (cells.some((n) => cellState[n] !== 2 || riverCells.has(n) || parkCellOf.has(n))) continue;
    if (cells.some((n) => communityLevel[owner[n]] === 'gap')) continue;
    const outer = [corner(i0, j0), corner(i0 + w, j0), corner(i0 + w, j0 + h), corner(i0, j0 + h)];
    const center = centroidOf(outer);
    const size = Math.sqrt(Math.abs(signedArea(outer)));
    if (parkHash.near(center, 1800 + size / 2, 2500 + size)) continue;
    // Irregular blob in the range's bilinear frame, inside the surrounding streets.
    const inset = insetQuad(outer, [
      arterialHalfWidth + 10,
      arterialHalfWidth + 10,
      arterialHalfWidth + 10,
      arterialHalfWidth + 10,
    ]);
    const target = Math.min(58e4, Math.max(5.2e4, Math.abs(signedArea(inset)) * greenRng.uniform(0.45, 0.8)));
    const wobble = [2, 3, 5].map((k) => ({ k, a: greenRng.uniform(0, 0.1), phase: greenRng.uniform(0, Math.PI * 2) }));
    const blob = (radiusFactor: number): Ring => {
      const ring: Ring = [];
      for (let v = 0; v < 40; v++) {
        const theta = (v / 40) * Math.PI * 2;
        let r = radiusFactor;
        for (const { k, a, phase } of wobble) r *= 1 + a * Math.cos(k * theta + phase);
        const s = 0.5 + Math.min(0.5, r * Math.cos(theta));
        const t = 0.5 + Math.min(0.5, r * Math.sin(theta));
        ring.push(bilinear(inset, Math.max(0, s), Math.max(0, t)));
      }
      return ring;
    };
    let factor = 0.45;
    let ring = blob(factor);
    const full = Math.abs(signedArea(ring));
    if (full < 5.1e4) continue;
    factor *= Math.sqrt(Math.min(1, target / full));
    ring = blob(factor);
    for (let k = 0; k < 4 && Math.abs(signedArea(ring)) > 59e4; k++) {
      factor *= 0.95;
      ring = blob(factor);
    }
    cells.forEach((n) => {
      parkCellOf.set(n, placed);
      usage.set(n, 'park');
    });
    greens.push({ kind: 'park', ring, name: greenName(greenBank, 'park') });
    parkHash.add(center, size / 2);
    placed++;
  }
  return { rng: greenRng, bank: greenBank, greens, parkHash, microHash, parkCellOf };
}
