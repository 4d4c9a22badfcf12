/// <reference lib="webworker" />
import { findGapAreas } from '../coverage/gap-areas';
import type { GapReplies, GapRequest } from './gap-protocol';
import { errorBody, replier } from './worker-client';

/** Finds gap areas off the main thread (protocol: src/worker/gap-protocol.ts). */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = replier<GapReplies>(scope);

scope.onmessage = (event: MessageEvent<GapRequest>) => {
  const request = event.data;
  // One synchronous pass: a cancel arrives after it is done and has nothing to stop.
  if (request.type !== 'analyze') return;
  const { requestId, input, connectivity } = request;
  try {
    const analysis = findGapAreas(input, connectivity);
    reply({ type: 'gaps', requestId, analysis }, [analysis.cellGap.buffer]);
  } catch (error) {
    reply({ type: 'error', requestId, ...errorBody(error) });
  }
};
