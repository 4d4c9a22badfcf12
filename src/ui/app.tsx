import { useMemo, useRef, useState } from 'preact/hooks';
import { DrawTool } from '../map/draw-tool';
import type { PlannerMap } from '../map/planner-map';
import type { PlannerApp } from '../state/planner-app';
import { ScenarioController } from '../state/scenario';
import { CommunityTable } from './community-table';
import { ExportPanel } from './export-panel';
import { CommunityPanel, GapList } from './gap-list';
import { t } from './i18n';
import { ImportBanner, ImportPanel, useImported } from './import-panel';
import { LegendPanel } from './legend-panel';
import { MapView } from './map-view';
import { RulesPanel } from './rules-panel';
import { ScenarioPanel } from './scenario-panel';
import { SummaryPanel } from './summary-panel';
import { useStore } from './use-store';

/** The planner screen: header, side panels and the map. */
export function App({ app }: { app: PlannerApp }) {
  const map = useRef<PlannerMap | null>(null);
  const language = useStore(app.store, (state) => state.language);
  const error = useStore(app.store, (state) => state.error);
  const synthetic = useStore(app.store, (state) => state.data?.manifest?.synthetic ?? state.dataPath === 'data/demo/');
  const imported = useImported(app);
  const [copied, setCopied] = useState(false);
  const scenarios = useMemo(() => new ScenarioController(app), [app]);
  const [drawTool, setDrawTool] = useState<DrawTool | null>(null);

  const selectCommunity = (community: number) => {
    app.selectCommunity(community);
    const bbox = app.store.get().result?.communities[community]?.bbox;
    if (bbox) map.current?.fitBounds(bbox);
  };
  const selectGap = (rank: number) => {
    app.selectGap(rank);
    const bbox = app.store.get().gaps?.areas[rank]?.bbox;
    if (bbox) map.current?.fitBounds(bbox, { maxZoom: 16 });
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
          {t(language, 'title')} <span class="tagline">{t(language, 'tagline')}</span>
        </h1>
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
        </div>
      </header>
      <ImportBanner app={app} />
      {synthetic && !imported && (
        <p class="synthetic" role="note" data-testid="synthetic-note">
          {t(language, 'synthetic')}
        </p>
      )}
      {error && (
        <p class="error banner" role="alert">
          {t(language, 'error')}: {error}
        </p>
      )}
      <div class="body">
        <aside class="side side-left">
          <RulesPanel app={app} />
          <LegendPanel app={app} />
          <ImportPanel app={app} />
          <ExportPanel app={app} />
        </aside>
        <main class="main">
          <MapView
            app={app}
            scenarios={scenarios}
            onMap={(instance) => {
              map.current = instance;
              setDrawTool((previous) => {
                previous?.destroy();
                return instance ? new DrawTool(instance, scenarios) : null;
              });
            }}
          />
        </main>
        <aside class="side side-right">
          <SummaryPanel app={app} />
          <ScenarioPanel app={app} controller={scenarios} tool={drawTool} />
          <CommunityPanel app={app} />
          <GapList app={app} onSelect={selectGap} />
          <CommunityTable app={app} onSelect={selectCommunity} />
        </aside>
      </div>
    </div>
  );
}
