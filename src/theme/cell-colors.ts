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

/** CSS colour of a state, for the legend. */
export function cssColor(state: CellState): string {
  const [r, g, b, a] = cellStateColors[state];
  return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;
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
