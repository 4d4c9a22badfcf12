import type { GapAnalysis, GapInput } from '../coverage/gap-areas';
import type { GapReplies, GapRequests } from './gap-protocol';
import { CancelledError, WorkerClient } from './worker-client';

/**
 * Runs `findGapAreas` in its own worker. Only the latest request resolves; an older one resolves to
 * null, so a stale analysis never replaces a newer one.
 */
export class GapClient {
  private readonly client = new WorkerClient<GapRequests, GapReplies>(
    () => new Worker(new URL('./gap-worker.ts', import.meta.url), { type: 'module', name: 'gaps' }),
  );
  private latest = -1;

  /** Gap areas of `input` (4-connected by default, as the exported gap polygons). */
  async analyze(input: GapInput, connectivity: 4 | 8 = 4): Promise<GapAnalysis | null> {
    if (this.latest >= 0) this.client.cancel(this.latest);
    const { requestId, reply } = this.client.request('analyze', { input, connectivity });
    this.latest = requestId;
    try {
      const message = await reply;
      return message.type === 'gaps' ? message.analysis : null;
    } catch (error) {
      if (error instanceof CancelledError) return null;
      throw error;
    }
  }

  dispose(): void {
    this.client.dispose();
  }
}
