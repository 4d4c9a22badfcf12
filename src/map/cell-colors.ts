import type { CriterionId } from '../coverage';

/** Coverage state of a residential cell, as the legend names it. */
export type CellState = 'both' | 'greenOnly' | 'parkOnly' | 'neither';
export const cellStates: readonly CellState[] = ['both', 'greenOnly', 'parkOnly', 'neither'];

/**
 * Paul Tol's "muted" colours (safe for the common colour-vision deficiencies) chosen so the four
 * states also differ in lightness: "neither" is the darkest and gets an outline pattern as well.
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

/** Whether a cell's verdict is "neither" (misses every criterion in use). */
export function isNeither(verdict: number, inUse: readonly CriterionId[]): boolean {
  return cellState(verdict, inUse) === 'neither';
}

/**
 * Fill colours per cell (RGBA bytes, size 4), for a deck.gl binary attribute. With `gapsOnly`,
 * cells that meet the rules are transparent.
 */
export function cellFillColors(verdicts: Uint8Array, inUse: readonly CriterionId[], gapsOnly: boolean): Uint8Array {
  const fill = new Uint8Array(verdicts.length * 4);
  const lookup = new Uint8Array(8 * 4);
  for (let verdict = 0; verdict < 8; verdict++) {
    const state = cellState(verdict, inUse);
    lookup.set(gapsOnly && state === 'both' ? [0, 0, 0, 0] : cellStateColors[state], verdict * 4);
  }
  for (let k = 0; k < verdicts.length; k++) {
    const offset = verdicts[k] * 4;
    const out = k * 4;
    fill[out] = lookup[offset];
    fill[out + 1] = lookup[offset + 1];
    fill[out + 2] = lookup[offset + 2];
    fill[out + 3] = lookup[offset + 3];
  }
  return fill;
}

/** Positions (size 2) of the "neither" cells only, picked out of all cells' positions. */
export function neitherPositions(
  positions: Float32Array,
  verdicts: Uint8Array,
  inUse: readonly CriterionId[],
): Float32Array {
  let count = 0;
  for (let k = 0; k < verdicts.length; k++) if (isNeither(verdicts[k], inUse)) count++;
  const out = new Float32Array(count * 2);
  for (let k = 0, n = 0; k < verdicts.length; k++) {
    if (!isNeither(verdicts[k], inUse)) continue;
    out[n++] = positions[k * 2];
    out[n++] = positions[k * 2 + 1];
  }
  return out;
}
