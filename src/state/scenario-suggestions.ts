import type { Feature, FeatureCollection } from 'geojson';
import type { CoverageResult } from '../coverage';
import type { SitePlaces } from '../coverage/site-places';
import { placeSites, type SuggestProgress, type SuggestResult } from '../coverage/suggest';
import { CancelledError, type CoverageClient } from '../worker/coverage-client';
import { readFileInWorker } from '../worker/import-client';
import {
  type CandidateLayer,
  type CandidateSource,
  candidateErrorMessage,
  candidateRecord,
  checkCandidateLayer,
  gridBounds,
  restoreCandidateRecord,
} from './candidate-layer';
import type { ScenarioDb } from './scenario-db';
import type { ScenarioState, SuggestState } from './scenario-state';
import type { Store } from './store';

/** What suggestions need from the rest of the app. */
export interface SuggestionsHost {
  store: Store<ScenarioState>;
  client: CoverageClient;
  db: ScenarioDb;
  baseline: () => CoverageResult | null;
  language: () => 'zh' | 'en';
  /** Adds a feature to the scenario as one undo step; returns its key. */
  add: (layer: 'greenspaces', feature: Feature) => string;
  /** The layers that name a site's place: the communities and the streets (when the data set has them). */
  placeLayers: () => { communities: FeatureCollection; streets: FeatureCollection | null } | null;
}

/**
 * Suggested sites: the count, the candidate source (non-residential land or an imported candidate layer,
 * kept in IndexedDB), the greedy run in the coverage worker, and accepting a site as an edit.
 */
export class ScenarioSuggestions {
  private abort: AbortController | null = null;
  /** Counts the planner's candidate changes (load, source, forget): a restore that finds it moved is dropped. */
  private candidateChanges = 0;
  /** The last candidate layer write (put or delete); writes are chained so they land in order. */
  private candidateWrite: Promise<void> = Promise.resolve();
  /** The place index of the last layers named with, rebuilt only when the communities or streets change. */
  private places: { communities: FeatureCollection; streets: FeatureCollection | null; index: SitePlaces } | null =
    null;

  constructor(private readonly host: SuggestionsHost) {}

  private patch(patch: Partial<SuggestState>): void {
    this.host.store.set((s) => ({ suggest: { ...s.suggest, ...patch } }));
  }

  setCount(count: number): void {
    this.patch({ count: Math.max(1, Math.min(50, Math.round(count) || 1)) });
  }

  /** Where the next suggestion takes its candidates from (saved with the candidate layer). */
  setCandidateSource(source: CandidateSource): void {
    this.patch({ source });
    const { layer } = this.host.store.get().suggest;
    if (!layer) return;
    this.candidateChanges++;
    this.saveCandidateLayer(layer, source);
  }

  /**
   * Reads the saved candidate layer (if any) into the state, without holding up the start-up. A record that
   * is corrupt or of another format is ignored with a console warning; a layer the planner loaded (or a
   * source chosen) while the record was being read wins over it.
   */
  async restoreCandidateLayer(): Promise<void> {
    const changesBefore = this.candidateChanges;
    let record: unknown = null;
    try {
      record = await this.host.db.getCandidateLayer();
    } catch (error) {
      console.warn('GreenReach: the saved candidate layer cannot be read', error);
    }
    const restored = record === null ? null : restoreCandidateRecord(record);
    if (restored instanceof Error)
      console.warn(`GreenReach: the saved candidate layer is ignored: ${restored.message}`);
    const usable = restored && !(restored instanceof Error) && this.candidateChanges === changesBefore;
    this.patch(
      usable ? { layer: restored.layer, source: restored.source, layerRestoring: false } : { layerRestoring: false },
    );
  }

  /** Saves the candidate layer and source (one record, replacing the previous), after any earlier write. */
  private saveCandidateLayer(layer: CandidateLayer, source: CandidateSource): void {
    const record = candidateRecord(layer, source);
    this.candidateWrite = this.candidateWrite
      .then(() => this.host.db.putCandidateLayer(record))
      .catch((error) => console.warn('GreenReach: the candidate layer is not saved', error));
  }

  /** Resolves once the candidate layer's last change is written to IndexedDB (or failed with a warning). */
  candidateLayerSaved(): Promise<void> {
    return this.candidateWrite;
  }

