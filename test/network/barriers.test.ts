import { describe, expect, it } from 'vitest';
import { barrierPaths, buildBarrierIndex } from '../../src/coverage/network/barriers';
import { collection, frame } from './scene';

const { line, rect, at } = frame();

describe('barriers', () => {
  const barriers = buildBarrierIndex(
    barrierPaths(
      collection([
        line(
          [
            [100, -100],
            [100, 100],
          ],
          { waterway: 'river' },
        ),
        rect(300, -50, 50, 100, { natural: 'water' }),
        line(
          [
            [500, -100],
            [500, 100],
          ],
          { railway: 'rail', tunnel: 'yes' },
        ),
      ]),
    ),
  );
  const crosses = (a: [number, number], b: [number, number]) => barriers.crosses(...at(...a), ...at(...b));

  it('a link across a river line or into a lake polygon crosses; one beside them does not', () => {
    expect(crosses([50, 0], [150, 0])).toBe(true);
    expect(crosses([50, 0], [90, 0])).toBe(false);
    expect(crosses([50, 150], [150, 150])).toBe(false);
    expect(crosses([250, 0], [320, 0])).toBe(true);
  });

  it('a railway in a tunnel blocks nothing', () => {
    expect(crosses([450, 0], [550, 0])).toBe(false);
  });
});
