import type { Feature } from 'geojson';
import type { CoverageLayers, CoverageProgress, CoverageResult, RuleSet } from '../coverage';

/**
 * The one message protocol between the page and the coverage worker. Every request carries a
 * `requestId`; every reply names the request it answers. `type` is the only key either side switches on.
 */
export interface WorkerRequestMap {
  /** Full run on new layers or rules. Starting one cancels the run in flight. */
  compute: { layers: CoverageLayers; rules: RuleSet; cellMeters: number };
  /** Stop the run (or edit) with this id; the worker replies `cancelled`. */
  cancel: { targetRequestId: number };
  /** Incremental edits on the last computed model (scenarios); replies with a fresh result. */
  edit: { operations: EditOperation[] };
}

export type EditOperation =
  | { op: 'add'; layer: 'greenways' | 'greenspaces'; feature: Feature; featureId: number }
  | { op: 'remove'; featureId: number };

export type WorkerRequest = {
  [K in keyof WorkerRequestMap]: { type: K; requestId: number } & WorkerRequestMap[K];
}[keyof WorkerRequestMap];

export interface WorkerReplyMap {
  progress: CoverageProgress;
  /** Typed arrays in `result` arrive as transferred buffers. */
  result: { result: CoverageResult; firstFeatureIdFree: number };
  cancelled: Record<never, never>;
  /** A problem with the input (message names layer and feature) or an engine failure. */
  error: { message: string; inputError: boolean };
}

export type WorkerReply = {
  [K in keyof WorkerReplyMap]: { type: K; requestId: number } & WorkerReplyMap[K];
}[keyof WorkerReplyMap];
