/**
 * Swipe comparison arithmetic: where the divider sits (percent of the map's width), which part of the
 * screen each side's cell raster keeps, and how pointer and keys move the divider. Pure functions, no DOM.
 */

/** A side of the swipe divider: the baseline left of it, the scenario right of it. */
export type SwipeSide = 'baseline' | 'scenario';

/** A horizontal span of the map as fractions of its width, `[from, to]` with 0 the left edge. */
export type WidthFractions = readonly [number, number];

/** The whole width: no clipping (the cell raster outside a swipe). */
export const fullWidth: WidthFractions = [0, 1];

/** Divider percent moved by one arrow key press, and with Shift held. */
export const dividerKeyStepPercent = 2;
export const dividerLargeKeyStepPercent = 10;

function clampPercent(percent: number): number {
  return Math.min(100, Math.max(0, percent));
}

/** The span of the map one side's cells are drawn in, for a divider at `dividerPercent` of the width. */
export function swipeSideFractions(side: SwipeSide, dividerPercent: number): WidthFractions {
  const divider = clampPercent(dividerPercent) / 100;
  return side === 'baseline' ? [0, divider] : [divider, 1];
}

/**
 * A span of width fractions as device pixels of the drawing buffer (`gl_FragCoord.x` runs in those),
 * for a viewport `viewportLeftCss` CSS pixels from the canvas's left edge and `viewportWidthCss` wide.
 * The full width maps to an unbounded span, so a rounding of the pixel ratio never shaves off a column.
 */
export function fractionsToDevicePixels(
  fractions: WidthFractions,
  viewportLeftCss: number,
  viewportWidthCss: number,
  devicePixelRatio: number,
): [number, number] {
  const [from, to] = fractions;
  const toPixels = (fraction: number) => (viewportLeftCss + fraction * viewportWidthCss) * devicePixelRatio;
  return [from <= 0 ? -1e9 : toPixels(from), to >= 1 ? 1e9 : toPixels(to)];
}

/** The divider percent for a pointer at `clientX` over a map whose box starts at `left` and is `width` wide. */
export function dividerPercentAt(clientX: number, left: number, width: number): number {
  if (!(width > 0)) return 50;
  return clampPercent(((clientX - left) / width) * 100);
}

/**
 * The divider percent after a key press (ArrowLeft/ArrowRight by a step, ten with Shift; Home and End
 * to the edges), or null when the key does not move the divider.
 */
export function dividerPercentAfterKey(percent: number, key: string, shiftKey = false): number | null {
  const step = shiftKey ? dividerLargeKeyStepPercent : dividerKeyStepPercent;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return clampPercent(percent - step);
    case 'ArrowRight':
    case 'ArrowUp':
      return clampPercent(percent + step);
    case 'Home':
      return 0;
    case 'End':
      return 100;
    default:
      return null;
  }
}
