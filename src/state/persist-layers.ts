import type { FeatureCollection } from 'geojson';
import type { AttributeMapping, ImportRole } from './import-layers';
import { type CheckedRecords, checkStoredLayers } from './stored-records';

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

const DB_NAME = 'greenreach-imports';
const STORE = 'layers';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE))
        request.result.createObjectStore(STORE, { keyPath: 'role' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

async function transaction<T>(
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => IDBRequest<T> | null,
): Promise<T | undefined> {
  const db = await open();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = run(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** Saves (replaces) the imported layer of its role. */
export async function saveLayer(layer: StoredLayer): Promise<void> {
  await transaction('readwrite', (store) => store.put(layer));
}

/**
 * Every saved layer that can be used, and how many records were skipped as damaged (checked by
 * `checkStoredLayers`); nothing when IndexedDB is unavailable or unreadable.
 */
export async function loadLayers(): Promise<CheckedRecords<StoredLayer>> {
  if (typeof indexedDB === 'undefined') return { records: [], skipped: 0 };
  try {
    return checkStoredLayers(await transaction('readonly', (store) => store.getAll()));
  } catch (error) {
    console.warn('GreenReach: could not read saved layers', error);
    return { records: [], skipped: 0 };
  }
}

/** Forgets every saved layer ("reset to demo"). */
export async function clearLayers(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await transaction('readwrite', (store) => store.clear());
}
