// `.file-button` (a file input drawn in the interface language) is the import panel's; Vite bundles it once.
import '../../styles/import-export.css';
import '../../styles/scenario.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { PlannerApp } from '../state/planner-app';
import type { DrawMode, ScenarioController } from '../state/scenario';
import type { DrawActions } from '../state/services';
import { t } from './i18n';
import { lazyComponent } from './lazy-component';
import { ScenarioChangeSection, ScenarioCompareSection, useScenarioCsv } from './scenario-change-section';
import type { SectionProps } from './scenario-section-props';

const ScenarioEditSection = lazyComponent(() =>
  import('./scenario-edit-section').then((module) => module.ScenarioEditSection),
);
const ScenarioSuggestSection = lazyComponent(() =>
  import('./scenario-suggest-section').then((module) => module.ScenarioSuggestSection),
);

import { useStore } from './use-store';
import './messages-later';

/** A download link for text made into a Blob URL (revoked when the text changes or the link goes). */
function DownloadLink({
  text,
  type,
  fileName,
  label,
  testId,
}: {
  text: string;
  type: string;
  fileName: string;
  label: string;
  testId: string;
}) {
  const url = useMemo(() => URL.createObjectURL(new Blob([text], { type })), [text, type]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <a href={url} download={fileName} data-testid={testId} class="button-link">
      {label}
    </a>
  );
}

/**
 * Scenario editing: the scenario picker, tools, the features, the change vs the baseline, suggested
 * sites, the scenarios compared and the export. Each section subscribes to the part of the state it
 * shows, so a drag frame re-renders only the figures that changed.
 */
export function ScenarioPanel({
  app,
  controller,
  draw,
}: {
  app: PlannerApp;
  controller: ScenarioController;
  draw: DrawActions;
}) {
  const language = useStore(app.store, (state) => state.language);
  const props: SectionProps = { app, controller, language };
  return (
    <section class="panel scenario-panel" aria-labelledby="scenario-heading" data-testid="scenario-panel">
      <h2 id="scenario-heading">{t(language, 'scenario')}</h2>
      <ScenarioPicker {...props} />
      <ScenarioTools {...props} draw={draw} />
      <ScenarioEditSection {...props} draw={draw} />
      <ScenarioChangeSection {...props} />
      <ScenarioSuggestSection {...props} />
      <ScenarioCompareSection {...props} />
      <ScenarioExport {...props} />
    </section>
  );
}

