import type { StreetGraph } from './graph';

/** A binary min-heap of node ids keyed by distance, in typed arrays that grow when needed. */
export class NodeHeap {
  private ids: Int32Array;
  private keys: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.ids = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  push(id: number, key: number): void {
    if (this.length === this.ids.length) {
      const ids = new Int32Array(this.ids.length * 2);
      const keys = new Float64Array(this.keys.length * 2);
      ids.set(this.ids);
      keys.set(this.keys);
      this.ids = ids;
      this.keys = keys;
    }
    // Sift up: move parents down until the new key's place is found.
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.ids[i] = this.ids[parent];
      this.keys[i] = this.keys[parent];
      i = parent;
    }
    this.ids[i] = id;
    this.keys[i] = key;
  }

  /** Key of the smallest entry (the heap must not be empty). */
  peekKey(): number {
    return this.keys[0];
  }

  /** Removes the smallest entry and returns its id. */
  pop(): number {
    const top = this.ids[0];
    const lastId = this.ids[--this.length];
    const lastKey = this.keys[this.length];
    // Sift down the last entry from the root, always towards the smaller child.
    let i = 0;
    const half = this.length >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      if (child + 1 < this.length && this.keys[child + 1] < this.keys[child]) child++;
      if (this.keys[child] >= lastKey) break;
      this.ids[i] = this.ids[child];
      this.keys[i] = this.keys[child];
      i = child;
    }
    if (this.length > 0) {
      this.ids[i] = lastId;
      this.keys[i] = lastKey;
    }
    return top;
  }
}

/**
 * Multi-source Dijkstra with a cut-off: `distance[n]` becomes the walk from the nearest seed to node
 * `n` when it is at most `cutoffMeters` (nodes farther keep their value). Seeds are `(node, metres)`
 * pairs. `distance` may already hold values (a previous search): a node is only improved, never made
 * worse, so running it with new seeds on an old result gives the search from all seeds together.
 * Returns the nodes whose distance changed (for an incremental caller to revisit their edges).
 */
export function multiSourceDijkstra(
  graph: StreetGraph,
  seedNodes: ArrayLike<number>,
  seedMeters: ArrayLike<number>,
  cutoffMeters: number,
  distance: Float64Array,
  heap: NodeHeap = new NodeHeap(),
  changed: number[] | null = null,
): void {
  const { offsets, targets, targetLengthMeters } = graph;
  heap.length = 0;
  for (let i = 0; i < seedNodes.length; i++) {
    const node = seedNodes[i];
    const meters = seedMeters[i];
    // A seed only counts where it beats what the node already has (and lies within the cut-off).
    if (meters <= cutoffMeters && meters < distance[node]) {
      distance[node] = meters;
      changed?.push(node);
      heap.push(node, meters);
    }
  }
  while (heap.length > 0) {
    const key = heap.peekKey();
    const node = heap.pop();
    // Lazy deletion: an entry superseded by a shorter one is stale.
    if (key > distance[node]) continue;
    for (let a = offsets[node]; a < offsets[node + 1]; a++) {
      const next = targets[a];
      const through = key + targetLengthMeters[a];
      if (through < distance[next] && through <= cutoffMeters) {
        distance[next] = through;
        changed?.push(next);
        heap.push(next, through);
      }
    }
  }
}
