/**
 * A deterministic synthetic demo district, modelled loosely on Chengdu's Chenghua district (成华区,
 * about 30.66°N 104.10°E, ~110 km²): an irregular outline, a slightly rotated and warped street grid,
 * blocks between the streets (most residential, some industrial, schools or empty land), ~80
 * communities (社区) tiling the district in ~12 sub-districts (街道), the Sha River (沙河) with its
 * greenway, community greenways, a few large parks, tens of pocket parks (小游园) and tens of
 * micro-green spaces (微绿地, some below 400 m²). Green is placed unevenly on purpose, so that some
 * neighbourhoods are well served and others are real gaps.
 *
 * Everything is synthetic: names are plausible, places are invented. The same seed and scale give
 * byte-identical output (a seeded mulberry32 PRNG, no Math.random). `scale` multiplies the area
 * (and so every feature count); see `residentialCellsAtScale` in the report of generate-demo.ts for
 * the scale a 1M-cell benchmark needs.
 *
 * Geometry is built in a local metric frame (x east, y north, metres) and converted to WGS84
 * [lng, lat] (RFC 7946: exterior rings counter-clockwise, holes clockwise, 7 decimals ≈ 1 cm).
 *
 * The generator runs in named steps, one file each under scripts/demo/ (each says why it exists):
 * outline → lattice → river → communities → subdistricts → land-use → parks → residential →
 * small-greens → streets → greenways → railway → network (streets cut at the river and railways,
 * bridges and crossings) → entrances → buildings → population, then output (metres → WGS84). Every step draws
 * from its own seeded stream (random.ts), so changing one step does not reshuffle the others.
 */

import type { Feature, LineString, Polygon } from 'geojson';
import { placeBuildings } from './demo/buildings';
import { layoutCommunities } from './demo/communities';
import { placeEntrances } from './demo/entrances';
import { clipPolyline } from './demo/geometry';
import { layGreenways } from './demo/greenways';
import { assignLandUse, keepSomeHomes } from './demo/land-use';
import { streetLattice } from './demo/lattice';
import { type NetworkStreet, walkableStreets } from './demo/network';
import { districtOutline } from './demo/outline';
import { collection, feature, lineFeature, pointFeature } from './demo/output';
import { placeLargeParks } from './demo/parks';
import { communityFeatures, residentialCompounds } from './demo/population';
import { layRailways } from './demo/railway';
import { Random } from './demo/random';
import { divideCompounds } from './demo/residential';
import { shaRiver } from './demo/river';
import { carveSmallGreens } from './demo/small-greens';
import { layStreets } from './demo/streets';
import { groupSubdistricts } from './demo/subdistricts';
import {
  type BarrierProperties,
  type DemoDistrict,
  type DemoDistrictOptions,
  defaultDemoScale,
  defaultDemoSeed,
  type StreetProperties,
} from './demo/types';
import { mulberry32 } from './seeded-random';

export * from './demo/types';
export { mulberry32 };

/** A street of the network as a feature: the map's `class` and OSM-style `highway`, `bridge`/`tunnel`, `layer`. */
function streetFeature(street: NetworkStreet): Feature<LineString, StreetProperties> {
  const properties: StreetProperties = {
    name: street.name.zh,
    name_en: street.name.en,
    class: street.arterial ? 'arterial' : 'local',
    highway: street.highway,
  };
  if (street.bridge) Object.assign(properties, { bridge: 'yes', layer: 1 });
  if (street.tunnel) Object.assign(properties, { tunnel: 'yes', layer: -1 });
  return lineFeature(street.path, properties);
}

