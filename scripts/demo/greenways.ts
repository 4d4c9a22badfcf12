/**
 * Step 10, greenways (绿道). Why: greenways count as green for the 300 m rule and are what Chengdu
 * built most of; the Sha River greenway follows the east bank 40 m from the centreline, and community
 * greenways run along a few streets beside the carriageway (never in the gap communities).
 */
import { clipPolyline, offsetPolyline, type Poly, type Pt, pathLength, pointInRing, type Ring } from './geometry';
import type { Level } from './land-use';
import { arterialHalfWidth, type Lattice, localHalfWidth } from './lattice';
import type { Random } from './random';
import type { StreetRun } from './streets';

/** A greenway in metres. */
export interface Greenway {
  path: Pt[];
  name: { zh: string; en: string };
}

/** The greenways and the lattice lines (`u3`, `v17`: family and index) the community greenways follow. */
export interface Greenways {
  greenways: Greenway[];
  lines: Set<string>;
}

/** Lays the riverside greenway and about 16 community greenways per unit of scale (`greenways` stream). */
export function layGreenways(
  greenwayRng: Random,
  lattice: Lattice,
  outline: Ring,
  riverLine: Pt[],
  streets: StreetRun[],
  communityPolys: Poly[],
  communityLevel: Level[],
  scale: number,
): Greenways {
  const { nu, nv } = lattice;
  const greenwayFeatures: Greenway[] = [];
  const riverside = clipPolyline(offsetPolyline(riverLine, -40), outline).filter((run) => pathLength(run) > 300);
  riverside.forEach((path, k) => {
    const part = riverside.length > 1 ? `（${k + 1}段）` : '';
    const partEn = riverside.length > 1 ? ` (section ${k + 1})` : '';
    greenwayFeatures.push({ path, name: { zh: `沙河绿道${part}`, en: `Sha River Greenway${partEn}` } });
  });
  const greenwayTarget = Math.max(2, Math.round(16 * scale));
  const usedStreets = new Set<string>();
  const communityAt = (p: Pt): number => {
    for (let k = 0; k < communityPolys.length; k++) if (pointInRing(p, communityPolys[k][0])) return k;
    return -1;
  };
  for (let attempt = 0, placed = 0; placed < greenwayTarget && attempt < greenwayTarget * 50; attempt++) {
    const family = greenwayRng.chance(0.5) ? 'u' : 'v';
    const index = greenwayRng.int(0, (family === 'u' ? nu : nv) - 1);
    const key = `${family}${index}`;
    if (usedStreets.has(key)) continue;
    const candidates = streets.filter((run) => run.family === family && run.index === index && run.path.length >= 5);
    if (candidates.length === 0) continue;
    const run = greenwayRng.pick(candidates);
    const count = Math.min(run.path.length, greenwayRng.int(7, 13));
    const start = greenwayRng.int(0, run.path.length - count);
    const piece = run.path.slice(start, start + count);
    const middle = piece[Math.floor(piece.length / 2)];
    const home = communityAt(middle);
    if (home < 0 || communityLevel[home] === 'gap') continue;
    const side = greenwayRng.chance(0.5) ? 1 : -1;
    const halfWidth = run.arterial ? arterialHalfWidth : localHalfWidth;
    const path = clipPolyline(offsetPolyline(piece, side * (halfWidth - 3)), outline)[0];
    if (!path || pathLength(path) < 600) continue;
    usedStreets.add(key);
    greenwayFeatures.push({ path, name: { zh: `${run.name.zh}社区绿道`, en: `${run.name.en} Community Greenway` } });
    placed++;
  }
  return { greenways: greenwayFeatures, lines: usedStreets };
}
