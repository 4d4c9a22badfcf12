/**
 * Walking-distance benchmark (`npm run bench`, `npm run bench:network`): the seeded Chengdu-scale
 * synthetic city (50 × 50 km, 1M cells of 50 m) with a jittered street lattice of ~200k edges that
 * three meandering rivers cut, except at bridges. Measures cold (graph + snapping + entrances + walks),
 * warm (a change of rules reusing the cached network), an incremental pocket park, and in the same
 * process two baselines: one Dijkstra per cell on a sample (extrapolated to 1M cells) and the
 * straight-line engine. Warm-up, several runs, the median.
 *
 *   npm run bench:network [-- --runs 3] [--quick]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Feature } from 'geojson';
import {
  addFeature,
  buildCoverageSteps,
  type CoverageLayers,
  type CoverageModel,
  computeNetworkCriterion,
  metersPerDegreeLatitude,
  metersPerDegreeLongitude,
  NetworkCache,
  NodeHeap,
  prepareGreenFeature,
  presetRules,
  qualifies,
  type RuleSet,
  reachMeters,
  removeFeature,
} from '../src/coverage';
import { streetLattice } from './street-lattice';
import { seededRandom, syntheticCity } from './synthetic-city';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    'memory-probe': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const center = { lng: 104.07, lat: 30.66 };
const kx = metersPerDegreeLongitude(center.lat);
const ky = metersPerDegreeLatitude(center.lat);
const at = (x: number, y: number): [number, number] => [center.lng + x / kx, center.lat + y / ky];

const city = syntheticCity({ seed: 1 });
const network = streetLattice(50_000, 158, center);
const layers: CoverageLayers = { ...city, streets: network.streets, barriers: network.barriers };
const walkRules = presetRules('chengdu');
walkRules.distance = 'network';

/** Runs the engine to the end, adding the time between progress phases to `phases`. */
function run(rules: RuleSet, cache: NetworkCache, phases: Record<string, number> = {}): CoverageModel {
  const steps = buildCoverageSteps(layers, rules, 50, { networkCache: cache });
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  for (;;) {
    const step = steps.next();
    const now = performance.now();
    if (step.done) return step.value;
    const phase = ['green', 'park', 'prepare', 'residential', 'communities'].includes(step.value.phase)
      ? 'straight-line engine'
      : step.value.phase;
    phases[phase] = (phases[phase] ?? 0) + (now - last);
    const cpu = process.cpuUsage(lastCpu);
    phases[`${phase} CPU`] = (phases[`${phase} CPU`] ?? 0) + (cpu.user + cpu.system) / 1000;
    last = now;
    lastCpu = process.cpuUsage();
  }
}

