import { useState } from 'preact/hooks';
import { shippedDatasets } from '../state/datasets';
import type { PlannerServices } from '../state/services';
import { rulesTagline, t } from './i18n';
import { ImportBanner, ImportPanel, useImported } from './import-panel';
import { lazyComponent } from './lazy-component';
import { MapView } from './map-view';
import { OsmDialogSlot } from './osm-dialog-slot';
import { RulesPanel } from './rules-panel';
import { SummaryPanel } from './summary-panel';
import { useStore } from './use-store';

// Panels not needed for the first answer load right after the first page.
const ExportPanel = lazyComponent(() => import('./export-panel').then((module) => module.ExportPanel));
const MeasurePanel = lazyComponent(() => import('./measure-panel').then((module) => module.MeasurePanel));
const BasemapPanel = lazyComponent(() => import('./basemap-panel').then((module) => module.BasemapPanel));
const ProjectPanel = lazyComponent(() => import('./project-panel').then((module) => module.ProjectPanel));
const SearchBox = lazyComponent(() => import('./search-box').then((module) => module.SearchBox));
const ErrorBanner = lazyComponent(() => import('./error-banner').then((module) => module.ErrorBanner));
const LegendPanel = lazyComponent(() => import('./legend-panel').then((module) => module.LegendPanel));
const ScenarioPanel = lazyComponent(() => import('./scenario-panel').then((module) => module.ScenarioPanel));
const CommunityTable = lazyComponent(() => import('./community-table').then((module) => module.CommunityTable));
const GapList = lazyComponent(() => import('./gap-list').then((module) => module.GapList));
const CommunityPanel = lazyComponent(() => import('./gap-list').then((module) => module.CommunityPanel));

/** The planner screen: header, side panels and the map. */
export function App({ services }: { services: PlannerServices }) {
  const { app, imports, scenarios, results } = services;
  const language = useStore(app.store, (state) => state.language);
  const rules = useStore(app.store, (state) => state.rules);
  const synthetic = useStore(app.store, (state) => state.data?.manifest?.synthetic ?? state.dataPath === 'data/demo/');
  const imported = useImported(imports);
  const dataPath = useStore(app.store, (state) => state.dataPath);
  const attribution = useStore(app.store, (state) => {
    const value = state.data?.manifest?.attribution;
    return typeof value === 'string' ? value : null;
  });
  const outOfDate = useStore(results.store, (state) => state.shown?.outOfDate ?? false);
  const [copied, setCopied] = useState(false);

  const selectCommunity = (community: number) => {
    app.selectCommunity(community);
    const bbox = results.get().shown?.result.communities[community]?.bbox;
    if (bbox) app.focus(bbox);
  };
  const selectGap = (rank: number) => {
    app.selectGap(rank);
    const bbox = results.get().gaps?.areas[rank]?.bbox;
    if (bbox) app.focus(bbox, { maxZoom: 16 });
  };
  const copyLink = async () => {
    const url = `${location.origin}${location.pathname}${app.screenSearch()}`;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      window.prompt(t(language, 'copyLink'), url);
    }
  };

  return (
    <div class="app">
      <header class="top">
        <h1>
          {t(language, 'title')}{' '}
          <span class="tagline" data-testid="tagline">
            {rulesTagline(language, rules)}
          </span>
        </h1>
        {services.search && <SearchBox search={services.search} language={language} />}
        <div class="top-actions">
          <button type="button" onClick={copyLink} data-testid="copy-link">
            {copied ? t(language, 'copied') : t(language, 'copyLink')}
          </button>
          <button
            type="button"
            data-testid="language"
            lang={language === 'zh' ? 'en' : 'zh-CN'}
            aria-label={t(language, 'languageLabel')}
            onClick={() => app.setLanguage(language === 'zh' ? 'en' : 'zh')}
          >
            {t(language, 'language')}
          </button>
          <label class="dataset">
            <span class="visually-hidden">{t(language, 'dataset')}</span>
            <select
              data-testid="dataset"
              aria-label={t(language, 'dataset')}
              value={dataPath}
              onChange={(event) => app.openDataset((event.currentTarget as HTMLSelectElement).value)}
            >
              {shippedDatasets.map((dataset) => (
                <option key={dataset.path} value={dataset.path}>
                  {dataset.name[language]}
                </option>
              ))}
              {!shippedDatasets.some((dataset) => dataset.path === dataPath) && (
                <option value={dataPath}>{dataPath}</option>
              )}
            </select>
          </label>
        </div>
      </header>
      <ImportBanner app={app} imports={imports} />
      <OsmDialogSlot controller={services.osmImport} language={language} />
      {synthetic && !imported && (
        <p class="synthetic" role="note" data-testid="synthetic-note">
          {t(language, 'synthetic')}
        </p>
      )}
      {attribution && (
        <p class="attribution-note" role="note" data-testid="attribution">
          {t(language, 'dataFrom')}: {attribution}
        </p>
      )}
      <ErrorBanner app={app} />
      <div class="body">
        <aside class="side side-left">
          <RulesPanel app={app} />
          <LegendPanel app={app} results={results} basemap={services.basemap} />
          {services.measure && <MeasurePanel app={app} results={results} measure={services.measure} />}
          <ImportPanel app={app} imports={imports} osmImport={services.osmImport} />
          <BasemapPanel app={app} basemap={services.basemap} />
          <ExportPanel
            app={app}
            imports={imports}
            results={results}
            mapSnapshot={services.mapSnapshot}
            renderMap={services.renderMap}
            basemap={services.basemap}
          />
          {services.project && <ProjectPanel app={app} project={services.project} />}
        </aside>
        <main class="main">
          <MapView
            app={app}
            results={results}
            hover={services.hover}
            attachMap={services.attachMap}
            scenarios={scenarios}
          />
        </main>
        {/* A result of rules since changed: its panels are faded (after a short grace) and marked busy. */}
        <aside class="side side-right" data-out-of-date={outOfDate ? 'true' : undefined} aria-busy={outOfDate}>
          <SummaryPanel app={app} results={results} />
          <ScenarioPanel app={app} controller={scenarios} draw={services.draw} />
          <CommunityPanel app={app} results={results} />
          <GapList app={app} results={results} onSelect={selectGap} />
          <CommunityTable app={app} results={results} onSelect={selectCommunity} />
        </aside>
      </div>
    </div>
  );
}
