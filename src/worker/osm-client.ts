import type { Feature, FeatureCollection } from 'geojson';
import type { OsmDerived, OsmLayerName } from '../io/osm/index';
import { OsmError } from '../io/osm/osm-error';
import type { OsmProgress, OsmReplies, OsmRequests } from './osm-protocol';
import { WorkerClient } from './worker-client';

/** What a derivation gives: the layers and the report (counts, rules that made each layer, guesses). */
export interface OsmDerivation {
  layers: Partial<Record<OsmLayerName, FeatureCollection>>;
  report: OsmDerived['report'];
  /** Layers not derived because the extract is too large for a browser tab (buildings, basemap). */
  leftOut: OsmLayerName[];
  /**
   * Each layer's preview for the map (its first features as GeoJSON written in the worker), as a Blob
   * URL; empty where the worker sent none. Revoke them with `revokePreviewUrls` when the derivation goes.
   */
  previewUrls: Partial<Record<OsmLayerName, string>>;
}

/** Frees a derivation's preview URLs, after a minute: MapLibre's worker may still be fetching one. */
export function revokePreviewUrls(derivation: OsmDerivation | null): void {
  const urls = Object.values(derivation?.previewUrls ?? {});
  if (urls.length === 0) return;
  setTimeout(() => {
    for (const url of urls) URL.revokeObjectURL(url);
  }, 60_000);
}

/**
 * The page's side of the OSM worker: read an extract once, derive its layers as often as the tag rules
 * change. One worker per extract (dispose it when the dialog closes: it holds the parsed extract).
 */
export class OsmClient {
  private readonly client: WorkerClient<OsmRequests, OsmReplies>;

  /** @param createWorker makes the worker (a stand-in in tests) */
  constructor(
    createWorker: () => Worker = () =>
      new Worker(new URL('./osm-worker.ts', import.meta.url), { type: 'module', name: 'osm' }),
  ) {
    this.client = new WorkerClient<OsmRequests, OsmReplies>(createWorker);
  }

  /** Parses `file`; resolves with its element counts. */
  async read(
    file: Blob & { name: string },
    options: { onProgress?: (progress: OsmProgress) => void; signal?: AbortSignal } = {},
  ): Promise<{ nodes: number; ways: number; relations: number }> {
    const message = await this.client.request('read', { file, fileName: file.name }, options).reply;
    if (message.type === 'failed') throw new OsmError(message.fileName, message.code, message.en, message.zh);
    if (message.type !== 'extract') throw new Error(`unexpected reply ${message.type}`);
    return { nodes: message.nodes, ways: message.ways, relations: message.relations };
  }

  /** Derives the layers of the extract read, with the tag rules in `disabledRules` switched off. */
  async derive(
    disabledRules: string[],
    options: { onProgress?: (progress: OsmProgress) => void; signal?: AbortSignal } = {},
  ): Promise<OsmDerivation> {
    // The layers' features arrive in parts (one task each), then the collections they belong to.
    const parts = new Map<OsmLayerName, Feature[]>();
    const onProgress = (progress: OsmProgress) => {
      if (!progress.layer || !progress.features) return options.onProgress?.(progress);
      const features = parts.get(progress.layer) ?? [];
      parts.set(progress.layer, features);
      for (const feature of progress.features) features.push(feature);
    };
    const message = await this.client.request('derive', { disabledRules }, { ...options, onProgress }).reply;
    if (message.type === 'failed') throw new OsmError(message.fileName, message.code, message.en, message.zh);
    if (message.type !== 'derived') throw new Error(`unexpected reply ${message.type}`);
    const layers: OsmDerivation['layers'] = {};
    for (const [layer, collection] of Object.entries(message.layers) as [OsmLayerName, FeatureCollection][]) {
      layers[layer] = { ...collection, features: parts.get(layer) ?? [] };
    }
    const previewUrls: OsmDerivation['previewUrls'] = {};
    for (const [layer, blob] of Object.entries(message.previews ?? {}) as [OsmLayerName, Blob][])
      previewUrls[layer] = URL.createObjectURL(blob);
    return { layers, report: message.report, leftOut: message.leftOut, previewUrls };
  }

  dispose(): void {
    this.client.dispose();
  }
}
