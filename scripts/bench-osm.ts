/**
 * Benchmark of the OSM extract reader and layer deriver (src/io/osm) on a synthetic extract: a seeded
 * grid city (streets every 120 m with mid-block nodes, blocks of residential land, parks, some as
 * multipolygons with a pond hole, 16 buildings a block with levels, gates, a winding river, a railway,
 * admin_level=10 boundaries), written as OPL and converted to PBF with osmium (osmium-tool).
 *
 *   tsx scripts/bench-osm.ts [--mb 100] [--all-mb 10] [--runs 3] [--seed 12] [--keep]
 *
 * --mb is the target PBF size; the extract is cached in the OS temp folder by size and seed. Each run is
 * a fresh Node process (so peak memory is its own): read the PBF from disk as a Blob (streaming), derive
 * the engine's layers (communities, residential, greenways, greenspaces, streets, entrances, barriers)
 * in memory; the second set also streams buildings and the basemap to FlatGeobuf bytes, as the CLI does. Prints the median time and the largest peak RSS, and checks them against the issue's
 * target (100 MB in ≤ 60 s, ≤ 1.5 GB).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openAsBlob, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveOsmLayers, OSM_LAYERS } from '../src/io/osm/derive-layers';
import { STREAMED_LAYERS, streamedFlatGeobuf } from '../src/io/osm/derived-files';
import { readOsmExtract } from '../src/io/osm/read-osm';
import type { OsmLayerName } from '../src/io/osm/tag-table';
import { mulberry32 } from './seeded-random';

const BLOCK_METERS = 120;
const METERS_PER_DEGREE = 111_320;
/** PBF bytes per block of this generator (measured: about 355 bytes). */
const PBF_BYTES_PER_BLOCK = 355;

class OplWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  line(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    writeSync(this.fd, `${this.parts.join('\n')}\n`);
    this.parts = [];
    this.size = 0;
  }
}

const tagText = (tags: Record<string, string | number>) =>
  Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** Writes a synthetic city of `side` × `side` blocks as three OPL files (nodes, ways, relations). */
