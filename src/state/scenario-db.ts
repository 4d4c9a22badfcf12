import type { Feature } from 'geojson';
import type { CoverageTotals } from '../coverage';

/** One feature a scenario adds: a stable key, its layer and its GeoJSON (properties: kind, name). */
export interface ScenarioFeature {
  key: string;
  layer: 'greenspaces' | 'greenways';
  feature: Feature;
}

/** Figures of a scenario as last computed (and the baseline's), under the rules named by `rulesKey`. */
export interface ScenarioFigures {
  rulesKey: string;
  baseline: CoverageTotals;
  scenario: CoverageTotals;
}

/** A named scenario as saved in IndexedDB. */
export interface SavedScenario {
  id: string;
  name: string;
  /** The data set it was drawn on (scenarios of other data sets are not listed). */
  dataPath: string;
  features: ScenarioFeature[];
  figures: ScenarioFigures | null;
  updatedAt: number;
}

const databaseName = 'greenreach-scenarios';
const storeName = 'scenarios';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * A small wrapper over the plain `indexedDB` API: one database of its own (so it never shares a
 * version number with other stores of the app), one object store of scenarios keyed by id.
 */
export class ScenarioDb {
  private database: Promise<IDBDatabase> | null = null;

  private open(): Promise<IDBDatabase> {
    if (!this.database) {
      this.database = new Promise((resolve, reject) => {
        if (typeof indexedDB === 'undefined') {
          reject(new Error('IndexedDB is not available'));
          return;
        }
        const opening = indexedDB.open(databaseName, 1);
        opening.onupgradeneeded = () => {
          if (!opening.result.objectStoreNames.contains(storeName)) {
            opening.result.createObjectStore(storeName, { keyPath: 'id' });
          }
        };
        opening.onsuccess = () => resolve(opening.result);
        opening.onerror = () => reject(opening.error);
        opening.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
      });
      this.database.catch(() => {
        this.database = null;
      });
    }
    return this.database;
  }

  private async transaction(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    const database = await this.open();
    return database.transaction(storeName, mode).objectStore(storeName);
  }

  async list(dataPath: string): Promise<SavedScenario[]> {
    const store = await this.transaction('readonly');
    const all = (await request(store.getAll())) as SavedScenario[];
    return all.filter((scenario) => scenario.dataPath === dataPath).sort((a, b) => a.id.localeCompare(b.id));
  }

  async put(scenario: SavedScenario): Promise<void> {
    const store = await this.transaction('readwrite');
    const done = new Promise<void>((resolve, reject) => {
      store.transaction.oncomplete = () => resolve();
      store.transaction.onerror = () => reject(store.transaction.error);
      store.transaction.onabort = () => reject(store.transaction.error);
    });
    store.put(scenario);
    await done;
  }

  async delete(id: string): Promise<void> {
    const store = await this.transaction('readwrite');
    await request(store.delete(id));
  }
}
