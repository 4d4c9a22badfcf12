import { useMemo } from 'preact/hooks';
import { basemapCredit } from '../../state/basemap-controller';
import { communityGaps, dataAttribution, dataSetName, nearestParks } from '../../state/report-figures';
import { reportDpi, reportMarginMm } from '../../state/report-options';
import type { ReportServices } from '../../state/report-services';
import { communityName, t } from '../i18n';
import { PopulationSource } from '../population-source';
import { TotalsFigures } from '../summary-panel';
import { useStore } from '../use-store';
import { ReportLegend, rulesLine } from './report-legend';
import { ReportMap } from './report-map';
import { CommunityTable, GapTable, NearestParksTable } from './report-tables';
import '../messages-later';

/** Gap areas listed on the district report. */
const topGapCount = 10;

/**
 * The printable report (`?report`): the district, or one community (`&community=N`), on the paper and
 * orientation the URL names. Page 1: title, rules, map with north arrow and scale bar, legend and
 * figures; then the gaps, the communities (or the nearest parks) and the sources.
 */
export function ReportApp({ services }: { services: ReportServices }) {
  const { app, results, options, layout, report } = services;
  const language = useStore(app.store, (state) => state.language);
  const data = useStore(app.store, (state) => state.data);
  const status = useStore(app.store, (state) => state.status);
  const error = useStore(app.store, (state) => state.error);
  const selected = useStore(app.store, (state) => state.selectedCommunity);
  const shown = useStore(results.store, (state) => state.shown);
  const gaps = useStore(results.store, (state) => state.gaps);
  const ready = useStore(report, (state) => state.ready);
  const scenario = useStore(report, (state) => state.scenario);
  const scenarioMissing = useStore(report, (state) => state.scenarioMissing);
  const result = shown?.result ?? null;
  // The planner's basemap, credited where it is drawn (the streets switch shows or hides it).
  const archive = useStore(services.basemap, (state) => state.basemap);
  const streets = useStore(app.store, (state) => state.layers.streets);
  const basemapNote = archive && streets ? `${t(language, 'basemapHeading')}: ${basemapCredit(archive)}` : null;
  const community = selected !== null && result?.communities[selected] ? selected : null;
  const parks = useMemo(
    () =>
      result && data && community !== null
        ? nearestParks(data.greenspaces, result, result.communities[community].bbox)
        : [],
    [result, data, community],
  );
  const manifest = data?.manifest ?? null;
  const attribution = dataAttribution(manifest);
  const synthetic = manifest?.synthetic ?? app.store.get().dataPath === 'data/demo/';
  const date = new Date().toISOString().slice(0, 10);
  const title =
    community !== null && result
      ? t(language, 'reportCommunityTitle', { name: communityName(result.communities[community], language) })
      : t(language, 'reportTitle');
  const pageCss = `@page { size: ${layout.pageMm[0]}mm ${layout.pageMm[1]}mm; margin: ${reportMarginMm}mm; }`;
  const listedGaps = community !== null ? communityGaps(gaps, community) : (gaps?.areas.slice(0, topGapCount) ?? []);
  return (
    <div
      class={`report report-${options.orientation} report-${options.paper}`}
      style={{ width: `${layout.contentMm[0]}mm` }}
      data-testid="report"
      data-ready={ready ? 'true' : 'false'}
    >
      <style>{pageCss}</style>
      <div class="report-toolbar">
        <button type="button" onClick={() => window.print()} disabled={!ready}>
          {t(language, 'reportPrint')}
        </button>
        {!ready && <span class="muted">{status === 'error' ? error : t(language, 'reportPreparing')}</span>}
      </div>
      <section class="report-page report-first">
        <header class="report-header">
          <h1 data-testid="report-title">{title}</h1>
          <p class="report-meta">
            {t(language, 'tagline')} · {t(language, 'reportDataSet')}:{' '}
            {dataSetName(manifest, language) ?? app.store.get().dataPath} · {t(language, 'reportDate')}: {date}
          </p>
          {scenario && (
            <p class="report-scenario" data-testid="report-scenario">
              {t(language, 'reportScenario', {
                name: scenario.name,
                greenspaces: scenario.greenspaces,
                greenways: scenario.greenways,
              })}
            </p>
          )}
          {scenarioMissing && (
            <p class="error" role="alert" data-testid="report-scenario-missing">
              {t(language, 'reportScenarioMissing', { id: scenarioMissing })}
            </p>
          )}
          {result && (
            <p class="rules-in-force" data-testid="report-rules">
              <strong>{t(language, 'rulesInForce')}:</strong> {rulesLine(result, language)}
            </p>
          )}
        </header>
        <div class="report-body">
          <ReportMap services={services} language={language} />
          <aside class="report-side">
            {result && <ReportLegend result={result} language={language} />}
            {result && (
              <section class="report-figures">
                <h2>
                  {community !== null ? communityName(result.communities[community], language) : t(language, 'city')}
                </h2>
                <TotalsFigures
                  totals={community !== null ? result.summary.communities[community] : result.summary.city}
                  language={language}
                  testId="report-summary"
                />
                <PopulationSource result={result} layerName={data?.populationName ?? null} language={language} />
              </section>
            )}
            {synthetic && <p class="report-note">{t(language, 'synthetic')}</p>}
          </aside>
        </div>
        {result && (
          <p class="report-foot muted">
            {t(language, 'reportMapNote', { dpi: reportDpi, cell: result.grid.cellMeters })} ·{' '}
            {attribution?.attribution ?? t(language, 'demoData')}
            {basemapNote ? ` · ${basemapNote}` : ''} · {t(language, 'reportGenerated')} · {date}
          </p>
        )}
      </section>
      {result && (
        <section class="report-page">
          <GapTable
            gaps={listedGaps}
            result={result}
            language={language}
            title={community !== null ? t(language, 'gaps') : t(language, 'reportTopGaps', { count: topGapCount })}
          />
          {community !== null ? (
            <NearestParksTable parks={parks} language={language} />
          ) : (
            <CommunityTable result={result} language={language} />
          )}
          <section class="report-section" data-testid="report-sources">
            <h2>{t(language, 'reportAttribution')}</h2>
            <p>
              {t(language, 'dataSources')}: {dataSetName(manifest, language) ?? app.store.get().dataPath}
              {typeof manifest?.source === 'string' ? ` (${manifest.source})` : ''}
            </p>
            {attribution && (
              <p data-testid="report-attribution">
                {attribution.attribution}
                {attribution.license ? ` · ${attribution.license}` : ''}
              </p>
            )}
            {basemapNote && <p data-testid="report-basemap">{basemapNote}</p>}
            {synthetic && <p>{t(language, 'synthetic')}</p>}
            <p class="muted">
              {t(language, 'reportGenerated')} · {date}
            </p>
          </section>
        </section>
      )}
    </div>
  );
}
