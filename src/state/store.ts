/**
 * A minimal observable store: one immutable state value, shallow-merged updates and subscribers.
 * No dependency; the UI reads it through `useStore` (src/ui/use-store.ts).
 */
export class Store<T extends object> {
  private state: T;
  private readonly listeners = new Set<(state: T, previous: T) => void>();

  constructor(initial: T) {
    this.state = initial;
  }

  /** The current state (treat as read-only). */
  get(): T {
    return this.state;
  }

  /** Merges `patch` (or the patch an updater returns) into the state and notifies subscribers. */
  set(patch: Partial<T> | ((state: T) => Partial<T>)): void {
    const previous = this.state;
    const partial = typeof patch === 'function' ? patch(previous) : patch;
    this.state = { ...previous, ...partial };
    for (const listener of [...this.listeners]) listener(this.state, previous);
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: T, previous: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
