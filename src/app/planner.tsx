import { render } from 'preact';
import { DrawTool } from '../map/draw-tool';
import { MeasureTool } from '../map/measure-tool';
import type { PlannerMap } from '../map/planner-map';
import { ImportController } from '../state/import-controller';
import { MapBinding } from '../state/map-binding';
import { MeasureController } from '../state/measure';
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
  const scenarios = new ScenarioController(app);
  const results = new ResultsView(app.store, scenarios.store, new GapClient());
  const hover = new Store<HoverState>({ cell: null, feature: null });
  const measure = new MeasureController();
  let mounted: { map: PlannerMap; binding: MapBinding; tool: DrawTool; measureTool: MeasureTool } | null = null;
  const hooks = installTestHooks({ app, results, scenarios, binding: () => mounted?.binding ?? null });

  const attachMap = (container: HTMLElement | null) => {
    if (mounted) {
      mounted.measureTool.destroy();
      mounted.tool.destroy();
      mounted.binding.dispose();
      mounted.map.destroy();
      mounted = null;
      hooks.setMap(null);
    }
    if (!container) return;
    const map = createPlannerMap(container, app, results, hover);
    const binding = new MapBinding(map, app, results, scenarios.store);
    const tool = new DrawTool(map, scenarios);
    mounted = { map, binding, tool, measureTool: new MeasureTool(map, measure) };
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
    scenarios,
    results,
    hover,
    search: new SearchController(app, results),
    measure,
    project: new ProjectController(app, scenarios, (view) => mounted?.map.jumpTo(view)),
    attachMap,
    mapSnapshot,
    renderMap: ({ width, height, insets }) => {
      const shown = mounted?.map.map.getBounds();
      const bounds = shown ? ([shown.getWest(), shown.getSouth(), shown.getEast(), shown.getNorth()] as const) : null;
      // Loaded on first use (not on the first page).
      return import('./offscreen-map').then(({ renderOffscreenMap }) =>
        renderOffscreenMap({ app, results, width, height, insets, bounds: bounds ? [...bounds] : null }),
      );
    },
    draw: {
      finishGreenway: () => mounted?.tool.finishGreenway(),
      selectFeature: (key) => (mounted ? mounted.tool.selectFeature(key) : scenarios.selectFeature(key)),
      deleteSelectedVertex: () => void mounted?.tool.deleteSelectedVertex(),
    },
  };
  render(<App services={services} />, element);
  void app.start((data) => imports.restore(data));
  return services;
}
