import type { GapAnalysis, GapInput } from '../coverage/gap-areas';

/**
 * Runs `findGapAreas` in its own worker. Only the latest request resolves; older ones resolve to
 * null so a stale analysis never replaces a newer one.
 */
export class GapClient {
  private worker: Worker | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<number, (analysis: GapAnalysis | null, error?: string) => void>();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./gap-worker.ts', import.meta.url), { type: 'module', name: 'gaps' });
    worker.onmessage = (event: MessageEvent<{ requestId: number; analysis?: GapAnalysis; error?: string }>) => {
      const resolve = this.pending.get(event.data.requestId);
      this.pending.delete(event.data.requestId);
      resolve?.(event.data.analysis ?? null, event.data.error);
    };
    this.worker = worker;
    return worker;
  }

  /** Gap areas of `input` (the typed arrays are copied, not transferred: the page keeps its own). */
  analyze(input: GapInput, connectivity: 4 | 8 = 8): Promise<GapAnalysis | null> {
    for (const [id, resolve] of this.pending) {
      resolve(null);
      this.pending.delete(id);
    }
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, (analysis, error) => (error ? reject(new Error(error)) : resolve(analysis)));
      this.ensureWorker().postMessage({ requestId, input, connectivity });
    });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}
