/**
 * End-to-end benchmark of the CLI (read, compute, write FlatGeobuf) against what a planner does in a
 * desktop GIS today, run here with GDAL/SpatiaLite (the engine QGIS uses): reproject to UTM, buffer and
 * dissolve green by 300 m and parks by 500 m, then select the cell centres inside each buffer.
 * Both run on the same seeded 10 × 10 km synthetic city with 25 m cells (160k cells).
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
import { cellColumnsFor, cellFeatures, rulesRecord } from '../src/io/coverage-export';
import { flatGeobufCellChunks } from '../src/io/flatgeobuf-cells';
import { flatGeobufChunks } from '../src/io/flatgeobuf-write';
import { cellsParquetBytesFromFeatures, cellsParquetChunks } from '../src/io/geoparquet-cells';
import { geotiffChunks } from '../src/io/geotiff-cells';
import { parquetGzip } from './cli/parquet-compression';
import { syntheticCity } from './synthetic-city';

const directory = mkdtempSync(join(tmpdir(), 'greenreach-bench-cli-'));
const cellMeters = 25;
const city = syntheticCity({
  seed: 3,
  sizeMeters: 10_000,
  communitiesPerSide: 4,
  greenwayCount: 8,
  microParkCount: 10,
  parkCount: 16,
  otherGreenCount: 24,
});
for (const name of ['communities', 'greenways', 'greenspaces'] as const) {
  writeFileSync(join(directory, `${name}.geojson`), JSON.stringify(city[name]));
}
const rules = presetRules('chengdu');
const model = buildCoverage(city, rules, cellMeters);
const cells = model.residentialCells.length;

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
    `CLI end to end vs a GDAL/SpatiaLite buffer-and-select workflow — 10 × 10 km, ${cellMeters} m cells, ${cells} cells`,
  );
  // Exactly what `npm run coverage` runs, without npm's own start-up.
  const cliArgs = [process.execPath, 'scripts/run-cli.mjs'];
  for (const name of ['communities', 'greenways', 'greenspaces'])
    cliArgs.push(`--${name}`, join(directory, `${name}.geojson`));
  cliArgs.push('--cell', String(cellMeters), '--format', 'fgb', '--out', join(directory, 'out'));
  timeCommand(cliArgs[0], cliArgs.slice(1)); // warm-up (file cache, tsx compile cache)
  const cliTimes = [0, 1, 2].map(() => timeCommand(cliArgs[0], cliArgs.slice(1)));
  const summary = JSON.parse(readFileSync(join(directory, 'out/summary.json'), 'utf8'));
  const cliMs = median(cliTimes);
  console.log(
    `CLI (read GeoJSON, compute, write FlatGeobuf), process wall time: median ${cliMs.toFixed(0)} ms (${cliTimes.map((t) => t.toFixed(0)).join(', ')})`,
  );

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
      [
        'ogrinfo',
        [
          database,
          '-sql',
          `SELECT COUNT(*) FROM centres WHERE ST_Intersects(GEOMETRY, (SELECT ST_Union(ST_Buffer(GEOMETRY, ${rules.green!.radiusMeters})) FROM (SELECT GEOMETRY FROM greenways UNION ALL SELECT GEOMETRY FROM greenspaces WHERE ST_Area(GEOMETRY) >= ${rules.green!.minimumAreaSquareMeters})))`,
        ],
      ],
      [
        'ogrinfo',
        [
          database,
          '-sql',
          `SELECT COUNT(*) FROM centres WHERE ST_Intersects(GEOMETRY, (SELECT ST_Union(ST_Buffer(GEOMETRY, ${rules.park!.radiusMeters})) FROM greenspaces WHERE kind IN ('park', 'pocket_park') AND ST_Area(GEOMETRY) >= ${rules.park!.minimumAreaSquareMeters}))`,
        ],
      ],
    ];
    const started = performance.now();
    const counts: number[] = [];
    for (const [command, args] of steps) {
      const done = spawnSync(command, args, { encoding: 'utf8' });
      if (done.status !== 0) throw new Error(`${command} failed: ${done.stderr}`);
      const match = /COUNT\(\*\) \(Integer\) = (\d+)/.exec(done.stdout);
      if (match) counts.push(Number(match[1]));
    }
    const gdalMs = performance.now() - started;
    console.log(
      `GDAL/SpatiaLite workflow (reproject, buffer, dissolve, select by location), one run: ${(gdalMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `cells meeting green: CLI ${summary.cells_meeting_green}, GDAL ${counts[0]}; meeting park: CLI ${summary.cells_meeting_park}, GDAL ${counts[1]}`,
    );
    console.log(
      '(GDAL buffers approximate circles with straight segments and measure in UTM 48N, so a few cells near a radius may differ)',
    );
    console.log(`CLI end to end is ${(gdalMs / cliMs).toFixed(0)}× faster than the GIS workflow (target ≥ 20×)`);
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