/** Generates the district: the same seed and scale always give the same features. */
export function generateDistrict(options: DemoDistrictOptions = {}): DemoDistrict {
  const seed = (options.seed ?? defaultDemoSeed) >>> 0;
  const scale = options.scale ?? defaultDemoScale;
  if (!(scale > 0 && scale <= 200)) throw new RangeError(`scale must be in (0, 200], got ${scale}`);
  const rng = (label: string) => new Random(seed, label);

  const district = districtOutline(rng('outline'), scale);
  const lattice = streetLattice(rng('lattice'), district);
  const river = shaRiver(rng('river'), district, lattice);
  const communityRng = rng('communities');
  const community = layoutCommunities(communityRng, district, lattice, scale);
  const subdistricts = groupSubdistricts(rng('subdistricts'), community.cells, community.centers, scale);
  const { usage, communityLevel } = assignLandUse(
    rng('land-use'),
    community.landCells,
    community.centers,
    community.cells,
  );
  const riverCells = new Set<number>();
  for (const c of community.landCells) if (river.cellCrossesRiver(c)) riverCells.add(c);
  const green = placeLargeParks(
    rng('greens'),
    lattice,
    community.fullCells,
    community.owner,
    riverCells,
    usage,
    communityLevel,
    scale,
  );
  keepSomeHomes(usage, community.cells);
  const compounds = divideCompounds(
    rng('blocks'),
    lattice,
    community.landCells,
    community.owner,
    community.polys,
    usage,
    riverCells,
    river,
  );
  carveSmallGreens(rng('pocket-parks'), rng('micro-greens'), compounds.parcels, community.cells, communityLevel, green);
  const streets = layStreets(rng('streets'), lattice, district.outline, green.parkCellOf);
  const { greenways, lines: greenwayLines } = layGreenways(
    rng('greenways'),
    lattice,
    district.outline,
    river.line,
    streets,
    community.polys,
    communityLevel,
    scale,
  );
  const railways = layRailways(
    rng('railway'),
    lattice,
    district,
    river.line,
    green.parkCellOf,
    usage,
    greenwayLines,
    scale,
  );
  const network = walkableStreets(rng('crossings'), streets, river, railways, greenways);
  const entrances = placeEntrances(green.greens, network);
  const buildings = placeBuildings(rng('buildings'), compounds.parcels, communityLevel);
  const residential = residentialCompounds(compounds);
  const communities = communityFeatures(communityRng, rng('population'), community.polys, residential, subdistricts);

  return {
    seed,
    scale,
    district: collection([
      feature(district.districtPoly, {
        name: '成华示范区（虚构）',
        name_en: 'Chenghua demo district (synthetic)',
        synthetic: true as const,
        seed,
        scale,
      }),
    ]),
    communities: collection(communities),
    residential: collection(residential.map((r) => feature(r.poly, { id: r.id, name: `小区 ${r.id}` }))),
    streets: collection(network.map(streetFeature)),
    river: collection(river.polys.map((poly) => feature(poly, { name: '沙河', name_en: 'Sha River' }))),
    greenways: collection(
      greenways.map((g) => lineFeature(g.path, { name: g.name.zh, name_en: g.name.en, kind: 'greenway' as const })),
    ),
    greenspaces: collection(
      green.greens.map((g) => feature([g.ring], { name: g.name.zh, name_en: g.name.en, kind: g.kind })),
    ),
    barriers: collection<Polygon | LineString, BarrierProperties>([
      ...river.polys.map((poly) =>
        feature(poly, { name: '沙河', name_en: 'Sha River', waterway: 'river' as const, natural: 'water' as const }),
      ),
      ...clipPolyline(river.line, district.outline).map((run) =>
        lineFeature(run, { name: '沙河', name_en: 'Sha River', waterway: 'river' as const }),
      ),
      ...railways.flatMap((r) =>
        r.runs.map((run) => lineFeature(run, { name: r.name.zh, name_en: r.name.en, railway: 'rail' as const })),
      ),
    ]),
    entrances: collection(
      entrances.map((e) => {
        const g = green.greens[e.green];
        return pointFeature(e.at, {
          name: `${g.name.zh}${e.number}号门`,
          name_en: `${g.name.en} Gate ${e.number}`,
          greenspace: g.name.zh,
          kind: e.kind,
          entrance: e.number === 1 ? ('main' as const) : ('yes' as const),
          ...(e.kind === 'park' ? { barrier: 'gate' as const } : {}),
        });
      }),
    ),
    buildings: collection(
      buildings.map((b) => feature([b.ring], { building: 'apartments' as const, 'building:levels': b.levels })),
    ),
  };
}
