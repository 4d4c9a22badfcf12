import type { FeatureCollection } from 'geojson';
import type { CoverageLayers, CoverageProgress, CoverageResult, RuleSet } from '../coverage';
import type { SuggestProgress, SuggestResult } from '../coverage/suggest';
import type { EditOperation, LayerName, WorkerReply, WorkerRequest, WorkerRequestMap } from './protocol';

/** Rejection reason of a run that was cancelled (by `cancel`, an AbortSignal or a newer run). */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** Rejection reason of a run whose input the engine refused; the message names layer and feature. */
export class CoverageInputError extends Error {
  override name = 'CoverageInputError';
}

interface Pending {
  resolve: (result: CoverageResult | SuggestResult) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: CoverageProgress | SuggestProgress) => void;
}

export type WorkerFactory = () => Worker;

/** Resolves in a new task, so the page can draw and handle input between parts. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('./coverage-worker.ts', import.meta.url), { type: 'module', name: 'coverage' });

/**
 * The page's side of the worker protocol: promises per request, progress callbacks, cancellation.
 * A worker that dies (out of memory, a crash) is replaced and its pending runs are rejected; the
 * caller can simply run again.
 */
export class CoverageClient {
  private worker: Worker;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();
  private computeRequestId = -1;
  private suggestRequestId = -1;
  /** Number of times the worker was restarted after a crash. */
  restarts = 0;
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
    private readonly createWorker: WorkerFactory = defaultFactory,
    private readonly featuresPerPart = 2000,
  ) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<WorkerReply>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.restart(new Error(`the coverage worker failed: ${event.message || 'unknown error'}`));
    };
    return worker;
  }

  /** Terminates the worker, rejects what was pending and starts a fresh one. */
  restart(reason: Error = new Error('the coverage worker was restarted')): void {
    this.worker.terminate();
    for (const pending of this.pending.values()) pending.reject(reason);
    this.pending.clear();
    this.restarts++;
    this.sentLayers = null;
    this.worker = this.spawn();
  }

  private receive(reply: WorkerReply): void {
    const pending = this.pending.get(reply.requestId);
    if (!pending) return;
    switch (reply.type) {
      case 'progress':
        pending.onProgress?.({ phase: reply.phase, fraction: reply.fraction } as CoverageProgress | SuggestProgress);
        return;
      case 'suggestions':
        pending.resolve(reply.suggestions);
        break;
      case 'result':
        this.firstFeatureIdFree = reply.firstFeatureIdFree;
        pending.resolve(reply.result);
        break;
      case 'cancelled':
        pending.reject(new CancelledError());
        break;
      case 'error':
        pending.reject(reply.inputError ? new CoverageInputError(reply.message) : new Error(reply.message));
        break;
    }
    this.pending.delete(reply.requestId);
  }

  private send<K extends keyof WorkerRequestMap, T extends CoverageResult | SuggestResult = CoverageResult>(
    type: K,
    body: WorkerRequestMap[K],
    onProgress?: (progress: never) => void,
    signal?: AbortSignal,
  ): { requestId: number; promise: Promise<T> } {
    const requestId = this.nextRequestId++;
    const promise = new Promise<T>((resolve, reject) => {
      this.pending.set(requestId, {
        resolve: resolve as Pending['resolve'],
        reject,
        onProgress: onProgress as Pending['onProgress'],
      });
    });
    signal?.addEventListener('abort', () => this.cancel(requestId), { once: true });
    this.worker.postMessage({ type, requestId, ...body } as WorkerRequest);
    return { requestId, promise };
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
    const { requestId, promise } = this.send(
      'compute',
      { source: { kind: 'sent', layersId }, rules, cellMeters },
      options.onProgress,
      options.signal,
    );
    this.computeRequestId = requestId;
    return promise;
  }

  /** Starts sending a layer set unless the worker has it (or is receiving it); returns its id. */
  private sendLayers(layers: CoverageLayers): number {
    const held = this.sentLayers?.layers;
    const same =
      held &&
      held.communities === layers.communities &&
      (held.residential ?? null) === (layers.residential ?? null) &&
      held.greenways === layers.greenways &&
      held.greenspaces === layers.greenspaces;
    if (same) return this.sentLayers!.layersId;
    const layersId = this.nextLayersId++;
    const worker = this.worker;
    const entry = { layers, layersId, sending: Promise.resolve() };
    this.sentLayers = entry;
    entry.sending = (async () => {
      const names: LayerName[] = ['communities', 'residential', 'greenways', 'greenspaces'];
      for (const layer of names) {
        const collection = layers[layer];
        if (!collection) continue;
        const { features } = collection;
        for (let start = 0; start === 0 || start < features.length; start += this.featuresPerPart) {
          // Stop when a newer set or a restarted worker took over.
          if (this.sentLayers?.layersId !== layersId || this.worker !== worker) return;
          worker.postMessage({
            type: 'layers',
            requestId: this.nextRequestId++,
            layersId,
            layer,
            features: features.slice(start, start + this.featuresPerPart),
          } as WorkerRequest);
          await nextTask();
        }
      }
    })();
    return layersId;
  }

  /** Applies scenario edits to the last computed model. */
  edit(operations: EditOperation[]): Promise<CoverageResult> {
    return this.send('edit', { operations }).promise;
  }

  /**
   * Suggests up to `count` new sites (pocket parks sized by the rules) on the last computed model,
   * in rank order with each one's measured marginal gain. A newer `suggest`, a `compute` or an `edit`
   * cancels it (it rejects with CancelledError), as do `cancel` and the AbortSignal.
   */
  suggest(
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
    const { requestId, promise } = this.send<'suggest', SuggestResult>(
      'suggest',
      { count, ...body },
      onProgress,
      signal,
    );
    this.suggestRequestId = requestId;
    return promise;
  }

  /** Cancels a request; its promise rejects with CancelledError. */
  cancel(requestId: number): void {
    const pending = this.pending.get(requestId);
    if (!pending) return;
    this.worker.postMessage({
      type: 'cancel',
      requestId: this.nextRequestId++,
      targetRequestId: requestId,
    } as WorkerRequest);
    // Reject now: the page moves on; a late reply for this id is ignored.
    this.pending.delete(requestId);
    pending.reject(new CancelledError());
  }

  dispose(): void {
    this.worker.terminate();
    for (const pending of this.pending.values()) pending.reject(new CancelledError());
    this.pending.clear();
  }
}
