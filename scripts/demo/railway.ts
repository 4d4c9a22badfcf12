/**
 * Step 12, railways. Why: a railway with few crossings is, with the river, what makes the walk
 * longer than the straight line (issue 11), and Chenghua's railways run through its old industrial
 * east. A railway takes the place of one arterial lattice line (so no block, compound or green space
 * is cut: blocks are inset 20 m from an arterial's centreline), 600 m or more from the river, clear
 * of parks (on a large district, the longest such stretch of the line, at least 6 km or half the
 * district's height), preferably on a line without a community greenway (a greenway there runs
 * beside the track); its street is not built where the railway runs (step 13).
 */
import { clipPolyline, type Pt, pathLength, SpatialHash } from './geometry';
import type { Usage } from './land-use';
import type { Lattice } from './lattice';
import { NameBank } from './names';
import type { DistrictOutline } from './outline';
import type { Random } from './random';

/** A railway along lattice line `u{index}`. */
export interface Railway {
  /** The u lattice line it follows. */
  index: number;
  /** Its stretch of the lattice line (a whole line runs past the district at both ends). */
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
  const { uLines, nu, corner, cellColumns, cellRows } = lattice;
  const bank = new NameBank(railwayRng);
  const riverHash = new SpatialHash(600);
  for (const p of riverLine) riverHash.add(p);
  const clearOfRiver = (p: Pt) => !riverHash.near(p, 600, 600);
  const minimumLength = Math.min(0.5 * (district.maxY - district.minY), 6000);
  const candidates: { index: number; line: Pt[]; runs: Pt[][]; industrial: number; greenway: boolean }[] = [];
  for (let i = 1; i + 1 < nu; i++) {
    if (!uLines.arterial[i]) continue;
    // The longest stretch of the line (lattice segments j → j + 1) clear of parks and of the river.
    let best = { from: 0, to: -1 };
    let from = 0;
    for (let j = 0; j <= cellRows; j++) {
      const left = j * cellColumns + i - 1;
      const right = j * cellColumns + i;
      const ok =
        j < cellRows &&
        !(parkCellOf.has(left) && parkCellOf.get(left) === parkCellOf.get(right)) &&
        clearOfRiver(corner(i, j)) &&
        clearOfRiver(corner(i, j + 1));
      if (ok) continue;
      if (j - 1 - from > best.to - best.from) best = { from, to: j - 1 };
      from = j + 1;
    }
    if (best.to < best.from) continue;
    const line: Pt[] = [];
    for (let j = best.from; j <= best.to + 1; j++) line.push(corner(i, j));
    const runs = clipPolyline(line, district.outline);
    if (runs.reduce((sum, run) => sum + pathLength(run), 0) < minimumLength) continue;
    let industrial = 0;
    for (let j = best.from; j <= best.to; j++) {
      if (usage.get(j * cellColumns + i - 1) === 'industrial') industrial++;
      if (usage.get(j * cellColumns + i) === 'industrial') industrial++;
    }
    candidates.push({ index: i, line, runs, industrial, greenway: greenwayLines.has(`u${i}`) });
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
    // Lines without a community greenway first (on a large district most lines have one).
    const free = left.filter((c) => !c.greenway);
    const choice = railwayRng.pick((free.length > 0 ? free : left).slice(0, 3));
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
