import { useMemo, useState } from 'preact/hooks';
import { type CoverageResult, share } from '../coverage';
import { compareWalk, type WalkComparison } from '../coverage/walk-comparison';
import type { CommunitySortKey, PlannerApp } from '../state/planner-app';
import type { ResultsView } from '../state/results';
import type { Language } from '../state/url-state';
import { communityName, formatCount, formatShare, type MessageKey, t } from './i18n';
import { totalsShares, uncoveredResidents } from './summary-panel';
import { useStore } from './use-store';
import './messages-later';

/**
 * Rows drawn before "show all": a city has hundreds of communities, and drawing every row at each
 * recompute would stall the page; the sort brings the ones that matter to the top.
 */
const firstRows = 100;

interface Row {
  index: number;
  name: string;
  subdistrict: string;
  population: number | null;
  green: number | null;
  park: number | null;
  both: number | null;
  /** Walking distance: the share meeting every rule in a straight line (beside `both`, on foot); else null. */
  bothStraight: number | null;
  uncovered: number;
}

/** Table rows of a result, sorted. */
export function communityRows(
  result: CoverageResult,
  subdistricts: string[],
  language: Language,
  sort: { key: CommunitySortKey; descending: boolean },
  comparison: WalkComparison | null = null,
): Row[] {
  const rows: Row[] = result.communities.map((community, index) => {
    const totals = result.summary.communities[index];
    const walk = comparison?.communities[index];
    return {
      bothStraight: walk
        ? totals.population !== null && walk.populationMeetingBothStraight !== null
          ? share(walk.populationMeetingBothStraight, totals.population)
          : share(walk.cellsMeetingBothStraight, totals.cells)
        : null,
      index,
      name: communityName(community, language),
      subdistrict: subdistricts[index] ?? '',
      population: totals.population,
      ...totalsShares(totals),
      uncovered: uncoveredResidents(totals),
    };
  });
  const direction = sort.descending ? -1 : 1;
  const collator = new Intl.Collator(language === 'zh' ? 'zh-CN' : 'en');
  rows.sort((a, b) => {
    if (sort.key === 'name') return direction * collator.compare(a.name, b.name);
    const x = a[sort.key] ?? -1;
    const y = b[sort.key] ?? -1;
    return direction * (x - y) || a.index - b.index;
  });
  return rows;
}

const columns: { key: CommunitySortKey; label: MessageKey }[] = [
  { key: 'name', label: 'community' },
  { key: 'population', label: 'population' },
  { key: 'green', label: 'reachGreen' },
  { key: 'park', label: 'reachPark' },
  { key: 'both', label: 'reachBoth' },
  { key: 'uncovered', label: 'uncovered' },
];

/** The sortable per-community table; a row's button selects (and zooms to) the community. */
export function CommunityTable({
  app,
  results,
  onSelect,
}: {
  app: PlannerApp;
  results: ResultsView;
  onSelect: (community: number) => void;
}) {
  const language = useStore(app.store, (state) => state.language);
  const result = useStore(results.store, (state) => state.shown?.result ?? null);
  const data = useStore(app.store, (state) => state.data);
  const sort = useStore(app.store, (state) => state.sort);
  const selected = useStore(app.store, (state) => state.selectedCommunity);
  const [showAll, setShowAll] = useState(false);
  const comparison = useMemo(() => (result ? compareWalk(result) : null), [result]);
  if (!result || !data) return null;
  const subdistricts = data.communities.features.map((feature) => {
    const value =
      language === 'en'
        ? (feature.properties?.subdistrict_en ?? feature.properties?.subdistrict)
        : feature.properties?.subdistrict;
    return typeof value === 'string' ? value : '';
  });
  const rows = communityRows(result, subdistricts, language, sort, comparison);
  // The selected community is always listed, even beyond the first rows.
  const shown = showAll ? rows : rows.filter((row, position) => position < firstRows || row.index === selected);
  return (
    <section class="panel table-panel" aria-labelledby="communities-heading">
      <h2 id="communities-heading">
        {t(language, 'communities')} ({rows.length})
      </h2>
      <div class="table-scroll">
        <table data-testid="community-table">
          <thead>
            <tr>
              {columns.map(({ key, label }) => (
                <th
                  key={key}
                  scope="col"
                  aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button type="button" class="sort" data-sort={key} onClick={() => app.setSort(key)}>
                    {t(language, label)}
                    <span aria-hidden="true">{sort.key === key ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.index} class={row.index === selected ? 'selected' : ''}>
                <th scope="row">
                  <button
                    type="button"
                    class="link"
                    data-community={row.index}
                    aria-pressed={row.index === selected}
                    onClick={() => onSelect(row.index)}
                    title={row.subdistrict}
                  >
                    {row.name}
                  </button>
                </th>
                <td>{formatCount(language, row.population)}</td>
                <td>{formatShare(row.green)}</td>
                <td>{formatShare(row.park)}</td>
                <td>
                  {formatShare(row.both)}
                  {row.bothStraight !== null && (
                    <span class="straight-share" data-testid="straight-share">
                      {' '}
                      {t(language, 'straightShare', { share: formatShare(row.bothStraight) })}
                    </span>
                  )}
                </td>
                <td>{formatCount(language, row.uncovered)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.populationSource === null && (
        <p class="muted small" data-testid="community-no-population">
          {t(language, 'populationNone')}
        </p>
      )}
      {shown.length < rows.length && (
        <button type="button" class="show-all" data-testid="show-all-communities" onClick={() => setShowAll(true)}>
          {t(language, 'showAllRows').replace('{count}', String(rows.length))}
        </button>
      )}
    </section>
  );
}
