/**
 * "Suggest 10 sites" benchmark (`npm run bench:suggest`, part of `npm run bench`): the time to choose 10
 * new pocket parks by lazy greedy maximum coverage, in-process and in the coverage worker (the browser
 * worker module run in a Node worker thread), on the demo district (data/demo/*.fgb, 50 m cells) and on
 * the 1M-cell synthetic city (scripts/synthetic-city.ts default, 50 m cells). Warm-up, several runs (fewer
 * for the big one), the median. Then what the 10 sites buy (residents newly meeting both rules, measured
 * by really adding them) against 10 random candidate sites and against the 10 best sites taken
 * independently (the top 10 single-site gains, then measured together).
 *
 *   npm run bench:suggest [-- --runs 5] [--quick]
 *
 * Then the cost of saying where each site is and what it sits on (the homes count inside the suggestion,
 * `timingsMs.homes`; the place index of communities and named streets and the naming, `placeSites`), as a
 * ratio of the suggestion with them to the suggestion without them, in the same process.
 *
 * All land in the synthetic city is residential (its communities tile it), so there its candidates are
 * allowed on residential land (`anywhere`); on the demo they are the cells that are not residential land.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { FeatureCollection } from 'geojson';
import { buildCoverage, type CoverageLayers, type CoverageModel, presetRules } from '../src/coverage';
import { SitePlaces } from '../src/coverage/site-places';
import { measureSites, placeSites, type SuggestResult, suggestSites } from '../src/coverage/suggest';
import { SiteSearch, type SuggestOptions } from '../src/coverage/suggest-search';
import { readFlatGeobuf } from '../src/io/flatgeobuf-read';
import type { CoverageReply as WorkerReply, CoverageRequest as WorkerRequest } from '../src/worker/coverage-protocol';
import { generateDistrict } from './demo-district';
import { seededRandom, syntheticCity } from './synthetic-city';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    quick: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const count = 10;
const rules = presetRules('chengdu');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const format = (ms: number) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const people = (value: number) => Math.round(value).toLocaleString('en');

function readDemoLayer(name: string): FeatureCollection {
  const bytes = readFileSync(new URL(`../data/demo/${name}.fgb`, import.meta.url));
  return readFlatGeobuf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), `${name}.fgb`);
}

/** The browser coverage worker in a Node worker thread, driven through the one protocol. */
class ThreadWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: WorkerReply) => void>();

  constructor() {
    const shim = new URL('./worker-thread-shim.ts', import.meta.url).href;
    this.worker = new Worker(
      `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(shim)}); });`,
      { eval: true },
    );
    this.worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'progress') return;
      this.waiting.get(reply.requestId)?.(reply);
      this.waiting.delete(reply.requestId);
    });
  }

  request(
    body: WorkerRequest extends infer R ? (R extends { requestId: number } ? Omit<R, 'requestId'> : never) : never,
  ) {
    const requestId = this.nextId++;
    return new Promise<WorkerReply>((resolve) => {
      this.waiting.set(requestId, resolve);
      this.worker.postMessage({ ...body, requestId });
    });
  }

  terminate() {
    return this.worker.terminate();
  }
}

interface Row {
  label: string;
  cells: number;
  candidates: number;
  inProcessMs: number;
  workerMs: number;
  targetMs: number;
  greedy: { residents: number; cells: number };
  independent: { residents: number; cells: number; claimed: number };
  random: { mean: number; max: number; draws: number };
  exact: boolean;
  /** Medians (ms): the suggestion without the homes count, the homes count, the place index build, the naming. */
  naming: { withoutMs: number; homesMs: number; indexMs: number; placeMs: number };
}

