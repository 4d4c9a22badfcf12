import type { PrecacheStatus } from './kiosk';

/**
 * Registers the service worker that precaches the built app (dist/sw.js, written by the
 * `kioskServiceWorker` Vite plugin). `ready` means every file of the build is cached: the install
 * step only completes once all of them are. Production builds only (the dev server has no sw.js).
 */
export async function registerKioskServiceWorker(onStatus: (status: PrecacheStatus) => void): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  onStatus('installing');
  try {
    await navigator.serviceWorker.register(new URL('sw.js', document.baseURI).href, {
      scope: new URL('./', document.baseURI).href,
    });
    await navigator.serviceWorker.ready;
    onStatus('ready');
  } catch (error) {
    console.warn('GreenReach kiosk: no offline cache', error);
    onStatus('failed');
  }
}
