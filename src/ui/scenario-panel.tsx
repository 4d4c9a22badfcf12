// `.file-button` (a file input drawn in the interface language) is the import panel's; Vite bundles it once.
import '../../styles/import-export.css';
import '../../styles/scenario.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CoverageResult } from '../coverage';
import { writeCsv } from '../io/csv';
import { writeGeoJson } from '../io/geojson';
import type { DrawTool } from '../map/draw-tool';
import { deleteVertexRefusal, partAt, vertexKeyStepMeters } from '../map/vertex-handles';
import type { PlannerApp } from '../state/planner-app';
import { type DrawMode, rulesKey, type ScenarioController, type ScenarioFeature, totalsGain } from '../state/scenario';
import type { Language } from '../state/url-state';
import { formatCount, kindLabel } from './i18n';
import { st } from './scenario-i18n';
import { useStore } from './use-store';

const areaKinds = ['pocket_park', 'park', 'micro_green', 'green_space'];

function communityName(result: CoverageResult, index: number, language: Language): string {
  const community = result.communities[index];
  if (!community) return `#${index + 1}`;
  return language === 'en' && community.nameEnglish ? community.nameEnglish : community.name;
}

function signed(language: Language, value: number | null): string {
  if (value === null) return '—';
  const text = formatCount(language, Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : '0';
}

/** A feature's entry in the list: its kind, then its name (or its number), e.g. "小游园 · 新公园 1". */
function featureLabel(feature: ScenarioFeature, index: number, language: Language): string {
  const properties = feature.feature.properties ?? {};
  const kind = kindLabel(
    language,
    feature.layer === 'greenways' ? 'greenway' : String(properties.kind ?? 'pocket_park'),
  );
  const name = String(properties.name ?? '').trim() || st(language, 'unnamed', { n: index + 1 });
  const label = `${kind} · ${name}`;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

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

/** Scenario editing: tools, the change vs the baseline, undo/redo, scenarios, suggested sites, export. */
export function ScenarioPanel({
  app,
  controller,
  tool,
}: {
  app: PlannerApp;
  controller: ScenarioController;
  tool: DrawTool | null;
}) {
  const language = useStore(app.store, (state) => state.language);
  const state = useStore(controller.store, (s) => s);
  const { baseline, result, features, mode, selectedKey, suggest } = state;
  const selected = features.find((f) => f.key === selectedKey) ?? null;
  const vertex = selected && state.selectedVertex ? state.selectedVertex : null;
  const vertexPart = vertex ? partAt(selected?.feature.geometry, vertex.path) : null;
  const deletionRefusal = vertex ? deleteVertexRefusal(selected?.feature.geometry, vertex.path, vertex.index) : null;
  const spec = controller.siteSpec();
  const active = state.scenarios.find((s) => s.id === state.activeId) ?? null;
  const [count, setCount] = useState(suggest.count);

  const gain = baseline && result ? totalsGain(baseline.summary.city, result.summary.city) : null;
  const communityGains =
    baseline && result && result !== baseline
      ? result.summary.communities
          .map((totals, index) => ({ index, ...totalsGain(baseline.summary.communities[index], totals) }))
          .filter((row) => row.cells !== 0 || (row.residents ?? 0) !== 0)
          .sort((a, b) => (b.residents ?? b.cells) - (a.residents ?? a.cells))
      : [];

  const tools: [DrawMode, string][] = [
    ['pan', st(language, 'toolPan')],
    ['select', st(language, 'toolSelect')],
    ['park', st(language, 'toolPark')],
    ['greenway', st(language, 'toolGreenway')],
  ];

  const csv = useMemo(() => {
    if (!baseline || !result) return '';
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
    row(st(language, 'city'), baseline.summary.city, result.summary.city);
    result.summary.communities.forEach((totals, index) => {
      row(communityName(result, index, language), baseline.summary.communities[index], totals);
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
  }, [baseline, result, active?.name, language]);
  const geojson = useMemo(() => (features.length ? writeGeoJson(controller.featureCollection()) : ''), [features]);
  const fileBase = (active?.name ?? 'scenario').replace(/[\\/:*?"<>|\s]+/g, '_');

  return (
    <section class="panel scenario-panel" aria-labelledby="scenario-heading" data-testid="scenario-panel">
      <h2 id="scenario-heading">{st(language, 'scenario')}</h2>
      <div class="scenario-row">
        <select
          aria-label={st(language, 'scenario')}
          data-testid="scenario-select"
          value={state.activeId ?? ''}
          onChange={(event) => controller.switchTo((event.target as HTMLSelectElement).value)}
        >
          {state.scenarios.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <input
          aria-label={st(language, 'name')}
          data-testid="scenario-name"
          value={active?.name ?? ''}
          onChange={(event) => controller.rename((event.target as HTMLInputElement).value)}
        />
        <button type="button" onClick={() => controller.newScenario()} data-testid="scenario-new">
          {st(language, 'newScenario')}
        </button>
        <button
          type="button"
          onClick={() => {
            if (active && window.confirm(st(language, 'confirmDelete', { name: active.name })))
              void controller.deleteScenario(active.id);
          }}
        >
          {st(language, 'deleteScenario')}
        </button>
      </div>
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
        <button
          type="button"
          disabled={!state.canUndo}
          onClick={() => controller.undo()}
          data-testid="undo"
          title="Ctrl+Z"
        >
          {st(language, 'undo')}
        </button>
        <button
          type="button"
          disabled={!state.canRedo}
          onClick={() => controller.redo()}
          data-testid="redo"
          title="Ctrl+Shift+Z"
        >
          {st(language, 'redo')}
        </button>
      </div>
      {mode === 'park' && spec && (
        <p class="muted small">{st(language, 'parkHelp', { area: spec.areaSquareMeters })}</p>
      )}
      {mode === 'greenway' && (
        <p class="muted small">
          {st(language, 'greenwayHelp')}{' '}
          <button type="button" onClick={() => tool?.finishGreenway()} data-testid="finish-greenway">
            {st(language, 'finish')}
          </button>
        </p>
      )}
      {features.length > 0 && (
        <ul class="scenario-feature-list" aria-label={st(language, 'featureList')} data-testid="feature-list">
          {features.map((feature, index) => (
            <li key={feature.key}>
              <button
                type="button"
                aria-pressed={feature.key === selectedKey}
                data-testid={`feature-item-${index}`}
                data-key={feature.key}
                onClick={() => (tool ? tool.selectFeature(feature.key) : controller.selectFeature(feature.key))}
              >
                {featureLabel(feature, index, language)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {selected && (
        <div class="scenario-row" data-testid="selected-feature">
          <input
            aria-label={st(language, 'name')}
            placeholder={st(language, 'name')}
            value={String(selected.feature.properties?.name ?? '')}
            onChange={(event) =>
              controller.setProperties(selected.key, { name: (event.target as HTMLInputElement).value })
            }
          />
          {selected.layer === 'greenspaces' && (
            <select
              aria-label={st(language, 'kind')}
              value={String(selected.feature.properties?.kind ?? 'pocket_park')}
              onChange={(event) =>
                controller.setProperties(selected.key, { kind: (event.target as HTMLSelectElement).value })
              }
            >
              {areaKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {kindLabel(language, kind)}
                </option>
              ))}
            </select>
          )}
          <button type="button" onClick={() => controller.remove(selected.key)} data-testid="delete-feature">
            {st(language, 'delete')}
          </button>
        </div>
      )}
      {selected && (mode === 'select' || mode === 'pan') && (
        <p class="muted small" data-testid="reshape-help">
          {st(language, 'reshapeHelp')}{' '}
          {st(language, 'reshapeKeys', { step: vertexKeyStepMeters.normal, shiftStep: vertexKeyStepMeters.shift })}
        </p>
      )}
      {selected && state.reshapeRefused === 'crossing' && (
        <p class="error small" role="status" data-testid="reshape-refused">
          {st(language, 'outlineCrossing')}
        </p>
      )}
      {selected && vertex && vertexPart && vertex.index < vertexPart.vertices.length && (
        <div class="scenario-row small" data-testid="selected-vertex">
          <span>{st(language, 'vertexOf', { n: vertex.index + 1, count: vertexPart.vertices.length })}</span>
          {deletionRefusal === null ? (
            <button type="button" data-testid="delete-vertex" onClick={() => tool?.deleteSelectedVertex()}>
              {st(language, 'deleteVertex')}
            </button>
          ) : (
            <span class="muted" data-testid="delete-vertex-refused">
              {st(
                language,
                deletionRefusal === 'crossing' ? 'outlineCrossing' : vertexPart.closed ? 'minimumRing' : 'minimumLine',
              )}
            </span>
          )}
        </div>
      )}
      {state.error && (
        <p class="error" role="alert">
          {state.error}
        </p>
      )}
      <h3>{st(language, 'change')}</h3>
      <label class="small">
        <input
          type="checkbox"
          data-testid="show-baseline"
          checked={state.showBaseline}
          onChange={(event) => controller.setShowBaseline((event.target as HTMLInputElement).checked)}
        />{' '}
        {st(language, 'showBaseline')}
      </label>{' '}
      <label class="small">
        <input
          type="checkbox"
          data-testid="swipe"
          checked={state.swipe}
          onChange={(event) => controller.setSwipe((event.target as HTMLInputElement).checked)}
        />{' '}
        {st(language, 'swipe')}
      </label>
      {features.length === 0 && <p class="muted small">{st(language, 'noFeatures')}</p>}
      <dl class="figures" data-testid="scenario-change" data-synced={String(state.synced)}>
        <div>
          <dt>{st(language, 'features')}</dt>
          <dd data-figure="features">{features.length}</dd>
        </div>
        <div>
          <dt>{st(language, 'newResidents')}</dt>
          <dd data-figure="residents">{gain ? signed(language, gain.residents) : '—'}</dd>
        </div>
        <div>
          <dt>{st(language, 'newCells')}</dt>
          <dd data-figure="cells">{gain ? signed(language, gain.cells) : '—'}</dd>
        </div>
        <div>
          <dt>{st(language, 'changedCells')}</dt>
          <dd data-figure="changed">{state.changedCells ? formatCount(language, state.changedCells.length) : '0'}</dd>
        </div>
        <div>
          <dt>{st(language, 'editTime')}</dt>
          <dd data-figure="edit-ms">
            {state.synced
              ? state.lastEditMs !== null
                ? `${state.lastEditMs.toFixed(2)} ms`
                : '—'
              : st(language, 'pending')}
          </dd>
        </div>
      </dl>
      {communityGains.length > 0 && (
        <table class="scenario-table small" data-testid="scenario-communities">
          <caption>{st(language, 'byCommunity')}</caption>
          <thead>
            <tr>
              <th>{st(language, 'community')}</th>
              <th>{st(language, 'newResidents')}</th>
              <th>{st(language, 'newCells')}</th>
            </tr>
          </thead>
          <tbody>
            {communityGains.slice(0, 12).map((row) => (
              <tr key={row.index}>
                <td>{communityName(result!, row.index, language)}</td>
                <td>{signed(language, row.residents)}</td>
                <td>{signed(language, row.cells)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{st(language, 'suggest')}</h3>
      <fieldset
        class="candidate-source small"
        data-testid="candidate-source"
        data-source={suggest.source}
        data-restoring={String(suggest.layerRestoring)}
      >
        <legend>{st(language, 'candidateSource')}</legend>
        <label>
          <input
            type="radio"
            name="candidate-source"
            value="land"
            data-testid="source-land"
            checked={suggest.source === 'land'}
            onChange={() => controller.setCandidateSource('land')}
          />{' '}
          {st(language, 'sourceLand')}
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
          {st(language, 'sourceLayer')}
        </label>
        <p class="muted candidate-file-help" id="candidate-file-help">
          {st(language, 'candidateFile')}
        </p>
        <label class="file-button">
          <span>{st(language, 'chooseCandidate')}</span>
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
        {suggest.layerLoading && <p class="muted">{st(language, 'candidateReading')}</p>}
        {suggest.layer && (
          <p data-testid="candidate-layer">
            {st(language, 'candidateSummary', {
              file: suggest.layer.fileName,
              points: formatCount(language, suggest.layer.points),
              polygons: formatCount(language, suggest.layer.polygons),
            })}
            {suggest.layer.skipped > 0 && `; ${st(language, 'candidateSkipped', { count: suggest.layer.skipped })}`}
            {suggest.layer.outside > 0 && `; ${st(language, 'candidateOutside', { count: suggest.layer.outside })}`}{' '}
            <button
              type="button"
              class="link"
              data-testid="candidate-forget"
              title={st(language, 'candidateForgetTitle')}
              onClick={() => controller.forgetCandidateLayer()}
            >
              {st(language, 'candidateForget')}
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
              {st(language, 'cancel')}
            </button>
          </>
        ) : (
          <button
            type="button"
            disabled={!baseline || (suggest.source === 'layer' && !suggest.layer)}
            title={suggest.source === 'layer' && !suggest.layer ? st(language, 'chooseCandidateFile') : undefined}
            data-testid="suggest"
            onClick={() => {
              controller.setSuggestCount(count);
              void controller.suggest(controller.store.get().suggest.count);
            }}
          >
            {st(language, 'suggestN')}
          </button>
        )}
      </div>
      {suggest.error && <p class="error">{suggest.error}</p>}
      {suggest.result && (
        <>
          <p class="muted small">
            {st(language, 'greedyNote')} ({formatCount(language, suggest.result.candidateCount)}{' '}
            {st(language, 'candidates')}
            {suggest.result.latticeSpacing === null && suggest.layer
              ? ` ${st(language, 'fromLayer', { file: suggest.layer.fileName })}`
              : ''}
            {suggest.result.skippedCandidates > 0
              ? `; ${st(language, 'parcelsSkipped', {
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
                <th>{st(language, 'rank')}</th>
                <th>{st(language, 'newResidents')}</th>
                <th>{st(language, 'newCells')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {suggest.result.sites.map((site) => (
                <tr key={site.rank}>
                  <td>{site.rank}</td>
                  <td>
                    {site.newResidentsCovered === null ? '—' : `+${formatCount(language, site.newResidentsCovered)}`}
                  </td>
                  <td>+{formatCount(language, site.newCellsCovered)}</td>
                  <td>
                    {suggest.accepted.includes(site.rank) ? (
                      st(language, 'accepted')
                    ) : (
                      <button
                        type="button"
                        data-testid={`accept-${site.rank}`}
                        onClick={() => controller.acceptSite(site.rank)}
                      >
                        {st(language, 'accept')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>{st(language, 'scenarios')}</h3>
      <table class="scenario-table small" data-testid="scenario-compare">
        <thead>
          <tr>
            <th>{st(language, 'scenario')}</th>
            <th>{st(language, 'features')}</th>
            <th>{st(language, 'residentsBoth')}</th>
            <th>{st(language, 'gain')}</th>
            <th>{st(language, 'cellsBoth')}</th>
          </tr>
        </thead>
        <tbody>
          {baseline && (
            <tr>
              <td>{st(language, 'baseline')}</td>
              <td>0</td>
              <td>{formatCount(language, baseline.summary.city.populationMeetingBoth)}</td>
              <td>—</td>
              <td>{formatCount(language, baseline.summary.city.cellsMeetingBoth)}</td>
            </tr>
          )}
          {state.scenarios.map((scenario) => {
            // The open scenario's figures are the live ones once in step; a scenario without features is
            // the baseline. Only a saved scenario computed under other rules needs opening to update.
            const live =
              baseline && scenario.id === state.activeId && state.synced && result
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
              <tr key={scenario.id} class={scenario.id === state.activeId ? 'active' : ''}>
                <td>
                  <button type="button" class="link" onClick={() => controller.switchTo(scenario.id)}>
                    {scenario.name}
                  </button>
                </td>
                <td>{scenario.features.length}</td>
                <td>
                  {current ? formatCount(language, current.scenario.populationMeetingBoth) : st(language, 'otherRules')}
                </td>
                <td>{g ? signed(language, g.residents ?? g.cells) : '—'}</td>
                <td>{current ? formatCount(language, current.scenario.cellsMeetingBoth) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>{st(language, 'export')}</h3>
      <div class="scenario-row">
        {geojson && (
          <DownloadLink
            text={geojson}
            type="application/geo+json"
            fileName={`${fileBase}.geojson`}
            label={st(language, 'exportGeoJson')}
            testId="export-geojson"
          />
        )}
        {csv && (
          <DownloadLink
            text={csv}
            type="text/csv;charset=utf-8"
            fileName={`${fileBase}.csv`}
            label={st(language, 'exportCsv')}
            testId="export-csv"
          />
        )}
      </div>
    </section>
  );
}
