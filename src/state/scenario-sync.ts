import type { Feature } from 'geojson';
import type { CoverageResult } from '../coverage';
import { CancelledError, type CoverageClient } from '../worker/coverage-client';
import type { EditOperation } from '../worker/coverage-protocol';
import { changedCells, type ScenarioState } from './scenario-state';
import type { Store } from './store';

/** What the worker sync needs from the rest of the app. */
export interface SyncHost {
  store: Store<ScenarioState>;
  client: CoverageClient;
  /** The baseline when the app is ready for edits (computed and drawn), else null. */
  readyBaseline: () => CoverageResult | null;
  /** Whether the scenarios are loaded (edits wait for them). */
  loaded: () => boolean;
  /** Called before edits go out (a suggestion in flight would be stale). */
  beforeEdit: () => void;
  /** Called with each edit's engine time and when the worker caught up with the features. */
  edited: (editMs: number | null, synced: boolean) => void;
}

/**
 * Keeps the coverage worker's model in step with the scenario's features by incremental `edit`
 * operations. Only the latest desired state is sent: while a shape is dragged, positions that were not
 * sent yet are dropped, and edits go out at most once per animation frame.
 */
export class ScenarioSync {
  /** What the worker's model holds beyond the baseline: scenario key → worker feature id and the GeoJSON sent. */
  private readonly applied = new Map<string, { featureId: number; feature: Feature }>();
  private generation = 0;
  private inFlight = false;
  private frame = 0;

  constructor(private readonly host: SyncHost) {}

  /** Number of features the worker holds beyond the baseline. */
  get appliedCount(): number {
    return this.applied.size;
  }

  /** A full computation replaced the worker's model: it holds no scenario feature any more. */
  reset(): void {
    this.generation++;
    this.inFlight = false;
    this.applied.clear();
  }

  /** Sends the features at the next animation frame (a hidden page gets no frames: a timer then). */
  schedule(): void {
    if (this.frame) return;
    const run = () => {
      this.frame = 0;
      void this.sync();
    };
    this.frame =
      document.visibilityState === 'visible' ? requestAnimationFrame(run) : (setTimeout(run, 16) as unknown as number);
  }

  private async sync(): Promise<void> {
    const baseline = this.host.readyBaseline();
    const { features } = this.host.store.get();
    if (this.inFlight || !this.host.loaded() || !baseline) return;
    const client = this.host.client;
    const operations: EditOperation[] = [];
    const desired = new Map(features.map((f) => [f.key, f]));
    const removed: string[] = [];
    for (const [key, applied] of this.applied) {
      if (desired.get(key)?.feature !== applied.feature) {
        operations.push({ op: 'remove', featureId: applied.featureId });
        removed.push(key);
      }
    }
    let nextId = client.firstFeatureIdFree;
    const added: [string, number, Feature][] = [];
    for (const f of features) {
      if (this.applied.get(f.key)?.feature === f.feature) continue;
      const featureId = nextId++;
      operations.push({ op: 'add', layer: f.layer, feature: f.feature, featureId });
      added.push([f.key, featureId, f.feature]);
    }
    if (operations.length === 0) {
      if (!this.host.store.get().synced) {
        this.host.store.set({ synced: true });
        this.host.edited(null, true);
      }
      return;
    }
    this.inFlight = true;
    const generation = this.generation;
    this.host.beforeEdit();
    try {
      const result = await client.edit(operations);
      if (generation !== this.generation) return;
      for (const key of removed) this.applied.delete(key);
      for (const [key, featureId, feature] of added) this.applied.set(key, { featureId, feature });
      // The status line and the test hook read `compute`: it stays the baseline's (an edit adds `edit`).
      result.timingsMs = { ...baseline.timingsMs, ...result.timingsMs };
      const editMs = result.timingsMs.edit ?? null;
      const current = this.host.store.get().features;
      const synced =
        current.length === this.applied.size && current.every((f) => this.applied.get(f.key)?.feature === f.feature);
      this.host.store.set((s) => ({
        result,
        resultBaseline: baseline,
        changedCells: changedCells(baseline, result),
        lastEditMs: editMs,
        editCount: s.editCount + 1,
        synced,
        error: null,
      }));
      this.host.edited(editMs, synced);
    } catch (error) {
      if (generation !== this.generation || error instanceof CancelledError) return;
      this.host.store.set({ error: error instanceof Error ? error.message : String(error) });
      console.warn('GreenReach: scenario edit failed', error);
    } finally {
      if (generation === this.generation) {
        this.inFlight = false;
        if (!this.host.store.get().error) this.schedule();
      }
    }
  }
}
