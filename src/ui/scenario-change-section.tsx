import { useMemo } from 'preact/hooks';
import { resultStanding, runInputs } from '../state/run-inputs';
import { rulesKey, totalsGain } from '../state/scenario';
import { communityName, formatCount, t } from './i18n';
import { type SectionProps, signed } from './scenario-section-props';
import { useStore } from './use-store';
import './messages-later';

/** The scenario's change against the baseline: the before/after and swipe toggles, the figures, by community. */
export function ScenarioChangeSection({ app, controller, language }: SectionProps) {
  const baseline = useStore(app.store, (s) => s.baseline);
  const result = useStore(controller.store, (s) => s.result);
  const features = useStore(controller.store, (s) => s.features);
  const showBaseline = useStore(controller.store, (s) => s.showBaseline);
  const swipe = useStore(controller.store, (s) => s.swipe);
  const synced = useStore(controller.store, (s) => s.synced);
  const lastEditMs = useStore(controller.store, (s) => s.lastEditMs);
  const changedCells = useStore(controller.store, (s) => s.changedCells);
  const gain = baseline && result ? totalsGain(baseline.summary.city, result.summary.city) : null;
  const communityGains =
    baseline && result && result !== baseline
      ? result.summary.communities
          .map((totals, index) => ({ index, ...totalsGain(baseline.summary.communities[index], totals) }))
          .filter((row) => row.cells !== 0 || (row.residents ?? 0) !== 0)
          .sort((a, b) => (b.residents ?? b.cells) - (a.residents ?? a.cells))
      : [];

  return (
    <>
      <h3>{t(language, 'change')}</h3>
      <label class="small">
        <input
          type="checkbox"
          data-testid="show-baseline"
          checked={showBaseline}
          onChange={(event) => controller.setShowBaseline((event.target as HTMLInputElement).checked)}
        />{' '}
        {t(language, 'showBaseline')}
      </label>{' '}
      <label class="small">
        <input
          type="checkbox"
          data-testid="swipe"
          checked={swipe}
          onChange={(event) => controller.setSwipe((event.target as HTMLInputElement).checked)}
        />{' '}
        {t(language, 'swipe')}
      </label>
      {features.length === 0 && <p class="muted small">{t(language, 'noFeatures')}</p>}
      <dl class="figures" data-testid="scenario-change" data-synced={String(synced)}>
        <div>
          <dt>{t(language, 'newFeatures')}</dt>
          <dd data-figure="features">{features.length}</dd>
        </div>
        <div>
          <dt>{t(language, 'newResidents')}</dt>
          <dd data-figure="residents">{gain ? signed(language, gain.residents) : '—'}</dd>
        </div>
        <div>
          <dt>{t(language, 'newCells')}</dt>
          <dd data-figure="cells">{gain ? signed(language, gain.cells) : '—'}</dd>
        </div>
        <div>
          <dt>{t(language, 'changedCells')}</dt>
          <dd data-figure="changed">{changedCells ? formatCount(language, changedCells.length) : '0'}</dd>
        </div>
        <div>
          <dt>{t(language, 'editTime')}</dt>
          <dd data-figure="edit-ms">
            {synced ? (lastEditMs !== null ? `${lastEditMs.toFixed(2)} ms` : '—') : t(language, 'pending')}
          </dd>
        </div>
      </dl>
      {communityGains.length > 0 && (
        <table class="scenario-table small" data-testid="scenario-communities">
          <caption>{t(language, 'byCommunity')}</caption>
          <thead>
            <tr>
              <th>{t(language, 'community')}</th>
              <th>{t(language, 'newResidents')}</th>
              <th>{t(language, 'newCells')}</th>
            </tr>
          </thead>
          <tbody>
            {communityGains.slice(0, 12).map((row) => (
              <tr key={row.index}>
                <td>{communityName(result!.communities[row.index], language) || `#${row.index + 1}`}</td>
                <td>{signed(language, row.residents)}</td>
                <td>{signed(language, row.cells)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Every scenario of the data set beside the baseline: features, residents and cells meeting both, gain. */
export function ScenarioCompareSection({ app, controller, language }: SectionProps) {
  const baseline = useStore(app.store, (s) => s.baseline);
  const result = useStore(controller.store, (s) => s.result);
  const scenarios = useStore(controller.store, (s) => s.scenarios);
  const activeId = useStore(controller.store, (s) => s.activeId);
  const synced = useStore(controller.store, (s) => s.synced);
  return (
    <>
      <h3>{t(language, 'scenarios')}</h3>
      <table class="scenario-table small" data-testid="scenario-compare">
        <thead>
          <tr>
            <th>{t(language, 'scenario')}</th>
            <th>{t(language, 'newFeatures')}</th>
            <th>{t(language, 'residentsBoth')}</th>
            <th>{t(language, 'gain')}</th>
            <th>{t(language, 'cellsBoth')}</th>
          </tr>
        </thead>
        <tbody>
          {baseline && (
            <tr>
              <td>{t(language, 'baseline')}</td>
              <td>0</td>
              <td>{formatCount(language, baseline.summary.city.populationMeetingBoth)}</td>
              <td>—</td>
              <td>{formatCount(language, baseline.summary.city.cellsMeetingBoth)}</td>
            </tr>
          )}
          {scenarios.map((scenario) => {
            // The open scenario's figures are the live ones once in step; a scenario without features is
            // the baseline. Only a saved scenario computed under other rules needs opening to update.
            const live =
              baseline && scenario.id === activeId && synced && result
                ? { rulesKey: rulesKey(baseline), baseline: baseline.summary.city, scenario: result.summary.city }
                : null;
            const unchanged =
              baseline && scenario.features.length === 0
                ? { rulesKey: rulesKey(baseline), baseline: baseline.summary.city, scenario: baseline.summary.city }
                : null;
            const figures = live ?? unchanged ?? scenario.figures;
            const current = figures && baseline && figures.rulesKey === rulesKey(baseline) ? figures : null;
            const g = current ? totalsGain(current.baseline, current.scenario) : null;
            return (
              <tr key={scenario.id} class={scenario.id === activeId ? 'active' : ''}>
                <td>
                  <button type="button" class="link" onClick={() => controller.switchTo(scenario.id)}>
                    {scenario.name}
                  </button>
                </td>
                <td>{scenario.features.length}</td>
                <td>
                  {current ? formatCount(language, current.scenario.populationMeetingBoth) : t(language, 'otherRules')}
                </td>
                <td>{g ? signed(language, g.residents ?? g.cells) : '—'}</td>
                <td>{current ? formatCount(language, current.scenario.cellsMeetingBoth) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

/** The scenario's figures as CSV (city and communities, baseline and scenario), or '' before a result. */
export function useScenarioCsv(
  { app, controller, language }: SectionProps,
  writeCsv: ((fields: string[], rows: unknown[][]) => string) | null,
): string {
  const baseline = useStore(app.store, (s) => s.baseline);
  // Figures of rules since changed are not offered as a file (the new ones are being computed).
  const current = useStore(app.store, (s) => resultStanding(s.baselineInputs, runInputs(s)) === 'current');
  const result = useStore(controller.store, (s) => s.result);
  const active = useStore(controller.store, (s) => s.scenarios.find((scenario) => scenario.id === s.activeId) ?? null);
  const csv = useMemo(() => {
    if (!baseline || !result || !writeCsv || !current) return '';
    const rows: unknown[][] = [];
    const row = (name: string, b: typeof baseline.summary.city, s: typeof baseline.summary.city) => {
      const g = totalsGain(b, s);
      rows.push([
        active?.name ?? '',
        name,
        b.population,
        b.populationMeetingBoth,
        s.populationMeetingBoth,
        g.residents,
        b.cells,
        b.cellsMeetingBoth,
        s.cellsMeetingBoth,
        g.cells,
      ]);
    };
    row(t(language, 'district'), baseline.summary.city, result.summary.city);
    result.summary.communities.forEach((totals, index) => {
      row(
        communityName(result.communities[index], language) || `#${index + 1}`,
        baseline.summary.communities[index],
        totals,
      );
    });
    return writeCsv(
      [
        'scenario',
        'area',
        'population',
        'baseline_population_meeting_both',
        'scenario_population_meeting_both',
        'new_residents_covered',
        'cells',
        'baseline_cells_meeting_both',
        'scenario_cells_meeting_both',
        'new_cells_covered',
      ],
      rows,
    );
  }, [baseline, result, active?.name, language, writeCsv, current]);
  return csv;
}
