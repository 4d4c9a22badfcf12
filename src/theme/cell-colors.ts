import type { CriterionId } from '../coverage';

/** Coverage state of a residential cell, as the legend names it. */
export type CellState = 'both' | 'greenOnly' | 'parkOnly' | 'neither';
export const cellStates: readonly CellState[] = ['both', 'greenOnly', 'parkOnly', 'neither'];

/**
 * Paul Tol's "muted" colours (safe for the common colour-vision deficiencies) chosen so the four
 * states also differ in lightness: "neither" is the darkest and is hatched as well (see `cell-bitmap-layer.ts`).
 * RGBA, 0–255.
 */
export const cellStateColors: Readonly<Record<CellState, [number, number, number, number]>> = {
  both: [136, 204, 238, 150],
  greenOnly: [68, 170, 153, 170],
  parkOnly: [221, 204, 119, 180],
  neither: [136, 34, 85, 215],
};

/** How a cell fares on foot against the straight line (the "walk vs straight line" view). */
export type WalkState = 'metOnFoot' | 'lostOnFoot' | 'missedBoth';
export const walkStates: readonly WalkState[] = ['lostOnFoot', 'metOnFoot', 'missedBoth'];

/**
 * Colours of the "walk vs straight line" view: the cells the walk loses stand out (Tol's muted purple,
 * far from the state colours' lightness); the others are quiet greys. None uses the hatched alpha of
 * "neither".
 */
export const walkStateColors: Readonly<Record<WalkState, [number, number, number, number]>> = {
  lostOnFoot: [170, 68, 153, 235],
  metOnFoot: [187, 187, 187, 120],
  missedBoth: [102, 102, 102, 140],
};

/** The walk state of a cell: every rule met on foot, met in a straight line only, or missed both ways. */
export function walkState(walkVerdict: number, straightVerdict: number): WalkState {
  if (walkVerdict & 4) return 'metOnFoot';
  return straightVerdict & 4 ? 'lostOnFoot' : 'missedBoth';
}

/** CSS colour of an RGBA colour, for the legend. */
export function rgbaCss([r, g, b, a]: readonly number[]): string {
  return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;
}

/** CSS colour of a state, for the legend. */
export function cssColor(state: CellState): string {
  return rgbaCss(cellStateColors[state]);
}

/**
 * The state of a cell from its verdict flags (1 green, 2 park, 4 all criteria in use). With one
 * criterion in use, a cell either meets the rules (`both`) or does not (`neither`).
 */
export function cellState(verdict: number, inUse: readonly CriterionId[]): CellState {
  if (verdict & 4) return 'both';
  if (inUse.length < 2) return 'neither';
  if (verdict & 1) return 'greenOnly';
  if (verdict & 2) return 'parkOnly';
  return 'neither';
}

/** States a legend should list for the criteria in use. */
export function statesInUse(inUse: readonly CriterionId[]): CellState[] {
  return inUse.length < 2 ? ['both', 'neither'] : [...cellStates];
}
