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

/**
 * Fill and outline colours per cell (RGBA bytes, size 4), for deck.gl binary attributes. With
 * `gapsOnly`, cells that meet the rules are transparent.
 */
export function cellColorAttributes(
  verdicts: Uint8Array,
  inUse: readonly CriterionId[],
  gapsOnly: boolean,
): { fill: Uint8Array; line: Uint8Array } {
  const fill = new Uint8Array(verdicts.length * 4);
  const line = new Uint8Array(verdicts.length * 4);
  const lookup = new Uint8Array(8 * 4);
  for (let verdict = 0; verdict < 8; verdict++) {
    const state = cellState(verdict, inUse);
    const color = gapsOnly && state === 'both' ? [0, 0, 0, 0] : cellStateColors[state];
    lookup.set(color, verdict * 4);
  }
  for (let k = 0; k < verdicts.length; k++) {
    const offset = verdicts[k] * 4;
    const out = k * 4;
    fill[out] = lookup[offset];
    fill[out + 1] = lookup[offset + 1];
    fill[out + 2] = lookup[offset + 2];
    fill[out + 3] = lookup[offset + 3];
    // "neither" cells get a light outline: a tiled pattern that tells them apart without colour.
    if ((verdicts[k] & 4) === 0 && (inUse.length < 2 || (verdicts[k] & 3) === 0)) {
      line[out] = 255;
      line[out + 1] = 255;
      line[out + 2] = 255;
      line[out + 3] = 200;
    }
  }
  return { fill, line };
}
