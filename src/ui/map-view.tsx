import { bbox } from '@turf/bbox';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BoundingBox } from '../coverage';
import type { CellInfo, FeatureInfo } from '../map/planner-map';
import { PlannerMap } from '../map/planner-map';
import type { PlannerApp } from '../state/planner-app';
import type { ScenarioController } from '../state/scenario';
import { formatMeters, isMessageKey, kindLabel, t } from './i18n';
import { st } from './scenario-i18n';
import { SwipeDivider } from './swipe-divider';
import { useStore } from './use-store';

declare global {
  interface Window {
    /** The planner map, for tests and the bench (e.g. `project(lng, lat)`). */
    __greenreachMap?: PlannerMap;
  }
}

/** `[west, south, east, north]` of every position in a FeatureCollection, or null when it has none. */
function collectionBounds(collection: GeoJSON.FeatureCollection): BoundingBox | null {
  const [west, south, east, north] = bbox(collection);
  return west <= east ? [west, south, east, north] : null;
}

/**
 * The map: creates one PlannerMap and hands it the store's data as it changes, and, with a scenario
 * controller, the swipe comparison (its baseline and divider) with the divider's handle over the map.
 */
export function MapView({
  app,
  onMap,
  scenarios,
}: {
  app: PlannerApp;
  onMap: (map: PlannerMap | null) => void;
  scenarios?: ScenarioController;
}) {
  const container = useRef<HTMLElement>(null);
  const [cell, setCell] = useState<CellInfo | null>(null);
  const [feature, setFeature] = useState<FeatureInfo | null>(null);
  const language = useStore(app.store, (state) => state.language);
  const status = useStore(app.store, (state) => state.status);
  const progress = useStore(app.store, (state) => state.progress);
  const loadedBytes = useStore(app.store, (state) => state.loadedBytes);
  const result = useStore(app.store, (state) => state.result);
  const communities = useStore(app.store, (state) => state.data?.communities);

  useEffect(() => {
    const initial = app.store.get();
    const map = new PlannerMap({
      container: container.current!,
      view: initial.view,
      language: initial.language,
      onViewChange: (view) => app.setView(view),
      onCommunityClick: (community) => {
        app.selectCommunity(community);
        const bbox = community !== null ? app.store.get().result?.communities[community]?.bbox : null;
        if (bbox) map.fitBounds(bbox);
      },
      onCellInfo: setCell,
      onFeatureInfo: setFeature,
      kindLabel: (kind) => kindLabel(app.store.get().language, kind),
    });
    onMap(map);
    app.mapDataDrawn = () => map.whenDataDrawn(3000);
    window.__greenreachMap = map;
    let drawnResult: unknown = null;
    const push = (state = app.store.get(), previous: typeof state | null = null) => {
      if (state.data && state.data !== previous?.data) {
        void map.setData(state.data).then(() => {
          if (!state.view) {
            const bbox =
              (state.data!.district && collectionBounds(state.data!.district)) ??
              collectionBounds(state.data!.communities);
            if (bbox) map.fitBounds(bbox, { animate: false, maxZoom: 14 });
          }
        });
      }
      if (state.layers !== previous?.layers) map.setLayerVisibility(state.layers);
      if (state.language !== previous?.language) map.setLanguage(state.language);
      if (state.result !== drawnResult) {
        drawnResult = state.result;
        const result = state.result;
        void map.setCoverage(result).then(() => {
          if (result) app.markDrawn(result);
        });
      }
      if (state.gaps !== previous?.gaps) map.setGaps(state.gaps);
      if (state.selectedCommunity !== previous?.selectedCommunity) map.highlightCommunity(state.selectedCommunity);
      if (state.selectedGap !== previous?.selectedGap) map.highlightGap(state.selectedGap);
    };
    push();
    const unsubscribe = app.store.subscribe((state, previous) => push(state, previous));
    // The swipe's left side is the controller's baseline; off, the map gets null and frees its raster.
    const pushSwipe = () => {
      const scenario = scenarios?.store.get();
      if (!scenario) return;
      map.setSwipeDivider(scenario.swipeDividerPercent);
      void map.setSwipeBaseline(scenario.swipe ? scenario.baseline : null);
    };
    pushSwipe();
    const unsubscribeSwipe = scenarios?.store.subscribe(pushSwipe);
    return () => {
      unsubscribe();
      unsubscribeSwipe?.();
      app.mapDataDrawn = null;
      onMap(null);
      window.__greenreachMap = undefined;
      map.destroy();
    };
  }, [app, scenarios]);

  const fraction = status === 'computing' ? (progress?.fraction ?? 0) : status === 'loading' ? 0 : 1;
  const busy = status === 'loading' || status === 'computing' || status === 'drawing';
  const phase = progress ? `phase_${progress.phase}` : null;
  const community = cell && cell.community >= 0 ? communities?.features[cell.community]?.properties : null;
  const communityName = community
    ? String((language === 'en' ? (community.name_en ?? community.name) : community.name) ?? '')
    : t(language, 'outside');
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
              {cell.baseline && <span data-testid="cell-info-baseline"> · {st(language, 'baseline')}</span>}
            </strong>
            <div>{communityName}</div>
            {cell.greenMeters !== null && (
              <div>
                {t(language, 'toGreen')}: {formatMeters(language, cell.greenMeters, cell.reachMeters.green)}
              </div>
            )}
            {cell.parkMeters !== null && (
              <div>
                {t(language, 'toPark')}: {formatMeters(language, cell.parkMeters, cell.reachMeters.park)}
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
