import type { FeatureCollection } from 'geojson';
import type { OsmDerived, OsmLayerName } from '../io/osm/index';
import { OsmError } from '../io/osm/osm-error';
import type { OsmProgress, OsmReplies, OsmRequests } from './osm-protocol';
import { WorkerClient } from './worker-client';

/** What a derivation gives: the layers and the report (counts, rules that made each layer, guesses). */
export interface OsmDerivation {
  layers: Partial<Record<OsmLayerName, FeatureCollection>>;
  report: OsmDerived['report'];
}

/**
 * The page's side of the OSM worker: read an extract once, derive its layers as often as the tag rules
 * change. One worker per extract (dispose it when the dialog closes: it holds the parsed extract).
 */
export class OsmClient {
  private readonly client = new WorkerClient<OsmRequests, OsmReplies>(
    () => new Worker(new URL('./osm-worker.ts', import.meta.url), { type: 'module', name: 'osm' }),
  );

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
    const message = await this.client.request('derive', { disabledRules }, options).reply;
    if (message.type === 'failed') throw new OsmError(message.fileName, message.code, message.en, message.zh);
    if (message.type !== 'derived') throw new Error(`unexpected reply ${message.type}`);
    return { layers: message.layers, report: message.report };
  }

  dispose(): void {
    this.client.dispose();
  }
}