async function bench(
  label: string,
  layers: CoverageLayers,
  streets: FeatureCollection | null,
  options: SuggestOptions,
  timedRuns: number,
  targetMs: number,
): Promise<Row> {
  const model: CoverageModel = buildCoverage(layers, rules, 50);
  // In-process: warm-up, then the median of `timedRuns`.
  let result: SuggestResult = suggestSites(model, count, options);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const withoutTimes: number[] = [];
  const homesTimes: number[] = [];
  const indexTimes: number[] = [];
  const placeTimes: number[] = [];
  for (let i = 0; i < timedRuns; i++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    result = suggestSites(model, count, options);
    times.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuStart);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    // What naming adds: the homes count (timed inside the suggestion), the place index and the naming.
    homesTimes.push(result.timingsMs.homes);
    withoutTimes.push(result.timingsMs.total - result.timingsMs.homes);
    const indexStarted = performance.now();
    const places = new SitePlaces(layers.communities, streets);
    indexTimes.push(performance.now() - indexStarted);
    placeTimes.push(placeSites(result, places).timingsMs.places);
  }
  const inProcessMs = median(times);
  const naming = {
    withoutMs: median(withoutTimes),
    homesMs: median(homesTimes),
    indexMs: median(indexTimes),
    placeMs: median(placeTimes),
  };
  console.log(
    `${label}: suggest ${count} sites in-process  median ${format(inProcessMs).padStart(6)} ms, CPU ${format(median(cpuTimes))} ms  (runs: ${times.map(format).join(', ')}; last: ${Object.entries(
      result.timingsMs,
    )
      .map(([phase, ms]) => `${phase} ${format(ms)}`)
      .join(', ')})`,
  );

  // In the worker: one compute, then a warm-up suggest and `timedRuns` timed ones (request to reply).
  const worker = new ThreadWorker();
  const computed = await worker.request({ type: 'compute', source: { kind: 'inline', layers }, rules, cellMeters: 50 });
  if (computed.type !== 'result') throw new Error(`worker compute failed: ${JSON.stringify(computed)}`);
  const workerTimes: number[] = [];
  for (let i = 0; i <= timedRuns; i++) {
    const started = performance.now();
    const reply = await worker.request({ type: 'suggest', count, ...options, candidates: options.candidates ?? null });
    if (reply.type !== 'suggestions') throw new Error(`worker suggest failed: ${JSON.stringify(reply)}`);
    if (i > 0) workerTimes.push(performance.now() - started);
    if (JSON.stringify(reply.suggestions.sites) !== JSON.stringify(result.sites)) {
      throw new Error('the worker suggested other sites than the engine in-process');
    }
  }
  await worker.terminate();
  const workerMs = median(workerTimes);
  console.log(
    `${label}: suggest ${count} sites in the worker median ${format(workerMs).padStart(6)} ms  (runs: ${workerTimes.map(format).join(', ')})`,
  );

  // What the sites buy, measured by adding them: greedy vs independent top 10 vs random.
  const gained = (measured: ReturnType<typeof measureSites>) => ({
    residents: measured.after.populationMeetingBoth! - measured.before.populationMeetingBoth!,
    cells: measured.after.cellsMeetingBoth - measured.before.cellsMeetingBoth,
  });
  const search = new SiteSearch(model, options);
  const single = search.candidates.map((_, i) => ({ i, ...search.gainOf(i) }));
  single.sort((a, b) => b.population - a.population || b.cells - a.cells || a.i - b.i);
  const top = single.slice(0, count);
  const independent = {
    ...gained(
      measureSites(
        model,
        top.map(({ i }) => search.candidates[i].feature),
      ),
    ),
    claimed: top.reduce((sum, { population }) => sum + population, 0),
  };
  const random = seededRandom(42);
  const draws = values.quick ? 5 : 20;
  const randomGains: number[] = [];
  for (let draw = 0; draw < draws; draw++) {
    const picks = new Set<number>();
    while (picks.size < Math.min(count, search.candidates.length))
      picks.add(Math.floor(random() * search.candidates.length));
    randomGains.push(
      gained(
        measureSites(
          model,
          [...picks].map((i) => search.candidates[i].feature),
        ),
      ).residents,
    );
  }
  return {
    label,
    cells: model.residentialCells.length,
    candidates: result.candidateCount,
    inProcessMs,
    workerMs,
    targetMs,
    greedy: {
      residents: result.after.populationMeetingBoth! - result.before.populationMeetingBoth!,
      cells: result.after.cellsMeetingBoth - result.before.cellsMeetingBoth,
    },
    independent,
    random: {
      mean: randomGains.reduce((a, b) => a + b, 0) / draws,
      max: Math.max(...randomGains),
      draws,
    },
    exact: result.estimatesExact,
    naming,
  };
}

