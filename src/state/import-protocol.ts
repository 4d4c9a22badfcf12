import type { FeatureCollection } from 'geojson';
import type { LayerFormat, ReadLayerOptions } from '../io/read-layer';
import type { SkippedFeature } from '../io/validate';

/** A file for the import worker: its bytes (transferred) and the reading options. */
export interface ImportRequest {
  requestId: number;
  bytes: ArrayBuffer;
  fileName: string;
  options: ReadLayerOptions;
}

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

/** A problem that names the file and, when known, the feature. */
export interface ImportProblem {
  message: string;
  fileName: string;
  featureIndex: number | null;
  problem: string;
}

export type ImportReply =
  | { requestId: number; ok: true; read: ImportedRead }
  | { requestId: number; ok: false; error: ImportProblem };
