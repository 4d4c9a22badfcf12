/**
 * Step 9, streets. Why: the street lattice is the map's context and the frame of everything else;
 * each lattice line becomes one named street (arterials 路/大道, local streets 路/街/巷), cut where a
 * large park closes it and clipped to the district edge; runs shorter than 120 m are dropped.
 */
import { clipPolyline, type Pt, pathLength, type Ring } from './geometry';
import type { Lattice } from './lattice';
import { NameBank } from './names';
import type { Random } from './random';

/** One street run: a piece of one lattice line (`family` u or v, line `index`) between closures. */
export interface StreetRun {
  path: Pt[];
  name: { zh: string; en: string };
  arterial: boolean;
  family: 'u' | 'v';
  index: number;
}

/** Names the lattice lines from the `streets` stream and cuts them into runs. */
export function layStreets(
  streetRng: Random,
  lattice: Lattice,
  outline: Ring,
  parkCellOf: Map<number, number>,
): StreetRun[] {
  const { uLines, vLines, nu, nv, corner, cellColumns, cellRows } = lattice;
  const streetBank = new NameBank(streetRng);
  const streetName = (arterial: boolean) => {
    const stem = streetBank.next();
    const [zh, en] = arterial
      ? streetRng.pick([
          ['路', 'Road'],
          ['大道', 'Avenue'],
          ['路', 'Road'],
        ] as const)
      : streetRng.pick([
          ['路', 'Road'],
          ['街', 'Street'],
          ['巷', 'Lane'],
          ['路', 'Road'],
        ] as const);
    return { zh: stem.zh + zh, en: `${stem.en} ${en}` };
  };
  const uNames = uLines.positions.map((_, i) => streetName(uLines.arterial[i]));
  const vNames = vLines.positions.map((_, j) => streetName(vLines.arterial[j]));
  const streetRuns: StreetRun[] = [];
  const closedByPark = (a: number, b: number) =>
    a >= 0 && b >= 0 && parkCellOf.has(a) && parkCellOf.get(a) === parkCellOf.get(b);
  for (let i = 0; i < nu; i++) {
    let path: Pt[] = [corner(i, 0)];
    const flush = () => {
      if (path.length > 1)
        for (const run of clipPolyline(path, outline))
          streetRuns.push({ path: run, name: uNames[i], arterial: uLines.arterial[i], family: 'u', index: i });
    };
    for (let j = 0; j + 1 < nv; j++) {
      const left = i > 0 ? j * cellColumns + i - 1 : -1;
      const right = i < cellColumns ? j * cellColumns + i : -1;
      if (closedByPark(left, right)) {
        flush();
        path = [corner(i, j + 1)];
      } else path.push(corner(i, j + 1));
    }
    flush();
  }
  for (let j = 0; j < nv; j++) {
    let path: Pt[] = [corner(0, j)];
    const flush = () => {
      if (path.length > 1)
        for (const run of clipPolyline(path, outline))
          streetRuns.push({ path: run, name: vNames[j], arterial: vLines.arterial[j], family: 'v', index: j });
    };
    for (let i = 0; i + 1 < nu; i++) {
      const below = j > 0 ? (j - 1) * cellColumns + i : -1;
      const above = j < cellRows ? j * cellColumns + i : -1;
      if (closedByPark(below, above)) {
        flush();
        path = [corner(i + 1, j)];
      } else path.push(corner(i + 1, j));
    }
    flush();
  }
  return streetRuns.filter((run) => pathLength(run.path) >= 120);
}
