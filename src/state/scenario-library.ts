import type { CoverageResult } from '../coverage';
import { type SavedScenario, ScenarioDb, type ScenarioFigures } from './scenario-db';
import { rulesKey, type ScenarioState, type StorageProblem } from './scenario-state';
import type { Store } from './store';

const activeKey = 'greenreach.activeScenario';

/** What the scenario library needs from the rest of the app. */
export interface LibraryHost {
  store: Store<ScenarioState>;
  dataPath: () => string;
  language: () => 'zh' | 'en';
  baseline: () => CoverageResult | null;
  /** A scenario was opened (its features replace the current ones): history cleared, worker synced. */
  opened: () => void;
  /** The scenario the page's link names (`?scenario=ID`), opened at the first load; null for none. */
  linkedId?: string | null;
}

/**
 * The named scenarios of a data set, kept in IndexedDB: loading, new, switch, rename, delete, and the
 * debounced autosave of the active one (features and the figures they gave).
 */
export class ScenarioLibrary {
  readonly db = new ScenarioDb();
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** The scenarios of the data set are loaded (edits are sent to the worker only then). */
  loaded = false;

  constructor(private readonly host: LibraryHost) {}

  async load(workerHoldsFeatures: boolean): Promise<void> {
    let scenarios: SavedScenario[] = [];
    let storageProblem: StorageProblem | null = null;
    try {
      const checked = await this.db.list(this.host.dataPath());
      scenarios = checked.records;
      if (checked.skipped > 0) storageProblem = { code: 'corrupt', count: checked.skipped };
    } catch (error) {
      console.warn('GreenReach: scenarios cannot be loaded', error);
      // A database of a newer version cannot be opened at all: every autosave would fail too.
      storageProblem = { code: (error as Error | null)?.name === 'VersionError' ? 'version' : 'unavailable' };
    }
    this.host.store.set({ storageProblem });
    if (scenarios.length === 0) scenarios = [this.blankScenario(1)];
    const language = this.host.language();
    scenarios = scenarios.map((scenario) => ({ ...scenario, name: defaultName(scenario.name, language) }));
    // A link's scenario first (once: later loads are a change of data set), else the one open last time.
    const linked = this.host.linkedId ?? null;
    this.host.linkedId = null;
    const linkedScenario = linked ? scenarios.find((scenario) => scenario.id === linked) : undefined;
    const wanted = localStorage.getItem(activeKey);
    const active =
      linkedScenario ?? scenarios.find((scenario) => scenario.id === wanted) ?? scenarios[scenarios.length - 1];
    this.host.store.set({ linkedScenarioMissing: linked && !linkedScenario ? linked : null });
    this.loaded = true;
    this.host.store.set({
      scenarios,
      activeId: active.id,
      features: active.features,
      selectedKey: null,
      selectedVertex: null,
      reshapeRefused: null,
      canUndo: false,
      canRedo: false,
      synced: active.features.length === 0 && !workerHoldsFeatures,
    });
    this.host.opened();
  }

  /**
   * Default names ("方案 1" / "Scenario 1") follow the interface language; a name the planner chose
   * stays as it is.
   */
  relabelDefaults(): void {
    const { scenarios } = this.host.store.get();
    const relabelled = scenarios.map((scenario) => {
      const name = defaultName(scenario.name, this.host.language());
      return name === scenario.name ? scenario : { ...scenario, name };
    });
    if (relabelled.some((scenario, index) => scenario !== scenarios[index])) {
      this.host.store.set({ scenarios: relabelled });
      this.scheduleSave();
    }
  }

  private blankScenario(number: number): SavedScenario {
    return {
      id: `${Date.now().toString(36).padStart(9, '0')}-${Math.random().toString(36).slice(2, 6)}`,
      name: this.host.language() === 'zh' ? `方案 ${number}` : `Scenario ${number}`,
      dataPath: this.host.dataPath(),
      features: [],
      figures: null,
      updatedAt: Date.now(),
    };
  }

  active(): SavedScenario | undefined {
    const { scenarios, activeId } = this.host.store.get();
    return scenarios.find((scenario) => scenario.id === activeId);
  }

  /** Writes the active scenario (features and figures) into the list and schedules an IndexedDB save. */
  updateActive(): void {
    const state = this.host.store.get();
    const active = this.active();
    if (!active) return;
    const baseline = this.host.baseline();
    const result = state.result ?? baseline;
    const figures: ScenarioFigures | null =
      state.synced && baseline && result
        ? { rulesKey: rulesKey(result), baseline: baseline.summary.city, scenario: result.summary.city }
        : active.figures;
    const updated: SavedScenario = { ...active, features: state.features, figures, updatedAt: Date.now() };
    this.host.store.set({
      scenarios: state.scenarios.map((scenario) => (scenario.id === active.id ? updated : scenario)),
    });
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
    const active = this.active();
    if (!active || !this.loaded) return Promise.resolve();
    localStorage.setItem(activeKey, active.id);
    return this.db.put(active).then(
      () => {
        if (this.host.store.get().storageProblem?.code === 'saveFailed') this.host.store.set({ storageProblem: null });
      },
      (error: unknown) => {
        console.warn('GreenReach: scenario not saved', error);
        // Never unseen: the panel says so (a newer-version database keeps its own, clearer message).
        if (this.host.store.get().storageProblem?.code === 'version') return;
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.host.store.set({ storageProblem: { code: 'saveFailed', detail } });
      },
    );
  }

  newScenario(): void {
    void this.flushSave();
    const scenario = this.blankScenario(this.host.store.get().scenarios.length + 1);
    this.host.store.set((s) => ({ scenarios: [...s.scenarios, scenario] }));
    this.switchTo(scenario.id);
  }

  switchTo(id: string): void {
    const scenario = this.host.store.get().scenarios.find((candidate) => candidate.id === id);
    if (!scenario) return;
    void this.flushSave();
    this.host.store.set({
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
    this.host.opened();
  }

  rename(name: string): void {
    const { activeId } = this.host.store.get();
    this.host.store.set((s) => ({
      scenarios: s.scenarios.map((scenario) => (scenario.id === activeId ? { ...scenario, name } : scenario)),
    }));
    this.scheduleSave();
  }

  async deleteScenario(id: string): Promise<void> {
    await this.db.delete(id).catch(() => undefined);
    const remaining = this.host.store.get().scenarios.filter((scenario) => scenario.id !== id);
    if (remaining.length === 0) remaining.push(this.blankScenario(1));
    this.host.store.set({ scenarios: remaining });
    const activeId = this.host.store.get().activeId;
    if (activeId === id || !remaining.some((s) => s.id === activeId)) this.switchTo(remaining[remaining.length - 1].id);
  }
}

/** A default scenario name in `language` ("方案 2" ↔ "Scenario 2"); any other name unchanged. */
export function defaultName(name: string, language: 'zh' | 'en'): string {
  const match = /^(?:方案|Scenario) (\d+)$/.exec(name);
  if (!match) return name;
  return language === 'zh' ? `方案 ${match[1]}` : `Scenario ${match[1]}`;
}
