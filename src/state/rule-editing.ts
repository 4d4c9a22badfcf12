import { type DistanceMode, parseRules, presetRules, type RuleSet } from '../coverage';

/**
 * The rule-editing model: a preset plus the numbers a planner edited, and the rule set they make. The
 * rules panel edits `RuleNumbers`, the URL carries them (src/state/url-state.ts), and `rulesFor` turns
 * them into the engine's RuleSet in one place.
 */

/** What a planner can edit of a preset: the numbers (criteria a preset does not use stay null) and how distance is measured. */
export interface RuleNumbers {
  greenRadiusMeters: number | null;
  greenMinimumAreaSquareMeters: number | null;
  parkRadiusMeters: number | null;
  parkMinimumAreaSquareMeters: number | null;
  /** `straight` (cell centre to the nearest edge) or `network` (the walk along the streets). */
  distance: DistanceMode;
  /**
   * How far distances are measured ("distances up to N m"), so hover, gaps and exports give the real
   * distance of homes that fail; null: the preset's (the largest radius + 100 m).
   */
  reachMeters: number | null;
}

/** The preset margin beyond the largest radius (the engine's `reachMarginMeters` default). */
const defaultMarginMeters = 100;

function largestRadius(numbers: Pick<RuleNumbers, 'greenRadiusMeters' | 'parkRadiusMeters'>): number {
  return Math.max(numbers.greenRadiusMeters ?? 0, numbers.parkRadiusMeters ?? 0);
}

/** The keys of RuleNumbers that are numbers (the rules panel's number fields). */
export type RuleNumberKey = Exclude<keyof RuleNumbers, 'distance'>;

/** The numbers of a rule set. */
export function ruleNumbers(rules: RuleSet): RuleNumbers {
  return {
    greenRadiusMeters: rules.green?.radiusMeters ?? null,
    greenMinimumAreaSquareMeters: rules.green?.minimumAreaSquareMeters ?? null,
    parkRadiusMeters: rules.park?.radiusMeters ?? null,
    parkMinimumAreaSquareMeters: rules.park?.minimumAreaSquareMeters ?? null,
    distance: rules.distance,
    reachMeters:
      rules.reachMarginMeters === defaultMarginMeters
        ? null
        : Math.max(rules.green?.radiusMeters ?? 0, rules.park?.radiusMeters ?? 0) + rules.reachMarginMeters,
  };
}

/**
 * The rule set for a preset with edited numbers: the preset itself when nothing differs, else a
 * `<preset>-custom` set (parseRules checks the numbers and throws a message naming a bad one).
 */
export function rulesFor(presetId: string, numbers: RuleNumbers): RuleSet {
  const base = presetRules(presetId);
  const baseNumbers = ruleNumbers(base);
  const same = (Object.keys(baseNumbers) as (keyof RuleNumbers)[]).every(
    (key) => numbers[key] === null || numbers[key] === baseNumbers[key],
  );
  if (same) return base;
  const criterion = (radius: number | null, area: number | null) => ({
    ...(radius !== null ? { radiusMeters: radius } : {}),
    ...(area !== null ? { minimumAreaSquareMeters: area } : {}),
  });
  // The reach is the largest radius plus a margin the engine takes as 100–5,000 m.
  const margin =
    numbers.reachMeters === null
      ? null
      : Math.min(5000, Math.max(defaultMarginMeters, numbers.reachMeters - largestRadius(numbers)));
  return parseRules({
    extends: presetId,
    ...(margin !== null && margin !== base.reachMarginMeters ? { reachMarginMeters: margin } : {}),
    ...(numbers.distance !== base.distance ? { distance: numbers.distance } : {}),
    ...(base.green ? { green: criterion(numbers.greenRadiusMeters, numbers.greenMinimumAreaSquareMeters) } : {}),
    ...(base.park ? { park: criterion(numbers.parkRadiusMeters, numbers.parkMinimumAreaSquareMeters) } : {}),
  });
}
