import 'maplibre-gl/dist/maplibre-gl.css';
import '../styles/app.css';
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { render } from 'preact';
import { isKiosk } from './state/kiosk-config';
import { PlannerApp } from './state/planner-app';
import { App } from './ui/app';
import { startKiosk } from './ui/kiosk-app';

setWorkerUrl(workerUrl);
if (isKiosk(location.search)) {
  // ?kiosk: the read-only touring screen (src/ui/kiosk-app.tsx).
  void startKiosk(document.getElementById('app')!);
} else {
  const app = new PlannerApp();
  render(<App app={app} />, document.getElementById('app')!);
  void app.start();
}
