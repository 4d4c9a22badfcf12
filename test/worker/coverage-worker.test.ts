import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticCity } from '../../scripts/synthetic-city';
import { buildCoverage, presetRules, summarizeCoverage } from '../../src/coverage';
import type {
  CoverageReply as WorkerReply,
  CoverageRequest as WorkerRequest,
} from '../../src/worker/coverage-protocol';

// The worker's side of the protocol, run in Node with a stand-in for the worker global scope.

const replies: { message: WorkerReply; transfer: unknown[] }[] = [];
let deliver: (request: WorkerRequest) => void;

beforeAll(async () => {
  const scope = {
    postMessage: (message: WorkerReply, transfer: unknown[] = []) => replies.push({ message, transfer }),
    onmessage: null as null | ((event: { data: WorkerRequest }) => void),
  };
  (globalThis as unknown as { self: unknown }).self = scope;
  await import('../../src/worker/coverage-worker');
  deliver = (request) => scope.onmessage!({ data: request });
});

function waitFor(requestId: number, type: WorkerReply['type']): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const found = replies.find((r) => r.message.requestId === requestId && r.message.type === type);
      if (found) resolve(found.message);
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
  parkCount: 80,
  microParkCount: 40,
  otherGreenCount: 60,
});
const rules = presetRules('chengdu');

describe('coverage worker protocol', () => {
  it('reports progress, then a result equal to the engine run in-process, with its arrays transferred', async () => {
    deliver({ type: 'compute', requestId: 1, source: { kind: 'inline', layers: city }, rules, cellMeters: 25 });
    const reply = await waitFor(1, 'result');
    if (reply.type !== 'result') throw new Error('unreachable');
    const progress = replies.filter((r) => r.message.requestId === 1 && r.message.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    const fractions = progress.map((r) => (r.message as { fraction: number }).fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    const expected = summarizeCoverage(buildCoverage(city, rules, 25));
    expect(reply.result.summary).toEqual(expected);
    const transfer = replies.find((r) => r.message === reply)!.transfer;
    expect(transfer).toContain(reply.result.greenMeters!.buffer);
    expect(transfer).toContain(reply.result.verdicts.buffer);
  });

  it('stops a run when cancelled and when a newer run starts', async () => {
    deliver({ type: 'compute', requestId: 2, source: { kind: 'inline', layers: city }, rules, cellMeters: 25 });
    deliver({ type: 'cancel', requestId: 3, targetRequestId: 2 });
    expect((await waitFor(2, 'cancelled')).type).toBe('cancelled');
    deliver({ type: 'compute', requestId: 4, source: { kind: 'inline', layers: city }, rules, cellMeters: 25 });
    deliver({
      type: 'compute',
      requestId: 5,
      source: { kind: 'inline', layers: city },
      rules: presetRules('who'),
      cellMeters: 25,
    });
    expect((await waitFor(4, 'cancelled')).type).toBe('cancelled');
    const reply = await waitFor(5, 'result');
    if (reply.type !== 'result') throw new Error('unreachable');
    expect(reply.result.rules.id).toBe('who');
    expect(replies.some((r) => r.message.requestId === 4 && r.message.type === 'result')).toBe(false);
  });

  it('applies edits incrementally and names the bad feature of a bad input', async () => {
    const before = (await waitFor(5, 'result')) as Extract<WorkerReply, { type: 'result' }>;
    const [west, south] = [before.result.grid.west, before.result.grid.south];
    const square = [
      [west + 0.05, south + 0.05],
      [west + 0.052, south + 0.05],
      [west + 0.052, south + 0.052],
      [west + 0.05, south + 0.052],
      [west + 0.05, south + 0.05],
    ];
    deliver({
      type: 'edit',
      requestId: 6,
      operations: [
        {
          op: 'add',
          layer: 'greenspaces',
          featureId: 10_000,
          feature: {
            type: 'Feature',
            properties: { kind: 'park' },
            geometry: { type: 'Polygon', coordinates: [square] },
          },
        },
      ],
    });
    const edited = (await waitFor(6, 'result')) as Extract<WorkerReply, { type: 'result' }>;
    expect(edited.result.summary.city.cellsMeetingGreen!).toBeGreaterThan(
      before.result.summary.city.cellsMeetingGreen!,
    );
    deliver({ type: 'edit', requestId: 7, operations: [{ op: 'remove', featureId: 10_000 }] });
    const undone = (await waitFor(7, 'result')) as Extract<WorkerReply, { type: 'result' }>;
    expect(undone.result.summary).toEqual(before.result.summary);

    const broken = {
      ...city,
      greenspaces: {
        type: 'FeatureCollection' as const,
        features: [
          {
            type: 'Feature' as const,
            properties: { kind: 'park' },
            geometry: { type: 'Point' as const, coordinates: [104, 30] },
          },
        ],
      },
    };
    deliver({ type: 'compute', requestId: 8, source: { kind: 'inline', layers: broken }, rules, cellMeters: 50 });
    const error = await waitFor(8, 'error');
    expect(error).toMatchObject({
      inputError: true,
      message: 'greenspaces: feature 0: geometry is Point; green spaces must be Polygon or MultiPolygon',
    });
  });

  it('refuses a run on a layer set it was never sent', async () => {
    deliver({ type: 'compute', requestId: 9, source: { kind: 'sent', layersId: 999 }, rules, cellMeters: 50 });
    expect(await waitFor(9, 'error')).toMatchObject({
      inputError: false,
      message: 'layer set 999 was not sent to the worker',
    });
  });
});
