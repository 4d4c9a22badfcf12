/**
 * The demo district's public types and constants: options, the properties of every layer, the
 * layers in the order they are written, the default seed and scale, and the centre and area.
 */
import type { FeatureCollection, LineString, Point, Polygon } from 'geojson';

/** Options of `generateDistrict`. */
export interface DemoDistrictOptions {
  /** PRNG seed (unsigned 32-bit integer); default 2017, the year the programme began. */
  seed?: number;
  /** Area multiplier: 1 ≈ 110 km² (Chenghua), 10 ≈ 1,100 km². Feature counts scale with it. */
  scale?: number;
}

/** Properties of a community (社区): names, population, sub-district (街道). */
export interface CommunityProperties {
  name: string;
  name_en: string;
  population: number;
  subdistrict: string;
  subdistrict_en: string;
}
/** Properties of a residential compound (小区). */
export interface ResidentialProperties {
  id: number;
  name: string;
}
/**
 * Properties of a street (OSM-style tags besides the map's `class`): `bridge=yes` + `layer=1` over the
 * river or a railway, `tunnel=yes` + `layer=-1` under a railway; absent on the other streets.
 */
export interface StreetProperties {
  name: string;
  name_en: string;
  class: 'arterial' | 'local';
  highway: Highway;
  bridge?: 'yes';
  tunnel?: 'yes';
  layer?: 1 | -1;
}
/**
 * Properties of a barrier: the river's water (polygon, `waterway=river` + `natural=water`), its centreline
 * (line, `waterway=river`) or a railway (line, `railway=rail`).
 */
export interface BarrierProperties {
  name: string;
  name_en: string;
  waterway?: 'river';
  natural?: 'water';
  railway?: 'rail';
}
/** Properties of a building footprint (OSM-style): `building=apartments` and its number of storeys. */
export interface BuildingProperties {
  building: 'apartments';
  'building:levels': number;
}
/** Properties of an entrance (a point on a green space's boundary): OSM `entrance` and, for parks, `barrier=gate`. */
export interface EntranceProperties {
  name: string;
  name_en: string;
  /** Name of the green space it opens. */
  greenspace: string;
  kind: GreenspaceKind;
  entrance: 'main' | 'yes';
  barrier?: 'gate';
}
/** A Chinese name and its toneless pinyin / English form. */
export interface NamedProperties {
  name: string;
  name_en: string;
}
/** Properties of a greenway (绿道). */
export interface GreenwayProperties extends NamedProperties {
  kind: 'greenway';
}
/** The green-space kinds the demo has (the engine's `kind` values). */
export type GreenspaceKind = 'park' | 'pocket_park' | 'micro_green';
/** Properties of a green space. */
export interface GreenspaceProperties extends NamedProperties {
  kind: GreenspaceKind;
}
/** Properties of the district outline: the synthetic marker, seed and scale. */
export interface DistrictProperties extends NamedProperties {
  synthetic: true;
  seed: number;
  scale: number;
}

/** The generated district: one FeatureCollection per layer, in WGS84. */
export interface DemoDistrict {
  seed: number;
  scale: number;
  district: FeatureCollection<Polygon, DistrictProperties>;
  communities: FeatureCollection<Polygon, CommunityProperties>;
  residential: FeatureCollection<Polygon, ResidentialProperties>;
  streets: FeatureCollection<LineString, StreetProperties>;
  river: FeatureCollection<Polygon, NamedProperties>;
  greenways: FeatureCollection<LineString, GreenwayProperties>;
  greenspaces: FeatureCollection<Polygon, GreenspaceProperties>;
  barriers: FeatureCollection<Polygon | LineString, BarrierProperties>;
  entrances: FeatureCollection<Point, EntranceProperties>;
  buildings: FeatureCollection<Polygon, BuildingProperties>;
}

/** Layer names in the order they are written. */
export const demoLayers = [
  'district',
  'communities',
  'residential',
  'streets',
  'river',
  'greenways',
  'greenspaces',
  'barriers',
  'entrances',
  'buildings',
] as const;
/** A layer name of the demo district. */
export type DemoLayer = (typeof demoLayers)[number];

/** Default seed: 2017, the year the programme began. */
export const defaultDemoSeed = 2017;
/** Default scale: one Chenghua (~110 km²). */
export const defaultDemoScale = 1;
/** Centre of the district (Chenghua). */
export const demoCenter: [number, number] = [104.1, 30.66];
/** District area at scale 1, m². */
export const demoAreaSquareMeters = 110e6;

/** The OSM `highway` values the demo's streets carry. */
export type Highway = 'primary' | 'secondary' | 'residential';
