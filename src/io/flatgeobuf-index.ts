import Flatbush from 'flatbush';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { calcTreeSize, generateLevelBounds } from 'flatgeobuf/lib/mjs/packedrtree.js';
import { InputError } from '../coverage/input-error';
import type { FeatureStore } from './flatgeobuf-encoder';

/**
 * FlatGeobuf's packed Hilbert R-tree: its size when reading, the feature order and the tree when writing.
 */

const NODE_ITEM_BYTES = 40;
export const DEFAULT_INDEX_NODE_SIZE = 16;

/** Bytes of the packed R-tree between header and features (0 without an index). */
export function indexSizeBytes(header: HeaderMeta, fileName: string): number {
  if (header.indexNodeSize === 0 || header.featuresCount === 0) return 0; // calcTreeSize(0, n) never returns
  if (header.indexNodeSize < 2)
    throw new InputError(fileName, null, `corrupt header (index node size ${header.indexNodeSize})`, {
      code: 'corrupt',
    });
  return calcTreeSize(header.featuresCount, header.indexNodeSize);
}

/**
 * Feature numbers in the leaf order of a packed Hilbert R-tree: Flatbush packs the same tree FlatGeobuf
 * does (bbox centres on a 16-bit Hilbert curve over the extent, as GDAL's writer, `nodeSize` per node),
 * so its leaves, in order, are the features in file order. (Flatbush orders items only down to node
 * blocks; within a block any order gives the same tree.)
 */
export function hilbertOrder(bboxes: Float64Array, count: number): Uint32Array {
  const index = new Flatbush(count, DEFAULT_INDEX_NODE_SIZE);
  for (let i = 0; i < count; i++) index.add(bboxes[4 * i], bboxes[4 * i + 1], bboxes[4 * i + 2], bboxes[4 * i + 3]);
  index.finish();
  return Uint32Array.from(index._indices.subarray(0, count));
}

/**
 * FlatGeobuf's packed R-tree (the npm package only reads it) into `out` (calcTreeSize bytes): levels
 * root-first, leaves last, 40-byte nodes of minX, minY, maxX, maxY (float64) and an offset (uint64): for a
 * leaf the byte offset of its feature from the start of the features section, for an inner node the index
 * of its first child. Leaves are the features in file order.
 */
export function writePackedRTree(store: FeatureStore, order: Uint32Array | null, out: Uint8Array): void {
  const count = store.count;
  if (out.length === 0 || !order) return;
  const nodeSize = DEFAULT_INDEX_NODE_SIZE;
  const levelBounds = generateLevelBounds(count, nodeSize); // [leaves, …, root]
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const setOffset = (node: number, value: number) => {
    view.setUint32(node * NODE_ITEM_BYTES + 32, value >>> 0, true);
    view.setUint32(node * NODE_ITEM_BYTES + 36, Math.floor(value / 0x100000000), true);
  };
  const bboxes = store.bboxes;
  const firstLeaf = levelBounds[0][0];
  let featureOffset = 0;
  for (let j = 0; j < count; j++) {
    const i = order[j];
    const at = (firstLeaf + j) * NODE_ITEM_BYTES;
    for (let k = 0; k < 4; k++) view.setFloat64(at + 8 * k, bboxes[4 * i + k], true);
    setOffset(firstLeaf + j, featureOffset);
    featureOffset += store.sizes[i];
  }
  for (let level = 0; level < levelBounds.length - 1; level++) {
    let child = levelBounds[level][0];
    const end = levelBounds[level][1];
    let parent = levelBounds[level + 1][0];
    while (child < end) {
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      setOffset(parent, child);
      for (let j = 0; j < nodeSize && child < end; j++, child++) {
        const at = child * NODE_ITEM_BYTES;
        minX = Math.min(minX, view.getFloat64(at, true));
        minY = Math.min(minY, view.getFloat64(at + 8, true));
        maxX = Math.max(maxX, view.getFloat64(at + 16, true));
        maxY = Math.max(maxY, view.getFloat64(at + 24, true));
      }
      const at = parent * NODE_ITEM_BYTES;
      view.setFloat64(at, minX, true);
      view.setFloat64(at + 8, minY, true);
      view.setFloat64(at + 16, maxX, true);
      view.setFloat64(at + 24, maxY, true);
      parent++;
    }
  }
}
