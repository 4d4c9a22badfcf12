/**
 * Writes the synthetic demo district (scripts/demo-district.ts) as one FlatGeobuf per layer plus a
 * manifest.json, by default into data/demo (the app's built-in data).
 *
 *   tsx scripts/generate-demo.ts [--seed N] [--scale S] [--out DIR] [--osm FILE] [--check] [--cell M]
 *
 * --osm FILE also writes the district as OpenStreetMap XML (scripts/demo/osm-xml.ts, streamed), for
 * tests and benchmarks that need an extract of any size (`osmium cat FILE -o FILE.pbf` gives a PBF);
 * with --osm the FlatGeobuf files are written only when --out is given too.
 * --check runs the coverage engine on the result with the Chengdu 300/500 rules (cells of --cell
 * metres, default 50) and prints the city-wide and per-community shares. The same seed and scale
 * always give byte-identical files (test/demo checks the committed data/demo against this script).
 *
 * Residential land is about 71 km² per unit of scale (≈ 28,400 residential cells of 50 m), so a
 * benchmark with at least 1M residential 50 m cells needs --scale 36 (≈ 3,960 km², ≈ 1.02M cells).
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCoverage, presetRules, share, summarizeCoverage } from '../src/coverage';
import { writeFlatGeobuf } from '../src/io/flatgeobuf-write';
import { type OsmCounts, writeDemoOsm } from './demo/osm-xml';
import {
  type DemoDistrict,
  type DemoDistrictOptions,
  type DemoLayer,
  defaultDemoScale,
  defaultDemoSeed,
  demoLayers,
  generateDistrict,
} from './demo-district';

export const defaultDemoDirectory = 'data/demo';

export const demoNote =
  '虚构示范数据：几何与名称均为程序生成，并非成华区真实边界或设施 / Synthetic demo data: geometry and names are generated, not the real Chenghua district, its boundaries or facilities';

export interface DemoManifest {
  name: string;
  synthetic: true;
  note: string;
  seed: number;
  scale: number;
  crs: 'EPSG:4326';
  generator: string;
  layers: Record<DemoLayer, { file: string; features: number; bytes: number }>;
}

/** The files of the demo district, in memory: `<layer>.fgb` for every layer and `manifest.json`. */
export function buildDemoFiles(options: DemoDistrictOptions = {}): {
  district: DemoDistrict;
  files: Map<string, Uint8Array>;
  manifest: DemoManifest;
} {
  const district = generateDistrict(options);
  return { district, ...demoFiles(district) };
}

