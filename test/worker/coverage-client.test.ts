import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticCity } from '../../scripts/synthetic-city';
import { buildCoverage, presetRules, summarizeCoverage } from '../../src/coverage';
import { CancelledError, CoverageClient } from '../../src/worker/coverage-client';
import type {
  CoverageReply as WorkerReply,
  CoverageRequest as WorkerRequest,
} from '../../src/worker/coverage-protocol';

// The client against the real worker module, run in Node: the "worker" is the module loaded with a
// stand-in global scope, and every message the client posts is recorded.

const posted: WorkerRequest[] = [];
let client: CoverageClient;

beforeAll(async () => {
  let toPage: ((event: { data: WorkerReply }) => void) | null = null;
  const scope = {
    postMessage: (message: WorkerReply) => setTimeout(() => toPage?.({ data: message }), 0),
    onmessage: null as null | ((event: { data: WorkerRequest }) => void),
  };
  (globalThis as unknown as { self: unknown }).self = scope;
  await import('../../src/worker/coverage-worker');
  client = new CoverageClient(() => {
    const worker = {
      set onmessage(handler: (event: { data: WorkerReply }) => void) {
        toPage = handler;
      },
      onerror: null,
      postMessage: (message: WorkerRequest) => {
        // Structured clone, as a real worker's message would be.
        const copy = structuredClone(message);
        posted.push(copy);
        setTimeout(() => scope.onmessage!({ data: copy }), 0);
      },
      terminate: () => {},
    };
    return worker as unknown as Worker;
  }, featuresPerPart);
});

const city = syntheticCity({
  sizeMeters: 12_000,
  communitiesPerSide: 6,
  greenwayCount: 20,
  parkCount: 40,
  microParkCount: 20,
  otherGreenCount: 30,
});
const featuresPerPart = 7;

describe('coverage client', () => {
  it('sends a layer set once, in parts, and reuses it when only the rules change', async () => {
    const rules = presetRules('chengdu');
    const first = await client.compute(city, rules, 40);
    expect(first.summary).toEqual(summarizeCoverage(buildCoverage(city, rules, 40)));
    const parts = posted.filter((message) => message.type === 'layers');
    const featureCount = (['communities', 'residential', 'greenways', 'greenspaces'] as const).reduce(
      (sum, layer) => sum + (city[layer]?.features.length ?? 0),
      0,
    );
    expect(parts.reduce((sum, part) => sum + (part.type === 'layers' ? part.features.length : 0), 0)).toBe(
      featureCount,
    );
    expect(parts.length).toBeGreaterThan(4);
    for (const part of parts)
      if (part.type === 'layers') expect(part.features.length).toBeLessThanOrEqual(featuresPerPart);

    posted.length = 0;
    const who = presetRules('who');
    const second = await client.compute({ ...city }, who, 40);
    expect(second.summary).toEqual(summarizeCoverage(buildCoverage(city, who, 40)));
    expect(posted.map((message) => message.type)).toEqual(['compute']);

    // New collections: a new set.
    posted.length = 0;
    const fewerParks = { ...city, greenspaces: { ...city.greenspaces, features: city.greenspaces.features.slice(5) } };
    const third = await client.compute(fewerParks, rules, 40);
    expect(third.summary).toEqual(summarizeCoverage(buildCoverage(fewerParks, rules, 40)));
    expect(posted.filter((message) => message.type === 'layers').length).toBeGreaterThan(0);
  });

  it('cancels a run superseded while its layers are still being sent', async () => {
    const rules = presetRules('chengdu');
    const other = { ...city, greenways: { ...city.greenways, features: city.greenways.features.slice(1) } };
    const superseded = client.compute(other, rules, 40);
    const latest = client.compute(city, rules, 40);
    await expect(superseded).rejects.toBeInstanceOf(CancelledError);
    expect((await latest).summary).toEqual(summarizeCoverage(buildCoverage(city, rules, 40)));
  });

  it('sends the layers again to a restarted worker', async () => {
    const rules = presetRules('chengdu');
    await client.compute(city, rules, 40);
    client.restart();
    posted.length = 0;
    const after = await client.compute(city, rules, 40);
    expect(after.summary).toEqual(summarizeCoverage(buildCoverage(city, rules, 40)));
    expect(posted.filter((message) => message.type === 'layers').length).toBeGreaterThan(0);
  });
});
