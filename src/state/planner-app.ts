import type { BoundingBox, CoverageLayers, CoverageProgress, CoverageResult, RuleSet } from '../coverage';
import { presetRules } from '../coverage';
import { InputError, type InputErrorJSON } from '../coverage/input-error';
import { CancelledError, type CoverageClient } from '../worker/coverage-client';
import { datasetSearch, shippedDatasets } from './datasets';
import { type DataSet, loadDataSet, loadDeferredLayers } from './load-data';
import { type RuleNumberKey, type RuleNumbers, ruleNumbers, rulesFor } from './rule-editing';
import { type RunInputs, resultStanding, runInputs } from './run-inputs';
import type { FeatureSelection } from './search-index';
import { Store } from './store';
import {
  defaultScreen,
  formatScreen,
  type Language,
  type LayerVisibility,
  type MapView,
  parseScreen,
  type ScreenState,
} from './url-state';

/** Columns of the community table. */
export type CommunitySortKey = 'name' | 'population' | 'green' | 'park' | 'both' | 'uncovered';

export type RunStatus = 'idle' | 'loading' | 'computing' | 'drawing' | 'ready' | 'error';

/**
 * A request to move the camera (`id` tells two equal requests apart): the map binding fits `bbox`, or
 * goes back to `view` (a camera kept from before, e.g. when a preview is closed).
 */
export type CameraRequest = { maxZoom?: number; animate?: boolean; id: number } & (
  | { bbox: BoundingBox; view?: undefined }
  | { view: MapView; bbox?: undefined }
);

/** The whole application state: the screen (what a link reproduces) plus data and the baseline result. */
export interface AppState extends ScreenState {
  rules: RuleSet;
  /** Why the edited numbers were refused (the last valid rules stay in force), or null. */
  ruleError: string | null;
  data: DataSet | null;
  loadedBytes: number;
  status: RunStatus;
  progress: CoverageProgress | null;
  error: string | null;
  /**
   * The error as the one input error type (`code` to translate, `values` for the message), or null for
   * an error without a code (its English `error` is then all there is to show).
   */
  errorDetail: InputErrorJSON | null;
  /** The full computation on the data and rules (no scenario feature); scenarios live in src/state/scenario.ts. */
  baseline: CoverageResult | null;
  /**
   * What `baseline` was computed from (set with it). Against the inputs in use now it says whether the
   * baseline still holds, is out of date (other rules) or void (other layers or cells): `run-inputs.ts`.
   */
  baselineInputs: RunInputs | null;
  sort: { key: CommunitySortKey; descending: boolean };
  /** Milliseconds from page start to the first coverage drawn. */
  firstDrawnMs: number | null;
  cameraRequest: CameraRequest | null;
  /** Features outlined on the map (a search's green space, greenway or street), or null. */
  highlightedFeatures: FeatureSelection | null;
}

/**
 * The application's state and actions: loads the data set, runs coverage in the worker when rules
 * change (a newer run cancels the older), keeps the URL in step and exposes readiness on
 * `<html data-coverage>` ("loading" → "computing" → "drawing" → "ready").
 */
export class PlannerApp {
  readonly store: Store<AppState>;
  private runId = 0;
  private cameraRequests = 0;
  /**
   * Resolves once the map has drawn newly loaded data (the map view sets it): the first computation
   * waits for it, so the map's one-time start-up work does not stall the page while computing.
   */
  mapDataDrawn: (() => Promise<void>) | null = null;
  private urlTimer: ReturnType<typeof setTimeout> | null = null;
  /** The deferred layers (buildings) loading, or null before they are asked for. */
  private deferredLoad: Promise<void> | null = null;
  /** Whether the URL follows the screen (the kiosk turns this off: its URL stays as configured). */
  syncUrl = true;

  /**
   * The address's query as the page was opened: the app rewrites the address as its state changes, so
   * what the link asked for (`?cell=`, `?layer:ROLE=`, `?scenario=`) is read from here, not from `location`.
   */
  readonly openedSearch: string;

