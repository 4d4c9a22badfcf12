/**
 * Step 3, the Sha River (沙河). Why: Chenghua is crossed by the Sha River and its riverside greenway;
 * a meandering band west of centre, roughly north to south, gives the district its one large linear
 * feature, keeps compounds and green spaces off the water (a 60 m corridor of banks and greenway)
 * and is what the riverside greenway follows.
 */
import { bandAround, centroidOf, clipPolys, distance, type Poly, type Pt, SpatialHash } from './geometry';
import type { Lattice } from './lattice';
import type { DistrictOutline } from './outline';
import type { Random } from './random';

/** Half-width of the water (m). */
export const riverHalfWidth = 25;
/** River, banks and the riverside greenway: no buildings within this distance of the centreline. */
export const riverCorridorHalfWidth = 60;

/** The river's centreline, its water polygons inside the district and corridor queries. */
export interface River {
  /** Centreline, every 40 m, running past the district at both ends. */
  line: Pt[];
  /** The water (a band of ±`riverHalfWidth`) clipped to the district. */
  polys: Poly[];
  /** The corridor near a point: bands along the runs of the centreline that come within `reach` (fast clipping). */
  corridorNear: (center: Pt, reach: number) => Poly[];
  /** Whether a lattice cell comes within the corridor (plus a margin). */
  cellCrossesRiver: (c: number) => boolean;
}

/** Draws the river from the `river` stream. */
export function shaRiver(riverRng: Random, district: DistrictOutline, lattice: Lattice): River {
  const { radius, districtPoly } = district;
  const { cellQuad } = lattice;
  const riverAngle = riverRng.uniform(-0.35, 0.35);
  const riverDirection: Pt = [Math.sin(riverAngle), -Math.cos(riverAngle)];
  const riverNormal: Pt = [-riverDirection[1], riverDirection[0]];
  const riverOrigin: Pt = [-radius * riverRng.uniform(0.15, 0.35), radius * riverRng.uniform(-0.1, 0.1)];
  const meanders = [0, 1, 2].map(() => ({
    wave: riverRng.uniform(1800, 5200),
    amplitude: riverRng.uniform(120, 380),
    phase: riverRng.uniform(0, Math.PI * 2),
  }));
  const line: Pt[] = [];
  const riverHalfLength = 1.6 * radius + 1000;
  for (let s = -riverHalfLength; s <= riverHalfLength; s += 40) {
    let lateral = 0;
    for (const m of meanders) lateral += m.amplitude * Math.sin((2 * Math.PI * s) / m.wave + m.phase);
    line.push([
      riverOrigin[0] + riverDirection[0] * s + riverNormal[0] * lateral,
      riverOrigin[1] + riverDirection[1] * s + riverNormal[1] * lateral,
    ]);
  }
  /** The corridor near a point: bands along the runs of the centreline that come within `reach` (fast clipping). */
  const corridorNear = (center: Pt, reach: number): Poly[] => {
    const pieces: Poly[] = [];
    let start = -1;
    for (let k = 0; k <= line.length; k++) {
      const near = k < line.length && distance(line[k], center) <= reach;
      if (near && start < 0) start = k;
      if (!near && start >= 0) {
        const run = line.slice(Math.max(0, start - 2), Math.min(line.length, k + 2));
        pieces.push([bandAround(run, riverCorridorHalfWidth)]);
        start = -1;
      }
    }
    return pieces;
  };
  const riverPolys = clipPolys([bandAround(line, riverHalfWidth)], districtPoly);
  const riverHash = new SpatialHash(250);
  for (const p of line) riverHash.add(p);
  const cellCrossesRiver = (c: number) => {
    const quad = cellQuad(c);
    const center = centroidOf(quad);
    const halfDiagonal = Math.max(...quad.map((p) => distance(p, center)));
    return riverHash.near(
      center,
      halfDiagonal + riverCorridorHalfWidth + 30,
      halfDiagonal + riverCorridorHalfWidth + 30,
    );
  };

  return { line, polys: riverPolys, corridorNear, cellCrossesRiver };
}
