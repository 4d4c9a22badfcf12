/**
 * The reach's cost (`npm run bench:reach`, part of `npm run bench`): the seeded Chengdu-scale city of
 * bench-engine.ts at 1M cells (50 m), Chengdu rules with the default reach (the largest radius + 100 m,
 * 600 m) against "distances up to 1,000 m" and "up to 2,000 m", as `--reach-m` and the rules panel set it.
 * Warm-up, then the median of several runs of each, interleaved so that load on the machine falls on all
 * three alike; the ratios are against the default in the same process.
 *
 *   npm run bench:reach [-- --runs 5] [--cell 50]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildCoverage, presetRules, type RuleSet, snapshotCoverage } from '../src/coverage';
import { syntheticCity } from './synthetic-city';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, cell: { type: 'string', default: '50' } },
});
const runs = Number(values.runs);
const cellMeters = Number(values.cell);
const city = syntheticCity({ seed: 1 });

/** Chengdu rules measuring distances up to `reach` metres (null: the preset's own reach). */
function rulesUpTo(reach: number | null): RuleSet {
  const rules = presetRules('chengdu');
  if (reach !== null) rules.reachMarginMeters = reach - Math.max(rules.green!.radiusMeters, rules.park!.radiusMeters);
  return rules;
}

const cases = [
  { label: 'default reach (600 m)', rules: rulesUpTo(null) },
  { label: 'reach 1,000 m', rules: rulesUpTo(1000) },
  { label: 'reach 2,000 m', rules: rulesUpTo(2000) },
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = cases.map(() => [] as number[]);
const farCells = cases.map(() => 0);
let cells = 0;
for (let round = -1; round < runs; round++) {
  cases.forEach(({ rules }, index) => {
    const started = performance.now();
    const model = buildCoverage(city, rules, cellMeters);
    const elapsed = performance.now() - started;
    // Round −1 is the warm-up.
    if (round < 0) {
      const result = snapshotCoverage(model);
      cells = result.cellIndex.length;
      // How many residential cells get a park distance at all: what the wider reach buys.
      farCells[index] = result.parkMeters!.reduce((count, meters) => count + (Number.isFinite(meters) ? 1 : 0), 0);
    } else times[index].push(elapsed);
  });
}

console.log(
  `GreenReach reach benchmark — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0].toFixed(1)}`,
);
console.log(
  `city: 50 × 50 km, ${cells} residential cells of ${cellMeters} m, Chengdu rules; median of ${runs} after a warm-up\n`,
);
const base = median(times[0]);
cases.forEach(({ label, rules }, index) => {
  const ms = median(times[index]);
  const reach = `${rules.green!.radiusMeters + rules.reachMarginMeters} / ${rules.park!.radiusMeters + rules.reachMarginMeters} m`;
  console.log(
    `${label.padEnd(24)} (green / park ${reach.padEnd(13)}) median ${ms.toFixed(0).padStart(6)} ms  ×${(ms / base).toFixed(2)}  cells with a park distance ${((100 * farCells[index]) / cells).toFixed(1)}%  (runs: ${times[index].map((t) => t.toFixed(0)).join(', ')})`,
  );
});
