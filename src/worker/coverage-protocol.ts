import type { Feature, FeatureCollection } from 'geojson';
import type { CoverageLayers, CoverageProgress, CoverageResult, RuleSet } from '../coverage';
import type { SuggestProgress, SuggestResult } from '../coverage/suggest';
import type { CommonReplies, ReplyMessage, RequestMessage } from './worker-client';

/**
 * The protocol between the page and the coverage worker. Every request carries a `requestId`; every
 * reply names the request it answers. `type` is the only key either side switches on. The client is a
 * `WorkerClient` (src/worker/worker-client.ts), as for every worker.
 */
export interface CoverageRequests {
  /**
   * Features of one layer of a layer set, for later `compute` runs (no reply). A set is sent in parts so
   * that no single message blocks the page while it is copied, and once, so that a rule change does not
   * copy it again. The worker keeps one set: a part with a new `layersId` starts a new set.
   */
  layers: { layersId: number; layer: LayerName; features: Feature[] };
  /**
   * Full run on new layers or rules: the layers inline, or a set sent before as `layers` parts.
   * Starting one cancels the run in flight.
   */
  compute: { source: LayerSource; rules: RuleSet; cellMeters: number };
  /** Stop the run (or edit) with this id; the worker replies `cancelled`. */
  cancel: { targetRequestId: number };
  /** Incremental edits on the last computed model (scenarios); replies with a fresh result. */
  edit: { operations: EditOperation[] };
  /**
   * Suggest up to `count` new sites on the last computed model (replies `progress`, then `suggestions`).
   * Cancellable like `compute`; a newer `suggest`, a `compute` or an `edit` cancels it (its figures would be stale).
   */
  suggest: { count: number; candidates?: FeatureCollection | null; anywhere?: boolean; maxCandidates?: number };
}

export type LayerName = keyof CoverageLayers;

/**
 * Every layer a set may hold, in the order they are sent: streets, barriers and entrances serve walking
 * distance only; population and buildings the planner's population layer (spread by floor area).
 */
export const layerNames: readonly LayerName[] = [
  'communities',
  'residential',
  'greenways',
  'greenspaces',
  'streets',
  'barriers',
  'entrances',
  'population',
  'buildings',
];

/** Layers that stay null (optional) unless a part of them arrives. */
export const optionalLayers: readonly LayerName[] = [
  'residential',
  'streets',
  'barriers',
  'entrances',
  'population',
  'buildings',
];

export type LayerSource = { kind: 'inline'; layers: CoverageLayers } | { kind: 'sent'; layersId: number };

export type EditOperation =
  | { op: 'add'; layer: 'greenways' | 'greenspaces'; feature: Feature; featureId: number }
  | { op: 'remove'; featureId: number };

export type CoverageRequest = RequestMessage<CoverageRequests>;

export interface CoverageReplies extends CommonReplies<CoverageProgress | SuggestProgress> {
  /** Typed arrays in `result` arrive as transferred buffers. */
  result: { result: CoverageResult; firstFeatureIdFree: number };
  /** Sites in rank order with their measured marginal gains. */
  suggestions: { suggestions: SuggestResult };
}

export type CoverageReply = ReplyMessage<CoverageReplies>;