if (values['memory-probe']) {
  const model = run(walkRules, new NetworkCache());
  const status = readFileSync('/proc/self/status', 'utf8');
  const highWater = /VmHWM:\s+(\d+) kB/.exec(status);
  process.stdout.write(
    JSON.stringify({ cells: model.residentialCells.length, maxRssKilobytes: Number(highWater?.[1]) }),
  );
  process.exit(0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const format = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
/** Median wall time of `count` runs after a warm-up; also prints the median CPU time (the machine is shared). */
function timeRuns(label: string, count: number, body: () => void): number {
  body();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < count; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    body();
    times.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  const result = median(times);
  console.log(
    `${label.padEnd(52)} median ${format(result).padStart(8)} ms, CPU ${format(median(cpuTimes)).padStart(6)} ms  (runs: ${times.map(format).join(', ')})`,
  );
  return result;
}

console.log(
  `GreenReach walking-distance benchmark — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()[0].toFixed(1)}`,
);
console.log(
  `city: 50 × 50 km, ${network.streets.features.length} street lines, 3 rivers, rules ${walkRules.id} (network)\n`,
);

// --- Cold: everything from the layers, with an empty cache each time ---
const coldPhases: Record<string, number>[] = [];
let model: CoverageModel | null = null;
const coldMs = timeRuns('cold: straight-line fields + graph + snap + walks', runs, () => {
  const phases: Record<string, number> = {};
  model = run(walkRules, new NetworkCache(), phases);
  coldPhases.push(phases);
});
coldPhases.shift(); // the warm-up run
const m = model as unknown as CoverageModel;
const net = m.network!;
const phaseMedian = (name: string) => median(coldPhases.map((p) => p[name] ?? 0));
for (const name of ['straight-line engine', 'graph', 'snapping', 'entrances', 'walk-green', 'walk-park'])
  console.log(
    `  ${name.padEnd(50)} median ${format(phaseMedian(name)).padStart(8)} ms, CPU ${format(phaseMedian(`${name} CPU`)).padStart(6)} ms`,
  );
const networkColdMs =
  phaseMedian('graph') +
  phaseMedian('snapping') +
  phaseMedian('entrances') +
  phaseMedian('walk-green') +
  phaseMedian('walk-park');
console.log(
  `  graph: ${net.graph.nodeCount} nodes, ${net.graph.edgeCount} edges, ${(net.graph.walkableLengthMeters / 1000).toFixed(0)} km; ${m.residentialCells.length} cells, ${net.snap.offNetworkCount} off the network`,
);

// --- Warm: a change of rules; the cache keeps graph, snapping and entrances ---
const cache = new NetworkCache();
run(walkRules, cache);
const changed = presetRules('chengdu');
changed.distance = 'network';
let flip = false;
const warmPhases: Record<string, number>[] = [];
const warmMs = timeRuns('warm: rules change (park 500 ↔ 600 m), whole run', runs, () => {
  flip = !flip;
  changed.park!.radiusMeters = flip ? 600 : 500;
  const phases: Record<string, number> = {};
  run(changed, cache, phases);
  warmPhases.push(phases);
});
warmPhases.shift(); // the warm-up run
const warmWalkMs = median(
  warmPhases.map(
    (p) => (p['walk-green'] ?? 0) + (p['walk-park'] ?? 0) + (p.graph ?? 0) + (p.snapping ?? 0) + (p.entrances ?? 0),
  ),
);
const warmWalkCpuMs = median(
  warmPhases.map((p) =>
    ['graph', 'snapping', 'entrances', 'walk-green', 'walk-park'].reduce(
      (sum, name) => sum + (p[`${name} CPU`] ?? 0),
      0,
    ),
  ),
);
console.log(
  `  ${'of which the network part (cached graph, 2 walks)'.padEnd(50)} median ${format(warmWalkMs).padStart(8)} ms, CPU ${format(warmWalkCpuMs).padStart(6)} ms`,
);
const walkOnlyMs = timeRuns('one walk: Dijkstra from all park entrances + 1M reads', runs, () => {
  const criterion = m.rules.park!;
  const qualifying = [...m.features.values()].filter((f) => qualifies(criterion, f.kind, f.areaSquareMeters));
  computeNetworkCriterion(net, qualifying, reachMeters(m.rules, criterion), () => false);
});

// --- Incremental: a pocket park (~0.3 ha) at seeded places, added then removed ---
const random = seededRandom(7);
const parks = Array.from({ length: values.quick ? 10 : 30 }, (_, i) => {
  const x = (random() - 0.5) * 45_000;
  const y = (random() - 0.5) * 45_000;
  const feature: Feature = {
    type: 'Feature',
    properties: { kind: 'pocket_park' },
    geometry: {
      type: 'Polygon',
      coordinates: [[at(x, y), at(x + 60, y), at(x + 60, y + 50), at(x, y + 50), at(x, y)]],
    },
  };
  return prepareGreenFeature(feature, 2_000_000 + i, 'greenspaces', 0)!;
});
const before = m.network!.criteria.park!.cellMeters.slice();
const addTimes: number[] = [];
const removeTimes: number[] = [];
for (const park of parks) {
  let start = performance.now();
  addFeature(m, park);
  addTimes.push(performance.now() - start);
  start = performance.now();
  removeFeature(m, park.id);
  removeTimes.push(performance.now() - start);
}
const restored = m.network!.criteria.park!.cellMeters.every(
  (v, k) => v === before[k] || Math.abs(v - before[k]) < 1e-3,
);
console.log(
  `${`add a pocket park (0.3 ha), ${parks.length} places`.padEnd(52)} median ${format(median(addTimes)).padStart(8)} ms`,
);
console.log(`${'remove it again (walks recomputed)'.padEnd(52)} median ${format(median(removeTimes)).padStart(8)} ms`);

// --- A drawn greenway (2 km, joined to the lattice at none of its vertices): the network is rebuilt ---
const greenwayTimes: number[] = [];
for (let g = 0; g < (values.quick ? 1 : 3); g++) {
  const x = (random() - 0.5) * 40_000;
  const y = (random() - 0.5) * 40_000;
  const coordinates = Array.from({ length: 21 }, (_, i) => at(x + i * 100, y + 30 * Math.sin(i)));
  const feature: Feature = { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } };
  const greenway = prepareGreenFeature(feature, 3_000_000 + g, 'greenways', 0)!;
  const start = performance.now();
  addFeature(m, greenway);
  greenwayTimes.push(performance.now() - start);
  removeFeature(m, greenway.id);
}
console.log(
  `${'add a 2 km greenway (appended, walks extended)'.padEnd(52)} median ${format(median(greenwayTimes)).padStart(8)} ms`,
);

// --- Baseline 1: one Dijkstra per cell (single source, no cut-off, stops at the nearest entrance) ---
const graph = net.graph;
const parkCriterion = m.network!.criteria.park!;
const isTarget = new Uint8Array(graph.nodeCount);
// Targets: both ends of every entrance edge, with the walk along the edge added when settled.
const targetExtra = new Float64Array(graph.nodeCount).fill(Infinity);
for (const feature of m.features.values()) {
  if (!qualifies(m.rules.park, feature.kind, feature.areaSquareMeters)) continue;
  for (const entrance of net.entrances.get(feature.id) ?? []) {
    const length = graph.edgeLengthMeters[entrance.edge];
    const u = graph.edgeFrom[entrance.edge];
    const v = graph.edgeTo[entrance.edge];
    isTarget[u] = isTarget[v] = 1;
    targetExtra[u] = Math.min(targetExtra[u], entrance.offsetMeters + entrance.t * length);
    targetExtra[v] = Math.min(targetExtra[v], entrance.offsetMeters + (1 - entrance.t) * length);
  }
}
const distance = new Float64Array(graph.nodeCount);
const heap = new NodeHeap(4096);
function perCellDijkstra(k: number): number {
  const e = net.snap.edge[k];
  if (e < 0) return Infinity;
  distance.fill(Infinity);
  const t = net.snap.t[k];
  const length = graph.edgeLengthMeters[e];
  heap.length = 0;
  distance[graph.edgeFrom[e]] = t * length;
  distance[graph.edgeTo[e]] = (1 - t) * length;
  heap.push(graph.edgeFrom[e], t * length);
  heap.push(graph.edgeTo[e], (1 - t) * length);
  let best = Infinity;
  while (heap.length) {
    const key = heap.peekKey();
    const node = heap.pop();
    if (key > distance[node]) continue;
    if (key >= best) break;
    if (isTarget[node]) best = Math.min(best, key + targetExtra[node]);
    for (let a = graph.offsets[node]; a < graph.offsets[node + 1]; a++) {
      const next = graph.targets[a];
      const through = key + graph.targetLengthMeters[a];
      if (through < distance[next]) {
        distance[next] = through;
        heap.push(next, through);
      }
    }
  }
  return net.snap.offsetMeters[k] + best;
}
const sampleSize = values.quick ? 50 : 200;
const sample = Array.from({ length: sampleSize }, () => Math.floor(random() * m.residentialCells.length));
let agree = 0;
let compared = 0;
const perCellMs =
  timeRuns(`baseline: one Dijkstra per cell, ${sampleSize} cells`, 1, () => {
    agree = 0;
    compared = 0;
    for (const k of sample) {
      const naive = perCellDijkstra(k);
      const engine = parkCriterion.cellMeters[k];
      if (engine === 0) continue;
      compared++;
      if (naive <= 500 === engine <= 500) agree++;
    }
  }) / sampleSize;
const perCell1MMs = perCellMs * m.residentialCells.length;

// --- Baseline 2: the straight-line engine on the same city ---
const straightMs = timeRuns('baseline: straight-line engine, same city', runs, () => {
  run(presetRules('chengdu'), new NetworkCache());
});

// --- Peak memory, 1M cells, fresh process ---
const probe = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--memory-probe'], {
  encoding: 'utf8',
});
const peakMegabytes = probe.status === 0 ? JSON.parse(probe.stdout).maxRssKilobytes / 1024 : NaN;

