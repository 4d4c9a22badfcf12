/*
 * GreenReach kiosk service worker. `vite build` (the kioskServiceWorker plugin in
 * scripts/kiosk-precache.ts) writes it to dist/sw.js, preceded by PRECACHE_VERSION and PRECACHE_FILES:
 * every file of the build (app, worker chunks, data/demo/*.fgb), relative to the app's directory.
 * Install caches them all (install fails, and is retried on the next load, unless every file is
 * cached); the app's files are then served from that cache, so the kiosk runs with the network off.
 */
/* global PRECACHE_VERSION, PRECACHE_FILES */
const CACHE = `greenreach-precache-${PRECACHE_VERSION}`;
const RUNTIME = 'greenreach-runtime';
const scope = self.registration.scope;
const precached = new Set(PRECACHE_FILES.map((file) => new URL(file, scope).href));
const indexUrl = new URL('index.html', scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll([...precached].map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('greenreach-precache-') && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'precache-status') {
    event.source?.postMessage({ type: 'precache-status', version: PRECACHE_VERSION, files: precached.size });
  }
});

/** Page loads: the network (a new build shows at once), else the cached index.html. */
async function navigate(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match(indexUrl, { cacheName: CACHE });
    if (cached) return cached;
    throw error;
  }
}

/** Files of the build: the cache (they are content-hashed or versioned by this worker). */
async function fromPrecache(request, key) {
  const cached = await caches.match(key, { cacheName: CACHE });
  return cached ?? fetch(request);
}

/** Other files of the app's origin (a kiosk.json, another data set): network, else the last copy. */
async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      const cache = await caches.open(RUNTIME);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await caches.match(request, { cacheName: RUNTIME });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(scope)) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
    return;
  }
  const key = url.origin + url.pathname;
  event.respondWith(precached.has(key) ? fromPrecache(request, key) : networkFirst(request));
});
