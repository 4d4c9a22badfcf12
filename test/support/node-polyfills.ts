/**
 * Vitest 5 wants Node 22; on Node 20 its reporter calls Map.groupBy (Node 21+) when printing a
 * failure, and crashes instead of showing it. vite.config.ts imports this file first so that failing
 * tests are reported on Node 20 too.
 */
if (typeof (Map as unknown as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value<K, V>(items: Iterable<V>, keyOf: (item: V, index: number) => K): Map<K, V[]> {
      const groups = new Map<K, V[]>();
      let index = 0;
      for (const item of items) {
        const key = keyOf(item, index++);
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
      }
      return groups;
    },
  });
}

export {};
