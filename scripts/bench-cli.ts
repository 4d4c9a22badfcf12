/**
 * End-to-end benchmark of the CLI (read, compute, write) against what a planner does in a desktop GIS
 * today, run here with GDAL/SpatiaLite (the engine QGIS uses): reproject to UTM, buffer and dissolve
 * green by 300 m and parks by 500 m, then select the residential cell centres inside each buffer.
 * Both run on issue 15's case: a seeded 20 × 20 km synthetic city with 25 m cells whose residential
 * blocks hold about 267k cells; the CLI once writing FlatGeobuf cells and once a GeoTIFF grid.
 *
 *   npx tsx scripts/bench-cli.ts [--writers]   (part of `npm run bench`; needs gdal-bin for the baseline;
 *   `--writers` runs only the in-process cell writers: FlatGeobuf, GeoTIFF, GeoParquet)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  buildCoverage,
  columnCenterLongitude,
  presetRules,
  rowCenterLatitude,
  snapshotCoverage,
} from '../src/coverage';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../src/coverage/geodesy';
import { cellColumnsFor, cellFeatures, rulesRecord } from '../src/io/coverage-export';
import { flatGeobufCellChunks } from '../src/io/flatgeobuf-cells';
import { flatGeobufChunks } from '../src/io/flatgeobuf-write';
import { cellsParquetBytesFromFeatures, cellsParquetChunks } from '../src/io/geoparquet-cells';
import { geotiffChunks } from '../src/io/geotiff-cells';
import { parquetGzip } from './cli/parquet-compression';
import { seededRandom, syntheticCity } from './synthetic-city';

const directory = mkdtempSync(join(tmpdir(), 'greenreach-bench-cli-'));
const cellMeters = 25;
const sizeMeters = 20_000;
const city = syntheticCity({
  seed: 3,
  sizeMeters,
  communitiesPerSide: 8,
  greenwayCount: 30,
  microParkCount: 40,
  parkCount: 64,
  otherGreenCount: 96,
});
// Residential land: 400 m blocks (a 100 m street between them), about 65% of them (42% of the land), seeded.
const residential = residentialBlocks(sizeMeters, 500, 400, 0.65, 11);
for (const name of ['communities', 'greenways', 'greenspaces'] as const) {
  writeFileSync(join(directory, `${name}.geojson`), JSON.stringify(city[name]));
}
writeFileSync(join(directory, 'residential.geojson'), JSON.stringify(residential));
const rules = presetRules('chengdu');
const model = buildCoverage({ ...city, residential }, rules, cellMeters);
const cells = model.residentialCells.length;

/** Square blocks of `blockMeters` on a `pitchMeters` lattice over the city, each kept with probability `share`. */
function residentialBlocks(size: number, pitchMeters: number, blockMeters: number, share: number, seed: number) {
  const random = seededRandom(seed);
  const kx = metersPerDegreeLongitude(30.66);
  const ky = metersPerDegreeLatitude(30.66);
  const at = (x: number, y: number) => [104.07 + x / kx, 30.66 + y / ky];
  const features = [];
  for (let x = -size / 2; x + blockMeters <= size / 2; x += pitchMeters) {
    for (let y = -size / 2; y + blockMeters <= size / 2; y += pitchMeters) {
      if (random() >= share) continue;
      const ring = [
        at(x, y),
        at(x + blockMeters, y),
        at(x + blockMeters, y + blockMeters),
        at(x, y + blockMeters),
        at(x, y),
      ];
      features.push({
        type: 'Feature' as const,
        properties: {},
        geometry: { type: 'Polygon' as const, coordinates: [ring] },
      });
    }
  }
  return { type: 'FeatureCollection' as const, features };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function timeCommand(command: string, args: string[]): number {
  const started = performance.now();
  const done = spawnSync(command, args, { encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname });
  if (done.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${done.stderr}`);
  return performance.now() - started;
}

// `--writers`: only the in-process cell writers below (no CLI runs, no GDAL baseline).
if (!process.argv.includes('--writers')) {
  console.log(
    `CLI end to end vs a GDAL/SpatiaLite buffer-and-select workflow — ${sizeMeters / 1000} × ${sizeMeters / 1000} km, ${cellMeters} m cells, ${cells} residential cells; Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`,
  );
  // Exactly what `npm run coverage` runs, without npm's own start-up.
  const cliRun = (format: 'fgb' | 'tif') => {
    const cliArgs = ['scripts/run-cli.mjs'];
    for (const name of ['communities', 'residential', 'greenways', 'greenspaces'])
      cliArgs.push(`--${name}`, join(directory, `${name}.geojson`));
    cliArgs.push('--cell', String(cellMeters), '--format', format, '--out', join(directory, `out-${format}`));
    return timeCommand(process.execPath, cliArgs);
  };
  cliRun('fgb'); // warm-up (file cache, the CLI's esbuild bundle)
  const cliMs: Record<'fgb' | 'tif', number> = { fgb: 0, tif: 0 };
  const cliTimes: Record<'fgb' | 'tif', number[]> = { fgb: [], tif: [] };
  // Interleaved, so that a change in the machine's load falls on both formats alike.
  for (let round = 0; round < 3; round++)
    for (const format of ['fgb', 'tif'] as const) cliTimes[format].push(cliRun(format));
  for (const format of ['fgb', 'tif'] as const) {
    cliMs[format] = median(cliTimes[format]);
    const timings = JSON.parse(readFileSync(join(directory, `out-${format}/summary.json`), 'utf8')).timings_ms;
    console.log(
      `CLI --format ${format} (read GeoJSON, compute, write), process wall time: median ${cliMs[format].toFixed(0)} ms (${cliTimes[format].map((t) => t.toFixed(0)).join(', ')}); last run's timings_ms ${JSON.stringify(timings)}`,
    );
  }
  const summary = JSON.parse(readFileSync(join(directory, 'out-fgb/summary.json'), 'utf8'));

  if (spawnSync('ogr2ogr', ['--version']).status !== 0) {
    console.log('GDAL baseline skipped: ogr2ogr not found (apt-get install gdal-bin)');
  } else {
    // The baseline gets the cell centres for free (a GIS user makes them with a "create grid" tool).
    const centres = Array.from(model.residentialCells, (index) => ({
      type: 'Feature',
      properties: { cell: index },
      geometry: {
        type: 'Point',
        coordinates: [
          columnCenterLongitude(model.grid, index % model.grid.columns),
          rowCenterLatitude(model.grid, Math.floor(index / model.grid.columns)),
        ],
      },
    }));
    writeFileSync(join(directory, 'centres.geojson'), JSON.stringify({ type: 'FeatureCollection', features: centres }));
    const database = join(directory, 'work.sqlite');
    const steps: [string, string[]][] = [
      [
        'ogr2ogr',
        [
          '-f',
          'SQLite',
          '-dsco',
          'SPATIALITE=YES',
          '-t_srs',
          'EPSG:32648',
          '-nln',
          'greenways',
          database,
          join(directory, 'greenways.geojson'),
        ],
      ],
      [
        'ogr2ogr',
        ['-update', '-t_srs', 'EPSG:32648', '-nln', 'greenspaces', database, join(directory, 'greenspaces.geojson')],
      ],
      ['ogr2ogr', ['-update', '-t_srs', 'EPSG:32648', '-nln', 'centres', database, join(directory, 'centres.geojson')]],
      // The cells inside each dissolved buffer, exported as a table (what a planner would save).
      [
        'ogr2ogr',
        [
          '-f',
          'CSV',
          join(directory, 'green.csv'),
          database,
          '-sql',
          `SELECT cell FROM centres WHERE ST_Intersects(GEOMETRY, (SELECT ST_Union(ST_Buffer(GEOMETRY, ${rules.green!.radiusMeters})) FROM (SELECT GEOMETRY FROM greenways UNION ALL SELECT GEOMETRY FROM greenspaces WHERE ST_Area(GEOMETRY) >= ${rules.green!.minimumAreaSquareMeters})))`,
        ],
      ],
      [
        'ogr2ogr',
        [
          '-f',
          'CSV',
          join(directory, 'park.csv'),
          database,
          '-sql',
          `SELECT cell FROM centres WHERE ST_Intersects(GEOMETRY, (SELECT ST_Union(ST_Buffer(GEOMETRY, ${rules.park!.radiusMeters})) FROM greenspaces WHERE kind IN ('park', 'pocket_park') AND ST_Area(GEOMETRY) >= ${rules.park!.minimumAreaSquareMeters}))`,
        ],
      ],
    ];
    const started = performance.now();
    for (const [command, args] of steps) {
      const done = spawnSync(command, args, { encoding: 'utf8' });
      if (done.status !== 0) throw new Error(`${command} failed: ${done.stderr}`);
    }
    const gdalMs = performance.now() - started;
    // Cell by cell: the engine's verdicts (the same model the CLI computes) against GDAL's selections.
    const result = snapshotCoverage(model, {});
    const positionOf = new Map(Array.from(result.cellIndex, (cell, position) => [cell, position]));
    const disagreements = (file: string, bit: number) => {
      // GDAL's CSV: a header, then one quoted id per line (CRLF).
      const lines = readFileSync(join(directory, file), 'utf8').trim().split(/\r?\n/).slice(1);
      const selected = new Set(lines.map((line) => Number(line.replace(/[",]/g, ''))));
      let differing = 0;
      for (const [cell, position] of positionOf)
        if (((result.verdicts[position] & bit) !== 0) !== selected.has(cell)) differing++;
      return { differing, selected: selected.size };
    };
    const green = disagreements('green.csv', 1);
    const park = disagreements('park.csv', 2);
    const counts = [green.selected, park.selected];
    console.log(
      `GDAL/SpatiaLite workflow (reproject, buffer, dissolve, select by location), one run: ${(gdalMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `cells meeting green: CLI ${summary.cells_meeting_green}, GDAL ${counts[0]}; meeting park: CLI ${summary.cells_meeting_park}, GDAL ${counts[1]}`,
    );
    console.log(
      '(GDAL buffers approximate circles with straight segments and measure in UTM 48N, so a few cells near a radius may differ)',
    );
    const share = (differing: number) => `${differing} of ${cells} cells (${((differing / cells) * 100).toFixed(3)}%)`;
    console.log(
      `verdicts differing cell by cell: green ${share(green.differing)}, park ${share(park.differing)} (target ≤ 0.1%)`,
    );
    console.log(
      `CLI end to end vs the GIS workflow: FlatGeobuf ${(gdalMs / cliMs.fgb).toFixed(1)}× (target ≥ 20×), GeoTIFF ${(gdalMs / cliMs.tif).toFixed(1)}× (target ≥ 40×)`,
    );
  }
}

// Writers of the cells, in process, on a 20 × 20 km city at 25 m: each output format against the
// general FlatGeobuf writer the CLI used before (features → FlatBuffers Builder), same process and data.
{
  const big = syntheticCity({
    seed: 3,
    sizeMeters: 20_000,
    communitiesPerSide: 6,
    greenwayCount: 16,
    microParkCount: 30,
    parkCount: 50,
    otherGreenCount: 80,
  });
  const computeTimes: number[] = [];
  let result = snapshotCoverage(buildCoverage(big, rules, cellMeters));
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    result = snapshotCoverage(buildCoverage(big, rules, cellMeters));
    computeTimes.push(performance.now() - started);
  }
  const options = { layerName: 'cells', metadata: JSON.stringify({ rules: rulesRecord(result) }) };
  const drain = (chunks: Iterable<Uint8Array>) => {
    let bytes = 0;
    for (const chunk of chunks) bytes += chunk.length;
    return bytes;
  };
  // [name, write, runs]: runs are interleaved (one of each writer per round, after a warm-up), so a
  // change of load on the shared machine hits every writer alike; the previous GeoParquet path takes
  // seconds, so it runs once, last, with no warm-up.
  const writers: [string, () => number, number][] = [
    [
      'FlatGeobuf, previous general writer',
      () => drain(flatGeobufChunks(cellFeatures(result), { ...options, columns: cellColumnsFor(result) })),
      5,
    ],
    ['FlatGeobuf, direct cell writer (the CLI now)', () => drain(flatGeobufCellChunks(result, options)), 5],
    [
      'GeoTIFF (cells.tif + cells-verdicts.tif, node:zlib as in the CLI)',
      () => {
        const files = geotiffChunks(result, (bytes) => deflateSync(bytes, { level: 6 }));
        return drain(files.cells) + drain(files.verdicts);
      },
      5,
    ],
    [
      'GeoParquet, direct cell writer, GZIP by node:zlib (the CLI now)',
      () => drain(cellsParquetChunks(result, { compression: parquetGzip })),
      5,
    ],
    ['GeoParquet, direct cell writer, Snappy (hyparquet-writer, JS)', () => drain(cellsParquetChunks(result)), 5],
    ['GeoParquet, previous path (GeoJSON features)', () => cellsParquetBytesFromFeatures(result).length, 1],
  ];
  console.log(
    `\nCell writers in process — 20 × 20 km, ${cellMeters} m cells, ${result.cellIndex.length} cells; compute (buildCoverage) median ${median(computeTimes).toFixed(0)} ms; Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg()[0].toFixed(1)}`,
  );
  const times = writers.map(() => [] as number[]);
  // CPU time of the process as well (GC threads included): less moved by other jobs than wall time.
  const cpuTimes = writers.map(() => [] as number[]);
  const bytes = writers.map(() => 0);
  for (const [, write, runs] of writers) if (runs > 1) write(); // warm-up
  const rounds = Math.max(...writers.map(([, , runs]) => runs));
  for (let round = 0; round < rounds; round++) {
    writers.forEach(([, write, runs], w) => {
      if (round >= runs) return;
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      bytes[w] = write();
      times[w].push(performance.now() - started);
      const cpu = process.cpuUsage(cpuStarted);
      cpuTimes[w].push((cpu.user + cpu.system) / 1000);
    });
  }
  const medians = times.map(median);
  const [previousFlatGeobuf] = medians;
  const previousParquet = medians[writers.length - 1];
  writers.forEach(([name, , runs], w) => {
    const ms = medians[w];
    const parquet = name.startsWith('GeoParquet');
    // Against the direct FlatGeobuf writer: the ratio in each round (the two ran seconds apart), median.
    const roundRatios = times[w].map((t, round) => t / times[1][round]);
    const cpuRatios = cpuTimes[w].map((t, round) => t / cpuTimes[1][round]);
    console.log(
      `${name}: median ${ms.toFixed(0)} ms of ${runs} (${times[w].map((t) => t.toFixed(0)).join(', ')}), CPU ${median(cpuTimes[w]).toFixed(0)} ms, ${(bytes[w] / 2 ** 20).toFixed(1)} MiB, ${median(roundRatios).toFixed(2)}× the time of the direct FlatGeobuf writer (per round: ${roundRatios.map((r) => r.toFixed(2)).join(', ')}; CPU ${median(cpuRatios).toFixed(2)}×), ${(parquet ? previousParquet / ms : previousFlatGeobuf / ms).toFixed(1)}× faster than the previous ${parquet ? 'GeoParquet path' : 'FlatGeobuf writer'}`,
    );
  });
  console.log(`load average after: ${loadavg()[0].toFixed(1)} (2 shared cores: above 2, other jobs compete)`);
}
rmSync(directory, { recursive: true, force: true });
