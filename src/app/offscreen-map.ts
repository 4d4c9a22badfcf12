import type { BoundingBox } from '../coverage';
import { collectionBounds } from '../coverage/geometry';
import type { ScreenInsets } from '../map/fit-padding';
import { PlannerMap } from '../map/planner-map';
import type { BasemapState } from '../state/basemap-controller';
import { MapBinding } from '../state/map-binding';
import type { PlannerApp } from '../state/planner-app';
import type { ResultsView } from '../state/results';
import type { RenderedMap } from '../state/services';
import type { Store } from '../state/store';
import { kindLabel } from '../ui/i18n';
import { composeMapCanvas } from '../ui/report/compose-map';
import { frame, metresPerPixelAt, until } from './wait';

/**
 * Draws the shown result on a map of its own, `width` × `height` device pixels (kept off screen, built
 * and destroyed here), fitted to `bounds` (what the planner sees; the district when null) clear of
 * `insets` (CSS pixels, e.g. where a legend goes), and returns its composed canvas. Above 2,400 pixels
 * wide it draws at 2 device pixels per CSS pixel, so labels keep a readable size. The planner's basemap
 * (`basemap`: the same checked archive as on screen, in the same language, shown or hidden with the
 * streets switch) is drawn under it, and its tiles are waited for like the rest.
 */
export async function renderOffscreenMap(options: {
  app: PlannerApp;
  results: ResultsView;
  width: number;
  height: number;
  bounds: BoundingBox | null;
  insets: (cssWidth: number, cssHeight: number) => ScreenInsets;
  basemap?: Store<BasemapState> | null;
}): Promise<RenderedMap> {
  const { app, results } = options;
  const pixelRatio = options.width > 2400 ? 2 : 1;
  const cssWidth = Math.round(options.width / pixelRatio);
  const cssHeight = Math.round(options.height / pixelRatio);
  const container = document.createElement('div');
  container.setAttribute('aria-hidden', 'true');
  Object.assign(container.style, {
    position: 'fixed',
    left: '-100000px',
    top: '0',
    width: `${cssWidth}px`,
    height: `${cssHeight}px`,
  });
  document.body.append(container);
  const savedDataDrawn = app.mapDataDrawn;
  const map = new PlannerMap({
    container,
    view: app.store.get().view,
    language: app.store.get().language,
    pixelRatio,
    kindLabel: (kind) => kindLabel(app.store.get().language, kind),
  });
  const binding = new MapBinding(map, app, results, null, options.basemap ?? null);
  try {
    map.setInsets(() => options.insets(cssWidth, cssHeight));
    await map.whenDataDrawn(10_000);
    // The basemap's layers in first: only then does "idle" include its tiles.
    await binding.basemapDrawn;
    const data = app.store.get().data;
    const bounds =
      options.bounds ??
      (data ? ((data.district && collectionBounds(data.district)) ?? collectionBounds(data.communities)) : null);
    if (bounds) map.fitBounds(bounds, { animate: false, maxZoom: 17 });
    await frame();
    await until(() => binding.drawnAt !== null && map.isIdle() && map.isCellsDrawn(), 120_000);
    await frame();
    await frame();
    const canvas = composeMapCanvas(container, pixelRatio);
    const center = map.map.getCenter();
    const shown = map.map.getBounds();
    return {
      canvas,
      pixelRatio,
      metresPerPixel: metresPerPixelAt((x, y) => map.project(x, y), center.lng, center.lat),
      bounds: [shown.getWest(), shown.getSouth(), shown.getEast(), shown.getNorth()],
    };
  } finally {
    binding.dispose();
    // The binding's dispose clears the hook the planner's own map binding set: put it back.
    app.mapDataDrawn = savedDataDrawn;
    map.destroy();
    container.remove();
  }
}
