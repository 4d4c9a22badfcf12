import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceCellOutlines } from '../../src/coverage/gap-outlines';
import { signedArea } from '../../src/coverage/geometry';

/** Grid indices of the '#' cells of a picture whose first line is the northernmost row. */
function picture(lines: string[]): { columns: number; cells: number[] } {
  const columns = lines[0].length;
  const cells: number[] = [];
  lines.forEach((line, i) => {
    const row = lines.length - 1 - i;
    for (let c = 0; c < line.length; c++) if (line[c] === '#') cells.push(row * columns + c);
  });
  return { columns, cells };
}

/** Ring as a set of vertices from a canonical start, for order-free comparison. */
function canonical(ring: [number, number][]): string {
  const open = ring.slice(0, -1).map(([x, y]) => `${x},${y}`);
  const start = open.indexOf([...open].sort()[0]);
  return [...open.slice(start), ...open.slice(0, start)].join(' ');
}

function expectSimpleClosed(ring: [number, number][]): void {
  expect(ring[0]).toEqual(ring[ring.length - 1]);
  const open = ring.slice(0, -1);
  for (let i = 0; i < open.length; i++) {
    const a = open[(i + open.length - 1) % open.length];
    const b = open[i];
    const c = open[(i + 1) % open.length];
    // Axis-parallel steps, and every kept vertex is a real corner.
    expect(a[0] === b[0] || a[1] === b[1]).toBe(true);
    const collinear = (a[0] === b[0] && b[0] === c[0]) || (a[1] === b[1] && b[1] === c[1]);
    expect(collinear).toBe(false);
  }
}

describe('traceCellOutlines', () => {
  it('a single cell is one counter-clockwise square', () => {
    const [outline] = traceCellOutlines(3, [4]);
    expect(outline.rings).toHaveLength(1);
    expect(canonical(outline.rings[0])).toBe(
      canonical([
        [1, 1],
        [2, 1],
        [2, 2],
        [1, 2],
        [1, 1],
      ]),
    );
    expect(signedArea(outline.rings[0])).toBe(1);
  });

  it('a plus shape is one 12-corner polygon of area 5', () => {
    const { columns, cells } = picture(['.#.', '###', '.#.']);
    const outlines = traceCellOutlines(columns, cells);
    expect(outlines).toHaveLength(1);
    const [outer] = outlines[0].rings;
    expect(outlines[0].rings).toHaveLength(1);
    expect(outer.length - 1).toBe(12);
    expect(signedArea(outer)).toBe(5);
    expectSimpleClosed(outer);
    expect(outlines[0].members.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('a ring of cells gives an outer square and a clockwise hole', () => {
    const { columns, cells } = picture(['####', '#..#', '#..#', '####']);
    const [outline, ...rest] = traceCellOutlines(columns, cells);
    expect(rest).toHaveLength(0);
    expect(outline.rings).toHaveLength(2);
    const [outer, hole] = outline.rings;
    expect(canonical(outer)).toBe(
      canonical([
        [0, 0],
        [4, 0],
        [4, 4],
        [0, 4],
        [0, 0],
      ]),
    );
    expect(canonical(hole)).toBe(
      canonical([
        [1, 1],
        [1, 3],
        [3, 3],
        [3, 1],
        [1, 1],
      ]),
    );
    expect(signedArea(outer)).toBe(16);
    expect(signedArea(hole)).toBe(-4);
    expect(outline.members).toHaveLength(12);
  });

  it('two separate blobs are two polygons with their own cells', () => {
    const { columns, cells } = picture(['##...', '##..#', '....#']);
    const outlines = traceCellOutlines(columns, cells);
    expect(outlines).toHaveLength(2);
    const areas = outlines.map((o) => signedArea(o.rings[0])).sort();
    expect(areas).toEqual([2, 4]);
    expect(outlines.map((o) => o.members.length).sort()).toEqual([2, 4]);
  });

  it('cells touching only at a corner are separate polygons (4-connectivity)', () => {
    const { columns, cells } = picture(['.#', '#.']);
    const outlines = traceCellOutlines(columns, cells);
    expect(outlines).toHaveLength(2);
    for (const outline of outlines) {
      expect(outline.rings).toHaveLength(1);
      expect(outline.rings[0]).toHaveLength(5);
      expect(signedArea(outline.rings[0])).toBe(1);
    }
  });

  it('a group touching itself at a corner keeps the pocket as a hole touching the shell at one corner', () => {
    // The pocket at (1,1) reaches the outside only through the corner (2,2)… here: a C whose tips touch diagonally.
    const { columns, cells } = picture(['###.', '#..#', '####']);
    const outlines = traceCellOutlines(columns, cells);
    expect(outlines).toHaveLength(1);
    const [outer, hole] = outlines[0].rings;
    expect(outlines[0].rings).toHaveLength(2);
    expect(signedArea(outer) + signedArea(hole)).toBe(cells.length);
    expect(signedArea(hole)).toBe(-2);
    expectSimpleClosed(outer);
    expectSimpleClosed(hole);
  });

  it('property: the net area of every outline equals its cell count, and groups partition the cells', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }), (bits) => {
        const cells = bits.flatMap((bit, index) => (bit ? [index] : []));
        const outlines = traceCellOutlines(6, cells);
        let total = 0;
        for (const outline of outlines) {
          const area = outline.rings.reduce((sum, ring) => sum + signedArea(ring), 0);
          expect(area).toBe(outline.members.length);
          expect(signedArea(outline.rings[0])).toBeGreaterThan(0);
          for (const ring of outline.rings) expectSimpleClosed(ring);
          total += outline.members.length;
        }
        expect(total).toBe(cells.length);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a table over a compact set and a Map over a sparse one trace the same outlines', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }), (bits) => {
        // The cells of a 6 × 6 block in a 2,000-column grid (looked up in a table of their window)…
        const cells = bits.flatMap((bit, index) =>
          bit ? [(10 + Math.floor(index / 6)) * 2000 + 7 + (index % 6)] : [],
        );
        const compact = traceCellOutlines(2000, cells);
        // …and with one more cell far away, so the window is far larger than the cells (looked up in a Map).
        const sparse = traceCellOutlines(2000, [...cells, 1000 * 2000 + 1999]);
        expect(sparse.slice(0, -1)).toEqual(compact);
        expect(sparse.at(-1)!.members).toEqual([cells.length]);
      }),
      { numRuns: 200 },
    );
  });
});
