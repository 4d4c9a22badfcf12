import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitPadding, noInsets } from '../../src/map/fit-padding';

describe('fitPadding', () => {
  it('is the margin alone without insets', () => {
    expect(fitPadding(noInsets, 1000, 800)).toEqual({ top: 40, right: 40, bottom: 40, left: 40 });
  });

  it('adds the insets to the margin while they leave room (hand-checked)', () => {
    // 1920 × 1080 kiosk: title 130 px, caption 330 px, legend 300 px.
    expect(fitPadding({ top: 130, right: 300, bottom: 330, left: 0 }, 1920, 1080)).toEqual({
      top: 170,
      right: 340,
      bottom: 370,
      left: 40,
    });
  });

  it('shrinks both sides of a crowded axis in proportion to 80% of the map (hand-checked)', () => {
    // Height 500: wanted (160 + 40) + (260 + 40) = 500 > 400 allowed → × 0.8: 160 and 240.
    const padding = fitPadding({ top: 160, right: 0, bottom: 260, left: 0 }, 800, 500);
    expect(padding.top).toBeCloseTo(160, 9);
    expect(padding.bottom).toBeCloseTo(240, 9);
    expect(padding.left).toBe(40);
  });

  it('always leaves a fifth of each axis to fit into, and never pads less than the insets allow', () => {
    const inset = fc.double({ min: -50, max: 3000, noNaN: true });
    fc.assert(
      fc.property(
        inset,
        inset,
        inset,
        inset,
        fc.integer({ min: 50, max: 4000 }),
        fc.integer({ min: 50, max: 4000 }),
        (top, right, bottom, left, width, height) => {
          const padding = fitPadding({ top, right, bottom, left }, width, height);
          expect(padding.left + padding.right).toBeLessThanOrEqual(width * 0.8 + 1e-9);
          expect(padding.top + padding.bottom).toBeLessThanOrEqual(height * 0.8 + 1e-9);
          for (const side of Object.values(padding)) expect(side).toBeGreaterThan(0);
          // Where nothing had to shrink, each side is its inset plus the margin.
          if (Math.max(0, top) + Math.max(0, bottom) + 80 <= height * 0.8)
            expect(padding.top).toBeCloseTo(Math.max(0, top) + 40, 9);
        },
      ),
    );
  });
});
