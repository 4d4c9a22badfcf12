import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticCity } from '../../scripts/synthetic-city';
import { buildCoverage, presetRules } from '../../src/coverage';
import { suggestSites } from '../../src/coverage/suggest';
import type {
  CoverageReply as WorkerReply,
  CoverageRequest as WorkerRequest,
} from '../../src/worker/coverage-protocol';

// The `suggest` request of the worker protocol, run in Node with a stand-in for the worker global scope.

const replies: WorkerReply[] = [];
let deliver: (request: WorkerRequest) => void;

beforeAll(async () => {
  const scope = {
    postMessage: (message: WorkerReply) => replies.push(message),
    onmessage: null as null | ((event: { data: WorkerRequest }) => void),
  };
  (globalThis as unknown as { self: unknown }).self = scope;
  await import('../../src/worker/coverage-worker');
  deliver = (request) => scope.onmessage!({ data: request });
});

function waitFor<T extends WorkerReply['type']>(
  requestId: number,
  type: T,
): Promise<Extract<WorkerReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const found = replies.find((r) => r.requestId === requestId && r.type === type);
      if (found) resolve(found as Extract<WorkerReply, { type: T }>);
      else if (Date.now() - started > 30_000) reject(new Error(`no ${type} for request ${requestId}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

const city = syntheticCity({
  sizeMeters: 20_000,
  communitiesPerSide: 8,
  greenwayCount: 40,
  parkCount: 40,
  microParkCount: 40,
  otherGreenCount: 60,
});
const rules = presetRules('chengdu');
// All land in the synthetic city is residential, so candidates may lie anywhere.
const body = { count: 4, anywhere: true, maxCandidates: 5000 } as const;

describe('coverage worker: suggest', () => {
  it('refuses to suggest before any coverage is computed', async () => {
    deliver({ type: 'suggest', requestId: 1, ...body });
    expect(await waitFor(1, 'error')).toMatchObject({ message: 'no coverage has been computed yet' });
  });

  it('reports progress, then the same sites and measured gains as the engine run in-process', async () => {
    deliver({ type: 'compute', requestId: 2, source: { kind: 'inline', layers: city }, rules, cellMeters: 50 });
    await waitFor(2, 'result');
    deliver({ type: 'suggest', requestId: 3, ...body });
    const reply = await waitFor(3, 'suggestions');
    const progress = replies.filter((r) => r.requestId === 3 && r.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    const fractions = progress.map((r) => (r as { fraction: number }).fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    const expected = suggestSites(buildCoverage(city, rules, 50), body.count, { anywhere: true, maxCandidates: 5000 });
    expect(reply.suggestions.sites.length).toBe(4);
    expect(reply.suggestions.estimatesExact).toBe(true);
    expect(
      reply.suggestions.sites.map(({ feature, newCellsCovered, newResidentsCovered }) => ({
        feature,
        newCellsCovered,
        newResidentsCovered,
      })),
    ).toEqual(
      expected.sites.map(({ feature, newCellsCovered, newResidentsCovered }) => ({
        feature,
        newCellsCovered,
        newResidentsCovered,
      })),
    );
  });

  it('stops when cancelled, when a newer suggest starts, and when an edit changes the model', async () => {
    deliver({ type: 'suggest', requestId: 4, ...body });
    deliver({ type: 'cancel', requestId: 5, targetRequestId: 4 });
    expect((await waitFor(4, 'cancelled')).type).toBe('cancelled');

    deliver({ type: 'suggest', requestId: 6, ...body });
    deliver({ type: 'suggest', requestId: 7, ...body, count: 2 });
    expect((await waitFor(6, 'cancelled')).type).toBe('cancelled');
    const newer = await waitFor(7, 'suggestions');
    expect(newer.suggestions.sites.length).toBe(2);

    deliver({ type: 'suggest', requestId: 8, ...body });
    deliver({ type: 'edit', requestId: 9, operations: [{ op: 'remove', featureId: 0 }] });
    expect((await waitFor(8, 'cancelled')).type).toBe('cancelled');
    expect((await waitFor(9, 'result')).type).toBe('result');
    expect(replies.some((r) => r.requestId === 8 && r.type === 'suggestions')).toBe(false);
  });

  it('accepts a candidate layer and names a bad candidate', async () => {
    const site = centralSite();
    deliver({
      type: 'suggest',
      requestId: 10,
      count: 1,
      candidates: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: site }] },
    });
    const reply = await waitFor(10, 'suggestions');
    expect(reply.suggestions.candidateCount).toBe(1);
    expect(reply.suggestions.latticeSpacing).toBeNull();
    deliver({
      type: 'suggest',
      requestId: 11,
      count: 1,
      candidates: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: {},
            geometry: { type: 'LineString', coordinates: [site.coordinates, site.coordinates] },
          },
        ],
      },
    });
    expect(await waitFor(11, 'error')).toMatchObject({
      inputError: true,
      message: 'candidates: feature 0: geometry is LineString; candidates must be points or polygons',
    });
  });
});

/** A point in the middle of the city. */
function centralSite() {
  return { type: 'Point' as const, coordinates: [104.07, 30.66] };
}
