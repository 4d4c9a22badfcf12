/**
 * Step 11, compounds as residential land and the communities' names and population. Why: the
 * coverage figures are population-weighted, so each community gets a plausible count from its
 * residential land (~20,000 residents per km², varied per community), kept within 5,000–25,000 as
 * Chengdu's communities are; names come last so that the earlier steps never shift them.
 */
import type { Feature, Polygon } from 'geojson';
import { type Poly, polyArea } from './geometry';
import { NameBank } from './names';
import { feature } from './output';
import type { Random } from './random';
import { type Compounds, parcelRing } from './residential';
import type { Subdistricts } from './subdistricts';
import type { CommunityProperties } from './types';

/** A residential compound ready to write: id (= its name 小区 id), community and outline. */
export interface ResidentialCompound {
  id: number;
  community: number;
  poly: Poly;
}

/** Every compound, parcels with their carved corners and free-form blocks, ordered by id. */
export function residentialCompounds({ parcels, freeBlocks }: Compounds): ResidentialCompound[] {
  const residentialRings: ResidentialCompound[] = [];
  for (const parcel of parcels) {
    const ring = parcelRing(parcel);
    residentialRings.push({ id: parcel.id, community: parcel.community, poly: [ring] });
  }
  for (const block of freeBlocks) residentialRings.push(block);
  residentialRings.sort((a, b) => a.id - b.id);
  return residentialRings;
}

/**
 * The communities as features: names from the `communities` stream (after its seeds), population
 * from the `population` stream.
 */
export function communityFeatures(
  communityRng: Random,
  populationRng: Random,
  communityPolys: Poly[],
  compounds: ResidentialCompound[],
  subdistricts: Subdistricts,
): Feature<Polygon, CommunityProperties>[] {
  const { communitySubdistrict, names: subdistrictNames } = subdistricts;
  const residentialArea = communityPolys.map(() => 0);
  for (const r of compounds) residentialArea[r.community] += polyArea(r.poly);
  const communityNameBank = new NameBank(communityRng);
  return communityPolys.map((poly, k) => {
    const name = communityNameBank.next();
    const density = 20000 * populationRng.uniform(0.7, 1.3);
    const raw = (residentialArea[k] / 1e6) * density;
    // Outside the plausible range, spread over its top or bottom rather than piling up at the limit.
    const population = Math.round(
      raw > 24000 ? populationRng.uniform(21500, 25000) : raw < 6000 ? populationRng.uniform(5000, 7500) : raw,
    );
    const subdistrict = subdistrictNames[communitySubdistrict[k]];
    return feature(poly, {
      name: `${name.zh}社区`,
      name_en: name.en,
      population,
      subdistrict: `${subdistrict.zh}街道`,
      subdistrict_en: subdistrict.en,
    });
  });
}
