import type { InputErrorJSON } from '../coverage/input-error';
import type { PlannerArchive } from '../io/pmtiles-archive';
import { extentDistanceKm, layersBounds } from './layer-extent';
import type { DataSet } from './load-data';
import { Store } from './store';

/**
 * A basemap the planner supplies: a PMTiles file picked on disk or a PMTiles URL. Each is opened and
 * checked (`src/io/pmtiles-archive.ts`, loaded with the first basemap) before it replaces the one in use,
 * so a bad file leaves the previous basemap on the map and says what is wrong; a good one is kept in
 * IndexedDB (`basemap-storage.ts`) and comes back after a reload. The map binding draws `basemap`.
 */

export interface BasemapState {
  /** The archive drawn under the coverage, or null (the data set's own context is drawn). */
  basemap: PlannerArchive | null;
  /** The file or URL being opened. */
  loading: string | null;
  /** Why the last file or URL was not used (it names the file; `pmtiles.*` codes). */
  error: InputErrorJSON | null;
  /** The basemap is in use but could not be kept for the next visit. */
  notKept: boolean;
}

export class BasemapController {
  readonly store = new Store<BasemapState>({ basemap: null, loading: null, error: null, notKept: false });
  private requests = 0;

  /** Opens a picked file; it replaces the basemap in use once it passed the checks. */
  pickFile(file: File): Promise<void> {
    return this.open({ kind: 'file', file }, true);
  }

  /** Opens an archive by URL (read by HTTP range requests). */
  loadUrl(url: string): Promise<void> {
    return this.open({ kind: 'url', url }, true);
  }

  /** Removes the basemap (the data set's own streets and water come back) and forgets the kept one. */
  async remove(): Promise<void> {
    this.requests++;
    this.store.set({ basemap: null, loading: null, error: null, notKept: false });
    const { clearSavedBasemap } = await import('./basemap-storage');
    await clearSavedBasemap().catch(() => undefined);
  }

  /** Brings back the basemap kept by an earlier visit, if any. */
  async restore(): Promise<void> {
    const { loadSavedBasemap } = await import('./basemap-storage');
    const saved = await loadSavedBasemap().catch(() => null);
    if (saved && !this.store.get().basemap && !this.store.get().loading) await this.open(saved, false);
  }

  /** Clears the message of the last failure. */
  dismissError(): void {
    this.store.set({ error: null });
  }

  private async open(input: { kind: 'file'; file: File } | { kind: 'url'; url: string }, keep: boolean) {
    const request = ++this.requests;
    const name = input.kind === 'file' ? input.file.name : input.url;
    this.store.set({ loading: name, error: null });
    try {
      const { openPmtilesArchive } = await import('../io/pmtiles-archive');
      const basemap = await openPmtilesArchive(input);
      if (request !== this.requests) return;
      this.store.set({ basemap, loading: null, notKept: false });
      if (!keep) return;
      const { saveBasemap } = await import('./basemap-storage');
      await saveBasemap(input).catch(() => {
        if (request === this.requests) this.store.set({ notKept: true });
      });
    } catch (error) {
      if (request !== this.requests) return;
      this.store.set({ loading: null, error: errorJson(name, error) });
    }
  }
}

/** An error as the interface shows it: an `InputError`'s own data, anything else under the file's name. */
function errorJson(name: string, error: unknown): InputErrorJSON {
  const json = (error as { toJSON?: () => unknown }).toJSON?.();
  if (json && typeof json === 'object' && (json as InputErrorJSON).name === 'InputError') return json as InputErrorJSON;
  const problem = error instanceof Error ? error.message : String(error);
  return {
    name: 'InputError',
    message: `${name}: ${problem}`,
    fileName: name,
    featureIndex: null,
    layer: null,
    problem,
    code: 'invalid',
  };
}

/**
 * How far (km) the basemap's area lies from the data set's communities: 0 when they meet, null when the
 * data set has no extent. A basemap of another city draws nothing under the data; the panel says so.
 */
export function basemapDistanceKm(bounds: PlannerArchive['bounds'], data: DataSet | null): number | null {
  const dataBounds = data ? layersBounds([data.communities]) : null;
  return dataBounds ? extentDistanceKm(bounds, dataBounds) : null;
}
