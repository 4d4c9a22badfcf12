import type { Feature } from 'geojson';
import type { CoverageTotals } from '../coverage';
import type { SavedCandidateLayer } from './candidate-layer';
import type { CheckedRecords } from './stored-records';

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
/** The imported candidate layer: one record under `candidateKey` (see `SavedCandidateLayer`). */
const candidateStoreName = 'candidate-layer';
const candidateKey = 'current';
/**
 * Schema versions: 1 the scenarios store; 2 adds the candidate layer store. An upgrade only adds stores,
 * so scenarios saved under an older version are read as they are.
 */
export const scenarioDbVersion = 2;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * A small wrapper over the plain `indexedDB` API: one database of its own (so it never shares a
 * version number with other stores of the app), one object store of scenarios keyed by id and one
 * holding the imported candidate layer.
 */
/** How long opening the database may take before it counts as failed (ms). */
const openDeadlineMs = 15_000;

export class ScenarioDb {
  private database: Promise<IDBDatabase> | null = null;

  private open(): Promise<IDBDatabase> {
    if (!this.database) {
      this.database = new Promise((resolve, reject) => {
        if (typeof indexedDB === 'undefined') {
          reject(new Error('IndexedDB is not available'));
          return;
        }
        const opening = indexedDB.open(databaseName, scenarioDbVersion);
        // An open that never answers (seen right after a reload under load) must not leave the panel
        // "restoring" for good: after the deadline it fails like any other storage problem.
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          reject(new Error(`IndexedDB did not answer in ${openDeadlineMs / 1000} s`));
        }, openDeadlineMs);
        opening.onupgradeneeded = () => {
          // Each step creates only what is missing: a version-1 database keeps its scenarios store as it is.
          const stores = opening.result.objectStoreNames;
          if (!stores.contains(storeName)) opening.result.createObjectStore(storeName, { keyPath: 'id' });
          if (!stores.contains(candidateStoreName)) opening.result.createObjectStore(candidateStoreName);
        };
        opening.onsuccess = () => {
          clearTimeout(timer);
          const database = opening.result;
          if (timedOut) {
            database.close();
            return;
          }
          // A newer version opened in another tab must not stay blocked by this connection.
          database.onversionchange = () => {
            database.close();
            this.database = null;
          };
          resolve(database);
        };
        opening.onerror = () => {
          clearTimeout(timer);
          reject(opening.error);
        };
        opening.onblocked = () => {
          clearTimeout(timer);
          reject(new Error('IndexedDB is blocked by another tab'));
        };
      });
      this.database.catch(() => {
        this.database = null;
      });
    }
    return this.database;
  }

  private async transaction(mode: IDBTransactionMode, name = storeName): Promise<IDBObjectStore> {
    const database = await this.open();
    return database.transaction(name, mode).objectStore(name);
  }

  /** Resolves once a write transaction has committed. */
  private static committed(store: IDBObjectStore): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      store.transaction.oncomplete = () => resolve();
      store.transaction.onerror = () => reject(store.transaction.error);
      store.transaction.onabort = () => reject(store.transaction.error);
    });
  }

  /**
   * The usable scenarios of a data set, and how many stored records were skipped as damaged (garbage,
   * a record without `features`): checked by `checkScenarios`, so a bad record never becomes a page error.
   */
  async list(dataPath: string): Promise<CheckedRecords<SavedScenario>> {
    const store = await this.transaction('readonly');
    const records = await request(store.getAll());
    // The record checks (and the kind table they consult) load with the first list, not on the first page.
    const { checkScenarios } = await import('./stored-records');
    const checked = checkScenarios(records);
    return {
      records: checked.records
        .filter((scenario) => scenario.dataPath === dataPath)
        .sort((a, b) => a.id.localeCompare(b.id)),
      skipped: checked.skipped,
    };
  }

  async put(scenario: SavedScenario): Promise<void> {
    const store = await this.transaction('readwrite');
    const done = ScenarioDb.committed(store);
    store.put(scenario);
    await done;
  }

  async delete(id: string): Promise<void> {
    const store = await this.transaction('readwrite');
    await request(store.delete(id));
  }

  /**
   * The saved candidate layer record as stored (unknown: it may be corrupt or of an older format; check it
   * with `restoreCandidateRecord`), or null when there is none.
   */
  async getCandidateLayer(): Promise<unknown> {
    const store = await this.transaction('readonly', candidateStoreName);
    return (await request(store.get(candidateKey))) ?? null;
  }

  /** Saves the candidate layer record, replacing the previous one. */
  async putCandidateLayer(record: SavedCandidateLayer): Promise<void> {
    const store = await this.transaction('readwrite', candidateStoreName);
    const done = ScenarioDb.committed(store);
    store.put(record, candidateKey);
    await done;
  }

  /** Removes the saved candidate layer. */
  async deleteCandidateLayer(): Promise<void> {
    const store = await this.transaction('readwrite', candidateStoreName);
    const done = ScenarioDb.committed(store);
    store.delete(candidateKey);
    await done;
  }
}
