import type { CoverageResult, CoverageTotals } from '../coverage';
import type { SuggestResult } from '../coverage/suggest';
import type { CandidateLayer, CandidateSource } from './candidate-layer';
import type { SavedScenario, ScenarioFeature } from './scenario-db';

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

/** What went wrong with the scenarios' storage (see `ScenarioState.storageProblem`). */
export interface StorageProblem {
  code: 'version' | 'corrupt' | 'saveFailed' | 'unavailable';
  count?: number;
  detail?: string;
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
  /**
   * The worker's result with the scenario's features: the baseline itself (PlannerApp's `baseline`) until
   * the first edit on it, null before any computation. Follows every edit, also every drag frame.
   */
  result: CoverageResult | null;
  /** The baseline `result` was edited from (a result of an older baseline is never shown). */
  resultBaseline: CoverageResult | null;
  /** Positions in `result.cellIndex` whose verdict differs from the baseline's. */
  changedCells: Uint32Array | null;
  /** Whether the worker has every feature of `features` (no edit pending or in flight). */
  synced: boolean;
  /** Engine milliseconds of the last edit (`timingsMs.edit`). */
  lastEditMs: number | null;
  editCount: number;
  error: string | null;
  suggest: SuggestState;
  /**
   * A problem with the scenarios' storage, shown in the panel: a database of a newer version, damaged
   * records skipped, an autosave that failed, or no storage at all. Null when all is well.
   */
  storageProblem: StorageProblem | null;
  /** A link named a scenario (`?scenario=ID`) that this browser does not hold: its id, said in the panel. */
  linkedScenarioMissing: string | null;
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

/** The state before anything is loaded. */
export function initialScenarioState(): ScenarioState {
  return {
    scenarios: [],
    activeId: null,
    features: [],
    selectedKey: null,
    selectedVertex: null,
    reshapeRefused: null,
    mode: 'pan',
    canUndo: false,
    canRedo: false,
    result: null,
    resultBaseline: null,
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
    storageProblem: null,
    linkedScenarioMissing: null,
    showBaseline: false,
    swipe: false,
    swipeDividerPercent: 50,
  };
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

/** What a saved scenario's figures were computed under (rules and cell size). */
export function rulesKey(result: CoverageResult): string {
  return JSON.stringify([result.rules, result.grid.cellMeters]);
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
