import { useEffect, useState } from 'preact/hooks';
import { drawnParkHomes } from '../state/drawn-homes';
import type { ScenarioFeature } from '../state/scenario';
import type { DrawActions } from '../state/services';
import type { Language } from '../state/url-state';
import { homesLabel } from './homes-label';
import { kindLabel, t } from './i18n';
import type { SectionProps } from './scenario-section-props';
import { useStore } from './use-store';
import './messages-later';

const areaKinds = ['pocket_park', 'park', 'micro_green', 'green_space'];

/** A feature's entry in the list: its kind, then its name (or its number), e.g. "小游园 · 新公园 1". */
function featureLabel(feature: ScenarioFeature, index: number, language: Language): string {
  const properties = feature.feature.properties ?? {};
  const kind = kindLabel(
    language,
    feature.layer === 'greenways' ? 'greenway' : String(properties.kind ?? 'pocket_park'),
  );
  const name = String(properties.name ?? '').trim() || t(language, 'unnamed', { n: index + 1 });
  const label = `${kind} · ${name}`;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/**
 * The scenario's features (one button each) and the selected feature: name, kind, delete, the reshaping
 * help and the selected vertex. Re-renders on feature and selection changes only.
 */
export function ScenarioEditSection({ controller, language, draw }: SectionProps & { draw: DrawActions }) {
  const features = useStore(controller.store, (s) => s.features);
  const selectedKey = useStore(controller.store, (s) => s.selectedKey);
  const selectedVertex = useStore(controller.store, (s) => s.selectedVertex);
  const mode = useStore(controller.store, (s) => s.mode);
  const reshapeRefused = useStore(controller.store, (s) => s.reshapeRefused);
  const error = useStore(controller.store, (s) => s.error);
  const selected = features.find((f) => f.key === selectedKey) ?? null;
  const baseline = useStore(controller.app.store, (s) => s.baseline);
  const homes = selected?.layer === 'greenspaces' && baseline ? drawnParkHomes(baseline, selected.feature) : null;
  const vertex = selected && selectedVertex ? selectedVertex : null;
  const rules = useVertexRules();
  const vertexPart = vertex && rules ? rules.partAt(selected?.feature.geometry, vertex.path) : null;
  const deletionRefusal =
    vertex && rules ? rules.deleteVertexRefusal(selected?.feature.geometry, vertex.path, vertex.index) : null;
  return (
    <>
      {features.length > 0 && (
        <ul class="scenario-feature-list" aria-label={t(language, 'featureList')} data-testid="feature-list">
          {features.map((feature, index) => (
            <li key={feature.key}>
              <button
                type="button"
                aria-pressed={feature.key === selectedKey}
                data-testid={`feature-item-${index}`}
                data-key={feature.key}
                onClick={() => draw.selectFeature(feature.key)}
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
            aria-label={t(language, 'name')}
            placeholder={t(language, 'name')}
            value={String(selected.feature.properties?.name ?? '')}
            onChange={(event) =>
              controller.setProperties(selected.key, { name: (event.target as HTMLInputElement).value })
            }
          />
          {selected.layer === 'greenspaces' && (
            <select
              aria-label={t(language, 'kind')}
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
            {t(language, 'delete')}
          </button>
        </div>
      )}
      {homes && (
        <p
          class={homes.residentialCells > 0 ? 'site-homes on-homes small' : 'site-homes muted small'}
          data-testid="selected-homes"
          data-cells={homes.residentialCells}
          title={homes.residentialCells > 0 ? t(language, 'siteHomesWarning') : undefined}
        >
          {homes.residentialCells > 0 ? '⚠ ' : ''}
          {homesLabel(language, homes.residentialCells, homes.residents)}
        </p>
      )}
      {selected && (mode === 'select' || mode === 'pan') && (
        <p class="muted small" data-testid="reshape-help">
          {t(language, 'reshapeHelp')}{' '}
          {rules &&
            t(language, 'reshapeKeys', {
              step: rules.vertexKeyStepMeters.normal,
              shiftStep: rules.vertexKeyStepMeters.shift,
            })}
        </p>
      )}
      {selected && reshapeRefused === 'crossing' && (
        <p class="error small" role="status" data-testid="reshape-refused">
          {t(language, 'outlineCrossing')}
        </p>
      )}
      {selected && vertex && vertexPart && vertex.index < vertexPart.vertices.length && (
        <div class="scenario-row small" data-testid="selected-vertex">
          <span>{t(language, 'vertexOf', { n: vertex.index + 1, count: vertexPart.vertices.length })}</span>
          {deletionRefusal === null ? (
            <button type="button" data-testid="delete-vertex" onClick={() => draw.deleteSelectedVertex()}>
              {t(language, 'deleteVertex')}
            </button>
          ) : (
            <span class="muted" data-testid="delete-vertex-refused">
              {t(
                language,
                deletionRefusal === 'crossing' ? 'outlineCrossing' : vertexPart.closed ? 'minimumRing' : 'minimumLine',
              )}
            </span>
          )}
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

/**
 * The vertex-editing rules (src/geometry/vertex-handles.ts), loaded after the first paint: the drawing
 * tool loads the same module, so it is there long before a vertex can be selected.
 */
function useVertexRules(): typeof import('../geometry/vertex-handles') | null {
  const [rules, setRules] = useState<typeof import('../geometry/vertex-handles') | null>(null);
  useEffect(() => {
    let live = true;
    void import('../geometry/vertex-handles').then((module) => live && setRules(module));
    return () => {
      live = false;
    };
  }, []);
  return rules;
}
