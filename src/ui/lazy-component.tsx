import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';

/** Waits before each new try of a failed chunk load (ms): a busy server or a reload in flight. */
const retryDelaysMs = [250, 1000, 3000];

/** How many lazy components are still loading; `<html data-lazy-pending>` mirrors it (tests wait for 0). */
let pending = 0;

function setPending(change: number): void {
  pending += change;
  if (typeof document !== 'undefined') document.documentElement.dataset.lazyPending = String(pending);
}

/** Imports `load()`, trying again after each delay of `retryDelaysMs` before giving up. */
async function loadWithRetry<T>(load: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await load();
    } catch (error) {
      if (attempt >= retryDelaysMs.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryDelaysMs[attempt]));
    }
  }
}

/**
 * A component whose code loads right after the first page (not with it): it starts loading when this
 * module is evaluated and renders nothing until it is there, a few milliseconds later. For panels that
 * are not needed to show the first answer (export, project, measure, suggestions, the import dialog).
 * A failed load is tried again; if it still fails, the panel says so (in the page's language) instead
 * of staying silently absent.
 */
export function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
): (props: P) => JSX.Element | null {
  let loaded: ComponentType<P> | null = null;
  let failed = false;
  setPending(1);
  const loading = loadWithRetry(load).then(
    (component) => {
      loaded = component;
      setPending(-1);
    },
    (error: unknown) => {
      failed = true;
      setPending(-1);
      console.error('a panel could not be loaded:', error);
    },
  );
  return function LazyComponent(props: P) {
    const [, setSettled] = useState(loaded !== null || failed);
    useEffect(() => {
      if (!loaded && !failed) void loading.then(() => setSettled(true));
    }, []);
    const Component = loaded;
    if (Component) return <Component {...props} />;
    if (!failed) return null;
    const language = document.documentElement.lang.startsWith('zh') ? 'zh' : 'en';
    return (
      <p class="lazy-failed" role="alert">
        {t(language, 'panelLoadFailed')}
      </p>
    );
  };
}
