import { collectionBounds } from '../coverage/geometry';
import type { PlannerMap } from '../map/planner-map';
import type { BasemapState } from './basemap-controller';
import type { OsmImportState } from './osm-import';
import { osmPreview } from './osm-preview';
import type { AppState, PlannerApp } from './planner-app';
import type { ResultsState, ResultsView } from './results';
import type { ScenarioState } from './scenario';
import type { Store } from './store';

/**
 * How long a result may be out of date before its cells are drawn faded: a quick recompute (a rule
 * edited on a small data set) lands first, so the cells do not flash grey on every edit.
 */
export const outOfDateGraceMs = 250;

/**
 * State drives the map: subscribes to the app, the shown results and the scenario (swipe) and calls
 * PlannerMap, which knows nothing of the stores. Every camera move the app asks for (`cameraRequest`)
 * and the first fit to newly loaded data happen here.
 */
export class MapBinding {
  /** performance.now() when coverage was last drawn (tests and the bench read it). */
  drawnAt: number | null = null;
  /** Resolves once the planner's basemap last handed to the map has its layers in (the off-screen map waits for it). */
  basemapDrawn: Promise<void> = Promise.resolve();
  private drawnResult: unknown = null;
  private suggestionRequests = 0;
  private outOfDateTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly disposers: (() => void)[] = [];

  constructor(
    readonly map: PlannerMap,
    private readonly app: PlannerApp,
    results: ResultsView,
    private readonly scenarios: Store<ScenarioState> | null = null,
    basemap: Store<BasemapState> | null = null,
    osmImport: Store<OsmImportState> | null = null,
  ) {
    // The first computation waits for the map to draw the loaded data (bounded), so MapLibre's
    // one-time start-up does not stall the page while computing.
    app.mapDataDrawn = () => map.whenDataDrawn(3000);
    this.appChanged(app.store.get(), null);
    this.resultsChanged(results.get(), null);
    this.swipeChanged();
    this.disposers.push(
      app.store.subscribe((state, previous) => this.appChanged(state, previous)),
      results.store.subscribe((state, previous) => this.resultsChanged(state, previous)),
    );
    if (basemap) {
      // The planner's basemap (a checked PMTiles archive) under the app's layers, or none.
      if (basemap.get().basemap) this.basemapDrawn = map.setPlannerBasemap(basemap.get().basemap);
      this.disposers.push(
        basemap.subscribe((state, previous) => {
          if (state.basemap !== previous.basemap) this.basemapDrawn = map.setPlannerBasemap(state.basemap);
        }),
      );
    }
    if (osmImport) {
      // An extract's derived layers drawn over the map while its dialog shows them (once per derivation).
      this.previewChanged(osmImport.get());
      this.disposers.push(
        osmImport.subscribe((state, previous) => {
          if (
            state.derivation !== previous.derivation ||
            state.droppedLayers !== previous.droppedLayers ||
            state.phase !== previous.phase
          )
            this.previewChanged(state);
        }),
      );
    }
    if (scenarios)
      this.disposers.push(
        scenarios.subscribe((state, previous) => {
          this.swipeChanged();
          if (state.suggest.result !== previous.suggest.result || state.suggest.accepted !== previous.suggest.accepted)
            this.suggestionsChanged(state);
        }),
      );
  }

  private previewChanged(state: OsmImportState): void {
    void this.map.setPreview(osmPreview(state)?.layers ?? null);
  }

  /** Suggested sites not yet adopted, numbered on the map. */
  private suggestionsChanged(state: ScenarioState): void {
    const { result, accepted } = state.suggest;
    const sites = result?.sites.filter((site) => !accepted.includes(site.rank)) ?? [];
    const request = ++this.suggestionRequests;
    if (sites.length === 0) {
      this.map.setExtraLayers('suggestions', []);
      return;
    }
    // The markers' layers (deck.gl's text layer and its font atlas) load with the first suggestions.
    void import('../map/suggestion-layers').then(({ suggestionLayers }) => {
      if (request === this.suggestionRequests) this.map.setExtraLayers('suggestions', suggestionLayers(sites));
    });
  }

  private appChanged(state: AppState, previous: AppState | null): void {
    const map = this.map;
    if (state.data && state.data !== previous?.data) {
      const data = state.data;
      void map.setData(data).then(() => {
        if (state.view) return;
        const bounds = (data.district && collectionBounds(data.district)) ?? collectionBounds(data.communities);
        if (bounds) map.fitBounds(bounds, { animate: false, maxZoom: 14 });
      });
    }
    if (state.layers !== previous?.layers) map.setLayerVisibility(state.layers);
    if (state.language !== previous?.language) map.setLanguage(state.language);
    if (state.selectedCommunity !== previous?.selectedCommunity) map.highlightCommunity(state.selectedCommunity);
    if (state.selectedGap !== previous?.selectedGap) map.highlightGap(state.selectedGap);
    if (state.highlightedFeatures !== previous?.highlightedFeatures) map.highlightFeatures(state.highlightedFeatures);
    const camera = state.cameraRequest;
    // Only a request made while this map is up (a new map after a lost context does not replay old ones).
    if (camera?.view && previous && camera !== previous.cameraRequest) map.jumpTo(camera.view);
    else if (camera?.bbox && previous && camera !== previous.cameraRequest) {
      map.fitBounds(camera.bbox, {
        ...(camera.maxZoom !== undefined ? { maxZoom: camera.maxZoom } : {}),
        ...(camera.animate !== undefined ? { animate: camera.animate } : {}),
      });
    }
    if (state.baseline !== previous?.baseline) this.swipeChanged();
  }

  private resultsChanged(state: ResultsState, previous: ResultsState | null): void {
    const result = state.shown?.result ?? null;
    if (result !== this.drawnResult) {
      this.drawnResult = result;
      void this.map.setCoverage(result).then(() => {
        if (!result) return;
        this.drawnAt = performance.now();
        this.app.markDrawn(result);
      });
    }
    if (state.gaps !== previous?.gaps) this.map.setGaps(state.gaps);
    if (state.shown !== previous?.shown) this.outOfDateChanged(state);
  }

  /**
   * The shown result (and the baseline of the swipe) computed under rules since changed: their cells are
   * drawn faded once that has lasted `outOfDateGraceMs`. A current result takes the mark off its own
   * cells only: an out-of-date raster still drawn while the new one uploads stays faded until swapped out.
   */
  private outOfDateChanged(state: ResultsState): void {
    const results = [state.shown?.result ?? null, this.app.store.get().baseline];
    if (this.outOfDateTimer) clearTimeout(this.outOfDateTimer);
    this.outOfDateTimer = null;
    if (!state.shown?.outOfDate) {
      this.map.markCells(results, false);
      return;
    }
    this.outOfDateTimer = setTimeout(() => {
      this.outOfDateTimer = null;
      this.map.markCells(results, true);
    }, outOfDateGraceMs);
  }

  /** The swipe's left side is the baseline; off, the map gets null and frees its raster. */
  private swipeChanged(): void {
    const scenario = this.scenarios?.get();
    if (!scenario) return;
    this.map.setSwipeDivider(scenario.swipeDividerPercent);
    void this.map.setSwipeBaseline(scenario.swipe ? this.app.store.get().baseline : null);
  }

  /** Stops following the stores (the map is being replaced or destroyed). */
  dispose(): void {
    for (const dispose of this.disposers) dispose();
    if (this.outOfDateTimer) clearTimeout(this.outOfDateTimer);
    this.app.mapDataDrawn = null;
  }
}
