import type { Feature, FeatureCollection } from 'geojson';
import type { OsmDerived, OsmErrorCode, OsmLayerName } from '../io/osm/index';
import type { CancelRequest, CommonReplies, ReplyMessage, RequestMessage } from './worker-client';

/**
 * The protocol of the OpenStreetMap worker (src/worker/osm-worker.ts). `read` parses an extract once
 * (streaming, with progress) and keeps it; `derive` builds the layers from it by the tag table, with
 * the rules the planner switched off, as often as the planner changes them. The client is a WorkerClient.
 */
export interface OsmRequests extends CancelRequest {
  /** A Blob crosses to the worker without copying its bytes. */
  read: { file: Blob; fileName: string };
  derive: { disabledRules: string[] };
}

/**
 * Progress of either step: reading (bytes and elements so far) or deriving (a fraction). A derivation's
 * layers then arrive as `features` parts of `layer` (at most `browserBudget.featuresPerPart` each, in order): the
 * page takes each part in a task of its own, where one message of a city's 600,000 features held its
 * main thread for 5–18 s while the browser rebuilt them.
 */
export interface OsmProgress {
  phase: 'read' | 'derive';
  fraction: number;
  bytesRead?: number;
  nodes?: number;
  ways?: number;
  relations?: number;
  layer?: OsmLayerName;
  features?: Feature[];
}

/** A problem with the extract, in both interface languages. */
export interface OsmFailure {
  fileName: string;
  code: OsmErrorCode;
  en: string;
  zh: string;
}

export interface OsmReplies extends CommonReplies<OsmProgress> {
  extract: { nodes: number; ways: number; relations: number };
  /**
   * After every part of every layer: `layers` holds each layer with its features left out (they came in
   * the parts); `leftOut`: layers not derived because the extract is too large for a tab (browser-budget.ts).
   */
  derived: {
    layers: Partial<Record<OsmLayerName, FeatureCollection>>;
    report: OsmDerived['report'];
    leftOut: OsmLayerName[];
    /**
     * Each layer's first `browserBudget.previewFeaturesPerLayer` features as GeoJSON text, written here so
     * that the map's preview takes them by a Blob URL, parsed in MapLibre's worker: a collection handed
     * to MapLibre is cloned on the page's main thread, its longest stall of an import.
     */
    previews: Partial<Record<OsmLayerName, Blob>>;
  };
  failed: OsmFailure;
}

export type OsmRequest = RequestMessage<OsmRequests>;
export type OsmReply = ReplyMessage<OsmReplies>;
