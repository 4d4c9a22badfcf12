import type { CoverageResult } from './result';

/** What the walk changes against the straight line, for the city and for each community. */
export interface WalkComparison {
  /** Per residential cell, the verdict bits (1 green, 2 park, 4 every rule in use) in a straight line. */
  straightVerdicts: Uint8Array;
  /** Per residential cell: 1 where every rule is met in a straight line but not on foot. */
  lostOnFoot: Uint8Array;
  city: WalkTotals;
  /** One per community of the result, same order. */
  communities: WalkTotals[];
}

export interface WalkTotals {
  cellsMeetingBothStraight: number;
  /** Null when the data gives no population. */
  populationMeetingBothStraight: number | null;
  /** Cells meeting every rule in a straight line but not on foot. */
  cellsLostOnFoot: number;
  /** Cells with no walkable edge within the snap distance. */
  cellsOffNetwork: number;
}

/**
 * The straight-line verdicts of a walking-distance result and where the walk loses them, or null for a
 * straight-line result (there is nothing to compare). A cell meets a rule in a straight line when its
 * straight distance is within the rule's radius, as the engine decides it.
 */
export function compareWalk(result: CoverageResult): WalkComparison | null {
  if (result.distance !== 'network') return null;
  const count = result.cellIndex.length;
  const straightVerdicts = new Uint8Array(count);
  const checks = [
    [result.greenStraightMeters, result.rules.green?.radiusMeters, 1],
    [result.parkStraightMeters, result.rules.park?.radiusMeters, 2],
  ] as const;
  let allFlags = 0;
  for (const [meters, radius, flag] of checks) {
    if (!meters || radius === undefined) continue;
    allFlags |= flag;
    for (let k = 0; k < count; k++) if (meters[k] <= radius) straightVerdicts[k] |= flag;
  }
  const lostOnFoot = new Uint8Array(count);
  const totals = (): WalkTotals => ({
    cellsMeetingBothStraight: 0,
    populationMeetingBothStraight: result.cellPopulation ? 0 : null,
    cellsLostOnFoot: 0,
    cellsOffNetwork: 0,
  });
  const city = totals();
  const communities = result.communities.map(totals);
  for (let k = 0; k < count; k++) {
    // Every rule in use met in a straight line (flag 4, as the engine sets it).
    if (allFlags !== 0 && (straightVerdicts[k] & allFlags) === allFlags) straightVerdicts[k] |= 4;
    const lost = (straightVerdicts[k] & 4) !== 0 && (result.verdicts[k] & 4) === 0;
    if (lost) lostOnFoot[k] = 1;
    const community = result.cellCommunity[k];
    for (const target of community >= 0 ? [city, communities[community]] : [city]) {
      if (straightVerdicts[k] & 4) {
        target.cellsMeetingBothStraight++;
        if (target.populationMeetingBothStraight !== null && result.cellPopulation)
          target.populationMeetingBothStraight += result.cellPopulation[k];
      }
      if (lost) target.cellsLostOnFoot++;
      if (result.offNetwork?.[k]) target.cellsOffNetwork++;
    }
  }
  return { straightVerdicts, lostOnFoot, city, communities };
}