  /**
   * Reads a candidate file (GeoJSON, FlatGeobuf, zipped Shapefile or CSV of points) in an import worker,
   * checks it (points or polygons, longitude/latitude, something inside the study area) and makes it the
   * candidate source. A bad file leaves the previous layer and sets `layerError` (file, feature, problem).
   */
  async loadCandidateFile(file: Blob & { name: string }): Promise<CandidateLayer | null> {
    this.patch({ layerLoading: true, layerError: null });
    try {
      const read = await readFileInWorker(file, {});
      const grid = this.host.baseline()?.grid;
      const layer = checkCandidateLayer(read.collection, file.name, grid ? gridBounds(grid) : null);
      // Only an accepted file counts as a change: a refused one leaves the (restored) layer in place.
      this.candidateChanges++;
      this.patch({ layer, source: 'layer', layerLoading: false, layerError: null });
      this.saveCandidateLayer(layer, 'layer');
      return layer;
    } catch (error) {
      this.patch({ layerLoading: false, layerError: error instanceof Error ? error.message : String(error) });
      return null;
    }
  }

  /** Forgets the imported candidate layer, here and in IndexedDB (suggestions go back to non-residential land). */
  forgetCandidateLayer(): void {
    this.candidateChanges++;
    this.patch({ layer: null, source: 'land', layerError: null });
    this.candidateWrite = this.candidateWrite
      .then(() => this.host.db.deleteCandidateLayer())
      .catch((error) => console.warn('GreenReach: the saved candidate layer is not removed', error));
  }

  async suggest(count = this.host.store.get().suggest.count): Promise<SuggestResult | null> {
    this.cancel();
    const { source, layer } = this.host.store.get().suggest;
    if (source === 'layer' && !layer) {
      this.patch({ error: 'choose a candidate file first' });
      return null;
    }
    const candidates = source === 'layer' ? layer : null;
    const abort = new AbortController();
    this.abort = abort;
    this.patch({ count, running: true, fraction: 0, result: null, accepted: [], error: null });
    try {
      const result = await this.host.client.suggest(count, {
        candidates: candidates?.collection ?? null,
        signal: abort.signal,
        onProgress: (progress: SuggestProgress) => {
          if (this.abort === abort) this.patch({ fraction: progress.fraction });
        },
      });
      if (this.abort !== abort) return null;
      this.abort = null;
      const named = await this.named(result);
      if (this.abort !== null) return null;
      this.patch({ running: false, fraction: 1, result: named });
      return named;
    } catch (error) {
      if (this.abort === abort) {
        this.abort = null;
        this.patch({
          running: false,
          error:
            error instanceof CancelledError
              ? null
              : candidateErrorMessage(
                  error instanceof Error ? error.message : String(error),
                  candidates?.fileName ?? 'candidates',
                ),
        });
      }
      return null;
    }
  }

  /** The sites with their community and nearest named street (on this thread: the worker has no streets in straight-line mode). */
  private async named(result: SuggestResult): Promise<SuggestResult> {
    const layers = this.host.placeLayers();
    if (!layers) return result;
    // The R-trees load with the first suggestions (not on the first page).
    const { SitePlaces } = await import('../coverage/site-places');
    if (this.places?.communities !== layers.communities || this.places.streets !== layers.streets) {
      this.places = { ...layers, index: new SitePlaces(layers.communities, layers.streets) };
    }
    return placeSites(result, this.places.index);
  }

  cancel(): void {
    const abort = this.abort;
    if (!abort) return;
    this.abort = null;
    abort.abort();
    this.patch({ running: false });
  }

  /** Forgets the suggestions (a new baseline: their gains no longer hold). */
  clear(): void {
    this.cancel();
    this.patch({ result: null, accepted: [] });
  }

  /** Turns a suggested site into an edit (a pocket park of the scenario). */
  acceptSite(rank: number): string | null {
    const site = this.host.store.get().suggest.result?.sites.find((candidate) => candidate.rank === rank);
    if (!site) return null;
    const feature: Feature = {
      ...site.feature,
      properties: {
        ...site.feature.properties,
        kind: site.kind,
        name: this.host.language() === 'zh' ? `建议选址 ${rank}` : `Suggested site ${rank}`,
      },
    };
    const suggest = this.host.store.get().suggest;
    const key = this.host.add('greenspaces', feature);
    this.host.store.set({ suggest: { ...suggest, accepted: [...suggest.accepted, rank] } });
    return key;
  }
}
