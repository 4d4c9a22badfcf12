import type { FeatureCollection } from 'geojson';
import { type AttributeMapping, type ImportRole, importRoles } from './import-layers';
import type { ChunkManifest } from './layer-chunks';
import type { CheckedRecords } from './stored-records';

/** One imported layer as kept in IndexedDB: the converted features, where they came from and the mapping. */
export interface StoredLayer {
  role: ImportRole;
  /** The file name (or URL) the planner gave. */
  source: string;
  collection: FeatureCollection;
  mapping: AttributeMapping | null;
  crs: string;
  gcj02: boolean;
  featureCount: number;
  savedAt: number;
}

/**
 * A layer's record since version 2: everything but the features, which are FlatGeobuf bytes in the
 * `chunks` store (`stored-layer-codec.ts`), described by `manifest`. Version 1 records hold `collection`.
 */
export interface ChunkedLayerRecord extends Omit<StoredLayer, 'collection'> {
  format: 'flatgeobuf-chunks';
  manifest: ChunkManifest;
}

/** A saved layer that is there but cannot be used (a chunk missing, short or altered): said, not loaded. */
export interface IncompleteLayer {
  role: ImportRole;
  source: string;
  problem: string;
}

/** What loading found: the usable layers, how many records were garbage, and the incomplete layers. */
export interface LoadedLayers extends CheckedRecords<StoredLayer> {
  incomplete: IncompleteLayer[];
}

/** Chunks of 32 MiB: well under Chromium's ~133 MB limit for one value, few records for a large layer. */
export const defaultLayerChunkBytes = 32 * 1024 * 1024;

const DB_NAME = 'greenreach-imports';
const STORE = 'layers';
/** Chunk records keyed by `[role, index]`. */
const CHUNKS = 'chunks';
/** 1: layers with their features; 2 adds the chunks store (version 1 records still load as they are). */
const DB_VERSION = 2;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      // Only what is missing is created: a version-1 database keeps its layers as they are.
      const stores = request.result.objectStoreNames;
      if (!stores.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: 'role' });
      if (!stores.contains(CHUNKS)) request.result.createObjectStore(CHUNKS);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

/** Runs `run` in one transaction over both stores; resolves with its value once the transaction committed. */
async function transaction<T>(
  mode: IDBTransactionMode,
  run: (layers: IDBObjectStore, chunks: IDBObjectStore) => () => T,
): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction([STORE, CHUNKS], mode);
      const result = run(tx.objectStore(STORE), tx.objectStore(CHUNKS));
      tx.oncomplete = () => resolve(result());
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** Every chunk key of a role. */
const chunkRange = (role: string) => IDBKeyRange.bound([role, 0], [role, Number.MAX_SAFE_INTEGER]);

const isChunkedRecord = (value: unknown): value is ChunkedLayerRecord =>
  typeof value === 'object' &&
  value !== null &&
  (value as { format?: unknown }).format === 'flatgeobuf-chunks' &&
  importRoles.includes((value as { role?: unknown }).role as ImportRole);

/**
 * Saves (replaces) the imported layer of its role: its record and its chunks (of at most `chunkBytes`) in
 * one transaction, so a failure (quota) keeps the previous layer whole and a success leaves no old chunk.
 */
export async function saveLayer(layer: StoredLayer, chunkBytes = defaultLayerChunkBytes): Promise<void> {
  const { encodeStoredLayer } = await import('./stored-layer-codec');
  const { record, chunks } = encodeStoredLayer(layer, chunkBytes);
  await transaction('readwrite', (layers, chunkStore) => {
    chunkStore.delete(chunkRange(layer.role));
    for (const [index, chunk] of chunks.entries()) chunkStore.put(chunk, [layer.role, index]);
    layers.put(record);
    return () => undefined;
  });
}

/**
 * Every saved layer that can be used, how many records were skipped as garbage (checked by
 * `checkStoredLayers`), and the layers whose chunks are incomplete; nothing when IndexedDB is unavailable
 * or unreadable. Records of both versions load.
 */
export async function loadLayers(): Promise<LoadedLayers> {
  const none: LoadedLayers = { records: [], skipped: 0, incomplete: [] };
  if (typeof indexedDB === 'undefined') return none;
  let read: { values: unknown[]; chunks: Map<ChunkedLayerRecord, unknown[]> };
  try {
    // The records and the chunks they name in one transaction: a save in another tab cannot come between.
    read = await transaction('readonly', (layers, chunkStore) => {
      const found = { values: [] as unknown[], chunks: new Map<ChunkedLayerRecord, unknown[]>() };
      const all = layers.getAll();
      all.onsuccess = () => {
        found.values = Array.isArray(all.result) ? all.result : [];
        for (const value of found.values) {
          if (!isChunkedRecord(value)) continue;
          const range = chunkRange(String(value.role));
          const keys = chunkStore.getAllKeys(range);
          const chunks = chunkStore.getAll(range);
          chunks.onsuccess = () => {
            // Each chunk at its own index, so a missing one is a hole (named), not a shift of the rest.
            const ordered: unknown[] = [];
            keys.result.forEach((key, position) => {
              const index = Array.isArray(key) ? key[1] : -1;
              if (typeof index === 'number' && Number.isSafeInteger(index) && index >= 0 && index < 1e6)
                ordered[index] = chunks.result[position];
            });
            found.chunks.set(value, ordered);
          };
        }
      };
      return () => found;
    });
  } catch (error) {
    console.warn('GreenReach: could not read saved layers', error);
    return none;
  }
  const loaded: LoadedLayers = { records: [], skipped: 0, incomplete: [] };
  const chunked = [...read.chunks];
  // The FlatGeobuf reader loads only when there is a chunked layer to read.
  const codec = chunked.length > 0 ? await import('./stored-layer-codec') : null;
  // The record checks (and the kind table they consult) load only when there is a record to check.
  const checks = read.values.length > 0 ? await import('./stored-records') : null;
  for (const value of read.values) {
    const chunks = isChunkedRecord(value) ? read.chunks.get(value) : undefined;
    if (!isChunkedRecord(value) || !chunks || !codec) {
      // A version-1 record (features inside), or garbage (also a chunked record of no known role).
      const layer = checks?.checkStoredLayer(value) ?? null;
      if (layer) loaded.records.push(layer);
      else loaded.skipped++;
      continue;
    }
    const decoded = codec.decodeStoredLayer(value, chunks);
    if ('layer' in decoded) loaded.records.push(decoded.layer);
    else {
      const source = typeof value.source === 'string' ? value.source : value.role;
      loaded.incomplete.push({ role: value.role, source, problem: decoded.problem });
    }
  }
  return loaded;
}

/** Forgets every saved layer ("reset to demo"). */
export async function clearLayers(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await transaction('readwrite', (layers, chunks) => {
    layers.clear();
    chunks.clear();
    return () => undefined;
  });
}

/** Forgets the saved layer of one role (the planner removed it). */
export async function forgetLayer(role: ImportRole): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await transaction('readwrite', (layers, chunks) => {
    layers.delete(role);
    chunks.delete(chunkRange(role));
    return () => undefined;
  });
}
