import { useEffect, useMemo } from 'preact/hooks';
import { areaCsv, areaTotals } from '../state/area-figures';
import { type MeasureController, pathMeters, polygonSquareMeters } from '../state/measure';
import { pickArea, pickedTotals, pickedWkt } from '../state/picked-area';
import type { PlannerApp } from '../state/planner-app';
import type { ResultsView } from '../state/results';
import { download } from './export-panel';
import { formatCount, t } from './i18n';
import { TotalsFigures } from './summary-panel';
import { useStore } from './use-store';
import './messages-later';

/** Metres as "850 m" or "1.25 km". */
function formatLength(meters: number): string {
  return meters >= 1000 ? `${(meters / 1000).toFixed(2)} km` : `${Math.round(meters)} m`;
}

/** Square metres as "8,400 m²" or "12.5 ha". */
function formatArea(language: 'zh' | 'en', squareMeters: number): string {
  return squareMeters >= 10_000
    ? `${(squareMeters / 10_000).toFixed(2)} ha`
    : `${formatCount(language, squareMeters)} m²`;
}

/**
 * Measure a distance (straight lines between clicked points) or an area; an area also gets the
 * summary's figures for the homes inside it (cells, residents, share meeting each rule), as CSV too.
 */
export function MeasurePanel({
  app,
  results,
  measure,
}: {
  app: PlannerApp;
  results: ResultsView;
  measure: MeasureController;
}) {
  const language = useStore(app.store, (state) => state.language);
  const { mode, points } = useStore(measure.store, (state) => state);
  const result = useStore(results.store, (state) => state.shown?.result ?? null);
  const gaps = useStore(results.store, (state) => state.gaps);
  const communities = useStore(app.store, (state) => state.data?.communities ?? null);
  const picked = useMemo(
    () =>
      mode === 'pick' && points.length === 1 && result && communities
        ? pickArea(result, gaps, communities, points[0])
        : null,
    [mode, points, result, gaps, communities],
  );
  const totals = useMemo(() => {
    if (!result) return null;
    if (mode === 'area' && points.length >= 3) return areaTotals(result, points);
    return picked ? pickedTotals(result, gaps, picked) : null;
  }, [mode, points, result, gaps, picked]);
  // The picked area is selected, so the map outlines it (the community's or the gap's outline).
  useEffect(() => {
    // One outline at a time: the picked area's, not the one picked before.
    if (picked?.kind === 'gap') {
      app.selectCommunity(null);
      app.selectGap(picked.gap);
    } else if (picked?.kind === 'community') {
      app.selectGap(null);
      app.selectCommunity(picked.community);
    }
  }, [app, picked]);
  const pickedName = (() => {
    if (!picked || !result) return null;
    const nameOf = (index: number) => {
      const community = result.communities[index];
      return community ? (language === 'en' ? (community.nameEnglish ?? community.name) : community.name) : '—';
    };
    if (picked.kind === 'community') return t(language, 'measurePickedCommunity', { name: nameOf(picked.community) });
    const area = gaps?.areas[picked.gap];
    return t(language, 'measurePickedGap', { number: picked.gap + 1, community: area ? nameOf(area.community) : '—' });
  })();
  const exportCsv = () => {
    if (!totals || !result) return;
    const outline = picked && communities ? pickedWkt(result, gaps, communities, picked) : undefined;
    download(
      new Blob([areaCsv(result, points, totals, outline)], { type: 'text/csv;charset=utf-8' }),
      `greenreach-${result.rules.id}-${result.grid.cellMeters}m-area.csv`,
    );
  };
  const modes = { distance: 'measureDistance', walk: 'measureWalk', area: 'measureArea', pick: 'measurePick' } as const;
  const helps = {
    distance: 'measureDistanceHelp',
    walk: 'measureWalkHelp',
    area: 'measureAreaHelp',
    pick: 'measurePickHelp',
  } as const;
  const walk = useStore(measure.store, (state) => state.walk);
  const noStreets = useStore(measure.store, (state) => state.noStreets);
  return (
    <section class="panel measure-panel" aria-labelledby="measure-heading" data-testid="measure-panel">
      <h2 id="measure-heading">{t(language, 'measure')}</h2>
      <div class="export-buttons">
        {(['distance', 'walk', 'area', 'pick'] as const).map((kind) => (
          <button
            type="button"
            key={kind}
            aria-pressed={mode === kind}
            data-testid={`measure-${kind}`}
            onClick={() => measure.toggle(kind)}
          >
            {t(language, modes[kind])}
          </button>
        ))}
      </div>
      {mode && (
        <>
          <p class="muted small">{t(language, helps[mode])}</p>
          <p data-testid="measure-readout" aria-live="polite">
            {mode === 'pick' ? (
              points.length === 1 && (
                <strong data-testid="measure-picked">{pickedName ?? t(language, 'measurePickedNone')}</strong>
              )
            ) : mode === 'walk' ? (
              noStreets ? (
                <span class="error" data-testid="measure-walk-no-streets">
                  {t(language, 'measureWalkNoStreets')}
                </span>
              ) : (
                <>
                  {t(language, 'measureWalkLength')}:{' '}
                  <strong data-testid="measure-walk-meters">{formatLength(walk?.meters ?? 0)}</strong>
                  {' · '}
                  {t(language, 'measureStraight', { length: formatLength(pathMeters(points)) })}
                  {walk && walk.unreachableLegs > 0 && (
                    <span class="error" data-testid="measure-walk-unreachable">
                      {' '}
                      {t(language, 'measureWalkUnreachable', { count: walk.unreachableLegs })}
                    </span>
                  )}
                </>
              )
            ) : mode === 'distance' ? (
              <>
                {t(language, 'measureLength')}:{' '}
                <strong data-testid="measure-meters">{formatLength(pathMeters(points))}</strong>
              </>
            ) : (
              <>
                {t(language, 'measureAreaValue')}:{' '}
                <strong data-testid="measure-square-meters">{formatArea(language, polygonSquareMeters(points))}</strong>
                {' · '}
                {t(language, 'measurePerimeter')}:{' '}
                {formatLength(points.length >= 3 ? pathMeters([...points, points[0]]) : pathMeters(points))}
              </>
            )}
          </p>
          {totals && <TotalsFigures totals={totals} language={language} testId="area-figures" />}
          {totals && (
            <p class="muted small" data-testid="area-cells">
              {formatCount(language, totals.cells)} {t(language, 'cells')}
            </p>
          )}
          <div class="export-buttons">
            <button type="button" onClick={() => measure.undo()} disabled={points.length === 0}>
              {t(language, 'measureUndo')}
            </button>
            <button type="button" onClick={() => measure.clear()} disabled={points.length === 0}>
              {t(language, 'measureClear')}
            </button>
            {totals && (
              <button type="button" onClick={exportCsv} data-testid="area-csv">
                {t(language, 'measureCsv')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
