import { type CoverageTotals, share } from '../coverage';
import type { PlannerApp } from '../state/planner-app';
import type { ResultsView } from '../state/results';
import type { Language } from '../state/url-state';
import { formatCount, formatShare, t } from './i18n';
import { PopulationSource } from './population-source';
import { useStore } from './use-store';

/** Residents not meeting every criterion in use (cells when population is unknown). */
export function uncoveredResidents(totals: CoverageTotals): number {
  return totals.population !== null && totals.populationMeetingBoth !== null
    ? totals.population - totals.populationMeetingBoth
    : totals.cells - totals.cellsMeetingBoth;
}

/** Shares of residents (or of cells when population is unknown) meeting green, park and both. */
export function totalsShares(totals: CoverageTotals): {
  green: number | null;
  park: number | null;
  both: number | null;
} {
  if (totals.population !== null) {
    return {
      green: share(totals.populationMeetingGreen, totals.population),
      park: share(totals.populationMeetingPark, totals.population),
      both: share(totals.populationMeetingBoth, totals.population),
    };
  }
  return {
    green: share(totals.cellsMeetingGreen, totals.cells),
    park: share(totals.cellsMeetingPark, totals.cells),
    both: share(totals.cellsMeetingBoth, totals.cells),
  };
}

/** Figures of one area (the district or a community) as a definition list. */
export function TotalsFigures({
  totals,
  language,
  testId,
}: {
  totals: CoverageTotals;
  language: Language;
  testId: string;
}) {
  const shares = totalsShares(totals);
  return (
    <dl class="figures" data-testid={testId}>
      <div>
        <dt>{t(language, 'residents')}</dt>
        <dd data-figure="population">{formatCount(language, totals.population)}</dd>
      </div>
      <div>
        <dt>{t(language, 'reachGreen')}</dt>
        <dd data-figure="green">{formatShare(shares.green)}</dd>
      </div>
      <div>
        <dt>{t(language, 'reachPark')}</dt>
        <dd data-figure="park">{formatShare(shares.park)}</dd>
      </div>
      <div>
        <dt>{t(language, 'reachBoth')}</dt>
        <dd data-figure="both">{formatShare(shares.both)}</dd>
      </div>
      <div>
        <dt>{t(language, 'uncovered')}</dt>
        <dd data-figure="uncovered">{formatCount(language, uncoveredResidents(totals))}</dd>
      </div>
    </dl>
  );
}

/** The district (city) summary. */
export function SummaryPanel({ app, results }: { app: PlannerApp; results: ResultsView }) {
  const language = useStore(app.store, (state) => state.language);
  const shown = useStore(results.store, (state) => state.shown);
  const populationName = useStore(app.store, (state) => state.data?.populationName ?? null);
  const busy = useStore(app.store, (state) => ['loading', 'computing', 'drawing'].includes(state.status));
  const result = shown?.result ?? null;
  return (
    <section class="panel summary-panel" aria-labelledby="summary-heading">
      <h2 id="summary-heading">{t(language, 'city')}</h2>
      {shown?.outOfDate && (
        <p class="out-of-date" role="status" data-testid="results-out-of-date">
          {t(language, 'resultsOutOfDate')}
        </p>
      )}
      {shown && (
        <p class={`result-source result-${shown.source}`} data-testid="summary-source" data-source={shown.source}>
          {shown.source === 'scenario'
            ? `${t(language, 'scenarioResult')}: ${shown.scenarioName}`
            : t(language, 'baselineResult')}
        </p>
      )}
      {result ? (
        <>
          <TotalsFigures totals={result.summary.city} language={language} testId="city-summary" />
          <PopulationSource result={result} layerName={populationName} language={language} />
          <p class="muted small">
            {formatCount(language, result.cellIndex.length)} {t(language, 'cells')} × {result.grid.cellMeters} m
            {result.skipped.length > 0 && ` · ${t(language, 'skipped')}: ${result.skipped.length}`}
          </p>
        </>
      ) : (
        // No figures of other data are kept on screen: while the new ones are computed, only that is said.
        <p class="muted" role="status" data-testid="results-computing">
          {busy ? `${t(language, 'computing')}…` : '…'}
        </p>
      )}
    </section>
  );
}
