/// <reference lib="webworker" />

import type { FeatureCollection } from 'geojson';
import {
  addFeature,
  buildCoverageSteps,
  type CoverageLayers,
  type CoverageModel,
  NetworkCache,
  prepareGreenFeature,
  removeFeature,
  snapshotCoverage,
  transferables,
} from '../coverage';
import { suggestSitesSteps } from '../coverage/suggest';
import {
  type CoverageReplies,
  type CoverageRequest,
  type EditOperation,
  type LayerSource,
  optionalLayers,
} from './coverage-protocol';
import { errorBody, replier } from './worker-client';

/**
 * The coverage worker: runs the engine off the main thread. A run advances in slices of a few
 * milliseconds; between slices the worker reads its mailbox, so `cancel` (or a newer `compute`) stops
 * a run at once without killing the worker.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
let model: CoverageModel | null = null;
/** The walking network's graph, snapping and entrances of the last run: a rule change reuses them. */
const networkCache = new NetworkCache();
let activeRequestId = -1;
/** The suggest run in flight; a compute, an edit or a newer suggest resets it, which cancels that run. */
let activeSuggestId = -1;
const cancelled = new Set<number>();
/** The layer set received in `layers` parts (one set at a time). */
let sent: { layersId: number; layers: CoverageLayers } | null = null;

function receiveLayerPart(request: Extract<CoverageRequest, { type: 'layers' }>): void {
  const empty = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] });
  if (sent?.layersId !== request.layersId) {
    // Optional layers (residential land, the walking network) stay null unless a part of them arrives.
    sent = {
      layersId: request.layersId,
      layers: { communities: empty(), residential: null, greenways: empty(), greenspaces: empty() },
    };
  }
  const layers = sent.layers;
  if (optionalLayers.includes(request.layer)) layers[request.layer] ??= empty();
  const collection = layers[request.layer]!;
  for (const feature of request.features) collection.features.push(feature);
}

function layersOf(source: LayerSource): CoverageLayers {
  if (source.kind === 'inline') return source.layers;
  if (sent?.layersId !== source.layersId) throw new Error(`layer set ${source.layersId} was not sent to the worker`);
  return sent.layers;
}

const reply = replier<CoverageReplies>(scope);

/** The error reply of a caught error (an InputError when the engine refused the input). */
function failure(error: unknown) {
  return { type: 'error' as const, ...errorBody(error) };
}

/** Lets queued messages (cancel, newer compute) run before the next slice. */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
function yieldToMailbox(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

async function compute(request: Extract<CoverageRequest, { type: 'compute' }>): Promise<void> {
  const { requestId } = request;
  activeRequestId = requestId;
  const started = performance.now();
  try {
    const steps = buildCoverageSteps(layersOf(request.source), request.rules, request.cellMeters, { networkCache });
    let sliceStart = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) {
        model = step.value;
        break;
      }
      if (performance.now() - sliceStart > 8) {
        reply({ type: 'progress', requestId, ...step.value });
        await yieldToMailbox();
        if (cancelled.has(requestId) || activeRequestId !== requestId) {
          cancelled.delete(requestId);
          reply({ type: 'cancelled', requestId });
          return;
        }
        sliceStart = performance.now();
      }
    }
    const result = snapshotCoverage(model, { compute: performance.now() - started });
    reply({ type: 'result', requestId, result, firstFeatureIdFree: model.nextFeatureId }, transferables(result));
  } catch (error) {
    reply({ requestId, ...failure(error) });
  }
}

function edit(requestId: number, operations: EditOperation[]): void {
  if (!model) {
    reply({ type: 'error', requestId, ...errorBody(new Error('no coverage has been computed yet')) });
    return;
  }
  const started = performance.now();
  try {
    for (const operation of operations) {
      if (operation.op === 'remove') removeFeature(model, operation.featureId);
      else {
        const feature = prepareGreenFeature(operation.feature, operation.featureId, operation.layer, 0);
        if (feature) addFeature(model, feature);
      }
    }
    const result = snapshotCoverage(model, { edit: performance.now() - started });
    reply({ type: 'result', requestId, result, firstFeatureIdFree: model.nextFeatureId }, transferables(result));
  } catch (error) {
    reply({ requestId, ...failure(error) });
  }
}

async function suggest(request: Extract<CoverageRequest, { type: 'suggest' }>): Promise<void> {
  const { requestId } = request;
  if (!model) {
    reply({ type: 'error', requestId, ...errorBody(new Error('no coverage has been computed yet')) });
    return;
  }
  activeSuggestId = requestId;
  try {
    const steps = suggestSitesSteps(model, request.count, {
      candidates: request.candidates,
      anywhere: request.anywhere,
      maxCandidates: request.maxCandidates,
    });
    let sliceStart = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) {
        if (activeSuggestId === requestId) activeSuggestId = -1;
        reply({ type: 'suggestions', requestId, suggestions: step.value });
        return;
      }
      if (performance.now() - sliceStart > 8) {
        reply({ type: 'progress', requestId, ...step.value });
        await yieldToMailbox();
        if (cancelled.has(requestId) || activeSuggestId !== requestId) {
          cancelled.delete(requestId);
          reply({ type: 'cancelled', requestId });
          return;
        }
        sliceStart = performance.now();
      }
    }
  } catch (error) {
    if (activeSuggestId === requestId) activeSuggestId = -1;
    reply({ requestId, ...failure(error) });
  }
}

scope.onmessage = (event: MessageEvent<CoverageRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'layers':
      receiveLayerPart(request);
      break;
    case 'compute':
      activeSuggestId = -1;
      void compute(request);
      break;
    case 'cancel':
      if (request.targetRequestId === activeRequestId || request.targetRequestId === activeSuggestId)
        cancelled.add(request.targetRequestId);
      break;
    case 'edit':
      activeSuggestId = -1;
      edit(request.requestId, request.operations);
      break;
    case 'suggest':
      void suggest(request);
      break;
  }
};
