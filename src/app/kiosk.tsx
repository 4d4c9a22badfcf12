import '../../styles/kiosk.css';
import { render } from 'preact';
import type { PlannerMap } from '../map/planner-map';
import { BasemapController } from '../state/basemap-controller';
import { KioskController } from '../state/kiosk';
import { kioskConfigPath, loadKioskConfig } from '../state/kiosk-config';
import { registerKioskServiceWorker } from '../state/kiosk-offline';
import { MapBinding } from '../state/map-binding';
import { PlannerApp } from '../state/planner-app';
import { ResultsView } from '../state/results';
import type { HoverState } from '../state/services';
import { Store } from '../state/store';
import { KioskApp, type KioskServices } from '../ui/kiosk-app';
import { CoverageClient } from '../worker/coverage-client';
import { GapClient } from '../worker/gap-client';
import { createPlannerMap } from './create-map';
import { installTestHooks } from './test-hooks';

/**
 * The kiosk's composition root (`?kiosk`): reads the kiosk configuration, creates the app, the kiosk
 * controller and the results view, and builds the map (again after a lost WebGL context) in the element
 * the kiosk screen hands over.
 */
export async function startKiosk(element: HTMLElement): Promise<KioskController> {
  const config = await loadKioskConfig(location.search, document.baseURI);
  const app = new PlannerApp(new CoverageClient());
  app.syncUrl = false;
  if (config.data) app.store.set({ dataPath: config.data });
  app.setLanguage(config.languages[0]);
  const kiosk = new KioskController(app, config);
  const results = new ResultsView(app.store, null, new GapClient());
  // The configured PMTiles basemap (a file on this server, read by range requests; not kept in IndexedDB:
  // the configuration names it on every start), drawn under the coverage.
  const basemap = new BasemapController();
  const basemapUrl = config.basemap ? new URL(config.basemap, document.baseURI).href : null;
  if (basemapUrl)
    void basemap.loadUrl(basemapUrl, false).then(() => {
      const { error } = basemap.store.get();
      if (error) console.warn(`GreenReach kiosk: basemap ${config.basemap} not used: ${error.message}`);
    });
  let mounted: { map: PlannerMap; binding: MapBinding } | null = null;
  const hooks = installTestHooks({ app, results, kiosk: kiosk.hook, binding: () => mounted?.binding ?? null });
  kiosk.install();

  const services: KioskServices = {
    kiosk,
    results,
    hover: new Store<HoverState>({ cell: null, feature: null }),
    attachMap: (container, insets) => {
      if (mounted) {
        mounted.binding.dispose();
        mounted.map.destroy();
        mounted = null;
        kiosk.setMap(null);
        hooks.setMap(null);
      }
      if (!container) return;
      const map = createPlannerMap(container, app, results, services.hover);
      // A stop's community is fitted into the map's free middle: not under the title, caption or legend.
      map.setInsets(insets);
      mounted = { map, binding: new MapBinding(map, app, results, null, basemap.store) };
      hooks.setMap(map);
      kiosk.setMap(map);
    },
  };
  render(<KioskApp services={services} />, element);
  void app.start();
  // The configuration and the basemap are cached whole beside the build, so the kiosk starts offline with them.
  const configPath = kioskConfigPath(location.search);
  const extra = [configPath ? new URL(configPath, document.baseURI).href : null, basemapUrl].filter(
    (url): url is string => url !== null,
  );
  void registerKioskServiceWorker((status, version) => kiosk.setPrecache(status, version), extra);
  return kiosk;
}
