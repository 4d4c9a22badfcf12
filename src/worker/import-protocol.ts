import type { FeatureCollection } from 'geojson';
import type { LayerFormat, ReadLayerOptions } from '../io/read-layer';
import type { SkippedFeature } from '../io/validate';
import type { CancelRequest, CommonReplies, ReplyMessage, RequestMessage } from './worker-client';

/** What the worker sends back from `readLayerFile` (structured-clone friendly). */
export interface ImportedRead {
  format: LayerFormat;
  collection: FeatureCollection;
  crs: { code: string; name: string; source: string };
  gcj02: boolean;
  featuresRead: number;
  /** The first skipped features (at most 50). */
  skipped: SkippedFeature[];
  skippedCount: number;
  warnings: string[];
}

/**
 * The protocol of the import worker (src/worker/import-worker.ts): one request, `read`, with the file's
 * bytes (transferred; a GeoTIFF as its Blob, read by ranges) and the reading options, answered by `read` or by an `error` naming file and
 * feature. The client is a `WorkerClient`; one worker per file, so a hung parse is simply terminated.
 */
export interface ImportRequests extends CancelRequest {
  read: { bytes: ArrayBuffer | Blob; fileName: string; options: ReadLayerOptions };
}

export interface ImportReplies extends CommonReplies<{ fraction: number }> {
  read: { read: ImportedRead };
}

export type ImportRequest = RequestMessage<ImportRequests>;
export type ImportReply = ReplyMessage<ImportReplies>;
