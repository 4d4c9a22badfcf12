/**
 * Step 12, railways. Why: a railway with few crossings is, with the river, what makes the walk
 * longer than the straight line (issue 11), and Chenghua's railways run through its old industrial
 * east. A railway takes the place of one arterial lattice line (so no block, compound or green space
 * is cut: blocks are inset 20 m from an arterial's centreline), far from the river, clear of parks
 * and of the lines that carry a community greenway; its street is not built (step 13).
 */
import { clipPolyline, distance, type Pt, pathLength } from './geometry';
import type { Usage } from './land-use';
import type { Lattice } from './lattice';
import { NameBank } from './names';
import type { DistrictOutline } from './outline';
import type { Random } from './random';

/** A railway along lattice line `u{index}`. */
export interface Railway {
  /** The u lattice line it follows. */
  index: number;
  /** The whole lattice line (it runs past the district at both ends). */
  line: Pt[];
  /** The parts inside the district. */
  runs: Pt[][];
  name: { zh: string; en: string };
}

/**
 * About one railway per unit of scale (at least one where a line qualifies), from the `railway`
 * stream: among the qualifying arterial u lines, those beside the most industrial blocks first.
 */
export function layRailways(
  railwayRng: Random,
  lattice: Lattice,
  district: DistrictOutline,
  riverLine: Pt[],
  parkCellOf: Map<number, number>,
  usage: Map<number, Usage>,
  greenwayLines: Set<string>,
  scale: number,
): Railway[] {
  const { uLines, nu, nv, corner, cellColumns, cellRows } = lattice;
  const bank = new NameBank(railwayRng);
  const candidates: { index: number; line: Pt[]; runs: Pt[][]; industrial: number }[] = [];
  for (let i = 1; i + 1 < nu; i++) {
    if (!uLines.arterial[i] || greenwayLines.has(`u${i}`)) continue;
    let straddlesPark = false;
    let industrial = 0;
    for (let j = 0; j < cellRows; j++) {
      const left = j * cellColumns + i - 1;
      const right = j * cellColumns + i;
      if (parkCellOf.has(left) && parkCellOf.get(left) === parkCellOf.get(right)) straddlesPark = true;
      if (usage.get(left) === 'industrial') industrial++;
      if (usage.get(right) === 'industrial') industrial++;
    }
    if (straddlesPark) continue;
    const line: Pt[] = [];
    for (let j = 0; j < nv; j++) line.push(corner(i, j));
    const runs = clipPolyline(line, district.outline);
    const inside = runs.reduce((sum, run) => sum + pathLength(run), 0);
    if (inside < 0.5 * (district.maxY - district.minY)) continue;
    const nearRiver = runs.some((run) => run.some((p) => riverLine.some((q) => distance(p, q) < 600)));
    if (nearRiver) continue;
    candidates.push({ index: i, line, runs, industrial });
  }
  candidates.sort((a, b) => b.industrial - a.industrial || a.index - b.index);
  const target = Math.max(1, Math.round(scale));
  const railways: Railway[] = [];
  // Spread out: a railway every ~2 km at least, chosen among the three most industrial left.
  while (railways.length < target) {
    const left = candidates.filter((c) =>
      railways.every((r) => Math.abs(uLines.positions[r.index] - uLines.positions[c.index]) > 2000),
    );
    if (left.length === 0) break;
    const choice = railwayRng.pick(left.slice(0, 3));
    const stem = bank.next();
    railways.push({
      index: choice.index,
      line: choice.line,
      runs: choice.runs,
      name: { zh: `${stem.zh}铁路`, en: `${stem.en} Railway` },
    });
  }
  return railways;
}