console.log(
  `GreenReach suggest-sites benchmark — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; rules ${rules.id}, sites of ${1000} m² (pocket park)\n`,
);
const demo: CoverageLayers = {
  communities: readDemoLayer('communities'),
  residential: readDemoLayer('residential'),
  greenways: readDemoLayer('greenways'),
  greenspaces: readDemoLayer('greenspaces'),
};
const rows: Row[] = [await bench('demo', demo, readDemoLayer('streets'), {}, runs, 2000)];
rows.push(
  await bench(
    'synthetic 1M',
    syntheticCity({ seed: 1 }),
    null,
    { anywhere: true },
    values.quick ? 1 : Math.max(2, runs - 2),
    30_000,
  ),
);

console.log(`
residents newly meeting both rules (300 m to green and 500 m to a park), measured by adding the sites:`);
for (const row of rows) {
  console.log(`
${row.label}: ${row.cells.toLocaleString('en')} residential cells, ${row.candidates.toLocaleString('en')} candidate sites
  greedy, 10 sites                          ${people(row.greedy.residents).padStart(9)} residents  (${row.greedy.cells} cells)
  best 10 single sites, taken independently ${people(row.independent.residents).padStart(9)} residents  (${row.independent.cells} cells; their single gains add up to ${people(row.independent.claimed)}: they overlap)
  10 random candidate sites (${row.random.draws} draws)      ${people(row.random.mean).padStart(9)} residents on average, ${people(row.random.max)} at best
  greedy vs independent / vs random         ${(row.greedy.residents / row.independent.residents).toFixed(2)}× / ${(row.greedy.residents / row.random.mean).toFixed(1)}×`);
}

console.log(`
saying where each site is and what it sits on (medians; in-process, same runs):`);
for (const { label, naming } of rows) {
  const added = naming.homesMs + naming.indexMs + naming.placeMs;
  console.log(
    `${label.padEnd(13)} suggest without ${format(naming.withoutMs).padStart(6)} ms; homes count ${format(naming.homesMs)} ms, place index ${format(naming.indexMs)} ms, naming ${format(naming.placeMs)} ms; with / without ${((naming.withoutMs + added) / naming.withoutMs).toFixed(3)}×`,
  );
}

// The place index is built once per data set (the app keeps it while the layers stay); at city scale:
const city = generateDistrict({ scale: 7 });
const segments = city.streets.features.reduce((sum, street) => sum + street.geometry.coordinates.length - 1, 0);
const cityIndexTimes: number[] = [];
// Three warm-up builds (the first runs cold, beside the collection of the generated city), then seven timed.
for (let i = 0; i < 10; i++) {
  const started = performance.now();
  new SitePlaces(city.communities, city.streets);
  if (i >= 3) cityIndexTimes.push(performance.now() - started);
}
console.log(
  `place index at city scale (demo district × 7): ${city.communities.features.length} communities, ${city.streets.features.length} named streets (${segments.toLocaleString('en')} segments), median ${format(median(cityIndexTimes))} ms`,
);

console.log(`
target check                                  measured      target     status`);
for (const row of rows) {
  const ms = Math.max(row.inProcessMs, row.workerMs);
  console.log(
    `suggest 10 sites, ${row.label.padEnd(13)} (worker) ${format(row.workerMs).padStart(7)} ms   ≤ ${String(row.targetMs).padStart(5)} ms  ${ms <= row.targetMs ? 'met' : 'not met'}`,
  );
}
const exact = rows.every((row) => row.exact);
console.log(
  `claimed gains equal the measured ones         ${exact ? 'yes' : 'NO'}          exactly     ${exact ? 'met' : 'FAILED'}\n`,
);
if (!exact) process.exitCode = 1;
