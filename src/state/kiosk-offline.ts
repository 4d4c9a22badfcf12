import type { PrecacheStatus } from './kiosk';

declare global {
  interface ImportMetaEnv {
    /** `sw.js` in a build (defined by the kioskServiceWorker plugin of scripts/kiosk-precache.ts); unset in dev. */
    readonly KIOSK_SERVICE_WORKER?: string;
  }
}

/** What the kiosk's service worker answers to `{type: 'precache-status'}`. */
interface PrecacheReport {
  type: 'precache-status' | 'precache-extra';
  /** The build's version (`precache-status` only). */
  version?: string;
  files: number;
  cached: number;
}

/** Resolves once no worker of the registration is installing or waiting (each ends activated or redundant). */
async function settled(registration: ServiceWorkerRegistration): Promise<void> {
  for (let pending = registration.installing ?? registration.waiting; pending; ) {
    const worker = pending;
    await new Promise<void>((resolve) => {
      const changed = () => {
        if (worker.state !== 'activated' && worker.state !== 'redundant') return;
        worker.removeEventListener('statechange', changed);
        resolve();
      };
      worker.addEventListener('statechange', changed);
      changed();
    });
    // A newer build may have started installing meanwhile: wait for that one too.
    pending = registration.installing ?? registration.waiting;
  }
}

/** Resolves once an activated service worker controls this page (the worker claims it on activation). */
function controlled(): Promise<ServiceWorker> {
  const container = navigator.serviceWorker;
  return new Promise((resolve) => {
    const check = () => {
      const controller = container.controller;
      if (controller?.state !== 'activated') {
        controller?.addEventListener('statechange', check, { once: true });
        return;
      }
      container.removeEventListener('controllerchange', check);
      resolve(controller);
    };
    container.addEventListener('controllerchange', check);
    check();
  });
}

/** Asks the controlling worker a question (`precache-status`, `precache-extra`) and resolves with its answer. */
function ask(
  worker: ServiceWorker,
  message: { type: PrecacheReport['type']; urls?: string[] },
): Promise<PrecacheReport> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<PrecacheReport>) => {
      channel.port1.close();
      resolve(event.data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}

/**
 * Registers the service worker that precaches the built app (dist/sw.js, written by the
 * `kioskServiceWorker` Vite plugin) and reports when the kiosk would survive a reload without network:
 * `ready` once the worker is activated, controls this page, and says every file of its build is in its
 * cache (reported with the build's version); `failed` when it could not install (a file of the build
 * could not be fetched; the browser tries again on the next load). Builds only (the dev
 * server has no sw.js; the build tells the app it has one). `extra` (absolute URLs on this server, e.g.
 * the kiosk's PMTiles basemap) are cached whole beside the build, and `ready` waits for them too.
 */
export async function registerKioskServiceWorker(
  onStatus: (status: PrecacheStatus, version: string | null) => void,
  extra: string[] = [],
): Promise<void> {
  const script = import.meta.env.KIOSK_SERVICE_WORKER;
  if (!script || !('serviceWorker' in navigator)) return;
  onStatus('installing', null);
  try {
    const scope = new URL('./', document.baseURI).href;
    let registration: ServiceWorkerRegistration;
    try {
      registration = await navigator.serviceWorker.register(new URL(script, document.baseURI).href, { scope });
    } catch (error) {
      // Offline, registering again (the browser's update check) fails; the installed worker still serves.
      const installed = await navigator.serviceWorker.getRegistration(scope);
      if (!installed?.active) throw error;
      registration = installed;
    }
    await settled(registration);
    if (!registration.active) throw new Error('the service worker did not install (a file could not be cached)');
    const worker = await controlled();
    const status = await ask(worker, { type: 'precache-status' });
    if (status.cached < status.files) throw new Error(`${status.cached} of ${status.files} files cached`);
    if (extra.length > 0) {
      const extras = await ask(worker, { type: 'precache-extra', urls: extra });
      if (extras.cached < extras.files) throw new Error(`${extras.cached} of ${extras.files} extra files cached`);
    }
    onStatus('ready', status.version ?? null);
  } catch (error) {
    console.warn('GreenReach kiosk: no offline cache', error);
    onStatus('failed', null);
  }
}
