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
 * A load in flight, settled once: `loaded` or `failed`. `whenSettled` calls back once it is settled —
 * at once (in a microtask) when it already is. A component that renders before the load ends and
 * registers after it (its effect runs a frame later, after the import landed) must still hear of it:
 * checking "loaded yet?" and then registering only if not left such a panel blank for good.
 */
export class LoadState<T> {
  loaded: T | null = null;
  failed = false;
  private readonly settled: Promise<void>;

  constructor(load: Promise<T>, onError: (error: unknown) => void = () => {}) {
    this.settled = load.then(
      (value) => {
        this.loaded = value;
      },
      (error: unknown) => {
        this.failed = true;
        onError(error);
      },
    );
  }

  /** Calls `listener` once the load has settled (also when it settled before this call). */
  whenSettled(listener: () => void): void {
    void this.settled.then(listener);
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
  setPending(1);
  const state = new LoadState(loadWithRetry(load), (error) => console.error('a panel could not be loaded:', error));
  state.whenSettled(() => setPending(-1));
  return function LazyComponent(props: P) {
    const [, setSettled] = useState(false);
    // Re-render once settled, whenever that was: before this effect ran or after.
    useEffect(() => state.whenSettled(() => setSettled(true)), []);
    const Component = state.loaded;
    if (Component) return <Component {...props} />;
    if (!state.failed) return null;
    const language = document.documentElement.lang.startsWith('zh') ? 'zh' : 'en';
    return (
      <p class="lazy-failed" role="alert">
        {t(language, 'panelLoadFailed')}
      </p>
    );
  };
}
