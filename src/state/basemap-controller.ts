import type { InputErrorJSON } from '../coverage/input-error';
import type { PlannerArchive } from '../io/pmtiles-archive';
import type { SavedBasemap } from './basemap-storage';
import { extentDistanceKm, layersBounds } from './layer-extent';
import type { DataSet } from './load-data';
import { Store } from './store';
import type { ScreenState } from './url-state';

/**
 * A basemap the planner supplies: a PMTiles file picked on disk or a PMTiles URL. Each is opened and
 * checked (`src/io/pmtiles-archive.ts`, loaded with the first basemap) before it replaces the one in use,
 * so a bad file leaves the previous basemap on the map and says what is wrong; a good one is kept in
 * IndexedDB (`basemap-storage.ts`) and comes back after a reload. The map binding draws `basemap`.
 * Given the app's screen, a basemap by URL is kept in its `basemapUrl` (so the link carries it) and a
 * link's `basemap=` is opened on `restore()` in place of the kept one.
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
  /** Where the basemap in use came from (the picked file or the URL), or null. */
  source: SavedBasemap | null;
}

/** The part of the app's store the controller keeps in step: the link's basemap URL. */
interface ScreenStore {
  store: Pick<Store<Pick<ScreenState, 'basemapUrl'>>, 'get' | 'set'>;
}

export class BasemapController {
  readonly store = new Store<BasemapState>({ basemap: null, loading: null, error: null, notKept: false, source: null });
  private requests = 0;

  constructor(private readonly screen: ScreenStore | null = null) {
    this.store.subscribe((state, previous) => {
      if (state.source === previous.source || !screen) return;
      // A URL travels in the link; a picked file cannot (the link then names no basemap).
      const basemapUrl = state.source?.kind === 'url' ? state.source.url : null;
      if (basemapUrl !== screen.store.get().basemapUrl) screen.store.set({ basemapUrl });
    });
  }

  /** Opens a picked file; it replaces the basemap in use once it passed the checks (kept unless `keep` is false). */
  pickFile(file: File, keep = true): Promise<void> {
    return this.open({ kind: 'file', file }, keep);
  }

  /** Opens an archive by URL (read by HTTP range requests; kept unless `keep` is false). */
  loadUrl(url: string, keep = true): Promise<void> {
    return this.open({ kind: 'url', url }, keep);
  }

  /** Removes the basemap (the data set's own streets and water come back) and forgets the kept one. */
  async remove(): Promise<void> {
    this.requests++;
    this.store.set({ basemap: null, loading: null, error: null, notKept: false, source: null });
    const { clearSavedBasemap } = await import('./basemap-storage');
    await clearSavedBasemap().catch(() => undefined);
  }

  /**
   * Brings back the basemap of the link (`basemap=`, not kept: the planner's own kept one stays kept) or
   * else the one kept by an earlier visit, if any. A link may name https addresses and this server only.
   */
  async restore(): Promise<void> {
    const linked = this.screen?.store.get().basemapUrl ?? null;
    if (linked) return this.loadSharedUrl(linked, false);
    const { loadSavedBasemap } = await import('./basemap-storage');
    const saved = await loadSavedBasemap().catch(() => null);
    if (saved && !this.store.get().basemap && !this.store.get().loading) await this.open(saved, false);
  }

  /**
   * Opens a URL someone else named (a link's `basemap=`, a project file): https addresses and this
   * server only, as for a link's layers; another host is refused with a message and nothing is fetched.
   */
  async loadSharedUrl(url: string, keep = true): Promise<void> {
    const problem = linkedUrlProblem(url);
    if (problem) this.store.set({ error: problem });
    else await this.open({ kind: 'url', url }, keep);
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
      this.store.set({ basemap, loading: null, notKept: false, source: input });
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

/** Why a link's basemap URL is not opened (another host over plain http), or null when it may be. */
function linkedUrlProblem(url: string): InputErrorJSON | null {
  const resolved = new URL(url, document.baseURI);
  if (resolved.protocol === 'https:' || resolved.origin === location.origin) return null;
  const problem = 'a link opens basemaps from https addresses or this server only';
  return { ...errorJson(url, new Error(problem)), code: 'pmtiles.link-host' };
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

/**
 * The basemap's credit for a PNG's or a report's sources: the archive's own attribution, else its file
 * name (a URL's last path segment), so a map drawn over someone's tiles always says whose they are.
 */
export function basemapCredit(basemap: Pick<PlannerArchive, 'name' | 'attribution'>): string {
  if (basemap.attribution) return basemap.attribution;
  const path = basemap.name.split(/[?#]/)[0];
  return path.split('/').filter(Boolean).pop() ?? basemap.name;
}
