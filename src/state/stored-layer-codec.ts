import { readFlatGeobuf } from '../io/flatgeobuf-read';
import { writeFlatGeobuf } from '../io/flatgeobuf-write';
import { checkChunkManifest, joinChunks, splitIntoChunks } from './layer-chunks';
import type { ChunkedLayerRecord, StoredLayer } from './persist-layers';
import { checkStoredLayer } from './stored-records';

/**
 * An imported layer as IndexedDB keeps it: the features as FlatGeobuf bytes (about 70 % of the structured
 * clone of the GeoJSON for polygon layers: 64 MB for a 90 MB clone), cut into chunks that each fit one record, described by a small record
 * of their own (`ChunkedLayerRecord`). Loaded on demand (the FlatGeobuf code stays off the first page).
 */

/** A layer decoded from its chunks, or why it cannot be (the layer is then not used at all). */
export type DecodedLayer = { layer: StoredLayer } | { problem: string };

/** The record and the chunk records that keep `layer`, chunks of at most `chunkBytes`. */
export function encodeStoredLayer(
  layer: StoredLayer,
  chunkBytes: number,
): { record: ChunkedLayerRecord; chunks: ArrayBuffer[] } {
  let left = 0;
  // Input order is kept (no spatial index), so feature numbers in messages stay those of the import.
  const bytes = writeFlatGeobuf(layer.collection, {
    layerName: layer.role,
    spatialIndex: false,
    onSkippedFeature: () => left++,
  });
  const { manifest, chunks } = splitIntoChunks(bytes, chunkBytes);
  const { collection, ...described } = layer;
  return {
    record: {
      ...described,
      featureCount: collection.features.length - left,
      format: 'flatgeobuf-chunks',
      manifest,
    },
    chunks,
  };
}

/**
 * The layer of a stored record and its chunks as read back (in order, `undefined` where one is missing):
 * every chunk is checked against the manifest and the decoded features against the recorded count, so a
 * layer written in part is reported, never used in part.
 */
export function decodeStoredLayer(record: ChunkedLayerRecord, chunks: readonly unknown[]): DecodedLayer {
  const manifest = checkChunkManifest(record.manifest);
  if (!manifest) return { problem: 'its list of chunks is damaged' };
  const joined = joinChunks(manifest, chunks);
  if ('problem' in joined) return joined;
  let collection: StoredLayer['collection'];
  try {
    collection = readFlatGeobuf(joined.bytes, record.source);
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
  if (collection.features.length !== record.featureCount)
    return { problem: `${collection.features.length} features instead of ${record.featureCount}` };
  const { format: _format, manifest: _manifest, ...described } = record;
  const layer = checkStoredLayer({ ...described, collection });
  return layer ? { layer } : { problem: 'its features cannot be used' };
}