export function writeSyntheticCity(side: number, seed: number, files: [string, string, string]): void {
  const random = mulberry32(seed);
  const fds = files.map((file) => openSync(file, 'w'));
  const [nodes, ways, relations] = fds.map((fd) => new OplWriter(fd));
  const lat0 = 30.5;
  const lon0 = 104.0;
  const dLat = BLOCK_METERS / METERS_PER_DEGREE;
  const dLon = dLat / Math.cos((lat0 * Math.PI) / 180);
  let nodeId = 0;
  let wayId = 0;
  let relationId = 0;
  const jitter = () => (random() - 0.5) * 3e-5;
  const node = (lon: number, lat: number, tags?: Record<string, string | number>) => {
    nodeId++;
    nodes.line(
      `n${nodeId} v1 x${(lon + jitter()).toFixed(7)} y${(lat + jitter()).toFixed(7)} T${tags ? tagText(tags) : ''}`,
    );
    return nodeId;
  };
  const way = (refs: number[], tags?: Record<string, string | number>) => {
    wayId++;
    ways.line(`w${wayId} v1 T${tags ? tagText(tags) : ''} N${refs.map((r) => `n${r}`).join(',')}`);
    return wayId;
  };
  const relation = (members: string[], tags: Record<string, string | number>) => {
    relationId++;
    relations.line(`r${relationId} v1 T${tagText(tags)} M${members.join(',')}`);
  };
  const ring = (x0: number, y0: number, w: number, h: number) => {
    const a = node(x0, y0);
    return [a, node(x0 + w, y0), node(x0 + w, y0 + h), node(x0, y0 + h), a];
  };
  // Street grid: intersections, and ways of 4 blocks with a node every 30 m.
  const at = (c: number, r: number) => [lon0 + c * dLon, lat0 + r * dLat];
  const corner = new Float64Array((side + 1) * (side + 1));
  for (let r = 0; r <= side; r++)
    for (let c = 0; c <= side; c++) corner[r * (side + 1) + c] = node(...(at(c, r) as [number, number]));
  const classes = ['residential', 'residential', 'tertiary', 'secondary', 'primary', 'service', 'footway'];
  for (const horizontal of [true, false]) {
    for (let line = 0; line <= side; line++) {
      const highway = line % 20 === 0 ? 'motorway' : classes[Math.floor(random() * classes.length)];
      for (let start = 0; start < side; start += 4) {
        const refs: number[] = [];
        for (let k = start; k < Math.min(side, start + 4); k++) {
          const [c, r] = horizontal ? [k, line] : [line, k];
          refs.push(corner[r * (side + 1) + c]);
          for (let m = 1; m < 4; m++) {
            const [x, y] = at(c, r);
            refs.push(node(x + (horizontal ? (m * dLon) / 4 : 0), y + (horizontal ? 0 : (m * dLat) / 4)));
          }
        }
        const [c, r] = horizontal ? [Math.min(side, start + 4), line] : [line, Math.min(side, start + 4)];
        refs.push(corner[r * (side + 1) + c]);
        way(refs, { highway, name: `路${line}-${start}`, ...(random() < 0.05 ? { bridge: 'yes', layer: 1 } : {}) });
      }
    }
  }
  // Blocks.
  const inset = 0.08;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const [x, y] = at(c + inset, r + inset);
      const w = dLon * (1 - 2 * inset);
      const h = dLat * (1 - 2 * inset);
      const pick = random();
      if (pick < 0.06) {
        const outer = ring(x, y, w, h);
        if (pick < 0.02) {
          const west = way(outer.slice(0, 3));
          const east = way(outer.slice(2));
          const pond = way(ring(x + w / 3, y + h / 3, w / 3, h / 3), { natural: 'water' });
          relation([`w${west}@outer`, `w${east}@outer`, `w${pond}@inner`], {
            type: 'multipolygon',
            leisure: 'park',
            name: `公园${r}-${c}`,
          });
        } else way(outer, { leisure: pick < 0.04 ? 'park' : 'playground', name: `小游园${r}-${c}` });
        node(x, y, { barrier: 'gate' });
        continue;
      }
      way(ring(x, y, w, h), { landuse: pick < 0.85 ? 'residential' : 'commercial' });
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          const bx = x + (w * (i + 0.15)) / 4;
          const by = y + (h * (j + 0.15)) / 4;
          const levels = 1 + Math.floor(random() * 30);
          way(ring(bx, by, (w * 0.6) / 4, (h * 0.6) / 4), {
            building: random() < 0.5 ? 'apartments' : 'yes',
            'building:levels': levels,
          });
        }
      }
      if (random() < 0.1) node(x + w / 2, y + h / 2, { amenity: 'bench' });
    }
  }
  // River, railway, boundaries.
  const river: number[] = [];
  for (let k = 0; k <= side * 8; k++) {
    const t = k / 8;
    river.push(node(lon0 + (side / 2 + 3 * Math.sin(t / 5)) * dLon, lat0 + t * dLat));
  }
  way(river, { waterway: 'river', name: '府河' });
  const rail: number[] = [];
  for (let k = 0; k <= side * 4; k++) rail.push(node(lon0 + (k / 4) * dLon, lat0 + (side / 3 + 0.5) * dLat));
  way(rail, { railway: 'rail' });
  for (let r = 0; r < side; r += 10) {
    for (let c = 0; c < side; c += 10) {
      const [x, y] = at(c, r);
      const outer = way(ring(x, y, dLon * Math.min(10, side - c), dLat * Math.min(10, side - r)));
      relation([`w${outer}@outer`], {
        type: 'boundary',
        boundary: 'administrative',
        admin_level: 10,
        name: `社区${r / 10}-${c / 10}`,
      });
    }
  }
  for (const writer of [nodes, ways, relations]) writer.flush();
  for (const fd of fds) closeSync(fd);
}

