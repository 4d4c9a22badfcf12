import './test/support/node-polyfills.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vitest/config';
import { kioskServiceWorker } from './scripts/kiosk-precache';

/** Directory of the demo data set, shipped with the app under `data/demo/`. */
const demoDirectory = resolve(import.meta.dirname, 'data/demo');
const demoFilePattern = /^[\w.-]+\.(fgb|json)$/;

/**
 * Ships `data/demo/*.fgb` and `manifest.json` with the app: served by the dev server at
 * `/data/demo/…` and emitted into `dist/data/demo/` by `vite build`, so the built app is self-contained.
 */
function demoData(): Plugin {
  return {
    name: 'greenreach-demo-data',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const match = /^\/data\/demo\/([\w.-]+)$/.exec((request.url ?? '').split('?')[0]);
        const file = match && demoFilePattern.test(match[1]) ? join(demoDirectory, match[1]) : null;
        if (!file || !existsSync(file)) return next();
        response.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        response.end(readFileSync(file));
      });
    },
    generateBundle() {
      if (!existsSync(demoDirectory)) return;
      for (const name of readdirSync(demoDirectory)) {
        if (!demoFilePattern.test(name)) continue;
        this.emitFile({ type: 'asset', fileName: `data/demo/${name}`, source: readFileSync(join(demoDirectory, name)) });
      }
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [demoData(), kioskServiceWorker()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
