import { describe, expect, it } from 'vitest';
import {
  dividerKeyStepPercent,
  dividerLargeKeyStepPercent,
  dividerPercentAfterKey,
  dividerPercentAt,
  fractionsToDevicePixels,
  fullWidth,
  swipeSideFractions,
} from '../../src/geometry/swipe-clip';

describe('swipe clip', () => {
  it('puts the baseline left of the divider and the scenario right of it, sharing the divider', () => {
    expect(swipeSideFractions('baseline', 30)).toEqual([0, 0.3]);
    expect(swipeSideFractions('scenario', 30)).toEqual([0.3, 1]);
    // Out of range is clamped: one side then covers the whole map and the other nothing.
    expect(swipeSideFractions('baseline', 140)).toEqual([0, 1]);
    expect(swipeSideFractions('scenario', -5)).toEqual([0, 1]);
  });

  it('converts width fractions to drawing-buffer pixels, unbounded at the map edges', () => {
    // A 800 CSS px viewport at 2 device pixels per CSS pixel: the divider at 25 % is at device x 400.
    expect(fractionsToDevicePixels([0, 0.25], 0, 800, 2)).toEqual([-1e9, 400]);
    expect(fractionsToDevicePixels([0.25, 1], 0, 800, 2)).toEqual([400, 1e9]);
    // A viewport offset from the canvas's left edge shifts the span.
    expect(fractionsToDevicePixels([0.5, 0.75], 100, 400, 1)).toEqual([300, 400]);
    expect(fractionsToDevicePixels(fullWidth, 0, 800, 1.5)).toEqual([-1e9, 1e9]);
  });

  it('places the divider under the pointer, clamped to the map', () => {
    expect(dividerPercentAt(300, 100, 800)).toBe(25);
    expect(dividerPercentAt(50, 100, 800)).toBe(0);
    expect(dividerPercentAt(1000, 100, 800)).toBe(100);
    expect(dividerPercentAt(300, 100, 0)).toBe(50);
  });

  it('moves the divider with the arrow keys (further with Shift), Home and End, and ignores other keys', () => {
    expect(dividerPercentAfterKey(50, 'ArrowLeft')).toBe(50 - dividerKeyStepPercent);
    expect(dividerPercentAfterKey(50, 'ArrowRight')).toBe(50 + dividerKeyStepPercent);
    expect(dividerPercentAfterKey(50, 'ArrowRight', true)).toBe(50 + dividerLargeKeyStepPercent);
    expect(dividerPercentAfterKey(1, 'ArrowLeft')).toBe(0);
    expect(dividerPercentAfterKey(99, 'ArrowRight', true)).toBe(100);
    expect(dividerPercentAfterKey(40, 'Home')).toBe(0);
    expect(dividerPercentAfterKey(40, 'End')).toBe(100);
    expect(dividerPercentAfterKey(40, 'Enter')).toBeNull();
  });
});
