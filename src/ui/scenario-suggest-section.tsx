import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { SuggestedSite } from '../coverage/suggest';
import type { Language } from '../state/url-state';
import { homesLabel } from './homes-label';
import { communityName, formatCount, t } from './i18n';
import type { SectionProps } from './scenario-section-props';
import { useStore } from './use-store';
import './messages-later';

/** Suggested sites: the candidate source (land or an imported layer), N, the run and its ranked sites. */
export function ScenarioSuggestSection({ app, controller, language }: SectionProps) {
  const suggest = useStore(controller.store, (s) => s.suggest);
  const baseline = useStore(app.store, (s) => s.baseline);
  const [count, setCount] = useState(suggest.count);
  return (
    <>
      <h3>{t(language, 'suggest')}</h3>
      <fieldset
        class="candidate-source small"
        data-testid="candidate-source"
        data-source={suggest.source}
        data-restoring={String(suggest.layerRestoring)}
      >
        <legend>{t(language, 'candidateSource')}</legend>
        <label>
          <input
            type="radio"
            name="candidate-source"
            value="land"
            data-testid="source-land"
            checked={suggest.source === 'land'}
            onChange={() => controller.setCandidateSource('land')}
          />{' '}
          {t(language, 'sourceLand')}
        </label>{' '}
        <label>
          <input
            type="radio"
            name="candidate-source"
            value="layer"
            data-testid="source-layer"
            checked={suggest.source === 'layer'}
            disabled={!suggest.layer}
            onChange={() => controller.setCandidateSource('layer')}
          />{' '}
          {t(language, 'sourceLayer')}
        </label>
        <p class="muted candidate-file-help" id="candidate-file-help">
          {t(language, 'candidateFile')}
        </p>
        <label class="file-button">
          <span>{t(language, 'chooseCandidate')}</span>
          <input
            type="file"
            accept=".geojson,.json,.ndjson,.fgb,.zip,.csv"
            aria-describedby="candidate-file-help"
            data-testid="candidate-file"
            onChange={(event) => {
              const input = event.target as HTMLInputElement;
              const file = input.files?.[0];
              if (file) void controller.loadCandidateFile(file);
              // The same file may be picked again after it is fixed.
              input.value = '';
            }}
          />
        </label>
        {suggest.layerLoading && <p class="muted">{t(language, 'candidateReading')}</p>}
        {suggest.layer && (
          <p data-testid="candidate-layer">
            {t(language, 'candidateSummary', {
              file: suggest.layer.fileName,
              points: formatCount(language, suggest.layer.points),
              polygons: formatCount(language, suggest.layer.polygons),
            })}
            {suggest.layer.skipped > 0 && `; ${t(language, 'candidateSkipped', { count: suggest.layer.skipped })}`}
            {suggest.layer.outside > 0 && `; ${t(language, 'candidateOutside', { count: suggest.layer.outside })}`}{' '}
            <button
              type="button"
              class="link"
              data-testid="candidate-forget"
              title={t(language, 'candidateForgetTitle')}
              onClick={() => controller.forgetCandidateLayer()}
            >
              {t(language, 'candidateForget')}
            </button>
          </p>
        )}
        {suggest.layerError && (
          <p class="error" role="alert" data-testid="candidate-error">
            {suggest.layerError}
          </p>
        )}
      </fieldset>
      <div class="scenario-row">
        <label>
          N{' '}
          <input
            type="number"
            min={1}
            max={50}
            value={count}
            style={{ width: '4em' }}
            data-testid="suggest-count"
            onChange={(event) => setCount(Number((event.target as HTMLInputElement).value))}
          />
        </label>
        {suggest.running ? (
          <>
            <progress max={1} value={suggest.fraction} />
            <button type="button" onClick={() => controller.cancelSuggest()} data-testid="suggest-cancel">
              {t(language, 'cancel')}
            </button>
          </>
        ) : (
          <button
            type="button"
            disabled={!baseline || (suggest.source === 'layer' && !suggest.layer)}
            title={suggest.source === 'layer' && !suggest.layer ? t(language, 'chooseCandidateFile') : undefined}
            data-testid="suggest"
            onClick={() => {
              controller.setSuggestCount(count);
              void controller.suggest(controller.store.get().suggest.count);
            }}
          >
            {t(language, 'suggestN')}
          </button>
        )}
      </div>
      {suggest.error && <p class="error">{suggest.error}</p>}
      {suggest.result && (
        <>
          <p class="muted small">
            {t(language, 'greedyNote')} ({formatCount(language, suggest.result.candidateCount)}{' '}
            {t(language, 'candidates')}
            {suggest.result.latticeSpacing === null && suggest.layer
              ? ` ${t(language, 'fromLayer', { file: suggest.layer.fileName })}`
              : ''}
            {suggest.result.skippedCandidates > 0
              ? `; ${t(language, 'parcelsSkipped', {
                  count: formatCount(language, suggest.result.skippedCandidates),
                  area: formatCount(language, suggest.result.site.areaSquareMeters),
                })}`
              : ''}
            ,{' '}
            {Math.round(
              suggest.result.timingsMs.total ?? Object.values(suggest.result.timingsMs).reduce((a, b) => a + b, 0),
            )}{' '}
            ms)
          </p>
          <table class="scenario-table small" data-testid="suggestions">
            <thead>
              <tr>
                <th>{t(language, 'rank')}</th>
                <th>{t(language, 'newResidents')}</th>
                <th>{t(language, 'newCells')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {suggest.result.sites.map((site) => (
                <Fragment key={site.rank}>
                  <tr>
                    <td>{site.rank}</td>
                    <td>
                      {site.newResidentsCovered === null ? '—' : `+${formatCount(language, site.newResidentsCovered)}`}
                    </td>
                    <td>+{formatCount(language, site.newCellsCovered)}</td>
                    <td>
                      {suggest.accepted.includes(site.rank) ? (
                        t(language, 'accepted')
                      ) : (
                        <button
                          type="button"
                          data-testid={`accept-${site.rank}`}
                          onClick={() => controller.acceptSite(site.rank)}
                        >
                          {t(language, 'accept')}
                        </button>
                      )}
                    </td>
                  </tr>
                  <SiteWhere site={site} language={language} />
                </Fragment>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

/** Where a site is ("in 猛追湾街道, 40 m from 建设路") and the homes it sits on, under its row of figures. */
function SiteWhere({ site, language }: { site: SuggestedSite; language: Language }) {
  const { place } = site;
  const parts: string[] = [];
  if (place) {
    parts.push(
      place.community
        ? t(language, 'siteInCommunity', { community: communityName(place.community, language) })
        : t(language, 'siteOutsideCommunities'),
    );
    if (place.street) {
      parts.push(
        t(language, 'siteNearStreet', {
          street: communityName(place.street, language),
          meters: formatCount(language, place.street.distanceMeters),
        }),
      );
    }
  }
  const cells = site.residentialCellsOnSite;
  const onHomes = cells > 0;
  const homes = homesLabel(language, cells, site.residentsOnSite);
  return (
    <tr class="site-where">
      <td colSpan={4}>
        {parts.length > 0 && (
          <span data-testid={`site-place-${site.rank}`}>{parts.join(language === 'zh' ? '，' : ', ')}</span>
        )}{' '}
        <span
          class={onHomes ? 'site-homes on-homes' : 'site-homes muted'}
          data-testid={`site-homes-${site.rank}`}
          data-cells={cells}
          title={onHomes ? t(language, 'siteHomesWarning') : undefined}
        >
          {onHomes ? `⚠ ${homes}` : homes}
        </span>
      </td>
    </tr>
  );
}
