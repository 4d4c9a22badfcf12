import type { PlannerApp } from '../state/planner-app';
import type { ResultsView } from '../state/results';
import { communityName, formatCount, formatMeters, t } from './i18n';
import { TotalsFigures } from './summary-panel';
import { useStore } from './use-store';
import './messages-later';

const shownGaps = 30;

/** Ranked gap areas (all, or the selected community's); a button zooms to and outlines one. */
export function GapList({
  app,
  results,
  onSelect,
}: {
  app: PlannerApp;
  results: ResultsView;
  onSelect: (rank: number) => void;
}) {
  const language = useStore(app.store, (state) => state.language);
  const gaps = useStore(results.store, (state) => state.gaps);
  const result = useStore(results.store, (state) => state.shown?.result ?? null);
  const selectedGap = useStore(app.store, (state) => state.selectedGap);
  const community = useStore(app.store, (state) => state.selectedCommunity);
  if (!result) return null;
  const areas = gaps ? gaps.areas.filter((area) => community === null || area.community === community) : [];
  return (
    <section class="panel" aria-labelledby="gaps-heading">
      <h2 id="gaps-heading">
        {t(language, 'gaps')} {gaps ? `(${areas.length})` : '…'}
      </h2>
      <p class="muted small">{t(language, 'gapsHelp')}</p>
      <ol class="gap-list" data-testid="gap-list">
        {areas.slice(0, shownGaps).map((area) => (
          <li key={area.rank}>
            <button
              type="button"
              class={`gap ${area.rank === selectedGap ? 'selected' : ''}`}
              data-gap={area.rank}
              aria-pressed={area.rank === selectedGap}
              onClick={() => onSelect(area.rank)}
            >
              <span class="gap-rank">#{area.rank + 1}</span>
              <span class="gap-name">
                {area.community >= 0
                  ? communityName(result.communities[area.community], language)
                  : t(language, 'outside')}
              </span>
              <span class="gap-figures">
                {area.residents !== null
                  ? `${formatCount(language, area.residents)} ${t(language, 'residents')}`
                  : `${formatCount(language, area.cells)} ${t(language, 'cells')}`}
                {area.nearestParkMeters !== null &&
                  ` · ${t(language, 'nearestPark')} ${formatMeters(language, area.nearestParkMeters, result.reachMeters.park)}`}
                {area.nearestParkMeters === null &&
                  area.nearestGreenMeters !== null &&
                  ` · ${t(language, 'nearestGreen')} ${formatMeters(language, area.nearestGreenMeters, result.reachMeters.green)}`}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The selected community's figures. */
export function CommunityPanel({ app, results }: { app: PlannerApp; results: ResultsView }) {
  const language = useStore(app.store, (state) => state.language);
  const result = useStore(results.store, (state) => state.shown?.result ?? null);
  const data = useStore(app.store, (state) => state.data);
  const selected = useStore(app.store, (state) => state.selectedCommunity);
  if (selected === null || !result || !result.communities[selected]) return null;
  const community = result.communities[selected];
  const properties = data?.communities.features[selected]?.properties ?? {};
  const subdistrict =
    language === 'en' ? (properties.subdistrict_en ?? properties.subdistrict) : properties.subdistrict;
  return (
    <section class="panel selected-community" aria-labelledby="community-heading" data-testid="community-panel">
      <h2 id="community-heading">
        {t(language, 'selected')}: <span data-testid="community-name">{communityName(community, language)}</span>
      </h2>
      {typeof subdistrict === 'string' && subdistrict && (
        <p class="muted small">
          {t(language, 'subdistrict')}: {subdistrict}
        </p>
      )}
      <TotalsFigures totals={result.summary.communities[selected]} language={language} testId="community-summary" />
      <button type="button" onClick={() => app.selectCommunity(null)}>
        {t(language, 'clear')}
      </button>
    </section>
  );
}
