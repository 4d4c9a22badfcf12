/**
 * Step 6, land use per cell and community service levels. Why: coverage is only interesting where
 * it is uneven; industrial belts (Chenghua's old eastern factory areas) from a noise field, schools
 * and empty land at random, the rest residential; and a second, smoother field of "renewal" ranks the
 * communities into well served, moderate and gaps (the lowest sixth), which the green steps follow.
 */

import type { Pt } from './geometry';
import { noiseField, type Random } from './random';

/** What a lattice cell is used for. */
export type Usage = 'residential' | 'industrial' | 'school' | 'empty' | 'park';
/** How well a community is served with green: decides the density of pocket parks and micro-greens. */
export type Level = 'well' | 'moderate' | 'gap';

/** The usage of every land cell (changed later by the parks step) and each community's level. */
export interface LandUse {
  usage: Map<number, Usage>;
  communityLevel: Level[];
}

/** Assigns land use and levels from the `land-use` stream. */
export function assignLandUse(
  landRng: Random,
  landCells: number[],
  centers: Map<number, Pt>,
  communityCells: number[][],
): LandUse {
  const industrialField = noiseField(landRng, 4, 3000, 7000);
  const renewalField = noiseField(landRng, 5, 5000, 11000);
  const usage = new Map<number, Usage>();
  const industrialValues = landCells.map((c) => industrialField(...centers.get(c)!)).sort((a, b) => a - b);
  const industrialThreshold = industrialValues[Math.floor(industrialValues.length * 0.88)];
  for (const c of landCells) {
    const value = industrialField(...centers.get(c)!);
    const roll = landRng.next();
    usage.set(
      c,
      value > industrialThreshold ? 'industrial' : roll < 0.05 ? 'school' : roll < 0.12 ? 'empty' : 'residential',
    );
  }

  // Community service levels from the renewal field: the lowest fifth are the gaps.
  const communityRenewal = communityCells.map(
    (cells) => cells.reduce((sum, c) => sum + renewalField(...centers.get(c)!), 0) / cells.length,
  );
  const renewalOrder = communityRenewal.map((value, k) => [value, k]).sort((a, b) => a[0] - b[0]);
  const communityLevel: Level[] = communityCells.map(() => 'moderate');
  renewalOrder.forEach(([, k], rank) => {
    const q = rank / renewalOrder.length;
    communityLevel[k] = q < 0.16 ? 'gap' : q >= 0.5 ? 'well' : 'moderate';
  });
  return { usage, communityLevel };
}

/** Every community keeps some homes: a community with no residential cell gets its first non-park cell. */
export function keepSomeHomes(usage: Map<number, Usage>, communityCells: number[][]): void {
  for (const cells of communityCells) {
    if (cells.some((c) => usage.get(c) === 'residential')) continue;
    const candidate = cells.find((c) => usage.get(c) !== 'park') ?? null;
    if (candidate !== null) usage.set(candidate, 'residential');
  }
}
