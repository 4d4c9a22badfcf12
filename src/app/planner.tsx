import { render } from 'preact';
import type { DrawTool } from '../map/draw-tool';
import type { MeasureTool } from '../map/measure-tool';
import type { PlannerMap } from '../map/planner-map';
import { BasemapController } from '../state/basemap-controller';
import { ImportController } from '../state/import-controller';
import { MapBinding } from '../state/map-binding';
import { MeasureController } from '../state/measure';
import { OsmImportController } from '../state/osm-import';
import { PlannerApp } from '../state/planner-app';
import { ProjectController } from '../state/project-controller';
import { ResultsView } from '../state/results';
import { ScenarioController } from '../state/scenario';
import { SearchController } from '../state/search-controller';
import type { HoverState, MapSnapshot, PlannerServices } from '../state/services';
import { Store } from '../state/store';
import { App } from '../ui/app';
import { CoverageClient } from '../worker/coverage-client';
import { GapClient } from '../worker/gap-client';
import { OsmClient } from '../worker/osm-client';
import { createPlannerMap } from './create-map';
import { installTestHooks } from './test-hooks';

/**
 * The planner's composition root: creates the stores, the workers' clients, the import and scenario
 * controllers, the results view, and (once the map view hands over its element) the map, its binding
 * and the drawing tool. Components get these and construct none of them.
 */
export function startPlanner(element: HTMLElement): PlannerServices {
  const app = new PlannerApp(new CoverageClient());
  const imports = new ImportController(app);
  const osmImport = new OsmImportController(app, () => new OsmClient());
  const basemap = new BasemapController(app);
  const scenarios = new ScenarioController(app);
  const results = new ResultsView(app.store, scenarios.store, new GapClient());
  const hover = new Store<HoverState>({ cell: null, feature: null });
  const measure = new MeasureController(() => app.store.get().data);
  // The drawing tool (and the deck.gl layers only it uses) loads beside the data, off the first page.
  const drawToolModule = import('../map/draw-tool');
  const measureToolModule = import('../map/measure-tool');
  let mounted: { map: PlannerMap; binding: MapBinding; tool: DrawTool | null; measureTool: MeasureTool | null } | null =
    null;
  const hooks = installTestHooks({ app, results, scenarios, imports, binding: () => mounted?.binding ?? null });

  const attachMap = (container: HTMLElement | null) => {
    if (mounted) {
      mounted.measureTool?.destroy();
      mounted.tool?.destroy();
      mounted.binding.dispose();
      mounted.map.destroy();
      mounted = null;
      hooks.setMap(null);
    }
    if (!container) return;
    const map = createPlannerMap(container, app, results, hover);
    const binding = new MapBinding(map, app, results, scenarios.store, basemap.store, osmImport.store);
    const current = { map, binding, tool: null as DrawTool | null, measureTool: null as MeasureTool | null };
    mounted = current;
    void Promise.all([drawToolModule, measureToolModule]).then(([{ DrawTool }, { MeasureTool }]) => {
      if (mounted !== current) return;
      current.tool = new DrawTool(map, scenarios);
      // After the drawing tool: the measuring tool wraps the click suppression the drawing tool sets.
      current.measureTool = new MeasureTool(map, measure);
    });
    hooks.setMap(map);
  };

  const mapSnapshot = (): MapSnapshot | null => {
    if (!mounted) return null;
    const state = app.store.get();
    const bbox = results.get().shown?.result.communities[0]?.bbox;
    const latitude = state.view?.latitude ?? (bbox ? (bbox[1] + bbox[3]) / 2 : null);
    const longitude = state.view?.longitude ?? (bbox ? (bbox[0] + bbox[2]) / 2 : null);
    let metresPerPixel: number | null = null;
    if (latitude !== null && longitude !== null) {
      // Metres per CSS pixel at the centre, from the screen positions of two points 1 km apart.
      const dLon = 1000 / (111_320 * Math.cos((latitude * Math.PI) / 180));
      const a = mounted.map.project(longitude, latitude);
      const b = mounted.map.project(longitude + dLon, latitude);
      const pixels = Math.hypot(b[0] - a[0], b[1] - a[1]);
      metresPerPixel = pixels > 0 ? 1000 / pixels : null;
    }
    return { container: mounted.map.map.getContainer(), metresPerPixel };
  };

  const services: PlannerServices = {
    app,
    imports,
    osmImport,
    basemap,
    scenarios,
    results,
    hover,
    search: new SearchController(app, results),
    measure,
    project: new ProjectController(app, scenarios, imports, (view) => mounted?.map.jumpTo(view), basemap),
    attachMap,
    mapSnapshot,
    renderMap: ({ width, height, insets }) => {
      const shown = mounted?.map.map.getBounds();
      const bounds = shown ? ([shown.getWest(), shown.getSouth(), shown.getEast(), shown.getNorth()] as const) : null;
      // Loaded on first use (not on the first page).
      return import('./offscreen-map').then(({ renderOffscreenMap }) =>
        renderOffscreenMap({
          app,
          results,
          width,
          height,
          insets,
          bounds: bounds ? [...bounds] : null,
          basemap: basemap.store,
        }).then((rendered) => {
          hooks.setRendered(rendered);
          return rendered;
        }),
      );
    },
    draw: {
      finishGreenway: () => mounted?.tool?.finishGreenway(),
      selectFeature: (key) => (mounted?.tool ? mounted.tool.selectFeature(key) : scenarios.selectFeature(key)),
      deleteSelectedVertex: () => void mounted?.tool?.deleteSelectedVertex(),
    },
  };
  render(<App services={services} />, element);
  // A basemap kept by an earlier visit comes back beside the data (its code loads only if there is one).
  void basemap.restore();
  // The first computation starts once the drawing tool is there, so "ready" means every tool works.
  void app.start(async (data) => {
    const restored = await imports.restore(data, app.openedSearch);
    await Promise.all([drawToolModule, measureToolModule]);
    return restored;
  });
  return services;
}
