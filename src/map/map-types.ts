import type { FeatureCollection } from 'geojson';
import type { PMTiles } from 'pmtiles';
import type { CellState } from '../theme/cell-colors';

/**
 * The types the map is handed, defined here so that `src/map` imports no app folder: the app's own
 * types (`DataSet`, `Language`, `LayerVisibility`, `MapView` in `src/state`) satisfy them as they are.
 */

/** What the map draws of a data set: the context layers and the green features. */
export interface MapData {
  communities: FeatureCollection;
  greenways: FeatureCollection;
  greenspaces: FeatureCollection;
  district: FeatureCollection | null;
  streets: FeatureCollection | null;
  river: FeatureCollection | null;
  /** Rivers, water and railways (the walking network's barriers), drawn as the basemap's water and rail. */
  barriers?: FeatureCollection | null;
  /** Building footprints, drawn at high zoom. */
  buildings?: FeatureCollection | null;
  /** A basemap derived from an OpenStreetMap extract (features with a `class`); replaces streets and buildings on the map. */
  basemap?: FeatureCollection | null;
}

/** A basemap the planner supplies: a PMTiles archive, opened and checked (src/io/pmtiles-archive.ts). */
export interface MapPlannerBasemap {
  /** The archive's key for the `pmtiles://` protocol (unique per opening). */
  key: string;
  archive: PMTiles;
  /** `[west, south, east, north]` in degrees: no tile is asked for outside. */
  bounds: [number, number, number, number];
  minZoom: number;
  maxZoom: number;
}

/** Features of one of the map's layers, by index (what a search found, outlined on the map). */
export interface MapFeatureSelection {
  layer: 'greenspaces' | 'greenways' | 'streets';
  indexes: readonly number[];
}

/** The labels' language: community names are `name` in Chinese, `name_en` in English. */
export type MapLanguage = 'zh' | 'en';

/** Which map layers are visible. */
export interface MapLayerVisibility {
  cells: boolean;
  /** Only cells that miss a rule (the gap view). */
  gapsOnly: boolean;
  /** Walking distance: colour cells by what the walk changes against the straight line. */
  walkDifference: boolean;
  greenways: boolean;
  greenspaces: boolean;
  communities: boolean;
  streets: boolean;
}

/** Where the map looks: its centre and zoom. */
export interface MapCamera {
  longitude: number;
  latitude: number;
  zoom: number;
}

/** What is under the pointer: a residential cell and its two distances. */
export interface CellInfo {
  /** Position of the cell in the result's per-cell arrays. */
  cell: number;
  state: CellState;
  greenMeters: number | null;
  parkMeters: number | null;
  /** Walking distance: the straight-line distances beside the walks (`greenMeters`, `parkMeters`); else null. */
  greenStraightMeters: number | null;
  parkStraightMeters: number | null;
  /** Walking distance: no walkable street within the snap distance. */
  offNetwork: boolean;
  reachMeters: { green: number | null; park: number | null };
  community: number;
  /** Gap area rank, or -1. */
  gap: number;
  /** The pointer is on the swipe's baseline side: these are the baseline's figures. */
  baseline: boolean;
}

/** A green feature or a community under the pointer, as plain text fields. */
export interface FeatureInfo {
  layer: 'greenspaces' | 'greenways' | 'communities';
  name: string;
  kind: string;
}

/** The layers a preview of not yet used layers can hold (an OpenStreetMap extract's derived layers). */
export type MapPreviewLayer =
  | 'basemap'
  | 'residential'
  | 'buildings'
  | 'barriers'
  | 'streets'
  | 'greenspaces'
  | 'greenways'
  | 'communities'
  | 'entrances';

/**
 * Layers drawn over the map before they are used, by name (a layer absent is not drawn): a collection,
 * or the URL of its GeoJSON (a Blob URL: MapLibre's worker fetches and parses it, the page clones nothing).
 */
export type MapPreview = Partial<Record<MapPreviewLayer, FeatureCollection | string>>;
