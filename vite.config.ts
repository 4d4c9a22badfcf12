import './test/support/node-polyfills.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vitest/config';
import { kioskServiceWorker } from './scripts/kiosk-precache';

/** The data sets shipped with the app: `data/<name>/` (FlatGeobuf layers and a manifest). */
const dataDirectory = resolve(import.meta.dirname, 'data');
const datasets = ['demo', 'three-rivers'];
const dataFilePattern = /^[\w.-]+\.(fgb|json)$/;

/**
 * Ships `data/<set>/*.fgb` and `manifest.json` of every shipped data set with the app: served by the
 * dev server at `/data/<set>/…` and emitted into `dist/data/<set>/` by `vite build`, so the built app is
 * self-contained and works offline.
 */
function shippedData(): Plugin {
  return {
    name: 'greenreach-data',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const match = /^\/data\/([\w-]+)\/([\w.-]+)$/.exec((request.url ?? '').split('?')[0]);
        const ok = match && datasets.includes(match[1]) && dataFilePattern.test(match[2]);
        const file = ok ? join(dataDirectory, match[1], match[2]) : null;
        if (!file || !existsSync(file)) return next();
        response.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        response.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const set of datasets) {
        const directory = join(dataDirectory, set);
        if (!existsSync(directory)) continue;
        for (const name of readdirSync(directory)) {
          if (!dataFilePattern.test(name)) continue;
          this.emitFile({ type: 'asset', fileName: `data/${set}/${name}`, source: readFileSync(join(directory, name)) });
        }
      }
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [shippedData(), kioskServiceWorker()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
