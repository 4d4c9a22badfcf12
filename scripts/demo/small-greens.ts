/**
 * Step 8, pocket parks (小游园) and micro-greens (微绿地). Why: the programme's own instruments are
 * small greens cut from compound corners along the street; pocket parks are dense in well-served
 * communities, sparse in moderate ones and absent from the gaps, while the gaps get micro-greens,
 * most of them below 400 m², so the minimum-area rule visibly matters there.
 */
import { bilinear, type Pt, type Ring, signedArea } from './geometry';
import type { Level } from './land-use';
import { greenName } from './names';
import type { GreenSpaces } from './parks';
import type { Random } from './random';
import { type Parcel, parcelPoint } from './residential';

/**
 * Carves pocket parks (`pocket-parks` stream) and micro-greens (`micro-greens` stream) from the
 * parcels of each community; carved parcels record their cut-out corner and `greens` gains the greens.
 */
export function carveSmallGreens(
  pocketRng: Random,
  microRng: Random,
  parcels: Parcel[],
  communityCells: number[][],
  communityLevel: Level[],
  green: GreenSpaces,
): void {
  const { bank: greenBank, greens, parkHash, microHash } = green;
  const parcelsByCommunity: Parcel[][] = communityCells.map(() => []);
  for (const parcel of parcels) parcelsByCommunity[parcel.community].push(parcel);
  const parcelCorner = (parcel: Parcel, cornerIndex: number): [number, number] => [
    cornerIndex === 1 || cornerIndex === 2 ? parcel.s1 : parcel.s0,
    cornerIndex >= 2 ? parcel.t1 : parcel.t0,
  ];
  const carve = (rand: Random, parcel: Parcel, areaSquareMeters: number): Ring | null => {
    // Corners on the block's edge (street side), block corners first.
    const options = [0, 1, 2, 3]
      .map((k) => {
        const [s, t] = parcelCorner(parcel, k);
        const onS = s === 0 || s === 1;
        const onT = t === 0 || t === 1;
        return { k, rank: onS && onT ? 0 : onS || onT ? 1 : 2 };
      })
      .filter((o) => o.rank < 2);
    const best = Math.min(...options.map((o) => o.rank));
    const choice = rand.pick(options.filter((o) => o.rank === best)).k;
    const aspect = rand.uniform(0.6, 1.6);
    const width = Math.sqrt(areaSquareMeters * aspect);
    const height = areaSquareMeters / width;
    const parcelWidth = (parcel.s1 - parcel.s0) * parcel.blockWidth;
    const parcelHeight = (parcel.t1 - parcel.t0) * parcel.blockHeight;
    if (width > 0.7 * parcelWidth || height > 0.7 * parcelHeight) return null;
    let alpha = width / parcelWidth;
    let beta = height / parcelHeight;
    const corners = () =>
      (
        [
          [0, 0],
          [alpha, 0],
          [alpha, beta],
          [0, beta],
        ] as Pt[]
      ).map(([sigma, tau]) => parcelPoint(parcel, choice, sigma, tau));
    // The block is not quite a rectangle: correct the size so the area is the one drawn.
    for (let k = 0; k < 3; k++) {
      const correction = Math.sqrt(areaSquareMeters / Math.abs(signedArea(corners())));
      alpha *= correction;
      beta *= correction;
    }
    parcel.carve = { corner: choice, alpha, beta };
    return corners();
  };
  const parcelCenter = (parcel: Parcel): Pt =>
    bilinear(parcel.block, (parcel.s0 + parcel.s1) / 2, (parcel.t0 + parcel.t1) / 2);
  const pocketDensity: Record<Level, number> = { well: 4, moderate: 2.2, gap: 0 };
  const microDensity: Record<Level, number> = { well: 2.4, moderate: 2.6, gap: 2.2 };
  const smallShare: Record<Level, number> = { well: 0.25, moderate: 0.3, gap: 0.75 };
  const parcelArea = (parcel: Parcel) =>
    (parcel.s1 - parcel.s0) * (parcel.t1 - parcel.t0) * parcel.blockWidth * parcel.blockHeight;
  communityCells.forEach((_, community) => {
    const level = communityLevel[community];
    const candidates = pocketRng.shuffle([...parcelsByCommunity[community]]);
    const residentialKm2 = candidates.reduce((sum, parcel) => sum + parcelArea(parcel), 0) / 1e6;
    let pockets = Math.round(pocketDensity[level] * residentialKm2 + pocketRng.uniform(-0.5, 0.5));
    let micros = Math.round(microDensity[level] * residentialKm2 + microRng.uniform(-0.5, 0.5));
    for (const parcel of candidates) {
      if (pockets <= 0) break;
      const center = parcelCenter(parcel);
      if (parkHash.near(center, 650, 1800)) continue;
      const areaSquareMeters = Math.round(Math.exp(pocketRng.uniform(Math.log(1100), Math.log(7800))));
      const ring = carve(pocketRng, parcel, areaSquareMeters);
      if (!ring) continue;
      greens.push({ kind: 'pocket_park', ring, name: greenName(greenBank, 'pocket_park') });
      parkHash.add(center);
      microHash.add(center);
      pockets--;
    }
    for (const parcel of candidates) {
      if (micros <= 0) break;
      if (parcel.carve) continue;
      const center = parcelCenter(parcel);
      if (microHash.near(center, 400, 400)) continue;
      const small = microRng.chance(smallShare[level]);
      const areaSquareMeters = Math.round(small ? microRng.uniform(110, 390) : microRng.uniform(420, 880));
      const ring = carve(microRng, parcel, areaSquareMeters);
      if (!ring) continue;
      greens.push({ kind: 'micro_green', ring, name: greenName(greenBank, 'micro_green') });
      microHash.add(center);
      micros--;
    }
  });
}
