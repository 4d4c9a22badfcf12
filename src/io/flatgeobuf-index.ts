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
  // Nodes are 40 bytes (5 float64 slots): typed-array views write them without a DataView call per
  // number. They need an 8-aligned `out` and a little-endian host (every JS engine in use), else DataView.
  const aligned = out.byteOffset % 8 === 0 && littleEndian;
  const boxes = aligned ? new Float64Array(out.buffer, out.byteOffset, out.byteLength / 8) : null;
  const words = aligned ? new Uint32Array(out.buffer, out.byteOffset, out.byteLength / 4) : null;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const setOffset = (node: number, value: number) => {
    if (words) {
      words[node * 10 + 8] = value >>> 0;
      words[node * 10 + 9] = Math.floor(value / 0x100000000);
      return;
    }
    view.setUint32(node * NODE_ITEM_BYTES + 32, value >>> 0, true);
    view.setUint32(node * NODE_ITEM_BYTES + 36, Math.floor(value / 0x100000000), true);
  };
  const getBox = (node: number, k: number) =>
    boxes ? boxes[node * 5 + k] : view.getFloat64(node * NODE_ITEM_BYTES + 8 * k, true);
  const setBox = (node: number, k: number, value: number) => {
    if (boxes) boxes[node * 5 + k] = value;
    else view.setFloat64(node * NODE_ITEM_BYTES + 8 * k, value, true);
  };
  const bboxes = store.bboxes;
  const firstLeaf = levelBounds[0][0];
  if (boxes && words) {
    writeAligned(store, order, levelBounds, boxes, words);
    return;
  }
  let featureOffset = 0;
  for (let j = 0; j < count; j++) {
    const i = order[j];
    for (let k = 0; k < 4; k++) setBox(firstLeaf + j, k, bboxes[4 * i + k]);
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
        minX = Math.min(minX, getBox(child, 0));
        minY = Math.min(minY, getBox(child, 1));
        maxX = Math.max(maxX, getBox(child, 2));
        maxY = Math.max(maxY, getBox(child, 3));
      }
      setBox(parent, 0, minX);
      setBox(parent, 1, minY);
      setBox(parent, 2, maxX);
      setBox(parent, 3, maxY);
      parent++;
    }
  }
}

/** {@link writePackedRTree} on typed-array views: the same nodes, with no call per number. */
function writeAligned(
  store: FeatureStore,
  order: Uint32Array,
  levelBounds: number[][],
  boxes: Float64Array,
  words: Uint32Array,
): void {
  const { bboxes, sizes, count } = store;
  const firstLeaf = levelBounds[0][0];
  let featureOffset = 0;
  for (let j = 0; j < count; j++) {
    const i = order[j];
    const node = firstLeaf + j;
    boxes[node * 5] = bboxes[4 * i];
    boxes[node * 5 + 1] = bboxes[4 * i + 1];
    boxes[node * 5 + 2] = bboxes[4 * i + 2];
    boxes[node * 5 + 3] = bboxes[4 * i + 3];
    words[node * 10 + 8] = featureOffset >>> 0;
    words[node * 10 + 9] = Math.floor(featureOffset / 0x100000000);
    featureOffset += sizes[i];
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
      words[parent * 10 + 8] = child;
      words[parent * 10 + 9] = 0;
      for (let j = 0; j < DEFAULT_INDEX_NODE_SIZE && child < end; j++, child++) {
        const at = child * 5;
        if (boxes[at] < minX) minX = boxes[at];
        if (boxes[at + 1] < minY) minY = boxes[at + 1];
        if (boxes[at + 2] > maxX) maxX = boxes[at + 2];
        if (boxes[at + 3] > maxY) maxY = boxes[at + 3];
      }
      boxes[parent * 5] = minX;
      boxes[parent * 5 + 1] = minY;
      boxes[parent * 5 + 2] = maxX;
      boxes[parent * 5 + 3] = maxY;
      parent++;
    }
  }
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
