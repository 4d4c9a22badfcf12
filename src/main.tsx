import 'maplibre-gl/dist/maplibre-gl.css';
import '../styles/app.css';
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { startPlanner } from './app/planner';
import { isKiosk } from './state/kiosk-config';
import { isReport } from './state/report-url';

setWorkerUrl(workerUrl);
const element = document.getElementById('app')!;
// ?kiosk: the read-only touring screen; ?report: the printable report; otherwise the planner. The kiosk's
// and the report's code load only for them.
if (isKiosk(location.search)) void import('./app/kiosk').then(({ startKiosk }) => startKiosk(element));
else if (isReport(location.search)) void import('./app/report').then(({ startReport }) => startReport(element));
else startPlanner(element);
