import '../../styles/report.css';
import { render } from 'preact';
import { collectionBounds } from '../coverage/geometry';
import { PlannerMap } from '../map/planner-map';
import { BasemapController } from '../state/basemap-controller';
import { ImportController } from '../state/import-controller';
import { MapBinding } from '../state/map-binding';
import { PlannerApp } from '../state/planner-app';
import { parseReportOptions, reportLayout } from '../state/report-options';
import { reportScenario } from '../state/report-scenario';
import type { ReportServices, ReportState } from '../state/report-services';
import { ResultsView } from '../state/results';
import { Store } from '../state/store';
import { kindLabel } from '../ui/i18n';
import { canvasPng, composeMapCanvas } from '../ui/report/compose-map';
import { ReportApp } from '../ui/report/report-app';
import { CoverageClient } from '../worker/coverage-client';
import { GapClient } from '../worker/gap-client';
import { installTestHooks } from './test-hooks';
import { frame, metresPerPixelAt, until } from './wait';

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
  const report = new Store<ReportState>({
    map: null,
    ready: false,
    error: null,
    scenario: null,
    scenarioMissing: null,
  });
  // The planner's own layers (IndexedDB, `?layer:`) as in the planner, so the report is of what was on screen.
  const imports = new ImportController(app);
  // The planner's basemap (kept in IndexedDB, or the link's `basemap=`), drawn under the report's map too.
  const basemap = new BasemapController(app);
  const basemapRestored = basemap.restore();
  let mounted: { map: PlannerMap; binding: MapBinding; container: HTMLElement } | null = null;
  const hooks = installTestHooks({ app, results, binding: () => mounted?.binding ?? null });

  const capture = async (current: NonNullable<typeof mounted>) => {
    await until(() => app.store.get().status === 'ready' && results.get().gaps !== null);
    const { selectedCommunity, data } = app.store.get();
    const bbox =
      selectedCommunity !== null
        ? results.get().shown?.result.communities[selectedCommunity]?.bbox
        : data && ((data.district && collectionBounds(data.district)) ?? collectionBounds(data.communities));
    if (bbox) app.focus(bbox, { animate: false, maxZoom: 17 });
    // The basemap's layers in first: only then does "idle" include its tiles.
    await basemapRestored;
    await current.binding.basemapDrawn;
    await frame();
    await until(() => current.map.isIdle() && current.map.isCellsDrawn());
    await frame();
    await frame();
    if (mounted !== current) return;
    const canvas = composeMapCanvas(current.container, layout.pixelRatio);
    const url = URL.createObjectURL(await canvasPng(canvas));
    const center = current.map.map.getCenter();
    const metresPerPixel = metresPerPixelAt((x, y) => current.map.project(x, y), center.lng, center.lat);
    report.set({ map: { url, width: canvas.width, height: canvas.height, metresPerPixel } });
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
    mounted = { map, binding: new MapBinding(map, app, results, null, basemap.store), container };
    hooks.setMap(map);
    capture(mounted).catch((error: unknown) => {
      report.set({ error: error instanceof Error ? error.message : String(error) });
      document.documentElement.dataset.report = 'error';
    });
  };

  const services: ReportServices = { app, results, options, layout, report, attachMap, basemap: basemap.store };
  render(<ReportApp services={services} />, element);
  void app.start(async (data) => {
    const restored = await imports.restore(data);
    // The scenario open in the planner (the link's `?scenario=`), added to the layers: the report shows it.
    const { scenarioId, dataPath } = app.store.get();
    const linked = await reportScenario(restored, scenarioId, dataPath);
    report.set({ scenario: linked.scenario, scenarioMissing: linked.missing });
    return linked.data;
  });
  return services;
}
