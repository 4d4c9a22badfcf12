import type { FeatureCollection } from 'geojson';
import type { CoverageLayers, CoverageProgress, CoverageResult, RuleSet } from '../coverage';
import type { SuggestProgress, SuggestResult } from '../coverage/suggest';
import { type CoverageReplies, type CoverageRequests, type EditOperation, layerNames } from './coverage-protocol';
import { CancelledError, WorkerClient } from './worker-client';

export { CancelledError } from './worker-client';

export type WorkerFactory = () => Worker;

/** Resolves in a new task, so the page can draw and handle input between parts. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('./coverage-worker.ts', import.meta.url), { type: 'module', name: 'coverage' });

/**
 * The page's side of the coverage protocol (a WorkerClient): compute, edit and suggest as promises
 * with progress and cancellation. A worker that dies (out of memory, a crash) is replaced and its
 * pending runs are rejected; the caller can simply run again.
 */
export class CoverageClient {
  private readonly client: WorkerClient<CoverageRequests, CoverageReplies>;
  private computeRequestId = -1;
  private suggestRequestId = -1;
  /** The first feature id the worker has not used (for scenario edits). */
  firstFeatureIdFree = 0;
  /** The layer set the worker holds (or is being sent), so a rule change does not send it again. */
  private sentLayers: { layers: CoverageLayers; layersId: number; sending: Promise<void> } | null = null;
  private nextLayersId = 1;
  /** Counts `compute` calls, so a run superseded while its layers were being sent never starts. */
  private computeCalls = 0;

  /**
   * @param createWorker makes the worker (a stand-in in tests)
   * @param featuresPerPart features per `layers` message: a few milliseconds of copying each
   */
  constructor(
    createWorker: WorkerFactory = defaultFactory,
    private readonly featuresPerPart = 2000,
  ) {
    this.client = new WorkerClient(createWorker, () => {
      // A new worker holds no layer set.
      this.sentLayers = null;
    });
  }

  /** Number of times the worker was restarted after a crash. */
  get restarts(): number {
    return this.client.restarts;
  }

  /** Terminates the worker, rejects what was pending and starts a fresh one. */
  restart(reason: Error = new Error('the coverage worker was restarted')): void {
    this.client.restart(reason);
  }

  /**
   * Computes coverage in the worker. A newer `compute` cancels this one (it rejects with CancelledError).
   * The layers go to the worker once, in parts of `featuresPerPart` features with a task between
   * parts (copying a city's GeoJSON in one message would block the page); later runs on the same
   * layers (the same collection objects) only send the rules.
   */
  async compute(
    layers: CoverageLayers,
    rules: RuleSet,
    cellMeters: number,
    options: { onProgress?: (progress: CoverageProgress) => void; signal?: AbortSignal } = {},
  ): Promise<CoverageResult> {
    if (this.computeRequestId >= 0) this.cancel(this.computeRequestId);
    this.computeRequestId = -1;
    const call = ++this.computeCalls;
    const layersId = this.sendLayers(layers);
    await this.sentLayers!.sending;
    if (call !== this.computeCalls || options.signal?.aborted) throw new CancelledError();
    if (this.sentLayers?.layersId !== layersId) {
      // The worker was restarted while the parts were on their way: send them again.
      return this.compute(layers, rules, cellMeters, options);
    }
    const { requestId, reply } = this.client.request(
      'compute',
      { source: { kind: 'sent', layersId }, rules, cellMeters },
      {
        onProgress: options.onProgress as (progress: CoverageProgress | SuggestProgress) => void,
        signal: options.signal,
      },
    );
    this.computeRequestId = requestId;
    return this.resultOf(reply);
  }

  /**
   * Starts the worker now, so that its script is fetched and compiled while the page loads its data
   * (otherwise the first `compute` waits for it).
   */
  warm(): void {
    void this.client.current;
  }

  /**
   * Starts sending a layer set ahead of the `compute` that will use it (the same collection objects),
   * so the copying overlaps the map's first drawing instead of following it.
   */
  preload(layers: CoverageLayers): void {
    this.sendLayers(layers);
  }

  /** Starts sending a layer set unless the worker has it (or is receiving it); returns its id. */
  private sendLayers(layers: CoverageLayers): number {
    const held = this.sentLayers?.layers;
    const same = held && layerNames.every((layer) => (held[layer] ?? null) === (layers[layer] ?? null));
    if (same) return this.sentLayers!.layersId;
    const layersId = this.nextLayersId++;
    const worker = this.client.current;
    const entry = { layers, layersId, sending: Promise.resolve() };
    this.sentLayers = entry;
    entry.sending = (async () => {
      for (const layer of layerNames) {
        const collection = layers[layer];
        if (!collection) continue;
        const { features } = collection;
        for (let start = 0; start === 0 || start < features.length; start += this.featuresPerPart) {
          // Stop when a newer set or a restarted worker took over.
          if (this.sentLayers?.layersId !== layersId || this.client.current !== worker) return;
          this.client.post({
            type: 'layers',
            requestId: this.client.newRequestId(),
            layersId,
            layer,
            features: features.slice(start, start + this.featuresPerPart),
          });
          await nextTask();
        }
      }
    })();
    return layersId;
  }

  /** Applies scenario edits to the last computed model. */
  edit(operations: EditOperation[]): Promise<CoverageResult> {
    return this.resultOf(this.client.request('edit', { operations }).reply);
  }

  /** The coverage result of a `result` reply (and the worker's next free feature id). */
  private async resultOf(reply: Promise<{ type: string }>): Promise<CoverageResult> {
    const message = await reply;
    if (message.type !== 'result') throw new Error(`unexpected reply ${message.type}`);
    const { result, firstFeatureIdFree } = message as unknown as CoverageReplies['result'];
    this.firstFeatureIdFree = firstFeatureIdFree;
    return result;
  }

  /**
   * Suggests up to `count` new sites (pocket parks sized by the rules) on the last computed model,
   * in rank order with each one's measured marginal gain. A newer `suggest`, a `compute` or an `edit`
   * cancels it (it rejects with CancelledError), as do `cancel` and the AbortSignal.
   */
  async suggest(
    count: number,
    options: {
      candidates?: FeatureCollection | null;
      anywhere?: boolean;
      maxCandidates?: number;
      onProgress?: (progress: SuggestProgress) => void;
      signal?: AbortSignal;
    } = {},
  ): Promise<SuggestResult> {
    if (this.suggestRequestId >= 0) this.cancel(this.suggestRequestId);
    const { onProgress, signal, ...body } = options;
    const { requestId, reply } = this.client.request(
      'suggest',
      { count, ...body },
      { onProgress: onProgress as (progress: CoverageProgress | SuggestProgress) => void, signal },
    );
    this.suggestRequestId = requestId;
    const message = await reply;
    if (message.type !== 'suggestions') throw new Error(`unexpected reply ${message.type}`);
    return (message as unknown as CoverageReplies['suggestions']).suggestions;
  }

  /** Cancels a request; its promise rejects with CancelledError. */
  cancel(requestId: number): void {
    this.client.cancel(requestId);
  }

  dispose(): void {
    this.client.dispose();
  }
}
