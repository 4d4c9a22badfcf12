import type { GapAnalysis, GapInput } from '../coverage/gap-areas';
import type { CancelRequest, CommonReplies, ReplyMessage, RequestMessage } from './worker-client';

/**
 * The protocol of the gap worker (src/worker/gap-worker.ts): one request, `analyze`, answered by
 * `gaps` with the analysis (`cellGap` transferred). The client is a `WorkerClient`.
 */
export interface GapRequests extends CancelRequest {
  /** Gap areas of a result's cells (the typed arrays are copied: the page keeps its own). */
  analyze: { input: GapInput; connectivity: 4 | 8 };
}

export interface GapReplies extends CommonReplies<{ fraction: number }> {
  gaps: { analysis: GapAnalysis };
}

export type GapRequest = RequestMessage<GapRequests>;
export type GapReply = ReplyMessage<GapReplies>;
