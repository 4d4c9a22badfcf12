import '../../styles/report.css';
import { render } from 'preact';
import { PlannerMap } from '../map/planner-map';
import { MapBinding } from '../state/map-binding';
import { PlannerApp } from '../state/planner-app';
import { parseReportOptions, reportLayout } from '../state/report-options';
import type { ReportServices, ReportState } from '../state/report-services';
import { ResultsView } from '../state/results';
import { Store } from '../state/store';
import { kindLabel } from '../ui/i18n';
import { canvasPng, composeMapCanvas } from '../ui/report/compose-map';
import { ReportApp } from '../ui/report/report-app';
import { CoverageClient } from '../worker/coverage-client';
import { GapClient } from '../worker/gap-client';
import { installTestHooks } from './test-hooks';

/** Resolves once `check()` holds (polled every 100 ms), or rejects after `timeoutMs`. */
function until(check: () => boolean, timeoutMs = 180_000): Promise<void> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve();
      else if (performance.now() - start > timeoutMs) reject(new Error('the report timed out'));
      else setTimeout(poll, 100);
    };
    poll();
  });
}

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/**
 * The report's composition root (`?report`, with the rest of the URL state; `&community=N` for a
 * community page; `paper=a4|a3`, `orientation=landscape|portrait`): creates the app and the results
 * view as the planner does, builds a map at print resolution in the frame the report hands over, waits
 * for the coverage and the gaps to be drawn, and puts the map's image in the report. `<html
 * data-report="ready">` says the page can be printed.
 */
export function startReport(element: HTMLElement): ReportServices {
  document.documentElement.classList.add('report-mode');
  const options = parseReportOptions(location.search);
  const layout = reportLayout(options);
  const app = new PlannerApp(new CoverageClient());
  app.syncUrl = false;
  // The report fits the district (or the community) to its own frame, not the screen's view.
  app.store.set({ view: null });
  const results = new ResultsView(app.store, null, new GapClient());
  const report = new Store<ReportState>({ map: null, ready: false, error: null });
  let mounted: { map: PlannerMap; binding: MapBinding; container: HTMLElement } | null = null;
  const hooks = installTestHooks({ app, results, binding: () => mounted?.binding ?? null });

  const capture = async (current: NonNullable<typeof mounted>) => {
    await until(() => app.store.get().status === 'ready' && results.get().gaps !== null);
    const { selectedCommunity } = app.store.get();
    const bbox =
      selectedCommunity !== null ? results.get().shown?.result.communities[selectedCommunity]?.bbox : undefined;
    if (bbox) app.focus(bbox, { animate: false, maxZoom: 17 });
    await frame();
    await until(() => current.map.isIdle() && current.map.isCellsDrawn());
    await frame();
    await frame();
    if (mounted !== current) return;
    const canvas = composeMapCanvas(current.container, layout.pixelRatio);
    const url = URL.createObjectURL(await canvasPng(canvas));
    const center = current.map.map.getCenter();
    const dLon = 1000 / (111_320 * Math.cos((center.lat * Math.PI) / 180));
    const a = current.map.project(center.lng, center.lat);
    const b = current.map.project(center.lng + dLon, center.lat);
    const pixels = Math.hypot(b[0] - a[0], b[1] - a[1]);
    report.set({
      map: { url, width: canvas.width, height: canvas.height, metresPerPixel: pixels > 0 ? 1000 / pixels : null },
    });
    // Let the image decode and lay out before saying the page is ready to print.
    await frame();
    report.set({ ready: true });
    document.documentElement.dataset.report = 'ready';
  };

  const attachMap = (container: HTMLElement | null) => {
    if (mounted) {
      mounted.binding.dispose();
      mounted.map.destroy();
      mounted = null;
      hooks.setMap(null);
    }
    if (!container) return;
    const map = new PlannerMap({
      container,
      view: null,
      language: app.store.get().language,
      pixelRatio: layout.pixelRatio,
      kindLabel: (kind) => kindLabel(app.store.get().language, kind),
    });
    mounted = { map, binding: new MapBinding(map, app, results), container };
    hooks.setMap(map);
    capture(mounted).catch((error: unknown) => {
      report.set({ error: error instanceof Error ? error.message : String(error) });
      document.documentElement.dataset.report = 'error';
    });
  };

  const services: ReportServices = { app, results, options, layout, report, attachMap };
  render(<ReportApp services={services} />, element);
  void app.start();
  return services;
}
