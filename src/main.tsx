import 'maplibre-gl/dist/maplibre-gl.css';
import '../styles/app.css';
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { render } from 'preact';
import { PlannerApp } from './state/planner-app';
import { App } from './ui/app';

setWorkerUrl(workerUrl);
const app = new PlannerApp();
render(<App app={app} />, document.getElementById('app')!);
void app.start();
