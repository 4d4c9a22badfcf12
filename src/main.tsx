import 'maplibre-gl/dist/maplibre-gl.css';
import '../styles/app.css';
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { startPlanner } from './app/planner';
import { isKiosk } from './state/kiosk-config';

setWorkerUrl(workerUrl);
const element = document.getElementById('app')!;
// ?kiosk: the read-only touring screen; otherwise the planner.
// The kiosk's code loads only for the kiosk.
if (isKiosk(location.search)) void import('./app/kiosk').then(({ startKiosk }) => startKiosk(element));
else startPlanner(element);
