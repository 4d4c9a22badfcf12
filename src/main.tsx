import 'maplibre-gl/dist/maplibre-gl.css';
import '../styles/app.css';
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { startKiosk } from './app/kiosk';
import { startPlanner } from './app/planner';
import { isKiosk } from './state/kiosk-config';

setWorkerUrl(workerUrl);
const element = document.getElementById('app')!;
// ?kiosk: the read-only touring screen; otherwise the planner.
if (isKiosk(location.search)) void startKiosk(element);
else startPlanner(element);
