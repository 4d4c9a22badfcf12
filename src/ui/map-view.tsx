import { useEffect, useRef } from 'preact/hooks';
import type { PlannerApp } from '../state/planner-app';
import type { ResultsView } from '../state/results';
import type { ScenarioController } from '../state/scenario';
import type { HoverState } from '../state/services';
import type { Store } from '../state/store';
import type { Language } from '../state/url-state';
import { communityName, formatMeters, isMessageKey, kindLabel, t } from './i18n';
import { lazyComponent } from './lazy-component';
import { useStore } from './use-store';

/** The swipe divider loads after the first page (it shows only while comparing). */
const SwipeDivider = lazyComponent(() => import('./swipe-divider').then((module) => module.SwipeDivider));

/**
 * The map's place on the page: hands its element to the composition root (which builds the map and
 * binds it to the stores), shows the progress line, the hover read-out and, with scenarios, the swipe
 * divider over the map.
 */
export function MapView({
  app,
  results,
  hover,
  attachMap,
  scenarios,
}: {
  app: PlannerApp;
  results: ResultsView;
  hover: Store<HoverState>;
  attachMap: (container: HTMLElement | null) => void;
  scenarios?: ScenarioController;
}) {
  const container = useRef<HTMLElement>(null);
  const cell = useStore(hover, (state) => state.cell);
  const feature = useStore(hover, (state) => state.feature);
  const language = useStore(app.store, (state) => state.language);
  const status = useStore(app.store, (state) => state.status);
  const progress = useStore(app.store, (state) => state.progress);
  const loadedBytes = useStore(app.store, (state) => state.loadedBytes);
  const result = useStore(results.store, (state) => state.shown?.result ?? null);

  useEffect(() => {
    attachMap(container.current);
    return () => attachMap(null);
  }, [attachMap]);

  const fraction = status === 'computing' ? (progress?.fraction ?? 0) : status === 'loading' ? 0 : 1;
  const busy = status === 'loading' || status === 'computing' || status === 'drawing';
  const phase = progress ? `phase_${progress.phase}` : null;
  const community = cell && cell.community >= 0 ? result?.communities[cell.community] : undefined;
  const cellCommunity = community ? communityName(community, language) : t(language, 'outside');
  const stateLabel = cell ? t(language, cell.state) : '';

  return (
    <div class="map-wrap">
      <section ref={container} class="map" aria-label={t(language, 'title')} />
      {scenarios && <SwipeDivider controller={scenarios} language={language} />}
      <div class={`progress ${busy ? 'busy' : 'done'}`} aria-live="polite">
        <progress
          max={1}
          value={fraction}
          aria-label={t(language, busy ? (status === 'loading' ? 'loading' : 'computing') : 'ready')}
        />
        <span class="progress-text">
          {status === 'loading'
            ? `${t(language, 'loading')} ${(loadedBytes / 1e6).toFixed(1)} MB`
            : status === 'computing'
              ? `${t(language, 'computing')} ${Math.round(fraction * 100)}%${phase && isMessageKey(phase) ? ` · ${t(language, phase)}` : ''}`
              : status === 'drawing'
                ? t(language, 'drawing')
                : status === 'error'
                  ? t(language, 'error')
                  : result
                    ? `${t(language, 'ready')} · ${Math.round(result.timingsMs.compute ?? 0)} ms`
                    : ''}
        </span>
      </div>
      <div class="cell-info" aria-live="polite" data-testid="cell-info">
        {feature && (
          <div data-testid="feature-info">
            <strong>{feature.name || kindLabel(language, feature.kind)}</strong>
            {feature.name && ` · ${kindLabel(language, feature.kind)}`}
          </div>
        )}
        {cell ? (
          <>
            <strong>
              {t(language, 'cell')} · {stateLabel}
              {cell.baseline && <span data-testid="cell-info-baseline"> · {t(language, 'baseline')}</span>}
            </strong>
            <div>{cellCommunity}</div>
            {cell.offNetwork && <div data-testid="cell-off-network">{t(language, 'offNetwork')}</div>}
            {cell.greenMeters !== null && (
              <div data-testid="cell-green">
                {t(language, 'toGreen')}:{' '}
                {distanceText(language, cell.greenMeters, cell.greenStraightMeters, cell.reachMeters.green)}
              </div>
            )}
            {cell.parkMeters !== null && (
              <div data-testid="cell-park">
                {t(language, 'toPark')}:{' '}
                {distanceText(language, cell.parkMeters, cell.parkStraightMeters, cell.reachMeters.park)}
              </div>
            )}
            {cell.gap >= 0 && (
              <div>
                {t(language, 'gapArea')} #{cell.gap + 1}
              </div>
            )}
          </>
        ) : (
          !feature && <span class="muted">{t(language, 'hoverHelp')}</span>
        )}
      </div>
    </div>
  );
}

/**
 * A cell's distance: the straight line alone, or (walking distance) the walk beside the straight line,
 * e.g. "320 m on foot, 210 m straight", with the reason when the walk is much longer.
 */
function distanceText(language: Language, meters: number, straightMeters: number | null, reach: number | null): string {
  if (straightMeters === null) return formatMeters(language, meters, reach);
  const walk = t(language, 'onFoot', { meters: formatMeters(language, meters, reach) });
  const straight = t(language, 'straightLine', { meters: formatMeters(language, straightMeters, reach) });
  // A walk half again as long as the line goes round something: a river, a railway, a fence.
  const detour = Number.isFinite(meters) && meters > 1.5 * straightMeters + 50 ? ` (${t(language, 'detour')})` : '';
  return `${walk}, ${straight}${detour}`;
}