/** The files of a generated district: `<layer>.fgb` for every layer and `manifest.json`. */
function demoFiles(district: DemoDistrict): { files: Map<string, Uint8Array>; manifest: DemoManifest } {
  const files = new Map<string, Uint8Array>();
  const layers = {} as DemoManifest['layers'];
  for (const layer of demoLayers) {
    const file = `${layer}.fgb`;
    const bytes = writeFlatGeobuf(district[layer], { layerName: layer, description: demoNote });
    files.set(file, bytes);
    layers[layer] = { file, features: district[layer].features.length, bytes: bytes.length };
  }
  const manifest: DemoManifest = {
    name: 'GreenReach 示范区（虚构） / GreenReach demo district (synthetic)',
    synthetic: true,
    note: demoNote,
    seed: district.seed,
    scale: district.scale,
    crs: 'EPSG:4326',
    generator: `tsx scripts/generate-demo.ts --seed ${district.seed} --scale ${district.scale}`,
    layers,
  };
  files.set('manifest.json', new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
  return { files, manifest };
}

export interface DemoCoverageFigures {
  cellMeters: number;
  residentialCells: number;
  population: number;
  /** Population-weighted shares, 0–1. */
  green: number;
  park: number;
  both: number;
  communities: { name: string; name_en: string; population: number; both: number }[];
  /** Communities where fewer than half of the residents meet both rules. */
  communitiesBelowHalf: number;
  microGreensBelow400: number;
}

/** Runs the coverage engine (Chengdu 300/500 rules) on the demo district. */
export function demoCoverageFigures(district: DemoDistrict, cellMeters = 50): DemoCoverageFigures {
  const model = buildCoverage(
    {
      communities: district.communities,
      residential: district.residential,
      greenways: district.greenways,
      greenspaces: district.greenspaces,
    },
    presetRules('chengdu'),
    cellMeters,
  );
  const summary = summarizeCoverage(model);
  const city = summary.city;
  const communities = summary.communities.map((totals, k) => ({
    name: model.communities[k].name,
    name_en: model.communities[k].nameEnglish ?? '',
    population: Math.round(totals.population ?? 0),
    both: share(totals.populationMeetingBoth, totals.population) ?? 0,
  }));
  let microGreensBelow400 = 0;
  for (const feature of model.features.values()) {
    if (feature.kind === 'micro_green' && feature.areaSquareMeters < 400) microGreensBelow400++;
  }
  return {
    cellMeters,
    residentialCells: city.cells,
    population: Math.round(city.population ?? 0),
    green: share(city.populationMeetingGreen, city.population) ?? 0,
    park: share(city.populationMeetingPark, city.population) ?? 0,
    both: share(city.populationMeetingBoth, city.population) ?? 0,
    communities,
    communitiesBelowHalf: communities.filter((c) => c.both < 0.5).length,
    microGreensBelow400,
  };
}

/** Writes the district as OSM XML to `file`, streamed (see scripts/demo/osm-xml.ts). */
export function writeDemoOsmFile(district: DemoDistrict, file: string): OsmCounts {
  const fd = openSync(file, 'w');
  try {
    return writeDemoOsm(district, (piece) => {
      writeSync(fd, piece);
    });
  } finally {
    closeSync(fd);
  }
}

interface Arguments {
  seed: number;
  scale: number;
  out: string;
  /** Whether --out was given (with --osm, the FlatGeobuf files are written only then). */
  outGiven: boolean;
  osm: string | null;
  check: boolean;
  cell: number;
}

function parseArguments(argv: string[]): Arguments {
  const options: Arguments = {
    seed: defaultDemoSeed,
    scale: defaultDemoScale,
    out: defaultDemoDirectory,
    outGiven: false,
    osm: null,
    check: false,
    cell: 50,
  };
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k];
    const value = () => {
      const next = argv[++k];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    const number = (text: string, test: (n: number) => boolean, what: string) => {
      const n = Number(text);
      if (text.trim() === '' || !test(n)) throw new Error(`${flag} must be ${what}, got "${text}"`);
      return n;
    };
    if (flag === '--seed')
      options.seed = number(
        value(),
        (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff,
        'an integer from 0 to 4294967295',
      );
    else if (flag === '--scale') options.scale = number(value(), (n) => n > 0 && n <= 200, 'a number in (0, 200]');
    else if (flag === '--out') {
      options.out = value();
      options.outGiven = true;
    } else if (flag === '--osm') options.osm = value();
    else if (flag === '--cell')
      options.cell = number(value(), (n) => n >= 10 && n <= 500, 'a number of metres from 10 to 500');
    else if (flag === '--check') options.check = true;
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: tsx scripts/generate-demo.ts [--seed N] [--scale S] [--out DIR] [--osm FILE] [--check] [--cell M]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument "${flag}" (try --help)`);
  }
  return options;
}

function writeDemoDirectory(district: DemoDistrict, out: string, started: number): void {
  const { files, manifest } = demoFiles(district);
  const directory = resolve(out);
  mkdirSync(directory, { recursive: true });
  for (const [file, bytes] of files) writeFileSync(join(directory, file), bytes);
  let total = 0;
  for (const bytes of files.values()) total += bytes.length;
  console.log(
    `demo district: seed ${manifest.seed}, scale ${manifest.scale} → ${directory} (${(performance.now() - started).toFixed(0)} ms)`,
  );
  for (const layer of demoLayers) {
    const { file, features, bytes } = manifest.layers[layer];
    console.log(`  ${file.padEnd(17)} ${String(features).padStart(7)} features ${String(bytes).padStart(10)} bytes`);
  }
  console.log(`  total ${total} bytes (${(total / 1024 / 1024).toFixed(2)} MiB)`);
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function main(): void {
  let options: ReturnType<typeof parseArguments>;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`generate-demo: ${(error as Error).message}`);
    process.exit(2);
  }
  const started = performance.now();
  const district = generateDistrict({ seed: options.seed, scale: options.scale });
  if (options.osm) {
    const counts = writeDemoOsmFile(district, options.osm);
    console.log(
      `demo district: seed ${district.seed}, scale ${district.scale} → ${resolve(options.osm)}: ${counts.nodes} nodes, ${counts.ways} ways, ${counts.relations} relations, ${(counts.bytes / 1024 / 1024).toFixed(2)} MiB (${(performance.now() - started).toFixed(0)} ms)`,
    );
  }
  if (!options.osm || options.outGiven) writeDemoDirectory(district, options.out, started);
  if (!options.check) return;
  const figures = demoCoverageFigures(district, options.cell);
  console.log(
    `coverage (Chengdu 300 m green / 500 m park, ${figures.cellMeters} m cells): ${figures.residentialCells} residential cells, population ${figures.population}`,
  );
  console.log(
    `  green ${percent(figures.green)}, park ${percent(figures.park)}, both ${percent(figures.both)} (population-weighted)`,
  );
  console.log(
    `  communities below 50% meeting both: ${figures.communitiesBelowHalf} of ${figures.communities.length}; micro-greens below 400 m²: ${figures.microGreensBelow400}`,
  );
  const ranked = [...figures.communities].sort((a, b) => a.both - b.both);
  console.log(
    `  lowest: ${ranked
      .slice(0, 8)
      .map((c) => `${c.name} ${percent(c.both)}`)
      .join(', ')}`,
  );
  console.log(
    `  highest: ${ranked
      .slice(-4)
      .map((c) => `${c.name} ${percent(c.both)}`)
      .join(', ')}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
