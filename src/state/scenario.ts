import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { CoverageResult, CoverageTotals, GreenKind } from '../coverage';
import type { SuggestProgress, SuggestResult } from '../coverage/suggest';
import { boxFeature, type SiteSpec, siteSpec, squareSite } from '../coverage/suggest-sites';
import { CancelledError } from '../worker/coverage-client';
import type { EditOperation } from '../worker/protocol';
import {
  type CandidateLayer,
  type CandidateSource,
  candidateErrorMessage,
  candidateRecord,
  checkCandidateLayer,
  gridBounds,
  restoreCandidateRecord,
} from './candidate-layer';
import { readFileInWorker } from './import-client';
import type { AppState, PlannerApp } from './planner-app';
import { type SavedScenario, ScenarioDb, type ScenarioFeature, type ScenarioFigures } from './scenario-db';
import { Store } from './store';

export type { CandidateLayer, CandidateSource } from './candidate-layer';
export type { SavedScenario, ScenarioFeature, ScenarioFigures } from './scenario-db';

/** The map tool in use: none (pan the map), select/move, place a pocket park, draw a greenway. */
export type DrawMode = 'pan' | 'select' | 'park' | 'greenway';

export interface SuggestState {
  running: boolean;
  fraction: number;
  count: number;
  result: SuggestResult | null;
  /** Ranks of the sites already accepted as edits. */
  accepted: number[];
  error: string | null;
  source: CandidateSource;
  /** The imported candidate layer (saved in IndexedDB with `source`, restored at start-up). */
  layer: CandidateLayer | null;
  /** A candidate file is being read. */
  layerLoading: boolean;
  /** The saved candidate layer is being read at start-up (the panel and suggestions work meanwhile). */
  layerRestoring: boolean;
  /** Why the last candidate file was refused (file, feature, problem). */
  layerError: string | null;
}

/** A vertex of the selected feature: the index path of its ring or line and its index there (see src/map/vertex-handles.ts). */
export interface SelectedVertex {
  path: number[];
  index: number;
}

export interface ScenarioState {
  /** Every scenario of this data set (the active one with its current features). */
  scenarios: SavedScenario[];
  activeId: string | null;
  /** The active scenario's features (what the worker is brought to). */
  features: ScenarioFeature[];
  selectedKey: string | null;
  /** The vertex of the selected feature last pressed (reshaping); Delete removes it. */
  selectedVertex: SelectedVertex | null;
  /**
   * Why the last reshaping step (a drag position, a key press) was refused, shown in the panel until the next
   * accepted one: `crossing`, the polygon's outline would cross itself (or another of its rings).
   */
  reshapeRefused: 'crossing' | null;
  mode: DrawMode;
  canUndo: boolean;
  canRedo: boolean;
  /** The full computation without any scenario feature. */
  baseline: CoverageResult | null;
  /** The worker's result with the scenario's features (the baseline when it has none). */
  result: CoverageResult | null;
  /** Positions in `result.cellIndex` whose verdict differs from the baseline's. */
  changedCells: Uint32Array | null;
  /** Whether the worker has every feature of `features` (no edit pending or in flight). */
  synced: boolean;
  /** Engine milliseconds of the last edit (`timingsMs.edit`). */
  lastEditMs: number | null;
  editCount: number;
  error: string | null;
  suggest: SuggestState;
  /** The map and summary show the baseline instead of the scenario (a before/after toggle). */
  showBaseline: boolean;
  /**
   * Swipe comparison: the map shows the baseline left of a divider and the scenario right of it, while
   * the summary and tables stay on the scenario. Never on together with `showBaseline`.
   */
  swipe: boolean;
  /** The swipe divider, in percent of the map's width from its left edge. */
  swipeDividerPercent: number;
}

/** What tests read from `window.__greenreach.scenario`. */
export interface ScenarioHook {
  controller: ScenarioController;
  /** The GeoJSON of the last feature added (as sent to the worker). */
  lastAdded: ScenarioFeature | null;
  /** Engine time of every edit so far (ms, from the worker's `timingsMs.edit`). */
  editTimesMs: number[];
}

