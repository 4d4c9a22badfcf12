import type { CellInfo, FeatureInfo } from '../map/planner-map';
import type { BasemapController } from './basemap-controller';
import type { ImportController } from './import-controller';
import type { MeasureController } from './measure';
import type { OsmImportController } from './osm-import';
import type { PlannerApp } from './planner-app';
import type { ProjectController } from './project-controller';
import type { ResultsView } from './results';
import type { ScenarioController } from './scenario';
import type { SearchController } from './search-controller';
import type { Store } from './store';

/** What the pointer is over on the map (the hover read-out). */
export interface HoverState {
  cell: CellInfo | null;
  feature: FeatureInfo | null;
}

/** What the scenario panel may ask of the map's drawing tool (no-ops while there is no map). */
export interface DrawActions {
  finishGreenway(): void;
  /** Selects a feature as a click on it does, and pans the map to it when it is off screen. */
  selectFeature(key: string): void;
  deleteSelectedVertex(): void;
}

/** The map on screen, for the PNG export: its element and its scale at the centre. */
export interface MapSnapshot {
  container: HTMLElement;
  metresPerPixel: number | null;
}

/** A map drawn off screen at a chosen size (the PNG export): its canvas, device pixels per CSS pixel, scale. */
export interface RenderedMap {
  canvas: HTMLCanvasElement;
  pixelRatio: number;
  metresPerPixel: number | null;
  /** `[west, south, east, north]` the canvas shows edge to edge (Web Mercator), when known. */
  bounds?: [number, number, number, number];
}

/**
 * Everything the planner's components are given (created once by the composition root,
 * src/app/planner.tsx): components read stores and call actions, and never construct any of these.
 */
export interface PlannerServices {
  app: PlannerApp;
  imports: ImportController;
  osmImport: OsmImportController;
  /** A basemap the planner supplies (PMTiles file or URL). */
  basemap: BasemapController;
  scenarios: ScenarioController;
  results: ResultsView;
  hover: Store<HoverState>;
  /** The header's search by name. */
  search?: SearchController;
  /** The distance and area tool. */
  measure?: MeasureController;
  /** Save and open the whole working state as one file. */
  project?: ProjectController;
  draw: DrawActions;
  /** The map view hands its element over (null when it unmounts); the root builds the map in it. */
  attachMap: (container: HTMLElement | null) => void;
  mapSnapshot: () => MapSnapshot | null;
  /**
   * Draws the shown result at `width` × `height` pixels on a map of its own, fitted to what the screen's
   * map shows, clear of `insets` (CSS pixels of that map, e.g. the legend's column).
   */
  renderMap?: (size: {
    width: number;
    height: number;
    insets: (cssWidth: number, cssHeight: number) => { top: number; right: number; bottom: number; left: number };
  }) => Promise<RenderedMap>;
}
