import { signedArea } from './geometry';

/**
 * Outlines of sets of grid cells: the 4-connected groups of the given cells, each traced along the grid
 * lines into one polygon with holes. Exact (corners are grid corners, shared by neighbouring outlines)
 * and linear in the number of cells, unlike a union of thousands of squares.
 *
 * Coordinates are grid corners `[column, row]` (row grows northward, as in the engine's grid): corner
 * (c, r) is the south-west corner of cell (c, r). Outer rings are counter-clockwise and holes clockwise
 * (RFC 7946), with no repeated or collinear vertices; rings are closed (last = first).
 *
 * Cells that touch only at a corner belong to different groups (4-connectivity). Where two cells of the
 * same group touch only at a corner around an enclosed pocket, the pocket becomes a hole that touches the
 * outer ring at that one corner, which OGC/GEOS accept as valid.
 */

export interface CellOutline {
  /** Outer ring first, then holes; each ring closed, in grid-corner coordinates. */
  rings: [number, number][][];
  /** Positions (into the `cells` argument) of the cells of this group. */
  members: number[];
}

// Directions: 0 east, 1 north, 2 west, 3 south.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/**
 * Groups `cells` (grid indices `row × columns + column`, any order, no repeats) into 4-connected groups
 * and traces each group's outline. Groups come in order of their first cell in `cells`.
 */
export function traceCellOutlines(columns: number, cells: ArrayLike<number>): CellOutline[] {
  const count = cells.length;
  const positionAt = cellPositions(columns, cells);
  const inside = (column: number, row: number) => column >= 0 && column < columns && positionAt(column, row) >= 0;

  // Label 4-connected groups (iterative flood fill).
  const group = new Int32Array(count).fill(-1);
  const groups: number[][] = [];
  const stack: number[] = [];
  for (let k = 0; k < count; k++) {
    if (group[k] >= 0) continue;
    const id = groups.length;
    const members: number[] = [];
    group[k] = id;
    stack.push(k);
    while (stack.length > 0) {
      const m = stack.pop()!;
      members.push(m);
      const index = cells[m];
      const column = index % columns;
      const row = (index - column) / columns;
      for (let d = 0; d < 4; d++) {
        const c = column + DX[d];
        const r = row + DY[d];
        if (c < 0 || c >= columns || r < 0) continue;
        const n = positionAt(c, r);
        if (n >= 0 && group[n] < 0) {
          group[n] = id;
          stack.push(n);
        }
      }
    }
    groups.push(members);
  }

  const vertexColumns = columns + 1;
  return groups.map((members) => {
    // Boundary edges with the group on their left: a cell side whose neighbour is outside.
    const startX: number[] = [];
    const startY: number[] = [];
    const direction: number[] = [];
    const outgoing = new Map<number, number[]>();
    const addEdge = (x: number, y: number, d: number) => {
      const id = direction.length;
      startX.push(x);
      startY.push(y);
      direction.push(d);
      const key = y * vertexColumns + x;
      const list = outgoing.get(key);
      if (list) list.push(id);
      else outgoing.set(key, [id]);
    };
    for (const m of members) {
      const index = cells[m];
      const c = index % columns;
      const r = (index - c) / columns;
      if (!inside(c, r - 1)) addEdge(c, r, 0); // south side, heading east
      if (!inside(c + 1, r)) addEdge(c + 1, r, 1); // east side, heading north
      if (!inside(c, r + 1)) addEdge(c + 1, r + 1, 2); // north side, heading west
      if (!inside(c - 1, r)) addEdge(c, r + 1, 3); // west side, heading south
    }
    const used = new Uint8Array(direction.length);
    const rings: [number, number][][] = [];
    for (let first = 0; first < direction.length; first++) {
      if (used[first]) continue;
      const ring: [number, number][] = [];
      let edge = first;
      let previousDirection = -1;
      while (!used[edge]) {
        used[edge] = 1;
        const d = direction[edge];
        if (d !== previousDirection) ring.push([startX[edge], startY[edge]]);
        previousDirection = d;
        const endX = startX[edge] + DX[d];
        const endY = startY[edge] + DY[d];
        const candidates = outgoing.get(endY * vertexColumns + endX)!;
        // At a corner where the group touches itself diagonally there are two ways on: turn right, so
        // each ring hugs one region of the outside and stays simple.
        let next = -1;
        for (const turn of [3, 0, 1]) {
          const wanted = (d + turn) % 4;
          next = candidates.find((e) => direction[e] === wanted && !used[e]) ?? -1;
          if (next >= 0) break;
        }
        if (next < 0) {
          next = candidates.find((e) => e === first) ?? -1;
          if (next < 0) throw new Error('traceCellOutlines: open boundary (internal error)');
        }
        edge = next;
      }
      // Drop the starting vertex when the ring closes along a straight line through it.
      if (ring.length > 1 && direction[first] === previousDirection) ring.shift();
      ring.push([ring[0][0], ring[0][1]]);
      rings.push(ring);
    }
    const outers = rings.filter((ring) => signedArea(ring) > 0);
    const holes = rings.filter((ring) => signedArea(ring) < 0);
    if (outers.length !== 1) throw new Error(`traceCellOutlines: ${outers.length} outer rings in one group`);
    return { rings: [outers[0], ...holes], members };
  });
}

/**
 * The position in `cells` of the cell at (column, row), or -1. A table over the cells' bounding window
 * when that window is at most a few times the cells (4 bytes per window cell: a city-wide gap area of
 * millions of cells costs tens of MB, where a Map of them cost hundreds), else a Map.
 */
function cellPositions(columns: number, cells: ArrayLike<number>): (column: number, row: number) => number {
  const count = cells.length;
  let rowStart = Infinity;
  let rowEnd = -Infinity;
  let columnStart = Infinity;
  let columnEnd = -Infinity;
  for (let k = 0; k < count; k++) {
    const column = cells[k] % columns;
    const row = (cells[k] - column) / columns;
    rowStart = Math.min(rowStart, row);
    rowEnd = Math.max(rowEnd, row + 1);
    columnStart = Math.min(columnStart, column);
    columnEnd = Math.max(columnEnd, column + 1);
  }
  const width = columnEnd - columnStart;
  const windowCells = count > 0 ? width * (rowEnd - rowStart) : 0;
  if (windowCells <= 4 * count + 65_536) {
    const table = new Int32Array(windowCells).fill(-1);
    for (let k = 0; k < count; k++) {
      const column = cells[k] % columns;
      table[((cells[k] - column) / columns - rowStart) * width + column - columnStart] = k;
    }
    return (column, row) =>
      row >= rowStart && row < rowEnd && column >= columnStart && column < columnEnd
        ? table[(row - rowStart) * width + column - columnStart]
        : -1;
  }
  const position = new Map<number, number>();
  for (let k = 0; k < count; k++) position.set(cells[k], k);
  return (column, row) => position.get(row * columns + column) ?? -1;
}
