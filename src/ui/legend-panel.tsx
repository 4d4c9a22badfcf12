import { useMemo } from 'preact/hooks';
import { describeRules } from '../coverage';
import { compareWalk } from '../coverage/walk-comparison';
import type { BasemapController, BasemapState } from '../state/basemap-controller';
import type { PlannerApp } from '../state/planner-app';
import type { ResultsView } from '../state/results';
import { Store } from '../state/store';
import { layerNames } from '../state/url-state';
import { cssColor, rgbaCss, statesInUse, walkStateColors, walkStates } from '../theme/cell-colors';
import { formatCount, t } from './i18n';
import { useStore } from './use-store';
import './messages-later';

/** Where no basemap controller is given (the switch then always says "Streets"). */
const noBasemap = new Store<BasemapState>({ basemap: null, loading: null, error: null, notKept: false, source: null });

/**
 * The legend (states by label, swatch and pattern; the rules in force) and the layer toggles. With a
 * planner's basemap in use the streets switch shows or hides that basemap, and says so ("Basemap").
 */
export function LegendPanel({
  app,
  results,
  basemap,
}: {
  app: PlannerApp;
  results: ResultsView;
  basemap?: BasemapController;
}) {
  const language = useStore(app.store, (state) => state.language);
  const shownRules = useStore(results.store, (state) => state.shown?.result.rules ?? null);
  const appRules = useStore(app.store, (state) => state.rules);
  const rules = shownRules ?? appRules;
  const layers = useStore(app.store, (state) => state.layers);
  const shown = useStore(results.store, (state) => state.shown?.result ?? null);
  const walking = shown?.distance === 'network';
  const ownBasemap = useStore(basemap?.store ?? noBasemap, (state) => state.basemap !== null);
  const comparison = useMemo(
    () => (walking && layers.walkDifference ? compareWalk(shown!) : null),
    [shown, walking, layers.walkDifference],
  );
  const inUse = (['green', 'park'] as const).filter((id) => rules[id]);
  const single = inUse.length < 2;
  return (
    <section class="panel" aria-labelledby="legend-heading">
      <h2 id="legend-heading">{t(language, 'legend')}</h2>
      <p class="rules-in-force" data-testid="rules-in-force">
        <strong>{t(language, 'rulesInForce')}:</strong> {rules.name[language]} — {describeRules(rules, language)}
      </p>
      {comparison ? (
        <ul class="legend" data-testid="walk-legend">
          {walkStates.map((state) => (
            <li key={state}>
              <span class="swatch" style={{ background: rgbaCss(walkStateColors[state]) }} aria-hidden="true" />
              <span>
                {t(language, `walk_${state}`)}
                {state === 'lostOnFoot' && (
                  <span class="muted" data-testid="walk-lost-cells">
                    {' '}
                    ({formatCount(language, comparison.city.cellsLostOnFoot)} {t(language, 'cells')})
                  </span>
                )}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <ul class="legend">
          {statesInUse(inUse).map((state) => (
            <li key={state}>
              <span class={`swatch swatch-${state}`} style={{ background: cssColor(state) }} aria-hidden="true" />
              <span>
                {single ? t(language, state === 'both' ? 'meets' : 'notMeets') : t(language, state)}
                {state === 'neither' && <span class="muted"> ({t(language, 'neitherPattern')})</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p class="muted small" data-testid="legend-gap-note">
        {t(language, 'legendGapNote')}
      </p>
      <fieldset class="layers">
        <legend>{t(language, 'layers')}</legend>
        {layerNames
          .filter((name) => walking || name !== 'walkDifference')
          .map((name) => (
            <label key={name} class="check">
              <input
                type="checkbox"
                data-testid={`layer-${name}`}
                checked={layers[name]}
                onChange={(event) => app.setLayer(name, (event.currentTarget as HTMLInputElement).checked)}
              />
              <span>{t(language, name === 'streets' && ownBasemap ? 'layer_plannerBasemap' : `layer_${name}`)}</span>
            </label>
          ))}
      </fieldset>
    </section>
  );
}
