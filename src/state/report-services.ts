import type { BasemapState } from './basemap-controller';
import type { PlannerApp } from './planner-app';
import type { ReportLayout, ReportOptions } from './report-options';
import type { ReportScenario } from './report-scenario';
import type { ResultsView } from './results';
import type { Store } from './store';

/** The map of the report as an image at print resolution, and its scale. */
export interface ReportMapImage {
  /** A blob: URL of the PNG. */
  url: string;
  width: number;
  height: number;
  /** Metres per CSS pixel of the map frame at its centre, for the scale bar (null when unknown). */
  metresPerPixel: number | null;
}

/** The report's progress: the map image once drawn, `ready` once every part is in place. */
export interface ReportState {
  map: ReportMapImage | null;
  ready: boolean;
  error: string | null;
  /** The scenario the report shows (the link's `?scenario=`), or null for the baseline. */
  scenario: ReportScenario | null;
  /** The link's scenario when this browser does not hold it (the report shows the baseline and says so). */
  scenarioMissing: string | null;
}

/**
 * What the report's components are given by its composition root (src/app/report.tsx): the app and
 * the results view (as the planner's), the paper and layout, the report's own store, and where to
 * hand over the map's element (the root builds the print-resolution map there).
 */
export interface ReportServices {
  app: PlannerApp;
  results: ResultsView;
  options: ReportOptions;
  layout: ReportLayout;
  report: Store<ReportState>;
  attachMap: (container: HTMLElement | null) => void;
  /** The planner's basemap drawn under the map (credited in the sources). */
  basemap: Store<BasemapState>;
}
