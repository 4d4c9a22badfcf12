import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserBudget, browserOsmLayers } from '../../src/io/osm/browser-budget';
import { deriveOsmLayers, OSM_LAYERS } from '../../src/io/osm/derive-layers';
import { readOsmExtract } from '../../src/io/osm/read-osm';
import { OsmClient } from '../../src/worker/osm-client';
import type { OsmReply, OsmRequest } from '../../src/worker/osm-protocol';

// The OSM worker and its client in Node: the worker module runs against a stand-in for its global
// scope, the client against a stand-in Worker, and every message is structured-cloned as a browser would.

const extractPath = join(import.meta.dirname, '../../data/three-rivers/three-rivers.osm.pbf');
const replies: OsmReply[] = [];
let createWorker: () => Worker;

beforeAll(async () => {
  let toPage: ((reply: OsmReply) => void) | null = null;
  const scope = {
    postMessage: (message: OsmReply) => {
      replies.push(message);
      toPage?.(structuredClone(message));
    },
    onmessage: null as null | ((event: { data: OsmRequest }) => void),
  };
  (globalThis as unknown as { self: unknown }).self = scope;
  await import('../../src/worker/osm-worker');
  createWorker = () => {
    const worker = {
      onmessage: null as null | ((event: { data: OsmReply }) => void),
      onerror: null,
      postMessage: (message: OsmRequest) => scope.onmessage!({ data: message }),
      terminate: () => {},
    };
    toPage = (reply) => worker.onmessage?.({ data: reply });
    return worker as unknown as Worker;
  };
});

const budget = { ...browserBudget };
afterEach(() => {
  Object.assign(browserBudget, budget);
  replies.length = 0;
});

async function derivedInProcess(layers?: readonly (typeof OSM_LAYERS)[number][]) {
  const extract = await readOsmExtract(await openAsBlob(extractPath), { fileName: 'three-rivers.osm.pbf' });
  return deriveOsmLayers(extract, { layers });
}

describe('OSM worker protocol', () => {
  it('hands the layers to the page in parts of at most featuresPerPart features, reassembled equal to a derivation in process', async () => {
    browserBudget.featuresPerPart = 40;
    const client = new OsmClient(createWorker);
    const file = Object.assign(await openAsBlob(extractPath), { name: 'three-rivers.osm.pbf' });
    const counts = await client.read(file);
    expect(counts).toEqual({ nodes: 5015, ways: 859, relations: expect.any(Number) });
    const derivation = await client.derive([]);
    const expected = await derivedInProcess();
    expect(derivation.leftOut).toEqual([]);
    for (const layer of OSM_LAYERS) {
      const got = derivation.layers[layer] as FeatureCollection | undefined;
      expect(got?.features.length, layer).toBe(expected.layers[layer]?.features.length);
      expect(got?.features, layer).toEqual(expected.layers[layer]?.features);
    }
    // Each layer comes in parts of at most 40 (the 329 streets in 9); the terminal reply carries none.
    const parts = replies.flatMap((reply) => (reply.type === 'progress' && reply.features ? [reply] : []));
    expect(parts.filter((part) => part.layer === 'streets')).toHaveLength(Math.ceil(329 / 40));
    for (const part of parts) expect(part.features!.length).toBeLessThanOrEqual(40);
    const terminal = replies.find((reply) => reply.type === 'derived');
    expect(terminal?.type === 'derived' && Object.values(terminal.layers).every((c) => c.features.length === 0)).toBe(
      true,
    );
    client.dispose();
  });

  it("writes each layer's map preview as GeoJSON text equal to the first features of a derivation in process", async () => {
    // Parts of 40 and a preview of 100: the text is joined from three parts, and cut.
    browserBudget.featuresPerPart = 40;
    browserBudget.previewFeaturesPerLayer = 100;
    const client = new OsmClient(createWorker);
    const file = Object.assign(await openAsBlob(extractPath), { name: 'three-rivers.osm.pbf' });
    await client.read(file);
    const derivation = await client.derive([]);
    const expected = await derivedInProcess();
    const terminal = replies.find((reply) => reply.type === 'derived');
    if (terminal?.type !== 'derived') throw new Error('no derived reply');
    expect(Object.keys(terminal.previews).sort()).toEqual(Object.keys(expected.layers).sort());
    for (const [layer, blob] of Object.entries(terminal.previews)) {
      const parsed = JSON.parse(await blob.text()) as FeatureCollection;
      const features = expected.layers[layer as keyof typeof expected.layers]?.features ?? [];
      expect(parsed.type).toBe('FeatureCollection');
      expect(parsed.features, layer).toEqual(features.slice(0, 100));
    }
    expect(Object.keys(derivation.previewUrls).sort()).toEqual(Object.keys(terminal.previews).sort());
    expect(derivation.previewUrls.streets).toMatch(/^blob:/);
    client.dispose();
  });

  it('leaves out buildings and the basemap of an extract past the tab budget, and says so', async () => {
    browserBudget.detailWays = 100;
    const client = new OsmClient(createWorker);
    const file = Object.assign(await openAsBlob(extractPath), { name: 'three-rivers.osm.pbf' });
    await client.read(file);
    const derivation = await client.derive([]);
    expect(derivation.leftOut).toEqual(['buildings', 'basemap']);
    expect(derivation.layers.buildings).toBeUndefined();
    expect(derivation.layers.basemap).toBeUndefined();
    const expected = await derivedInProcess(OSM_LAYERS.filter((layer) => layer !== 'buildings' && layer !== 'basemap'));
    expect(derivation.layers.greenspaces?.features).toEqual(expected.layers.greenspaces?.features);
    expect(derivation.layers.residential?.features.length).toBe(expected.layers.residential?.features.length);
    client.dispose();
  });
});

describe('browser budget', () => {
  it('keeps every layer up to detailWays ways and leaves out buildings and the basemap past it', () => {
    expect(browserOsmLayers(browserBudget.detailWays, OSM_LAYERS)).toEqual({ layers: [...OSM_LAYERS], leftOut: [] });
    const large = browserOsmLayers(browserBudget.detailWays + 1, OSM_LAYERS);
    expect(large.leftOut).toEqual(['buildings', 'basemap']);
    expect(large.layers).toEqual(OSM_LAYERS.filter((layer) => layer !== 'buildings' && layer !== 'basemap'));
  });
});
