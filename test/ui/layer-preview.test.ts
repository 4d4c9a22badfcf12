import { describe, expect, it } from 'vitest';
import { previewPaths } from '../../src/ui/layer-preview';
import { collection, frame } from '../network/scene';

// The preview of derived layers: a frame that keeps shapes' proportions and holds every layer.

describe('layer preview', () => {
  it('draws a square as a square, centred, inside the picture', () => {
    const { rect } = frame(104.1, 55);
    const [square] = previewPaths(
      [{ collection: collection([rect(0, 0, 1000, 1000)]), fill: '#0f0', stroke: '#000' }],
      200,
      100,
    )!;
    const numbers = [...square.d.matchAll(/([\d.]+) ([\d.]+)/g)].map((match) => [Number(match[1]), Number(match[2])]);
    const xs = numbers.map(([x]) => x);
    const ys = numbers.map(([, y]) => y);
    const width = Math.max(...xs) - Math.min(...xs);
    const height = Math.max(...ys) - Math.min(...ys);
    // At 55° a degree of longitude is 0.57 of one of latitude: scaled back, the square stays square.
    expect(width / height).toBeCloseTo(1, 1);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(200);
    expect((Math.min(...xs) + Math.max(...xs)) / 2).toBeCloseTo(100, 0);
    expect(square.d.endsWith('Z')).toBe(true);
  });

  it('frames all layers together, and gives nothing for empty layers', () => {
    const { rect, line } = frame(104.1, 30.66);
    const paths = previewPaths(
      [
        { collection: collection([rect(0, 0, 100, 100)]), fill: '#0f0', stroke: '#000' },
        {
          collection: collection([
            line([
              [0, 0],
              [5000, 0],
            ]),
          ]),
          fill: null,
          stroke: '#888',
        },
      ],
      300,
      100,
    )!;
    expect(paths).toHaveLength(2);
    expect(paths[1].d.startsWith('M')).toBe(true);
    expect(paths[1].d.endsWith('Z')).toBe(false);
    expect(previewPaths([{ collection: collection([]), fill: null, stroke: '#000' }], 100, 100)).toBeNull();
  });
});