/** Which scenario is open: the list, its name, new and delete. */
function ScenarioPicker({ controller, language }: SectionProps) {
  const scenarios = useStore(controller.store, (s) => s.scenarios);
  const activeId = useStore(controller.store, (s) => s.activeId);
  const active = scenarios.find((s) => s.id === activeId) ?? null;
  const problem = useStore(controller.store, (s) => s.storageProblem);
  const linkMissing = useStore(controller.store, (s) => s.linkedScenarioMissing);
  return (
    <div class="scenario-row">
      {linkMissing && (
        <p class="error small" role="alert" data-testid="scenario-link-missing">
          {t(language, 'scenarioLinkMissing', { id: linkMissing })}
        </p>
      )}
      {problem && (
        <p class="error small" role="alert" data-testid="scenario-storage-problem">
          {t(language, `storage_${problem.code}`, { count: problem.count ?? 0, detail: problem.detail ?? '' })}
        </p>
      )}
      <select
        aria-label={t(language, 'scenario')}
        data-testid="scenario-select"
        value={activeId ?? ''}
        onChange={(event) => controller.switchTo((event.target as HTMLSelectElement).value)}
      >
        {scenarios.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <input
        aria-label={t(language, 'name')}
        data-testid="scenario-name"
        value={active?.name ?? ''}
        onChange={(event) => controller.rename((event.target as HTMLInputElement).value)}
      />
      <button type="button" onClick={() => controller.newScenario()} data-testid="scenario-new">
        {t(language, 'newScenario')}
      </button>
      <button
        type="button"
        onClick={() => {
          if (active && window.confirm(t(language, 'confirmDelete', { name: active.name })))
            void controller.deleteScenario(active.id);
        }}
      >
        {t(language, 'deleteScenario')}
      </button>
    </div>
  );
}

/** The map tools, undo and redo, and the help of the tool in use. */
function ScenarioTools({ controller, language, draw }: SectionProps & { draw: DrawActions }) {
  const mode = useStore(controller.store, (s) => s.mode);
  const canUndo = useStore(controller.store, (s) => s.canUndo);
  const canRedo = useStore(controller.store, (s) => s.canRedo);
  const spec = controller.siteSpec();
  const tools: [DrawMode, string][] = [
    ['pan', t(language, 'toolPan')],
    ['select', t(language, 'toolSelect')],
    ['park', t(language, 'toolPark')],
    ['greenway', t(language, 'toolGreenway')],
  ];
  return (
    <>
      <div class="scenario-tools" role="toolbar">
        {tools.map(([id, label]) => (
          <button
            key={id}
            type="button"
            aria-pressed={mode === id}
            data-testid={`tool-${id}`}
            onClick={() => controller.setMode(id)}
          >
            {label}
          </button>
        ))}
        <button type="button" disabled={!canUndo} onClick={() => controller.undo()} data-testid="undo" title="Ctrl+Z">
          {t(language, 'undo')}
        </button>
        <button
          type="button"
          disabled={!canRedo}
          onClick={() => controller.redo()}
          data-testid="redo"
          title="Ctrl+Shift+Z"
        >
          {t(language, 'redo')}
        </button>
      </div>
      {mode === 'park' && spec && <p class="muted small">{t(language, 'parkHelp', { area: spec.areaSquareMeters })}</p>}
      {mode === 'greenway' && (
        <p class="muted small">
          {t(language, 'greenwayHelp')}{' '}
          <button type="button" onClick={() => draw.finishGreenway()} data-testid="finish-greenway">
            {t(language, 'finish')}
          </button>
        </p>
      )}
    </>
  );
}

/** Downloads of the scenario: its features (GeoJSON) and its figures (CSV). */
function ScenarioExport(props: SectionProps) {
  const { controller, language } = props;
  const features = useStore(controller.store, (s) => s.features);
  const name = useStore(controller.store, (s) => s.scenarios.find((scenario) => scenario.id === s.activeId)?.name);
  const writers = useWriters();
  const csv = useScenarioCsv(props, writers?.writeCsv ?? null);
  const geojson = useMemo(
    () => (features.length && writers ? writers.writeGeoJson(controller.featureCollection()) : ''),
    [features, writers],
  );
  const fileBase = (name ?? 'scenario').replace(/[\\/:*?"<>|\s]+/g, '_');
  return (
    <>
      <h3>{t(language, 'export')}</h3>
      <div class="scenario-row">
        {geojson && (
          <DownloadLink
            text={geojson}
            type="application/geo+json"
            fileName={`${fileBase}.geojson`}
            label={t(language, 'exportGeoJson')}
            testId="export-geojson"
          />
        )}
        {csv && (
          <DownloadLink
            text={csv}
            type="text/csv;charset=utf-8"
            fileName={`${fileBase}.csv`}
            label={t(language, 'exportCsv')}
            testId="export-csv"
          />
        )}
      </div>
    </>
  );
}

/** The GeoJSON and CSV writers, loaded after the first paint (the export links appear once they are here). */
function useWriters() {
  const [writers, setWriters] = useState<{
    writeGeoJson: typeof import('../io/geojson').writeGeoJson;
    writeCsv: typeof import('../io/csv').writeCsv;
  } | null>(null);
  useEffect(() => {
    let live = true;
    void Promise.all([import('../io/geojson'), import('../io/csv')]).then(([geojson, csv]) => {
      if (live) setWriters({ writeGeoJson: geojson.writeGeoJson, writeCsv: csv.writeCsv });
    });
    return () => {
      live = false;
    };
  }, []);
  return writers;
}
