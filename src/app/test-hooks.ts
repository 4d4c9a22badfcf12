import type { CoverageSummary, RuleSet } from '../coverage';
import type { GapAnalysis } from '../coverage/gap-areas';
import type { PlannerMap } from '../map/planner-map';
import type { ImportController } from '../state/import-controller';
import type { KioskHook } from '../state/kiosk';
import type { MapBinding } from '../state/map-binding';
import type { AppState, PlannerApp } from '../state/planner-app';
import type { ResultsView, ShownResult } from '../state/results';
import type { ScenarioController, ScenarioEditLog } from '../state/scenario';
import type { RenderedMap } from '../state/services';

/** Whether this build carries the test hooks (`VITE_TEST_HOOKS=1 vite build`, as the browser tests build). */
export const testHooksEnabled = import.meta.env.VITE_TEST_HOOKS === '1';

/** The app state as tests read it: the store plus the shown result and its gap areas. */
export type HookState = AppState & {
  result: ShownResult['result'] | null;
  gaps: GapAnalysis | null;
  /** Whether the shown result is of rules since changed (marked out of date until the new one lands). */
  outOfDate: boolean;
};

/** What tests, the bench and the soak script read from `window.__greenreach` (live getters). */
export interface TestHook {
  state: () => HookState;
  readonly summary: CoverageSummary | null;
  readonly rules: RuleSet | null;
  readonly cellMeters: number | null;
  readonly residentialCells: number;
  readonly gapAreas: number | null;
  /** performance.now() when coverage was last drawn. */
  readonly drawnAt: number | null;
  readonly computeMs: number | null;
  app: PlannerApp;
  scenario?: ScenarioEditLog & { controller: ScenarioController };
  /** The import controller (tests set `storageChunkBytes` small to store a layer in many chunks). */
  imports?: ImportController;
  kiosk?: KioskHook;
  /** The last map drawn off screen for a PNG: its size (device pixels) and the area it shows. */
  renderedMap?: { width: number; height: number; bounds: [number, number, number, number] | null };
}

declare global {
  interface Window {
    __greenreach?: TestHook;
    /** The planner map, for tests and the bench (e.g. `project(lng, lat)`). */
    __greenreachMap?: PlannerMap;
  }
}

/**
 * Installs `window.__greenreach` (and `__greenreachMap` through `setMap`) in test builds only; no
 * production code reads them.
 */
export function installTestHooks(parts: {
  app: PlannerApp;
  results: ResultsView;
  binding: () => MapBinding | null;
  scenarios?: ScenarioController;
  imports?: ImportController;
  kiosk?: KioskHook;
}): { setMap: (map: PlannerMap | null) => void; setRendered: (rendered: RenderedMap) => void } {
  if (!testHooksEnabled) return { setMap: () => {}, setRendered: () => {} };
  const { app, results, binding, scenarios, imports, kiosk } = parts;
  const shown = () => results.get().shown?.result ?? null;
  window.__greenreach = {
    state: () => ({
      ...app.store.get(),
      result: shown(),
      gaps: results.get().gaps,
      outOfDate: results.get().shown?.outOfDate ?? false,
    }),
    get summary() {
      return shown()?.summary ?? null;
    },
    get rules() {
      return shown()?.rules ?? null;
    },
    get cellMeters() {
      return shown()?.grid.cellMeters ?? null;
    },
    get residentialCells() {
      return shown()?.cellIndex.length ?? 0;
    },
    get gapAreas() {
      return results.get().gaps?.areas.length ?? null;
    },
    get drawnAt() {
      return binding()?.drawnAt ?? null;
    },
    get computeMs() {
      return shown()?.timingsMs.compute ?? null;
    },
    app,
    ...(scenarios ? { scenario: Object.assign(scenarios.log, { controller: scenarios }) } : {}),
    ...(imports ? { imports } : {}),
    ...(kiosk ? { kiosk } : {}),
  };
  return {
    setMap: (map) => {
      window.__greenreachMap = map ?? undefined;
    },
    setRendered: ({ canvas, bounds }) => {
      window.__greenreach!.renderedMap = { width: canvas.width, height: canvas.height, bounds: bounds ?? null };
    },
  };
}
