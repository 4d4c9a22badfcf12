/**
 * The CLI's numeric flags, checked as typed: decimal only (`50`, `12.5`), each out-of-range value a
 * {@link UsageError} naming the flag, the value and the range.
 */
import { availableParallelism } from 'node:os';
import type { RuleSet } from '../../src/coverage';

/** A problem the user can fix: printed as one line, exit status 2. */
export class UsageError extends Error {}

/** A decimal number as typed (`50`, `12.5`); anything else (hex `0x20`, `1e2`, `Infinity`, blank) is NaN. */
export function decimal(text: string | undefined): number {
  return text !== undefined && /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
}

/**
 * `--reach-m N` ("distances up to N m", as the app's rules panel): the rules' reach margin becomes N minus
 * the largest radius, so the criterion with the largest radius is measured up to N m and the other up to
 * its radius plus the same margin (the engine takes margins of 100–5,000 m).
 */
export function applyReach(rules: RuleSet, text: string): void {
  const reach = decimal(text);
  const largest = Math.max(rules.green?.radiusMeters ?? 0, rules.park?.radiusMeters ?? 0);
  const lowest = largest + 100;
  const highest = largest + 5000;
  if (!(reach >= lowest && reach <= highest)) {
    throw new UsageError(
      `--reach-m ${text}: the reach must be a number of metres from ${lowest} to ${highest} (the largest radius of rules "${rules.id}", ${largest} m, plus 100 to 5000 m)`,
    );
  }
  rules.reachMarginMeters = reach - largest;
}

/**
 * `--tile-km N [--threads K]`: tiles of N km (at least one cell, whole cells) in K worker threads
 * (default: every core); null without `--tile-km`.
 */
export function tilingOptions(
  tileText: string | undefined,
  threadsText: string | undefined,
  cellMeters: number,
): { tileCells: number; threads: number } | null {
  if (tileText === undefined) {
    if (threadsText !== undefined)
      throw new UsageError('--threads K needs --tile-km N (the tiles the threads compute)');
    return null;
  }
  const tileKilometers = decimal(tileText);
  const smallest = cellMeters / 1000;
  if (!(tileKilometers >= smallest && tileKilometers <= 10_000)) {
    throw new UsageError(
      `--tile-km ${tileText}: the tile side must be a number of kilometres from one cell (${smallest} km at --cell ${cellMeters}) to 10000`,
    );
  }
  const threads = threadsText === undefined ? availableParallelism() : decimal(threadsText);
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
    throw new UsageError(`--threads ${threadsText}: the number of worker threads must be a whole number from 1 to 256`);
  }
  return { tileCells: Math.floor((tileKilometers * 1000) / cellMeters), threads };
}

/** `--memory-mb M`: the engine's memory budget in MB (a decimal above 0), or null when not given. */
export function memoryBudget(text: string | undefined): number | null {
  if (text === undefined) return null;
  const megabytes = decimal(text);
  if (!(megabytes > 0))
    throw new UsageError(`--memory-mb ${text}: give the memory budget as a number of megabytes above 0`);
  return megabytes;
}