/** The cached synthetic PBF of about `megabytes`, generated when missing. */
export function syntheticPbf(megabytes: number, seed: number): string {
  const side = Math.max(10, Math.round(Math.sqrt((megabytes * 1e6) / PBF_BYTES_PER_BLOCK)));
  const pbf = join(tmpdir(), `greenreach-osm-bench-${side}-${seed}.osm.pbf`);
  if (existsSync(pbf)) return pbf;
  const files: [string, string, string] = ['n', 'w', 'r'].map((t) =>
    join(tmpdir(), `greenreach-osm-bench-${t}.opl`),
  ) as [string, string, string];
  const started = performance.now();
  writeSyntheticCity(side, seed, files);
  const osmium = spawnSync('osmium', ['cat', ...files, '-o', pbf, '--overwrite'], { encoding: 'utf8' });
  if (osmium.status !== 0)
    throw new Error(`osmium cat failed (is osmium-tool installed?): ${osmium.stderr ?? osmium.error}`);
  spawnSync('rm', ['-f', ...files]);
  console.log(`generated ${pbf} (${side}×${side} blocks) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return pbf;
}

/** One run in this process: read + derive, printed as JSON for the parent. */
async function child(file: string, layers: OsmLayerName[] | undefined): Promise<void> {
  const started = performance.now();
  const extract = await readOsmExtract(await openAsBlob(file), { fileName: file });
  const read = performance.now();
  // Buildings and the basemap are streamed to FlatGeobuf (bytes counted, not kept), as the CLI does.
  const streamed = (layers ?? OSM_LAYERS).filter((layer) => STREAMED_LAYERS.includes(layer as never));
  const derived = await deriveOsmLayers(extract, { layers: layers?.filter((layer) => !streamed.includes(layer)) });
  const counts: Record<string, number> = Object.fromEntries(
    Object.entries(derived.report.layers).map(([k, v]) => [k, v.features]),
  );
  for (const layer of streamed) {
    const report = { features: 0, rules: {}, guessed: [] };
    let bytes = 0;
    for (const piece of streamedFlatGeobuf(extract, layer as 'buildings' | 'basemap', report)) bytes += piece.length;
    counts[layer] = report.features;
    counts[`${layer}_fgb_mb`] = Math.round(bytes / 1e5) / 10;
  }
  const done = performance.now();
  console.log(
    JSON.stringify({
      readSeconds: (read - started) / 1000,
      deriveSeconds: (done - read) / 1000,
      totalSeconds: (done - started) / 1000,
      peakRssMegabytes: process.resourceUsage().maxRSS / 1024,
      nodes: extract.counts.nodes,
      ways: extract.counts.ways,
      relations: extract.counts.relations,
      counts,
      skipped: derived.report.skipped.length,
    }),
  );
}

async function main(argv: string[]): Promise<void> {
  const option = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  if (argv[0] === '--child') return child(argv[1], argv[2] ? (argv[2].split(',') as OsmLayerName[]) : undefined);
  const megabytes = option('--mb', 100);
  const runs = option('--runs', 3);
  const file = syntheticPbf(megabytes, option('--seed', 12));
  const size = statSync(file).size;
  console.log(`OSM bench: ${file}, ${(size / 1e6).toFixed(1)} MB PBF, ${runs} runs a set (each a fresh process)`);
  const engineLayers = OSM_LAYERS.filter((layer) => layer !== 'buildings' && layer !== 'basemap');
  // All layers: the engine's in memory, buildings and the basemap streamed to FlatGeobuf (as the CLI does).
  // The FlatGeobuf writer keeps a layer's encoded bytes for its spatial index (2.3 GB for the 100 MB
  // city's 8.9M buildings and basemap features: 198 s, 5.7 GB peak when measured), so by default this set
  // runs on a 10 MB extract (--all-mb).
  const allMegabytes = option('--all-mb', Math.min(10, megabytes));
  const allFile = allMegabytes === megabytes ? file : syntheticPbf(allMegabytes, option('--seed', 12));
  const sets: [string, readonly OsmLayerName[], string][] = [
    ['engine layers (no buildings, no basemap)', engineLayers, file],
    ['all layers (buildings and basemap streamed to FlatGeobuf)', OSM_LAYERS, allFile],
  ];
  for (const [label, layers, path] of sets) {
    const bytes = statSync(path).size;
    const results: { totalSeconds: number; peakRssMegabytes: number }[] = [];
    for (let k = 0; k < runs; k++) {
      const run = spawnSync(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), '--child', path, layers.join(',')],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      if (run.status !== 0) {
        console.log(
          `  ${label}, run ${k + 1} failed (status ${run.status}, signal ${run.signal}): ${run.stderr.slice(-400)}`,
        );
        break;
      }
      const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
      results.push(result);
      console.log(
        `  ${label}, run ${k + 1}: read ${result.readSeconds.toFixed(1)} s + derive ${result.deriveSeconds.toFixed(1)} s = ${result.totalSeconds.toFixed(1)} s, peak RSS ${result.peakRssMegabytes.toFixed(0)} MB; ${result.nodes} nodes, ${result.ways} ways, ${result.relations} relations; ${JSON.stringify(result.counts)}`,
      );
    }
    if (results.length === 0) continue;
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const seconds = median(results.map((r) => r.totalSeconds));
    const peak = Math.max(...results.map((r) => r.peakRssMegabytes));
    console.log(
      `OSM read + derive, ${label}: median ${seconds.toFixed(1)} s for ${(bytes / 1e6).toFixed(1)} MB PBF (target ≤ 60 s for 100 MB), peak RSS ${peak.toFixed(0)} MB (target ≤ 1536 MB)`,
    );
  }
  if (!argv.includes('--keep') && megabytes < 5) spawnSync('rm', ['-f', file]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
