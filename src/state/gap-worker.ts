/// <reference lib="webworker" />
import { findGapAreas, type GapInput } from '../coverage/gap-areas';

/**
 * Finds gap areas off the main thread. Request: `{ requestId, input: GapInput, connectivity }`;
 * reply: `{ requestId, analysis: GapAnalysis }` with `cellGap` transferred, or `{ requestId, error }`.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<{ requestId: number; input: GapInput; connectivity: 4 | 8 }>) => {
  const { requestId, input, connectivity } = event.data;
  try {
    const analysis = findGapAreas(input, connectivity);
    scope.postMessage({ requestId, analysis }, [analysis.cellGap.buffer]);
  } catch (error) {
    scope.postMessage({ requestId, error: error instanceof Error ? error.message : String(error) });
  }
};