const status = (value: number, target: number) =>
  value <= target ? 'met' : `${((value / target - 1) * 100).toFixed(0)}% over`;
console.log(`
one Dijkstra per cell: ${perCellMs.toFixed(2)} ms per cell (park only) → 1M cells ≈ ${(perCell1MMs / 1000).toFixed(0)} s; park verdicts agreeing with the engine: ${agree} of ${compared}
warm walk vs one Dijkstra per cell: ${Math.round(perCell1MMs / walkOnlyMs).toLocaleString('en')}× faster (one criterion)
warm whole run vs straight-line engine: ${(warmMs / straightMs).toFixed(2)}×; cold network part vs straight-line engine: ${(networkColdMs / straightMs).toFixed(2)}×

target check                               measured     target
warm recompute, network part (1M cells)    ${format(warmWalkMs).padStart(7)} ms   ≤ 300 ms   ${status(warmWalkMs, 300)} (CPU ${format(warmWalkCpuMs)} ms)
warm recompute, whole run incl. straight   ${format(warmMs).padStart(7)} ms   (≤ 300 ms) ${status(warmMs, 300)}
cold, network part (graph+snap+walks)      ${format(networkColdMs).padStart(7)} ms   ≤ 2000 ms  ${status(networkColdMs, 2000)}
cold, whole run                            ${format(coldMs).padStart(7)} ms   (≤ 2000 ms) ${status(coldMs, 2000)}
pocket park, incremental                   ${format(median(addTimes)).padStart(7)} ms   ≤ 20 ms    ${status(median(addTimes), 20)}
incremental then removed = before          ${restored ? 'yes' : 'NO'}
peak memory, 1M cells (fresh process)      ${peakMegabytes.toFixed(0).padStart(7)} MB   ≤ 400 MB   ${status(peakMegabytes, 400)}
`);
if (!restored) process.exitCode = 1;