const activeKey = 'greenreach.activeScenario';
const historyLimit = 200;

let keyCounter = 0;
function newKey(): string {
  keyCounter++;
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${keyCounter}`;
}

/** Difference of two totals (scenario − baseline) in residents (null without population) and cells. */
export function totalsGain(
  baseline: CoverageTotals,
  scenario: CoverageTotals,
): { residents: number | null; cells: number } {
  return {
    residents:
      baseline.populationMeetingBoth !== null && scenario.populationMeetingBoth !== null
        ? Math.round((scenario.populationMeetingBoth - baseline.populationMeetingBoth) * 10) / 10
        : null,
    cells: scenario.cellsMeetingBoth - baseline.cellsMeetingBoth,
  };
}

export function rulesKey(result: CoverageResult): string {
  return JSON.stringify([result.rules, result.grid.cellMeters]);
}

/**
 * Scenario editing: the active scenario's features, undo/redo, the worker kept in step with
 * incremental `edit` operations (only the latest desired state is sent: while a shape is dragged,
 * intermediate positions that were not sent yet are dropped), IndexedDB autosave, and suggested sites.
 *
 * The app's `result` becomes the scenario's result (summary panel, table and map follow it); the
 * baseline (the full computation) is kept here to show the change.
 */
export class ScenarioController {
  readonly store: Store<ScenarioState>;
  readonly hook: ScenarioHook;
  private readonly db = new ScenarioDb();
  /** What the worker's model holds beyond the baseline: scenario key → worker feature id and the GeoJSON sent. */
  private readonly applied = new Map<string, { featureId: number; feature: Feature }>();
  private readonly ownResults = new WeakSet<CoverageResult>();
  private undoStack: ScenarioFeature[][] = [];
  private redoStack: ScenarioFeature[][] = [];
  private generation = 0;
  private inFlight = false;
  private frame = 0;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private suggestAbort: AbortController | null = null;
  private loaded = false;
  /** A drag is in progress (`preview` without `commit` yet). */
  private previewing = false;
  /** When the app (summary, table, cell colours) last got a scenario result, and the one held back. */
  private lastAppPush = 0;
  private heldResult: CoverageResult | null = null;
  private appTimer: ReturnType<typeof setTimeout> | null = null;
  /** Counts the planner's candidate changes (load, source, forget): a restore that finds it moved is dropped. */
  private candidateChanges = 0;
  /** The last candidate layer write (put or delete); writes are chained so they land in order. */
  private candidateWrite: Promise<void> = Promise.resolve();

  constructor(readonly app: PlannerApp) {
    this.store = new Store<ScenarioState>({
      scenarios: [],
      activeId: null,
      features: [],
      selectedKey: null,
      selectedVertex: null,
      reshapeRefused: null,
      mode: 'pan',
      canUndo: false,
      canRedo: false,
      baseline: null,
      result: null,
      changedCells: null,
      synced: true,
      lastEditMs: null,
      editCount: 0,
      error: null,
      suggest: {
        running: false,
        fraction: 0,
        count: 5,
        result: null,
        accepted: [],
        error: null,
        source: 'land',
        layer: null,
        layerLoading: false,
        layerRestoring: true,
        layerError: null,
      },
      showBaseline: false,
      swipe: false,
      swipeDividerPercent: 50,
    });
    this.hook = { controller: this, lastAdded: null, editTimesMs: [] };
    const publish = () => {
      if (window.__greenreach) window.__greenreach.scenario = this.hook;
    };
    publish();
    app.store.subscribe((state, previous) => {
      publish();
      this.appChanged(state, previous);
    });
    this.appChanged(app.store.get(), null);
    addEventListener('pagehide', () => this.flushSave());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.flushSave();
    });
    void this.load();
    void this.restoreCandidateLayer();
  }

  private appChanged(state: AppState, previous: AppState | null): void {
    if (
      state.result &&
      state.result !== previous?.result &&
      !this.ownResults.has(state.result) &&
      state.result !== this.store.get().baseline
    ) {
      // A full computation: the worker's model no longer holds any scenario feature.
      this.generation++;
      this.inFlight = false;
      this.applied.clear();
      this.cancelSuggest();
      this.store.set((s) => ({
        baseline: state.result,
        result: state.result,
        changedCells: null,
        showBaseline: false,
        synced: s.features.length === 0,
        suggest: { ...s.suggest, result: null, accepted: [] },
      }));
    }
    if (state.status === 'ready' && previous?.status !== 'ready') this.scheduleSync();
    if (state.dataPath !== previous?.dataPath && previous) void this.load();
  }

  // ---- persistence ----

  private async load(): Promise<void> {
    const dataPath = this.app.store.get().dataPath;
    let scenarios: SavedScenario[] = [];
    try {
      scenarios = await this.db.list(dataPath);
    } catch (error) {
      console.warn('GreenReach: scenarios cannot be loaded', error);
    }
    if (scenarios.length === 0) scenarios = [this.blankScenario(1)];
    const wanted = localStorage.getItem(activeKey);
    const active = scenarios.find((scenario) => scenario.id === wanted) ?? scenarios[scenarios.length - 1];
    this.loaded = true;
    this.undoStack = [];
    this.redoStack = [];
    this.store.set({
      scenarios,
      activeId: active.id,
      features: active.features,
      selectedKey: null,
      selectedVertex: null,
      reshapeRefused: null,
      canUndo: false,
      canRedo: false,
      synced: active.features.length === 0 && this.applied.size === 0,
    });
    this.scheduleSync();
  }

  private blankScenario(number: number): SavedScenario {
    const language = this.app.store.get().language;
    return {
      id: `${Date.now().toString(36).padStart(9, '0')}-${Math.random().toString(36).slice(2, 6)}`,
      name: language === 'zh' ? `方案 ${number}` : `Scenario ${number}`,
      dataPath: this.app.store.get().dataPath,
      features: [],
      figures: null,
      updatedAt: Date.now(),
    };
  }

  private activeScenario(): SavedScenario | undefined {
    const { scenarios, activeId } = this.store.get();
    return scenarios.find((scenario) => scenario.id === activeId);
  }

  /** Writes the active scenario (features and figures) into the list and schedules an IndexedDB save. */
  private updateActive(): void {
    const state = this.store.get();
    const active = this.activeScenario();
    if (!active) return;
    const figures: ScenarioFigures | null =
      state.synced && state.baseline && state.result
        ? {
            rulesKey: rulesKey(state.result),
            baseline: state.baseline.summary.city,
            scenario: state.result.summary.city,
          }
        : active.figures;
    const updated: SavedScenario = { ...active, features: state.features, figures, updatedAt: Date.now() };
    this.store.set({ scenarios: state.scenarios.map((scenario) => (scenario.id === active.id ? updated : scenario)) });
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flushSave(), 300);
  }

  /** Saves the active scenario now (the debounced autosave, or on page hide). */
  flushSave(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const active = this.activeScenario();
    if (!active || !this.loaded) return Promise.resolve();
    localStorage.setItem(activeKey, active.id);
    return this.db.put(active).catch((error) => console.warn('GreenReach: scenario not saved', error));
  }

  newScenario(): void {
    void this.flushSave();
    const scenario = this.blankScenario(this.store.get().scenarios.length + 1);
    this.store.set((s) => ({ scenarios: [...s.scenarios, scenario] }));
    this.switchTo(scenario.id);
  }

  switchTo(id: string): void {
    const scenario = this.store.get().scenarios.find((candidate) => candidate.id === id);
    if (!scenario) return;
    void this.flushSave();
    this.undoStack = [];
    this.redoStack = [];
    this.store.set({
      activeId: id,
      features: scenario.features,
      selectedKey: null,
      selectedVertex: null,
      reshapeRefused: null,
      canUndo: false,
      canRedo: false,
      synced: false,
    });
    localStorage.setItem(activeKey, id);
    this.scheduleSave();
    this.scheduleSync();
  }

  rename(name: string): void {
    const { activeId } = this.store.get();
    this.store.set((s) => ({
      scenarios: s.scenarios.map((scenario) => (scenario.id === activeId ? { ...scenario, name } : scenario)),
    }));
    this.scheduleSave();
  }

  async deleteScenario(id: string): Promise<void> {
    await this.db.delete(id).catch(() => undefined);
    const remaining = this.store.get().scenarios.filter((scenario) => scenario.id !== id);
    if (remaining.length === 0) remaining.push(this.blankScenario(1));
    this.store.set({ scenarios: remaining });
    if (this.store.get().activeId === id || !remaining.some((s) => s.id === this.store.get().activeId)) {
      this.switchTo(remaining[remaining.length - 1].id);
    }
  }

  // ---- editing ----

  setMode(mode: DrawMode): void {
    this.store.set({
      mode,
      reshapeRefused: null,
      ...(mode === 'park' || mode === 'greenway' ? { selectedKey: null, selectedVertex: null } : {}),
    });
  }

  select(key: string | null): void {
    if (key === this.store.get().selectedKey) return;
    this.store.set({ selectedKey: key, selectedVertex: null, reshapeRefused: null });
  }

  /**
   * Selects a feature as a click on it with the select tool does: the select tool (its handles shown), the
   * feature selected, no vertex yet. Drawing tools are left (a greenway being drawn is dropped, as on Escape).
   */
  selectFeature(key: string): void {
    if (!this.store.get().features.some((f) => f.key === key)) return;
    if (this.store.get().mode !== 'select') this.setMode('select');
    this.select(key);
    this.selectVertex(null);
  }

  /** Marks a vertex of the selected feature (null: none). */
  selectVertex(vertex: SelectedVertex | null): void {
    this.store.set({ selectedVertex: vertex });
  }

  /** Records why a reshaping step was refused (null: the last step was accepted); the panel shows it. */
  setReshapeRefused(reason: ScenarioState['reshapeRefused']): void {
    if (this.store.get().reshapeRefused !== reason) this.store.set({ reshapeRefused: reason });
  }

  /** The pocket park a click places: kind and size from the rules. */
  siteSpec(): SiteSpec | null {
    const result = this.store.get().baseline;
    return result ? siteSpec(result) : null;
  }

  /** Replaces the features as one undoable step. */
  commit(features: ScenarioFeature[], before = this.store.get().features): void {
    if (features === before && features === this.store.get().features) return;
    this.previewing = false;
    if (this.appTimer && this.heldResult) {
      clearTimeout(this.appTimer);
      this.appTimer = null;
      this.pushToApp(this.heldResult, this.generation);
    }
    this.undoStack.push(before);
    if (this.undoStack.length > historyLimit) this.undoStack.shift();
    this.redoStack = [];
    this.setFeatures(features);
  }

  /** Replaces the features without a history step (a drag in progress; `commit` ends it). */
  preview(features: ScenarioFeature[]): void {
    this.previewing = true;
    this.setFeatures(features);
  }

  /** Ends a drag without a history step, back at `features` (the drag was cancelled). */
  revertPreview(features: ScenarioFeature[]): void {
    this.previewing = false;
    this.setFeatures(features);
  }

  private setFeatures(features: ScenarioFeature[], keepVertex = true): void {
    const { selectedKey, selectedVertex } = this.store.get();
    const keep = selectedKey !== null && features.some((f) => f.key === selectedKey);
    this.store.set({
      features,
      synced: false,
      canUndo: this.undoStack.length > 0,
      canRedo: this.redoStack.length > 0,
      selectedKey: keep ? selectedKey : null,
      selectedVertex: keep && keepVertex ? selectedVertex : null,
      ...(keepVertex ? {} : { reshapeRefused: null }),
    });
    this.updateActive();
    this.scheduleSync();
  }

  undo(): void {
    const previous = this.undoStack.pop();
    if (!previous) return;
    this.redoStack.push(this.store.get().features);
    this.setFeatures(previous, false);
  }

  redo(): void {
    const next = this.redoStack.pop();
    if (!next) return;
    this.undoStack.push(this.store.get().features);
    this.setFeatures(next, false);
  }

  /** Adds a feature (one undo step); returns its key. */
  add(layer: ScenarioFeature['layer'], feature: Feature): string {
    const key = newKey();
    const item: ScenarioFeature = { key, layer, feature };
    this.hook.lastAdded = item;
    this.commit([...this.store.get().features, item]);
    this.store.set({ selectedKey: key });
    return key;
  }

  /** A pocket park (square of the rules' park minimum area) centred on a point. */
  addPocketPark(longitude: number, latitude: number, name = ''): string | null {
    const spec = this.siteSpec();
    if (!spec) return null;
    const feature = squareSite(longitude, latitude, spec.sideMeters, spec.kind);
    feature.properties = { kind: spec.kind, name };
    return this.add('greenspaces', feature);
  }

  /** A rectangular green area between two corners (a pocket park unless `kind` says otherwise). */
  addRectangle(a: Position, b: Position, kind?: GreenKind): string | null {
    const spec = this.siteSpec();
    const round = (value: number) => Math.round(value * 1e7) / 1e7;
    const [west, east] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])].map(round);
    const [south, north] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])].map(round);
    if (west === east || south === north) return null;
    return this.add(
      'greenspaces',
      boxFeature(west, south, east, north, { kind: kind ?? spec?.kind ?? 'pocket_park', name: '' }),
    );
  }

  addGreenway(points: Position[], name = ''): string | null {
    if (points.length < 2) return null;
    const coordinates = points.map(([x, y]) => [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7]);
    return this.add('greenways', {
      type: 'Feature',
      properties: { kind: 'greenway', name },
      geometry: { type: 'LineString', coordinates },
    });
  }

  remove(key: string | null = this.store.get().selectedKey): void {
    if (!key) return;
    this.commit(this.store.get().features.filter((f) => f.key !== key));
  }

  /** Sets the name and/or kind of a feature (one undo step). */
  setProperties(key: string, properties: { name?: string; kind?: string }): void {
    const features = this.store
      .get()
      .features.map((f) =>
        f.key === key ? { ...f, feature: { ...f.feature, properties: { ...f.feature.properties, ...properties } } } : f,
      );
    this.commit(features);
  }

  /** The features with one of them translated by (dx, dy) degrees from `origin` (the features when the drag began). */
  static moved(origin: ScenarioFeature[], key: string, dx: number, dy: number): ScenarioFeature[] {
    const round = (value: number) => Math.round(value * 1e7) / 1e7;
    const shift = (value: unknown): unknown =>
      Array.isArray(value) && typeof value[0] === 'number'
        ? [round(value[0] + dx), round((value[1] as number) + dy)]
        : Array.isArray(value)
          ? value.map(shift)
          : value;
    return origin.map((f) => {
      if (f.key !== key || !f.feature.geometry || !('coordinates' in f.feature.geometry)) return f;
      const geometry = { ...f.feature.geometry, coordinates: shift(f.feature.geometry.coordinates) } as Geometry;
      return { ...f, feature: { ...f.feature, geometry } };
    });
  }

  /** The features with one feature's geometry replaced (a reshape: vertices moved, inserted or deleted). */
  static withGeometry(features: ScenarioFeature[], key: string, geometry: Geometry): ScenarioFeature[] {
    return features.map((f) => (f.key === key ? { ...f, feature: { ...f.feature, geometry } } : f));
  }

  // ---- the worker ----

  private scheduleSync(): void {
    if (this.frame) return;
    const run = () => {
      this.frame = 0;
      void this.sync();
    };
    // Edits go out at most once per animation frame; a hidden page gets no frames, so fall back to a timer.
    this.frame =
      document.visibilityState === 'visible' ? requestAnimationFrame(run) : (setTimeout(run, 16) as unknown as number);
  }

  private async sync(): Promise<void> {
    const appState = this.app.store.get();
    const { baseline, features } = this.store.get();
    if (this.inFlight || !this.loaded || !baseline || appState.status !== 'ready') return;
    const client = this.app.client;
    const operations: EditOperation[] = [];
    const desired = new Map(features.map((f) => [f.key, f]));
    const removed: string[] = [];
    for (const [key, applied] of this.applied) {
      if (desired.get(key)?.feature !== applied.feature) {
        operations.push({ op: 'remove', featureId: applied.featureId });
        removed.push(key);
      }
    }
    let nextId = client.firstFeatureIdFree;
    const added: [string, number, Feature][] = [];
    for (const f of features) {
      if (this.applied.get(f.key)?.feature === f.feature) continue;
      const featureId = nextId++;
      operations.push({ op: 'add', layer: f.layer, feature: f.feature, featureId });
      added.push([f.key, featureId, f.feature]);
    }
    if (operations.length === 0) {
      if (!this.store.get().synced) {
        this.store.set({ synced: true });
        this.updateActive();
      }
      return;
    }
    this.inFlight = true;
    const generation = this.generation;
    this.cancelSuggest();
    try {
      const result = await client.edit(operations);
      if (generation !== this.generation) return;
      for (const key of removed) this.applied.delete(key);
      for (const [key, featureId, feature] of added) this.applied.set(key, { featureId, feature });
      // The status line and the test hook read `compute`: it stays the baseline's (an edit adds `edit`).
      result.timingsMs = { ...baseline.timingsMs, ...result.timingsMs };
      this.ownResults.add(result);
      const editMs = result.timingsMs.edit ?? null;
      if (editMs !== null) {
        this.hook.editTimesMs.push(editMs);
        if (this.hook.editTimesMs.length > 1000) this.hook.editTimesMs.shift();
      }
      const current = this.store.get().features;
      const synced =
        current.length === this.applied.size && current.every((f) => this.applied.get(f.key)?.feature === f.feature);
      this.store.set((s) => ({
        result,
        changedCells: changedCells(baseline, result),
        lastEditMs: editMs,
        editCount: s.editCount + 1,
        synced,
        error: null,
      }));
      this.pushToApp(result, generation);
      if (synced) this.updateActive();
    } catch (error) {
      if (generation !== this.generation || error instanceof CancelledError) return;
      // The worker may hold part of the operations: rebuild from a full computation, then re-apply.
      this.store.set({ error: error instanceof Error ? error.message : String(error) });
      console.warn('GreenReach: scenario edit failed', error);
    } finally {
      if (generation === this.generation) {
        this.inFlight = false;
        if (!this.store.get().error) this.scheduleSync();
      }
    }
  }

  /**
   * Hands a scenario result to the app (summary, community table, cell colours). While a shape is dragged
   * the scenario's own figures and changed-cell outline follow every frame, but the app's full redraw
   * (every cell's colour, every table row) is held to five times a second; the last result always lands.
   */
  private pushToApp(result: CoverageResult, generation: number): void {
    const push = (latest: CoverageResult) => {
      this.heldResult = null;
      if (generation !== this.generation || this.app.store.get().status !== 'ready') return;
      if (this.store.get().showBaseline) return;
      this.lastAppPush = performance.now();
      this.app.store.set({ result: latest });
    };
    const wait = 200 - (performance.now() - this.lastAppPush);
    if (!this.previewing || wait <= 0) {
      if (this.appTimer) clearTimeout(this.appTimer);
      this.appTimer = null;
      push(result);
      return;
    }
    this.heldResult = result;
    this.appTimer ??= setTimeout(() => {
      this.appTimer = null;
      if (this.heldResult) push(this.heldResult);
    }, wait);
  }

  /** Shows the baseline (true) or the scenario (false) on the map and in the summary; ends a swipe. */
  setShowBaseline(showBaseline: boolean): void {
    const { baseline, result } = this.store.get();
    this.store.set(showBaseline ? { showBaseline, swipe: false } : { showBaseline });
    const shown = showBaseline ? baseline : result;
    if (shown && this.app.store.get().status === 'ready') this.app.store.set({ result: shown });
  }

  /**
   * Turns the swipe comparison on or off. On, it ends the before/after toggle first, so the app (summary,
   * tables, the map's right side) shows the scenario again.
   */
  setSwipe(swipe: boolean): void {
    if (swipe && this.store.get().showBaseline) this.setShowBaseline(false);
    this.store.set({ swipe });
  }

  /** Moves the swipe divider (percent of the map's width, clamped to 0–100). */
  setSwipeDividerPercent(percent: number): void {
    const clamped = Math.min(100, Math.max(0, percent));
    if (Number.isFinite(clamped)) this.store.set({ swipeDividerPercent: clamped });
  }

  // ---- suggested sites ----

  setSuggestCount(count: number): void {
    this.store.set((s) => ({ suggest: { ...s.suggest, count: Math.max(1, Math.min(50, Math.round(count) || 1)) } }));
  }

  /** Where the next suggestion takes its candidates from (saved with the candidate layer). */
  setCandidateSource(source: CandidateSource): void {
    this.store.set((s) => ({ suggest: { ...s.suggest, source } }));
    const { layer } = this.store.get().suggest;
    if (!layer) return;
    this.candidateChanges++;
    this.saveCandidateLayer(layer, source);
  }

  /**
   * Reads the saved candidate layer (if any) into the state, without holding up the start-up. A record that
   * is corrupt or of another format is ignored with a console warning; a layer the planner loaded (or a
   * source chosen) while the record was being read wins over it.
   */
  private async restoreCandidateLayer(): Promise<void> {
    const changesBefore = this.candidateChanges;
    let record: unknown = null;
    try {
      record = await this.db.getCandidateLayer();
    } catch (error) {
      console.warn('GreenReach: the saved candidate layer cannot be read', error);
    }
    const restored = record === null ? null : restoreCandidateRecord(record);
    if (restored instanceof Error)
      console.warn(`GreenReach: the saved candidate layer is ignored: ${restored.message}`);
    const usable = restored && !(restored instanceof Error) && this.candidateChanges === changesBefore;
    this.store.set((s) => ({
      suggest: usable
        ? { ...s.suggest, layer: restored.layer, source: restored.source, layerRestoring: false }
        : { ...s.suggest, layerRestoring: false },
    }));
  }

  /** Saves the candidate layer and source (one record, replacing the previous), after any earlier write. */
  private saveCandidateLayer(layer: CandidateLayer, source: CandidateSource): void {
    const record = candidateRecord(layer, source);
    this.candidateWrite = this.candidateWrite
      .then(() => this.db.putCandidateLayer(record))
      .catch((error) => console.warn('GreenReach: the candidate layer is not saved', error));
  }

  /** Resolves once the candidate layer's last change is written to IndexedDB (or failed with a warning). */
  candidateLayerSaved(): Promise<void> {
    return this.candidateWrite;
  }

  /**
   * Reads a candidate file (GeoJSON, FlatGeobuf, zipped Shapefile or CSV of points) in an import worker,
   * checks it (points or polygons, longitude/latitude, something inside the study area) and makes it the
   * candidate source. A bad file leaves the previous layer and sets `layerError` (file, feature, problem).
   */
  async loadCandidateFile(file: Blob & { name: string }): Promise<CandidateLayer | null> {
    this.store.set((s) => ({ suggest: { ...s.suggest, layerLoading: true, layerError: null } }));
    try {
      const read = await readFileInWorker(file, {});
      const grid = this.store.get().baseline?.grid;
      const layer = checkCandidateLayer(read.collection, file.name, grid ? gridBounds(grid) : null);
      // Only an accepted file counts as a change: a refused one leaves the (restored) layer in place.
      this.candidateChanges++;
      this.store.set((s) => ({
        suggest: { ...s.suggest, layer, source: 'layer', layerLoading: false, layerError: null },
      }));
      this.saveCandidateLayer(layer, 'layer');
      return layer;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.store.set((s) => ({ suggest: { ...s.suggest, layerLoading: false, layerError: message } }));
      return null;
    }
  }

  /**
   * Forgets the imported candidate layer, here and in IndexedDB (suggestions go back to non-residential land).
   */
  forgetCandidateLayer(): void {
    this.candidateChanges++;
    this.store.set((s) => ({ suggest: { ...s.suggest, layer: null, source: 'land', layerError: null } }));
    this.candidateWrite = this.candidateWrite
      .then(() => this.db.deleteCandidateLayer())
      .catch((error) => console.warn('GreenReach: the saved candidate layer is not removed', error));
  }

  async suggest(count = this.store.get().suggest.count): Promise<SuggestResult | null> {
    this.cancelSuggest();
    const { source, layer } = this.store.get().suggest;
    if (source === 'layer' && !layer) {
      this.store.set((s) => ({ suggest: { ...s.suggest, error: 'choose a candidate file first' } }));
      return null;
    }
    const candidates = source === 'layer' ? layer : null;
    const abort = new AbortController();
    this.suggestAbort = abort;
    this.store.set((s) => ({
      suggest: { ...s.suggest, count, running: true, fraction: 0, result: null, accepted: [], error: null },
    }));
    try {
      const result = await this.app.client.suggest(count, {
        candidates: candidates?.collection ?? null,
        signal: abort.signal,
        onProgress: (progress: SuggestProgress) => {
          if (this.suggestAbort === abort)
            this.store.set((s) => ({ suggest: { ...s.suggest, fraction: progress.fraction } }));
        },
      });
      if (this.suggestAbort !== abort) return null;
      this.suggestAbort = null;
      this.store.set((s) => ({ suggest: { ...s.suggest, running: false, fraction: 1, result } }));
      return result;
    } catch (error) {
      if (this.suggestAbort === abort) {
        this.suggestAbort = null;
        this.store.set((s) => ({
          suggest: {
            ...s.suggest,
            running: false,
            error:
              error instanceof CancelledError
                ? null
                : candidateErrorMessage(
                    error instanceof Error ? error.message : String(error),
                    candidates?.fileName ?? 'candidates',
                  ),
          },
        }));
      }
      return null;
    }
  }

  cancelSuggest(): void {
    const abort = this.suggestAbort;
    if (!abort) return;
    this.suggestAbort = null;
    abort.abort();
    this.store.set((s) => ({ suggest: { ...s.suggest, running: false } }));
  }

  /** Turns a suggested site into an edit (a pocket park of the scenario). */
  acceptSite(rank: number): string | null {
    const site = this.store.get().suggest.result?.sites.find((candidate) => candidate.rank === rank);
    if (!site) return null;
    const language = this.app.store.get().language;
    const feature: Feature = {
      ...site.feature,
      properties: {
        ...site.feature.properties,
        kind: site.kind,
        name: language === 'zh' ? `建议选址 ${rank}` : `Suggested site ${rank}`,
      },
    };
    const suggest = this.store.get().suggest;
    const key = this.add('greenspaces', feature);
    this.store.set({ suggest: { ...suggest, accepted: [...suggest.accepted, rank] } });
    return key;
  }

  // ---- export ----

  /** The active scenario's features as a FeatureCollection (layer and kind in the properties). */
  featureCollection(): FeatureCollection {
    return {
      type: 'FeatureCollection',
      features: this.store.get().features.map((f) => ({
        ...f.feature,
        properties: {
          ...f.feature.properties,
          layer: f.layer,
          kind: f.layer === 'greenways' ? 'greenway' : f.feature.properties?.kind,
        },
      })),
    };
  }

  /** Resolves when the worker holds every feature of the scenario (for tests). */
  whenSynced(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        const s = this.store.get();
        if (s.synced && this.app.store.get().status === 'ready') {
          unsubscribe();
          resolve();
          return true;
        }
        return false;
      };
      const unsubscribe = this.store.subscribe(() => void check());
      check();
    });
  }
}

/** Positions (in the results' cell order) whose verdict differs between two results of the same grid. */
export function changedCells(baseline: CoverageResult, result: CoverageResult): Uint32Array {
  const a = baseline.verdicts;
  const b = result.verdicts;
  if (a.length !== b.length) return new Uint32Array(0);
  let count = 0;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) count++;
  const changed = new Uint32Array(count);
  for (let k = 0, n = 0; k < a.length; k++) if (a[k] !== b[k]) changed[n++] = k;
  return changed;
}
