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
 *
 * A kiosk's configuration and PMTiles basemap (read by range requests) work offline too, even when they
 * were first fetched before this worker controlled the page: the kiosk asks for whole copies
 * (`{type: 'precache-extra', urls}`, kept in this build's cache, so a new build fetches them afresh; a
 * file of the origin outside the build falls back to that copy), and a range request for a `.pmtiles`
 * file of which a whole copy is cached is answered from it (206, the slice asked for). Other range
 * requests (FlatGeobuf from a URL), and `.pmtiles` files with no copy, go to the network.
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

/**
 * `{type: 'precache-extra', urls}` → a whole copy of each same-origin URL in scope not yet cached
 * (fetched past the HTTP cache), then how many are cached: `{type: 'precache-extra', files, cached}`.
 */
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'precache-extra') return;
  const reply = event.ports[0] ?? event.source;
  const urls = (Array.isArray(event.data.urls) ? event.data.urls : [])
    .map((url) => new URL(String(url), scope))
    .filter((url) => url.origin === self.location.origin && url.href.startsWith(scope))
    .map((url) => url.origin + url.pathname);
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      let cached = 0;
      for (const url of urls) {
        if (!(await cache.match(url))) await cache.add(new Request(url, { cache: 'reload' })).catch(() => undefined);
        if (await cache.match(url)) cached++;
      }
      reply?.postMessage({ type: 'precache-extra', files: urls.length, cached });
    })(),
  );
});

/** A range header (`bytes=a-b`, `bytes=a-`, `bytes=-n`) against a file of `size` bytes: [start, end] inclusive, or null. */
function byteRange(header, size) {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  const start = match[1] === '' ? Math.max(0, size - Number(match[2])) : Number(match[1]);
  // A range past the end is cut at the end (as servers do: pmtiles asks for 16 KiB of a smaller file).
  const end = match[1] === '' || match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start <= end && start < size ? [start, end] : null;
}

/** Whole cached files read once (a Blob is sliced without copying), by URL. */
const wholeFiles = new Map();

/** A range request for a `.pmtiles` file: from its cached whole copy (206), else the network. */
async function rangeFromCopy(request, key) {
  let whole = wholeFiles.get(key);
  if (!whole) {
    const cached = (await caches.match(key, { cacheName: CACHE })) ?? (await caches.match(key, { cacheName: RUNTIME }));
    if (!cached) return fetch(request);
    whole = { blob: await cached.blob(), type: cached.headers.get('Content-Type'), etag: cached.headers.get('ETag') };
    wholeFiles.set(key, whole);
  }
  const { blob, type, etag } = whole;
  const range = byteRange(request.headers.get('range'), blob.size);
  if (!range) return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${blob.size}` } });
  const [start, end] = range;
  const headers = new Headers({
    'Content-Range': `bytes ${start}-${end}/${blob.size}`,
    'Content-Length': String(end - start + 1),
    'Content-Type': type ?? 'application/octet-stream',
  });
  if (etag) headers.set('ETag', etag);
  return new Response(blob.slice(start, end + 1), { status: 206, headers });
}

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
async function runtime(request, key) {
  // The last copy kept, else the one the kiosk asked to cache beside the build (its kiosk.json, basemap).
  const cached =
    (await caches.match(request, { cacheName: RUNTIME })) ?? (await caches.match(key, { cacheName: CACHE }));
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
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(scope)) return;
  const key = url.origin + url.pathname;
  // Range requests: a basemap's from its whole cached copy; the rest (FlatGeobuf from a URL) go to the network untouched.
  if (request.headers.has('range')) {
    if (url.pathname.endsWith('.pmtiles')) event.respondWith(rangeFromCopy(request, key));
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, indexUrl));
    return;
  }
  if (!precached.has(key)) event.respondWith(runtime(request, key));
  else if (key.startsWith(immutable)) event.respondWith(cacheFirst(request, key));
  else event.respondWith(networkFirst(request, key));
});
