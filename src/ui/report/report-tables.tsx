import type { CoverageResult } from '../../coverage';
import type { GapArea } from '../../coverage/gap-areas';
import type { NearbyPark } from '../../state/report-figures';
import type { Language } from '../../state/url-state';
import { communityName, formatCount, formatMeters, formatShare, kindLabel, t } from '../i18n';
import { totalsShares, uncoveredResidents } from '../summary-panel';
import '../messages-later';

/** Gap areas as a table: rank, community, residents, cells, nearest park. */
export function GapTable({
  gaps,
  result,
  language,
  title,
}: {
  gaps: GapArea[];
  result: CoverageResult;
  language: Language;
  title: string;
}) {
  return (
    <section class="report-section" data-testid="report-gaps">
      <h2>{title}</h2>
      {gaps.length === 0 ? (
        <p>{t(language, 'reportNoGaps')}</p>
      ) : (
        <table class="report-table">
          <thead>
            <tr>
              <th>{t(language, 'rank')}</th>
              <th>{t(language, 'community')}</th>
              <th class="number">{t(language, 'residents')}</th>
              <th class="number">{t(language, 'cells')}</th>
              <th class="number">{t(language, 'nearestPark')}</th>
            </tr>
          </thead>
          <tbody>
            {gaps.map((gap) => (
              <tr key={gap.rank}>
                <td>{gap.rank + 1}</td>
                <td>{communityName(result.communities[gap.community], language) || '—'}</td>
                <td class="number">{formatCount(language, gap.residents)}</td>
                <td class="number">{formatCount(language, gap.cells)}</td>
                <td class="number">{formatMeters(language, gap.nearestParkMeters, result.reachMeters.park)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Every community with its residents, shares meeting each rule and uncovered residents. */
export function CommunityTable({ result, language }: { result: CoverageResult; language: Language }) {
  return (
    <section class="report-section" data-testid="report-communities">
      <h2>{t(language, 'communities')}</h2>
      <table class="report-table">
        <thead>
          <tr>
            <th>{t(language, 'community')}</th>
            <th class="number">{t(language, 'residents')}</th>
            <th class="number">{t(language, 'reachGreen')}</th>
            <th class="number">{t(language, 'reachPark')}</th>
            <th class="number">{t(language, 'reachBoth')}</th>
            <th class="number">{t(language, 'uncovered')}</th>
          </tr>
        </thead>
        <tbody>
          {result.communities.map((community, index) => {
            const totals = result.summary.communities[index];
            const shares = totalsShares(totals);
            return (
              <tr key={community.name + index}>
                <td>{communityName(community, language)}</td>
                <td class="number">{formatCount(language, totals.population)}</td>
                <td class="number">{formatShare(shares.green)}</td>
                <td class="number">{formatShare(shares.park)}</td>
                <td class="number">{formatShare(shares.both)}</td>
                <td class="number">{formatCount(language, uncoveredResidents(totals))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The parks nearest a community. */
export function NearestParksTable({ parks, language }: { parks: NearbyPark[]; language: Language }) {
  return (
    <section class="report-section" data-testid="report-parks">
      <h2>{t(language, 'reportNearestParks')}</h2>
      {parks.length === 0 ? (
        <p>{t(language, 'reportNoParks')}</p>
      ) : (
        <table class="report-table">
          <thead>
            <tr>
              <th>{t(language, 'name')}</th>
              <th>{t(language, 'kind')}</th>
              <th class="number">{t(language, 'reportArea')}</th>
              <th class="number">{t(language, 'reportDistance')}</th>
            </tr>
          </thead>
          <tbody>
            {parks.map((park, index) => (
              <tr key={index}>
                <td>{park.name ?? t(language, 'unnamed', { n: index + 1 })}</td>
                <td>{kindLabel(language, park.kind)}</td>
                <td class="number">{(park.areaSquareMeters / 10_000).toFixed(2)}</td>
                <td class="number">{`${Math.round(park.meters)} m`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
