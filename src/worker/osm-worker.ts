/// <reference lib="webworker" />
import type { Feature, FeatureCollection } from 'geojson';
import {
  browserBudget,
  browserOsmLayers,
  defaultTagTable,
  deriveOsmLayers,
  OSM_LAYERS,
  OsmError,
  type OsmExtract,
  type OsmLayerName,
  readOsmExtract,
} from '../io/osm/index';
import type { OsmFailure, OsmReplies, OsmRequest } from './osm-protocol';
import { errorBody, replier } from './worker-client';

/**
 * Reads an OpenStreetMap extract off the main thread (protocol: src/worker/osm-protocol.ts) and keeps
 * it, so the planner can switch tag rules and derive again without reading the file twice. A read or
 * a derivation in flight stops at a `cancel` (its AbortSignal fires between chunks).
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = replier<OsmReplies>(scope);
let extract: OsmExtract | null = null;
let fileName = '';
const running = new Map<number, AbortController>();

/** The failure reply of an error: an OsmError's own texts, or what the browser said (e.g. out of memory). */
function failure(error: unknown): OsmFailure {
  if (error instanceof OsmError) return { fileName, code: error.code, en: error.en, zh: error.zh };
  const text = error instanceof Error ? error.message : String(error);
  // A RangeError (array too large) or a DOMException from postMessage ("Data cannot be cloned, out of memory").
  if (error instanceof RangeError || /memory|allocation/i.test(text)) {
    return {
      fileName,
      code: 'osm.too-large',
      en: `the extract is too large for this browser (${text}); derive its layers with the CLI: npm run coverage -- --osm ${fileName} --out DIR`,
      zh: `该数据对浏览器而言过大（${text}）；请用命令行推导图层：npm run coverage -- --osm ${fileName} --out DIR`,
    };
  }
  return { fileName, code: 'osm.failed', en: text, zh: `无法读取：${text}` };
}

/** Whether the browser ran out of memory (e.g. cloning the layers for the page failed). */
function isOutOfMemory(error: unknown): boolean {
  return /out of memory|allocation failed/i.test(error instanceof Error ? error.message : String(error));
}

/**
 * A layer's preview for the map: its first `browserBudget.previewFeaturesPerLayer` features as a GeoJSON
 * FeatureCollection's text, written a part at a time (one string of a city's layer would be too long).
 */
function previewBlob(features: Feature[]): Blob {
  const kept = features.slice(0, browserBudget.previewFeaturesPerLayer);
  const texts: string[] = ['{"type":"FeatureCollection","features":['];
  for (let start = 0; start < kept.length; start += browserBudget.featuresPerPart) {
    const part = JSON.stringify(kept.slice(start, start + browserBudget.featuresPerPart));
    texts.push(start > 0 ? ',' : '', part.slice(1, -1));
  }
  texts.push(']}');
  return new Blob(texts, { type: 'application/geo+json' });
}

scope.onmessage = async (event: MessageEvent<OsmRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    running.get(request.targetRequestId)?.abort();
    return;
  }
  const { requestId } = request;
  const abort = new AbortController();
  running.set(requestId, abort);
  try {
    if (request.type === 'read') {
      fileName = request.fileName;
      extract = null;
      const size = request.file.size;
      extract = await readOsmExtract(request.file, {
        fileName,
        signal: abort.signal,
        onProgress: (progress) =>
          reply({
            type: 'progress',
            requestId,
            phase: 'read',
            fraction: size > 0 ? progress.bytesRead / size : 0,
            bytesRead: progress.bytesRead,
            nodes: progress.nodes,
            ways: progress.ways,
            relations: progress.relations,
          }),
      });
      const { nodes, ways, relations } = extract.counts;
      reply({ type: 'extract', requestId, nodes, ways, relations });
    } else {
      if (!extract) throw new Error('no extract has been read');
      const table = defaultTagTable().map((rule) =>
        request.disabledRules.includes(rule.id) ? { ...rule, enabled: false } : rule,
      );
      // A city-size extract leaves out buildings and the basemap: as GeoJSON they would not fit in a tab.
      const { layers, leftOut } = browserOsmLayers(extract.counts.ways, OSM_LAYERS);
      const derived = await deriveOsmLayers(extract, {
        table,
        layers,
        signal: abort.signal,
        onProgress: (progress) => reply({ type: 'progress', requestId, phase: 'derive', fraction: progress.fraction }),
      });
      // Each layer's features go in parts, then the collections without them (see OsmProgress).
      const shells: Partial<Record<OsmLayerName, FeatureCollection>> = {};
      const previews: Partial<Record<OsmLayerName, Blob>> = {};
      for (const [layer, collection] of Object.entries(derived.layers) as [OsmLayerName, FeatureCollection][]) {
        for (let start = 0; start < collection.features.length; start += browserBudget.featuresPerPart) {
          if (abort.signal.aborted) throw new Error('cancelled');
          const features = collection.features.slice(start, start + browserBudget.featuresPerPart);
          reply({ type: 'progress', requestId, phase: 'derive', fraction: 1, layer, features });
        }
        shells[layer] = { ...collection, features: [] };
        previews[layer] = previewBlob(collection.features);
      }
      reply({ type: 'derived', requestId, layers: shells, report: derived.report, leftOut, previews });
    }
  } catch (error) {
    if (abort.signal.aborted) reply({ type: 'cancelled', requestId });
    else if (error instanceof OsmError || error instanceof RangeError || isOutOfMemory(error))
      reply({ type: 'failed', requestId, ...failure(error) });
    else reply({ type: 'error', requestId, ...errorBody(error) });
  } finally {
    running.delete(requestId);
  }
};