  constructor(
    readonly client: CoverageClient,
    search = location.search,
    browserLanguage = navigator.language,
  ) {
    this.openedSearch = search;
    const screen = parseScreen(search, defaultScreen(browserLanguage));
    this.store = new Store<AppState>({
      ...screen,
      rules: rulesFor(screen.presetId, screen.numbers),
      ruleError: null,
      data: null,
      loadedBytes: 0,
      status: 'idle',
      progress: null,
      error: null,
      errorDetail: null,
      baseline: null,
      baselineInputs: null,
      sort: { key: 'uncovered', descending: true },
      firstDrawnMs: null,
      cameraRequest: null,
      highlightedFeatures: null,
    });
    this.store.subscribe((state, previous) => {
      if (screenChanged(state, previous)) this.scheduleUrl();
      if (state.status !== previous.status) document.documentElement.dataset.coverage = state.status;
    });
    document.documentElement.lang = screen.language === 'zh' ? 'zh-CN' : 'en';
  }

  /**
   * Loads the data set named by the screen, lets `restore` put the planner's own layers in place of its
   * layers (the import controller), then computes coverage.
   */
  async start(restore: (data: DataSet) => Promise<DataSet> = async (data) => data): Promise<void> {
    const { dataPath } = this.store.get();
    this.store.set({ status: 'loading' });
    this.client.warm();
    try {
      const loaded = await loadDataSet(
        new URL(dataPath, document.baseURI).href,
        (bytes) => this.store.set({ loadedBytes: bytes }),
        shippedDatasets.find((dataset) => dataset.path === dataPath)?.layers,
      );
      performance.mark('greenreach:data-loaded');
      // The planner's own layers (IndexedDB, `?layer:ROLE=url.fgb`) replace the data set's.
      const data = await restore(loaded);
      performance.mark('greenreach:layers-restored');
      const suggested = data.manifest?.cellMeters;
      const fromUrl = new URLSearchParams(this.openedSearch).has('cell');
      this.store.set({
        data,
        ...(typeof suggested === 'number' && !fromUrl ? { cellMeters: suggested } : {}),
      });
      // Residents of a population layer are spread by the buildings' floor area: load them first then.
      if (data.population) void this.loadDeferred(dataPath);
      // Let the map draw the data first (set by the map view; a bounded wait), while the layers are
      // already on their way to the worker (with a population layer they wait for the buildings).
      else this.client.preload(this.coverageLayers());
      // The computation does not wait for the map: the worker computes while the map draws the data,
      // and the cells are drawn once both are done.
      const mapDrawn = (this.mapDataDrawn?.() ?? Promise.resolve()).then(() =>
        // Marks of the start-up's steps, for `npm run bench:app` (the user timing entries stay tiny).
        performance.mark('greenreach:map-drawn'),
      );
      await Promise.all([this.compute(), mapDrawn]);
      void this.loadDeferred(dataPath);
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Loads the layers drawn only at high zoom (buildings) once the first answer is on screen (or before
   * it, with a population layer: they weigh its residents); once.
   */
  private loadDeferred(dataPath: string): Promise<void> {
    this.deferredLoad ??= this.fetchDeferred(dataPath);
    return this.deferredLoad;
  }

  private async fetchDeferred(dataPath: string): Promise<void> {
    try {
      const layers = await loadDeferredLayers(new URL(dataPath, document.baseURI).href);
      const { data } = this.store.get();
      // Layers the planner replaced meanwhile (an OSM extract brings its own buildings) stay as they are.
      if (!data || this.store.get().dataPath !== dataPath || data.buildings) return;
      if (layers.buildings) this.store.set({ data: { ...data, buildings: layers.buildings } });
    } catch (error) {
      console.warn('GreenReach: buildings not loaded', error);
    }
  }

  /**
   * Shows a failure. A failed computation also clears the baseline: its figures were computed on other
   * data or rules and no longer hold, so the summary, table, gaps and cells must not stay beside the error.
   */
  private fail(error: unknown): void {
    console.warn('GreenReach:', error);
    this.store.set({
      status: 'error',
      error: error instanceof Error ? error.message : String(error),
      errorDetail: error instanceof InputError ? error.toJSON() : null,
      baseline: null,
      baselineInputs: null,
      selectedGap: null,
    });
  }

  /** The engine's input from the current data and rules (the same collection objects each time). */
  private coverageLayers(): CoverageLayers {
    const { data, rules } = this.store.get();
    return {
      communities: data!.communities,
      residential: data!.residential,
      greenways: data!.greenways,
      greenspaces: data!.greenspaces,
      // The walking network goes to the worker only when the rules walk (it is the largest layer).
      ...(rules.distance === 'network'
        ? { streets: data!.streets, barriers: data!.barriers, entrances: data!.entrances }
        : {}),
      ...(data!.population ? { population: data!.population, buildings: data!.buildings } : {}),
    };
  }

  /** Runs the engine in the worker on the current data and rules; cancels a run in flight. */
  async compute(): Promise<void> {
    if (!this.store.get().data) return;
    const runId = ++this.runId;
    this.store.set({
      status: 'computing',
      progress: { phase: 'prepare', fraction: 0 },
      error: null,
      errorDetail: null,
    });
    // A population layer is spread by floor area, as the CLI spreads it with --buildings: the figures
    // wait for the data set's buildings (drawn only at high zoom, so loaded after the first answer).
    if (this.store.get().data?.population) {
      await this.loadDeferred(this.store.get().dataPath);
      if (runId !== this.runId) return;
    }
    const { data, rules, cellMeters } = this.store.get();
    if (!data) return;
    const layers = this.coverageLayers();
    const inputs = runInputs(this.store.get());
    try {
      const result = await this.client.compute(layers, rules, cellMeters, {
        onProgress: (progress) => {
          if (runId === this.runId) this.store.set({ progress });
        },
      });
      if (runId !== this.runId) return;
      this.store.set({
        status: 'drawing',
        baseline: result,
        baselineInputs: inputs,
        progress: { phase: 'park', fraction: 1 },
      });
    } catch (error) {
      if (error instanceof CancelledError || runId !== this.runId) return;
      this.fail(error);
    }
  }

  /** The map drew `result`: coverage is on screen. */
  markDrawn(result: CoverageResult): void {
    const state = this.store.get();
    if (state.baseline !== result || state.status !== 'drawing') return;
    this.store.set({ status: 'ready', firstDrawnMs: state.firstDrawnMs ?? performance.now() });
  }

  /** Asks the map to show `bbox` (the map binding fits it clear of the panels). */
  focus(bbox: BoundingBox, options: { maxZoom?: number; animate?: boolean } = {}): void {
    this.store.set({ cameraRequest: { bbox, ...options, id: ++this.cameraRequests } });
  }

  /** Asks the map to go back to `view` at once (a camera kept before a preview moved it). */
  returnTo(view: MapView): void {
    this.store.set({ cameraRequest: { view, id: ++this.cameraRequests } });
  }

  /** Replaces engine layers (the planner's imported files, or the demo's again) and recomputes. */
  replaceLayers(patch: Partial<Omit<DataSet, 'bytes'>>): void {
    const { data } = this.store.get();
    if (!data) return;
    this.changeInputs({
      data: { ...data, ...patch },
      selectedCommunity: null,
      selectedGap: null,
      highlightedFeatures: null,
    });
    void this.compute();
  }

  /**
   * Changes the data, rules or cells in one update. When the baseline no longer describes the new
   * layers or grid (`void`), it goes in the same update: no subscriber (map, panels, scenario) ever sees
   * the new data beside the old data's cells and figures. Other rules on the same grid keep it, shown
   * out of date (`ResultsView`), until the new result lands.
   */
  private changeInputs(patch: Partial<AppState>): void {
    this.store.set((state) => {
      const standing = resultStanding(state.baselineInputs, runInputs({ ...state, ...patch }));
      return standing === 'void' && state.baseline
        ? { ...patch, baseline: null, baselineInputs: null, selectedGap: null }
        : patch;
    });
  }

  /** Chooses a preset: its numbers replace the edited ones; recomputes. */
  setPreset(presetId: string): void {
    const rules = presetRules(presetId);
    this.changeInputs({ presetId, numbers: ruleNumbers(rules), rules, ruleError: null, selectedGap: null });
    void this.compute();
  }

  /** Edits one rule number; recomputes when the rules are valid, else shows why not. */
  setRuleNumber(key: RuleNumberKey, value: number): void {
    this.editRules({ ...this.store.get().numbers, [key]: value });
  }

  /** Measures distance in a straight line or along the streets (walking distance); recomputes. */
  setDistance(distance: RuleNumbers['distance']): void {
    this.editRules({ ...this.store.get().numbers, distance });
  }

  private editRules(numbers: RuleNumbers): void {
    try {
      const rules = rulesFor(this.store.get().presetId, numbers);
      this.changeInputs({ numbers, rules, ruleError: null, selectedGap: null });
      void this.compute();
    } catch (error) {
      this.store.set({ numbers, ruleError: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Changes the grid cell size (metres); recomputes. */
  setCellMeters(cellMeters: number): void {
    if (!(cellMeters >= 10 && cellMeters <= 500)) {
      this.store.set({ ruleError: `cell size must be 10–500 m, got ${cellMeters}` });
      return;
    }
    this.changeInputs({ cellMeters, ruleError: null, selectedGap: null });
    void this.compute();
  }

  setLanguage(language: Language): void {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    this.store.set({ language });
  }

  setLayer(name: keyof LayerVisibility, visible: boolean): void {
    this.store.set((state) => ({ layers: { ...state.layers, [name]: visible } }));
  }

  selectCommunity(community: number | null): void {
    this.store.set({ selectedCommunity: community });
  }

  selectGap(rank: number | null): void {
    this.store.set({ selectedGap: rank });
  }

  /** Outlines features of a map layer (what a search found), or none. */
  highlightFeatures(selection: FeatureSelection | null): void {
    this.store.set({ highlightedFeatures: selection });
  }

  setView(view: MapView): void {
    this.store.set({ view });
  }

  setSort(key: CommunitySortKey): void {
    this.store.set((state) => ({
      sort: { key, descending: state.sort.key === key ? !state.sort.descending : key !== 'name' },
    }));
  }

  private scheduleUrl(): void {
    if (!this.syncUrl) return;
    if (this.urlTimer) clearTimeout(this.urlTimer);
    this.urlTimer = setTimeout(() => {
      this.urlTimer = null;
      const search = formatScreen(this.store.get());
      if (search !== location.search) history.replaceState(null, '', `${location.pathname}${search}${location.hash}`);
    }, 150);
  }

  /** Opens another data set (a shipped one, by its `data/<name>/` path): the page loads it afresh. */
  openDataset(path: string): void {
    if (path === this.store.get().dataPath) return;
    location.assign(`${location.pathname}${datasetSearch(formatScreen(this.store.get()), path)}`);
  }

  /** The current screen as a URL search string (what "copy link" copies). */
  screenSearch(): string {
    return formatScreen(this.store.get());
  }
}

const screenKeys: (keyof ScreenState)[] = [
  'language',
  'presetId',
  'numbers',
  'cellMeters',
  'layers',
  'view',
  'selectedCommunity',
  'selectedGap',
  'dataPath',
  'scenarioId',
  'importedRoles',
  'basemapUrl',
];

function screenChanged(state: AppState, previous: AppState): boolean {
  return screenKeys.some((key) => state[key] !== previous[key]);
}
