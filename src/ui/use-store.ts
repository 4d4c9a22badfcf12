import { useEffect, useState } from 'preact/hooks';
import type { Store } from '../state/store';

/** Re-renders the component when `select(state)` changes (by `Object.is`). */
export function useStore<T extends object, S>(store: Store<T>, select: (state: T) => S): S {
  const [value, setValue] = useState(() => select(store.get()));
  useEffect(() => {
    setValue(() => select(store.get()));
    return store.subscribe((state) => {
      const next = select(state);
      setValue((current) => (Object.is(current, next) ? current : next));
    });
    // The selector is expected to be stable in meaning; re-subscribing on every render is wasteful.
  }, [store]);
  return value;
}
