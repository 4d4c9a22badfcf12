/**
 * The planner's basemap kept in IndexedDB, so a reload brings it back: the picked `File` itself (a File
 * is structured-cloneable; the browser keeps its bytes on disk) or the URL. One record in a database of
 * its own. Loaded on first use.
 */

/** What is kept: the file, or the URL. */
export type SavedBasemap = { kind: 'file'; file: File } | { kind: 'url'; url: string };

const databaseName = 'greenreach-basemap';
const storeName = 'basemap';
const recordKey = 'current';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

/** Runs one request in a transaction; resolves with its result once the transaction committed. */
async function run<T>(mode: IDBTransactionMode, request: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const database = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = database.transaction(storeName, mode);
      const pending = request(transaction.objectStore(storeName));
      transaction.oncomplete = () => resolve(pending.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    database.close();
  }
}

/** Keeps the basemap (replacing the previous one). */
export async function saveBasemap(saved: SavedBasemap): Promise<void> {
  await run('readwrite', (store) => store.put(saved, recordKey));
}

/** Forgets the kept basemap. */
export async function clearSavedBasemap(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await run('readwrite', (store) => store.delete(recordKey));
}

/** The kept basemap, or null (none, IndexedDB unavailable, or a record that is neither shape). */
export async function loadSavedBasemap(): Promise<SavedBasemap | null> {
  if (typeof indexedDB === 'undefined') return null;
  const value: unknown = await run('readonly', (store) => store.get(recordKey));
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Partial<{ kind: string; file: unknown; url: unknown }>;
  if (record.kind === 'file' && record.file instanceof File) return { kind: 'file', file: record.file };
  if (record.kind === 'url' && typeof record.url === 'string') return { kind: 'url', url: record.url };
  return null;
}
