/**
 * Step 5, sub-districts (街道). Why: communities are grouped into sub-districts in Chengdu's
 * administration and the community table shows them; about 12 per 110 km², grown around communities
 * spread out by farthest-point sampling, so each sub-district is a compact group of neighbours.
 */
import { distance, type Pt } from './geometry';
import { NameBank } from './names';
import type { Random } from './random';

/** The sub-district of every community and each sub-district's name stem. */
export interface Subdistricts {
  /** Index into `names` for every community. */
  communitySubdistrict: number[];
  names: { zh: string; en: string }[];
}

/** Groups the communities (their cells, with the cell centres) from the `subdistricts` stream. */
export function groupSubdistricts(
  subdistrictRng: Random,
  communityCells: number[][],
  centers: Map<number, Pt>,
  scale: number,
): Subdistricts {
  const communityCenters = communityCells.map((cells) => {
    let x = 0;
    let y = 0;
    for (const c of cells) {
      const p = centers.get(c)!;
      x += p[0];
      y += p[1];
    }
    return [x / cells.length, y / cells.length] as Pt;
  });
  const subdistrictCount = Math.max(1, Math.min(communityCells.length, Math.round(12 * scale)));
  const subdistrictSeeds = [subdistrictRng.int(0, communityCells.length - 1)];
  const nearestSeedDistance = communityCenters.map((p) => distance(p, communityCenters[subdistrictSeeds[0]]));
  while (subdistrictSeeds.length < subdistrictCount) {
    let best = 0;
    for (let k = 1; k < communityCenters.length; k++) if (nearestSeedDistance[k] > nearestSeedDistance[best]) best = k;
    subdistrictSeeds.push(best);
    communityCenters.forEach((p, k) => {
      nearestSeedDistance[k] = Math.min(nearestSeedDistance[k], distance(p, communityCenters[best]));
    });
  }
  const communitySubdistrict = communityCenters.map((p) => {
    let best = 0;
    subdistrictSeeds.forEach((s, k) => {
      if (distance(p, communityCenters[s]) < distance(p, communityCenters[subdistrictSeeds[best]])) best = k;
    });
    return best;
  });
  const subdistrictBank = new NameBank(subdistrictRng);
  const subdistrictNames = subdistrictSeeds.map(() => subdistrictBank.next());
  return { communitySubdistrict, names: subdistrictNames };
}
