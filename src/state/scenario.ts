import type { Feature, FeatureCollection, Position } from 'geojson';
import type { GreenKind } from '../coverage';
import { boxFeature, type SiteSpec, siteSpec, squareSite } from '../coverage/suggest-sites';
import type { AppState, PlannerApp } from './planner-app';
import type { ScenarioFeature } from './scenario-db';
import { EditHistory } from './scenario-history';
import { ScenarioLibrary } from './scenario-library';
import { type DrawMode, initialScenarioState, type ScenarioState, type SelectedVertex } from './scenario-state';
import { ScenarioSuggestions } from './scenario-suggestions';
import { ScenarioSync } from './scenario-sync';
import { Store } from './store';

export type { CandidateLayer, CandidateSource } from './candidate-layer';
export type { SavedScenario, ScenarioFeature, ScenarioFigures } from './scenario-db';
export type { DrawMode, ScenarioState, SelectedVertex, SuggestState } from './scenario-state';
export { changedCells, rulesKey, totalsGain } from './scenario-state';

let keyCounter = 0;
function newKey(): string {
  keyCounter++;
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${keyCounter}`;
}

/** What tests read from the scenario test hook: the last feature added and every edit's engine time. */
export interface ScenarioEditLog {
  /** The GeoJSON of the last feature added (as sent to the worker). */
  lastAdded: ScenarioFeature | null;
  /** Engine time of every edit so far (ms, from the worker's `timingsMs.edit`). */
  editTimesMs: number[];
}

/**
 * Scenario editing: the active scenario's features and the edits on them (add, move, reshape, delete,
 * undo/redo). It composes the scenario library (IndexedDB, src/state/scenario-library.ts), the worker
 * sync (incremental edits, src/state/scenario-sync.ts) and the suggested sites
 * (src/state/scenario-suggestions.ts), all on one store. The scenario's result stays here; the baseline is
 * the app's; what is shown is derived from both (src/state/results.ts).
 */
export class ScenarioController {
  readonly store = new Store<ScenarioState>(initialScenarioState());
  readonly log: ScenarioEditLog = { lastAdded: null, editTimesMs: [] };
  readonly library: ScenarioLibrary;
  readonly suggestions: ScenarioSuggestions;
  private readonly sync: ScenarioSync;
  private readonly history = new EditHistory<ScenarioFeature[]>(200);

  constructor(readonly app: PlannerApp) {
    const language = () => app.store.get().language;
    const baseline = () => app.store.get().baseline;
    this.library = new ScenarioLibrary({
      store: this.store,
      dataPath: () => app.store.get().dataPath,
      language,
      baseline,
      opened: () => {
        this.history.clear();
        this.sync.schedule();
      },
      linkedId: app.store.get().scenarioId,
    });
    this.sync = new ScenarioSync({
      store: this.store,
      client: app.client,
      readyBaseline: () => (app.store.get().status === 'ready' ? baseline() : null),
      loaded: () => this.library.loaded,
      beforeEdit: () => this.suggestions.cancel(),
      edited: (editMs, synced) => {
        if (editMs !== null) {
          this.log.editTimesMs.push(editMs);
          if (this.log.editTimesMs.length > 1000) this.log.editTimesMs.shift();
        }
        if (synced) this.library.updateActive();
      },
    });
    this.suggestions = new ScenarioSuggestions({
      store: this.store,
      client: app.client,
      db: this.library.db,
      baseline,
      language,
      add: (layer, feature) => this.add(layer, feature),
      placeLayers: () => {
        const data = app.store.get().data;
        return data ? { communities: data.communities, streets: data.streets } : null;
      },
    });
    app.store.subscribe((state, previous) => this.appChanged(state, previous));
    // The address carries the open scenario once it holds something to show (a blank one is nothing to link).
    this.store.subscribe((state, previous) => {
      if (state.activeId === previous.activeId && state.features === previous.features) return;
      const linked = state.activeId !== null && state.features.length > 0 ? state.activeId : null;
      if (app.store.get().scenarioId !== linked) app.store.set({ scenarioId: linked });
    });
    this.appChanged(app.store.get(), null);
    addEventListener('pagehide', () => this.flushSave());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.flushSave();
    });
    void this.library.load(false);
    void this.suggestions.restoreCandidateLayer();
  }

  private appChanged(state: AppState, previous: AppState | null): void {
    if (previous && state.language !== previous.language) this.library.relabelDefaults();
    if (state.baseline && state.baseline !== previous?.baseline) {
      // A full computation: the worker's model no longer holds any scenario feature.
      this.sync.reset();
      this.suggestions.clear();
      this.store.set((s) => ({
        result: state.baseline,
        resultBaseline: state.baseline,
        changedCells: null,
        showBaseline: false,
        synced: s.features.length === 0,
      }));
    }
    if (state.status === 'ready' && previous?.status !== 'ready') this.sync.schedule();
    if (previous && state.dataPath !== previous.dataPath) void this.library.load(this.sync.appliedCount > 0);
  }

  // ---- the scenario library ----

  /** Saves the active scenario now (the debounced autosave, or on page hide). */
  flushSave(): Promise<void> {
    return this.library.flushSave();
  }

  newScenario(): void {
    this.library.newScenario();
  }

  switchTo(id: string): void {
    this.library.switchTo(id);
  }

  rename(name: string): void {
    this.library.rename(name);
  }

  deleteScenario(id: string): Promise<void> {
    return this.library.deleteScenario(id);
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
    const result = this.app.store.get().baseline;
    return result ? siteSpec(result) : null;
  }

  /** Replaces the features as one undoable step. */
  commit(features: ScenarioFeature[], before = this.store.get().features): void {
    if (features === before && features === this.store.get().features) return;
    this.history.push(before);
    this.setFeatures(features);
  }

  /** Replaces the features without a history step (a drag in progress; `commit` ends it). */
  preview(features: ScenarioFeature[]): void {
    this.setFeatures(features);
  }

  /** Ends a drag without a history step, back at `features` (the drag was cancelled). */
  revertPreview(features: ScenarioFeature[]): void {
    this.setFeatures(features);
  }

  private setFeatures(features: ScenarioFeature[], keepVertex = true): void {
    const { selectedKey, selectedVertex } = this.store.get();
    const keep = selectedKey !== null && features.some((f) => f.key === selectedKey);
    this.store.set({
      features,
      synced: false,
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
      selectedKey: keep ? selectedKey : null,
      selectedVertex: keep && keepVertex ? selectedVertex : null,
      ...(keepVertex ? {} : { reshapeRefused: null }),
    });
    this.library.updateActive();
    this.sync.schedule();
  }

  undo(): void {
    const previous = this.history.undo(this.store.get().features);
    if (previous) this.setFeatures(previous, false);
  }

  redo(): void {
    const next = this.history.redo(this.store.get().features);
    if (next) this.setFeatures(next, false);
  }

  /** Adds a feature (one undo step); returns its key. */
  add(layer: ScenarioFeature['layer'], feature: Feature): string {
    const key = newKey();
    const item: ScenarioFeature = { key, layer, feature };
    this.log.lastAdded = item;
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

  // ---- before/after and swipe ----

  /** Shows the baseline (true) or the scenario (false) on the map and in the summary; ends a swipe. */
  setShowBaseline(showBaseline: boolean): void {
    this.store.set(showBaseline ? { showBaseline, swipe: false } : { showBaseline });
  }

  /**
   * Turns the swipe comparison on or off. On, it ends the before/after toggle first, so the summary,
   * tables and the map's right side show the scenario again.
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

  // ---- suggested sites (src/state/scenario-suggestions.ts) ----

  setSuggestCount(count: number): void {
    this.suggestions.setCount(count);
  }

  setCandidateSource(source: 'land' | 'layer'): void {
    this.suggestions.setCandidateSource(source);
  }

  candidateLayerSaved(): Promise<void> {
    return this.suggestions.candidateLayerSaved();
  }

  loadCandidateFile(file: Blob & { name: string }) {
    return this.suggestions.loadCandidateFile(file);
  }

  forgetCandidateLayer(): void {
    this.suggestions.forgetCandidateLayer();
  }

  suggest(count?: number) {
    return this.suggestions.suggest(count);
  }

  cancelSuggest(): void {
    this.suggestions.cancel();
  }

  acceptSite(rank: number): string | null {
    return this.suggestions.acceptSite(rank);
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
