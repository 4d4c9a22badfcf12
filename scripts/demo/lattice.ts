/**
 * Step 2, the street lattice. Why: Chengdu's inner districts are a grid that is not quite a grid; two
 * families of lines in a frame rotated by a few degrees, with irregular spacing, arterials every 3–5
 * lines, a smooth warp and a little jitter at every crossing give blocks of varied size and shape
 * whose corners are shared by the streets, the communities and the compounds built on them.
 */
import { boundsOf, centroidOf, type Pt, pointInRing } from './geometry';
import type { DistrictOutline } from './outline';
import { noiseField, type Random } from './random';

/** Half-width of an arterial street (m): arterials are 40 m wide. */
export const arterialHalfWidth = 20;
/** Half-width of a local street (m): local streets are 16 m wide. */
export const localHalfWidth = 8;

/** One family of lattice lines: their positions across the family and which are arterials. */
export interface LatticeLines {
  positions: number[];
  arterial: boolean[];
}

/**
 * The warped lattice: `nu × nv` corners, and `cellColumns × cellRows` cells (the blocks between
 * streets, numbered `row × cellColumns + column`), each wholly inside (2), partly inside (1) or
 * outside (0) the district.
 */
export interface Lattice {
  uLines: LatticeLines;
  vLines: LatticeLines;
  nu: number;
  nv: number;
  corners: Pt[];
  cellColumns: number;
  cellRows: number;
  cellCount: number;
  cellState: Uint8Array;
  corner: (i: number, j: number) => Pt;
  /** A cell's corners, counter-clockwise. */
  cellQuad: (c: number) => Pt[];
  cellCenter: (c: number) => Pt;
  /** The 4-connected neighbour cells. */
  neighbours: (c: number) => number[];
  /** Half-widths of the streets along a cell's four edges (bottom, right, top, left). */
  halfWidthOfEdge: (c: number) => number[];
}

/** Lays the lattice over the district from the `lattice` stream. */
export function streetLattice(latticeRng: Random, district: DistrictOutline): Lattice {
  const { outline, minX, minY, maxX, maxY, inDistrict } = district;
  const rotation = latticeRng.uniform(-0.22, 0.22);
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  let uMin = Infinity;
  let uMax = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  for (const [x, y] of outline) {
    const u = x * cos + y * sin;
    const v = -x * sin + y * cos;
    uMin = Math.min(uMin, u);
    uMax = Math.max(uMax, u);
    vMin = Math.min(vMin, v);
    vMax = Math.max(vMax, v);
  }
  const lines = (from: number, to: number) => {
    const positions: number[] = [];
    const arterial: boolean[] = [];
    let next = latticeRng.int(1, 3);
    for (let p = from - 400; p < to + 600; p += latticeRng.uniform(200, 360)) {
      positions.push(p);
      arterial.push(next === 0);
      next = next === 0 ? latticeRng.int(3, 5) : next - 1;
    }
    return { positions, arterial };
  };
  const uLines = lines(uMin, uMax);
  const vLines = lines(vMin, vMax);
  const nu = uLines.positions.length;
  const nv = vLines.positions.length;
  const warpX = noiseField(latticeRng, 3, 3500, 9000);
  const warpY = noiseField(latticeRng, 3, 3500, 9000);
  const warpAmplitude = latticeRng.uniform(90, 150);
  const corners: Pt[] = new Array(nu * nv);
  for (let j = 0; j < nv; j++) {
    for (let i = 0; i < nu; i++) {
      const u = uLines.positions[i];
      const v = vLines.positions[j];
      const x = u * cos - v * sin;
      const y = u * sin + v * cos;
      const jitter = uLines.arterial[i] && vLines.arterial[j] ? 4 : 10;
      corners[j * nu + i] = [
        x + warpAmplitude * warpX(x, y) + latticeRng.uniform(-jitter, jitter),
        y + warpAmplitude * warpY(x, y) + latticeRng.uniform(-jitter, jitter),
      ];
    }
  }
  const corner = (i: number, j: number) => corners[j * nu + i];
  const cellColumns = nu - 1;
  const cellRows = nv - 1;
  const cellCount = cellColumns * cellRows;
  const cellQuad = (c: number): Pt[] => {
    const i = c % cellColumns;
    const j = (c - i) / cellColumns;
    return [corner(i, j), corner(i + 1, j), corner(i + 1, j + 1), corner(i, j + 1)];
  };
  const cellCenter = (c: number): Pt => centroidOf(cellQuad(c));

  // Which cells are wholly inside (2), partly inside (1) or outside (0) the district. A convex quad
  // with every corner on one side and no outline vertex inside it cannot be crossed by the outline.
  const cornerInside = new Uint8Array(nu * nv);
  for (let k = 0; k < corners.length; k++) {
    const [x, y] = corners[k];
    if (x >= minX && x <= maxX && y >= minY && y <= maxY && inDistrict(corners[k])) cornerInside[k] = 1;
  }
  const cellState = new Uint8Array(cellCount);
  for (let c = 0; c < cellCount; c++) {
    const i = c % cellColumns;
    const j = (c - i) / cellColumns;
    const inside =
      cornerInside[j * nu + i] +
      cornerInside[j * nu + i + 1] +
      cornerInside[(j + 1) * nu + i + 1] +
      cornerInside[(j + 1) * nu + i];
    const quad = cellQuad(c);
    const { minX: qMinX, minY: qMinY, maxX: qMaxX, maxY: qMaxY } = boundsOf(quad);
    if (inside === 0 && (qMaxX < minX || qMinX > maxX || qMaxY < minY || qMinY > maxY)) continue;
    let vertexInside = false;
    for (const p of outline) {
      if (p[0] >= qMinX && p[0] <= qMaxX && p[1] >= qMinY && p[1] <= qMaxY && pointInRing(p, quad)) {
        vertexInside = true;
        break;
      }
    }
    cellState[c] = inside === 4 && !vertexInside ? 2 : inside === 0 && !vertexInside ? 0 : 1;
  }
  const neighbours = (c: number): number[] => {
    const i = c % cellColumns;
    const j = (c - i) / cellColumns;
    const out: number[] = [];
    if (i > 0) out.push(c - 1);
    if (i < cellColumns - 1) out.push(c + 1);
    if (j > 0) out.push(c - cellColumns);
    if (j < cellRows - 1) out.push(c + cellColumns);
    return out;
  };
  const halfWidthOfEdge = (c: number): number[] => {
    const i = c % cellColumns;
    const j = (c - i) / cellColumns;
    const hw = (arterial: boolean) => (arterial ? arterialHalfWidth : localHalfWidth);
    return [hw(vLines.arterial[j]), hw(uLines.arterial[i + 1]), hw(vLines.arterial[j + 1]), hw(uLines.arterial[i])];
  };
  return {
    uLines,
    vLines,
    nu,
    nv,
    corners,
    cellColumns,
    cellRows,
    cellCount,
    cellState,
    corner,
    cellQuad,
    cellCenter,
    neighbours,
    halfWidthOfEdge,
  };
}
