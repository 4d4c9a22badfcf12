/*
 * GreenReach kiosk service worker. `vite build` (the kioskServiceWorker plugin in
 * scripts/kiosk-precache.ts) writes it to dist/sw.js, preceded by PRECACHE_VERSION (a hash of every
 * file of the build) and PRECACHE_FILES: every file of the build (index.html, assets/, data/demo/*.fgb
 * and manifest.json), relative to the app's directory. Install caches them all in a cache named after
 * the version (install fails, and is retried on the next load, unless every file is cached); activating
 * a new build deletes the caches of older ones.
 *
 * Serving, for the kiosk and the planner alike (the scope is the app's directory, so both pages are
 * controlled): content-hashed files (`assets/`) from the cache; the page and the files whose names do
 * not change between builds (index.html, data/…) from the network first, so a new build is never
 * hidden behind an old cache, and from this build's cache when the network is down. Other files of the
 * origin (a kiosk.json, another data set) are network-first too, with the last copy kept for offline.
 *
 * A network that connects but never answers (a captive portal, a dead uplink) must not hang the kiosk:
 * when a cached copy exists, the network gets NETWORK_TIMEOUT_MS to answer, and after one timeout the
 * network is skipped for NETWORK_DOWN_MS so the rest of the page does not wait once per file.
 */
/* global PRECACHE_VERSION, PRECACHE_FILES */
const PREFIX = 'greenreach-precache-';
const CACHE = `${PREFIX}${PRECACHE_VERSION}`;
const RUNTIME = 'greenreach-runtime';
const scope = self.registration.scope;
const precached = new Set(PRECACHE_FILES.map((file) => new URL(file, scope).href));
const immutable = new URL('assets/', scope).href;
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
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      // Runtime copies of another build's content-hashed files are of no further use.
      if (await caches.has(RUNTIME)) {
        const runtime = await caches.open(RUNTIME);
        for (const request of await runtime.keys()) {
          if (request.url.startsWith(immutable)) await runtime.delete(request);
        }
      }
      await self.clients.claim();
    })(),
  );
});

/** `{type: 'precache-status'}` → this build's version and how many of its files are cached. */
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'precache-status') return;
  const reply = event.ports[0] ?? event.source;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const keys = await cache.keys();
      const cached = keys.filter((request) => precached.has(request.url)).length;
      reply?.postMessage({ type: 'precache-status', version: PRECACHE_VERSION, files: precached.size, cached });
    })(),
  );
});

const NETWORK_TIMEOUT_MS = 3000;
const NETWORK_DOWN_MS = 30_000;
/** Until when (ms since epoch) the network is taken as down after a timeout. */
let networkDownUntil = 0;

/**
 * fetch(request), but when `fallback` (a cached response) exists: rejected after NETWORK_TIMEOUT_MS
 * without headers, and at once while the network is taken as down.
 */
function fetchWithin(request, fallback) {
  if (!fallback) return fetch(request);
  if (Date.now() < networkDownUntil) return Promise.reject(new Error('network taken as down'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      networkDownUntil = Date.now() + NETWORK_DOWN_MS;
      reject(new Error(`no answer in ${NETWORK_TIMEOUT_MS} ms`));
    }, NETWORK_TIMEOUT_MS);
    fetch(request).then(
      (response) => {
        clearTimeout(timer);
        networkDownUntil = 0;
        resolve(response);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The network's answer, else this build's cached copy of `key` (else the network error). */
async function networkFirst(request, key) {
  const cached = await caches.match(key, { cacheName: CACHE });
  try {
    return await fetchWithin(request, cached);
  } catch (error) {
    if (cached) return cached;
    throw error;
  }
}

/** A content-hashed file: the cache (the name changes when the content does). */
async function cacheFirst(request, key) {
  const cached = await caches.match(key, { cacheName: CACHE });
  return cached ?? fetch(request);
}

/** A file outside the build: the network (its copy kept, except other builds' hashed files), else that copy. */
async function runtime(request) {
  const cached = await caches.match(request, { cacheName: RUNTIME });
  try {
    const response = await fetchWithin(request, cached);
    if (response.ok && response.type === 'basic' && !request.url.startsWith(immutable)) {
      const cache = await caches.open(RUNTIME);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  // Range requests (FlatGeobuf from a URL) go to the network untouched.
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(scope)) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, indexUrl));
    return;
  }
  const key = url.origin + url.pathname;
  if (!precached.has(key)) event.respondWith(runtime(request));
  else if (key.startsWith(immutable)) event.respondWith(cacheFirst(request, key));
  else event.respondWith(networkFirst(request, key));
});
