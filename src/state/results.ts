import type { CoverageResult } from '../coverage';
import type { GapAnalysis } from '../coverage/gap-areas';
import type { GapClient } from '../worker/gap-client';
import type { AppState } from './planner-app';
import { type ResultStanding, resultStanding, runInputs } from './run-inputs';
import type { ScenarioState } from './scenario';
import { Store } from './store';

/** Which result the summary, the tables, the gaps, the exports and the map show, and what to call it. */
export interface ShownResult {
  result: CoverageResult;
  /** `baseline`: the full computation; `scenario`: the open scenario's result. */
  source: 'baseline' | 'scenario';
  /** The scenario's name when `source` is `scenario`. */
  scenarioName: string | null;
  /**
   * The rules changed since it was computed (same layers and cells): its figures and cells are marked as
   * out of date and nothing exports it until the new result lands. (A result of other layers or cells is
   * not shown at all.)
   */
  outOfDate: boolean;
}

export interface ResultsState {
  shown: ShownResult | null;
  /** Gap areas of `shown.result` (null while they are being found). */
  gaps: GapAnalysis | null;
}

/** Milliseconds between two scenario results handed on while a shape is dragged. */
const scenarioIntervalMs = 200;

/**
 * Derives what is shown from the one source of each result: the baseline (PlannerApp's store), the
 * open scenario's result and the before/after choice (the scenario store). It finds the gap areas of
 * exactly that result in the gap worker, so the list, the map and the exported gaps agree.
 *
 * While a shape is dragged a new scenario result arrives every frame; the shown result (every cell's
 * colour, every table row) follows at most five times a second, and the last one always lands.
 */
export class ResultsView {
  readonly store = new Store<ResultsState>({ shown: null, gaps: null });
  private lastScenarioAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private gapRequest = 0;

  constructor(
    private readonly app: Store<AppState>,
    private readonly scenarios: Store<ScenarioState> | null,
    private readonly gapClient: GapClient,
  ) {
    app.subscribe((state, previous) => {
      const inputs =
        state.data !== previous.data || state.rules !== previous.rules || state.cellMeters !== previous.cellMeters;
      if (state.baseline !== previous.baseline || state.baselineInputs !== previous.baselineInputs || inputs)
        this.update(true);
    });
    scenarios?.subscribe((state, previous) => {
      const named = state.activeId !== previous.activeId || state.scenarios !== previous.scenarios;
      if (state.showBaseline !== previous.showBaseline || named) this.update(true);
      else if (state.result !== previous.result) this.update(false);
    });
    this.update(true);
  }

  /** The shown result now (null before the first computation). */
  get(): ResultsState {
    return this.store.get();
  }

  private update(now: boolean): void {
    const wait = scenarioIntervalMs - (performance.now() - this.lastScenarioAt);
    if (!now && wait > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.update(true);
      }, wait);
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const shown = this.derive();
    const current = this.store.get().shown;
    const same =
      shown?.result === current?.result &&
      shown?.scenarioName === current?.scenarioName &&
      shown?.outOfDate === current?.outOfDate;
    if (same) return;
    if (shown?.source === 'scenario') this.lastScenarioAt = performance.now();
    this.store.set({ shown, gaps: shown?.result === current?.result ? this.store.get().gaps : null });
    if (shown && shown.result !== current?.result) void this.findGaps(shown.result);
  }

  /** How the baseline stands against the inputs in use now (`void` without a baseline). */
  standing(): ResultStanding {
    const state = this.app.get();
    return state.baseline ? resultStanding(state.baselineInputs, runInputs(state)) : 'void';
  }

  private derive(): ShownResult | null {
    const baseline = this.app.get().baseline;
    const standing = this.standing();
    // Cells and figures of other layers or another grid describe another place: shown nowhere.
    if (standing === 'void') return null;
    const outOfDate = standing === 'outOfDate';
    const scenario = this.scenarios?.get();
    // A scenario result belongs to the baseline it was edited from; an older one is not shown.
    const edited = scenario?.result && scenario.result !== baseline && scenario.resultBaseline === baseline;
    if (scenario && edited && !scenario.showBaseline) {
      const name = scenario.scenarios.find((entry) => entry.id === scenario.activeId)?.name ?? '';
      return { result: scenario.result!, source: 'scenario', scenarioName: name, outOfDate };
    }
    return baseline ? { result: baseline, source: 'baseline', scenarioName: null, outOfDate } : null;
  }

  private async findGaps(result: CoverageResult): Promise<void> {
    const request = ++this.gapRequest;
    delete document.documentElement.dataset.gaps;
    try {
      const gaps = await this.gapClient.analyze(result);
      if (!gaps || request !== this.gapRequest || this.store.get().shown?.result !== result) return;
      this.store.set({ gaps });
      const { selectedGap } = this.app.get();
      if (selectedGap !== null && selectedGap >= gaps.areas.length) this.app.set({ selectedGap: null });
      document.documentElement.dataset.gaps = 'ready';
    } catch (error) {
      console.warn('GreenReach: gap areas failed', error);
    }
  }
}
