/**
 * FlatGeobuf writer benchmark: N synthetic square cells (5-point rings) with the coverage CLI's seven
 * properties (two nullable doubles, nullable booleans, a boolean, a nullable string, a double), written
 * with writeFlatGeobuf. Prints the build and write times and the peak RSS. One size per process, so the
 * peak RSS is that run's.
 *
 *   npx tsx scripts/bench-flatgeobuf.ts [--cells 1000000] [--mode collection|stream] [--no-index] [--out F]
 *
 * `collection` builds a FeatureCollection first (what a GeoJSON-based caller does); `stream` hands the
 * writer a generator of features and declared columns, so the cells never exist all at once.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Feature, FeatureCollection } from 'geojson';
import { cellColumns } from '../src/io/coverage-export';
import { writeFlatGeobuf } from '../src/io/flatgeobuf-write';

const { values } = parseArgs({
  options: {
    cells: { type: 'string', default: '1000000' },
    mode: { type: 'string', default: 'collection' },
    'no-index': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const count = Number(values.cells);
const mode = values.mode;
if (!Number.isSafeInteger(count) || count < 0) throw new Error(`--cells ${values.cells}: not a count`);
if (mode !== 'collection' && mode !== 'stream') throw new Error(`--mode ${mode}: collection or stream`);

// The coverage CLI's own cell schema.
const columns = cellColumns;
const communities = Array.from({ length: 40 }, (_, i) => `社区 ${i + 1} Community`);
const side = Math.ceil(Math.sqrt(count));
const step = 0.0005;

/** Cell k: a counter-clockwise square on a `side`-wide grid near Chengdu, with deterministic properties. */
function cell(k: number): Feature {
  const x = 103.9 + (k % side) * step;
  const y = 30.5 + Math.floor(k / side) * step;
  const r = (k * 2654435761) >>> 0;
  const green = r % 7 === 0 ? null : Math.round((r % 5000) * 0.37) / 10;
  const park = r % 11 === 0 ? null : Math.round((r % 9000) * 0.53) / 10;
  return {
    type: 'Feature',
    properties: {
      green_m: green,
      park_m: park,
      meets_green: green !== null && green <= 300,
      meets_park: park !== null && park <= 500,
      meets_both: green !== null && park !== null && green <= 300 && park <= 500,
      community: r % 13 === 0 ? null : communities[r % communities.length],
      population: Math.round((r % 1000) * 0.731) / 100,
    },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [x, y],
          [x + step, y],
          [x + step, y + step],
          [x, y + step],
          [x, y],
        ],
      ],
    },
  };
}

function* cells(): Generator<Feature> {
  for (let k = 0; k < count; k++) yield cell(k);
}

const mb = (kilobytes: number) => Math.round(kilobytes / 1024);
const rssAtStart = process.resourceUsage().maxRSS;
let buildMs = 0;
let collection: FeatureCollection | null = null;
if (mode === 'collection') {
  const started = performance.now();
  collection = { type: 'FeatureCollection', features: Array.from({ length: count }, (_, k) => cell(k)) };
  buildMs = performance.now() - started;
}
const rssBeforeWrite = process.resourceUsage().maxRSS;
const started = performance.now();
const options = { layerName: 'cells', spatialIndex: !values['no-index'] };
const bytes =
  mode === 'collection' ? writeFlatGeobuf(collection!, options) : writeFlatGeobuf(cells(), { ...options, columns });
const writeMs = performance.now() - started;
const peak = process.resourceUsage().maxRSS;
if (values.out) writeFileSync(values.out, bytes);
console.log(
  JSON.stringify({
    cells: count,
    mode,
    spatialIndex: options.spatialIndex,
    buildMs: Math.round(buildMs),
    writeMs: Math.round(writeMs),
    fileMB: Math.round(bytes.length / 1e5) / 10,
    rssAtStartMB: mb(rssAtStart),
    peakRssBeforeWriteMB: mb(rssBeforeWrite),
    peakRssMB: mb(peak),
  }),
);
