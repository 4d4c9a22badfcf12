import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A component whose code loads right after the first page (not with it): it starts loading when this
 * module is evaluated and renders nothing until it is there, a few milliseconds later. For panels that
 * are not needed to show the first answer (export, project, measure, suggestions, the import dialog).
 */
export function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
): (props: P) => JSX.Element | null {
  let loaded: ComponentType<P> | null = null;
  const loading = load().then((component) => {
    loaded = component;
  });
  return function LazyComponent(props: P) {
    const [, setReady] = useState(loaded !== null);
    useEffect(() => {
      if (!loaded) void loading.then(() => setReady(true));
    }, []);
    const Component = loaded;
    return Component ? <Component {...props} /> : null;
  };
}
