/**
 * Converts the OpenStreetMap sample that ships with the iD editor (`@openstreetmap/id`,
 * `data/intro_graph.json`: Three Rivers, Michigan, used by iD's walkthrough) into OSM XML at
 * data/three-rivers/three-rivers.osm. The data is © OpenStreetMap contributors, ODbL 1.0; the file
 * carries the attribution on its root element and data/three-rivers/README.md says it again.
 *
 *   tsx scripts/convert-three-rivers.ts [--input intro_graph.json] [--out data/three-rivers/three-rivers.osm]
 *   tsx scripts/convert-three-rivers.ts --layers-only
 *
 * Then it writes the same file as PBF (with `osmium cat`, when osmium-tool is installed) and derives the
 * GreenReach layers from the OSM file (src/io/osm) into `<layer>.fgb` files plus a manifest.json beside
 * it. --layers-only skips the conversion and derives the layers from the committed .osm file.
 *
 * `@openstreetmap/id` is not a dependency (a 20 MB package with 22 dependencies of its own, for one
 * 540 kB file read once). Get the file with:
 *
 *   cd /tmp && npm pack @openstreetmap/id@2.42.2 && tar xzf openstreetmap-id-2.42.2.tgz package/data/intro_graph.json
 *
 * and the script finds /tmp/package/data/intro_graph.json (or node_modules/@openstreetmap/id/… if
 * installed, or --input). iD's graph is an object of entities keyed by id: nodes `n…` {loc: [lon, lat],
 * tags}, ways `w…` {nodes: ["n…"], tags}, relations `r…` {members: [{id, type, role}], tags}.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deriveOsmLayers } from '../src/io/osm/derive-layers';
import { derivedFlatGeobufFiles, OSM_ATTRIBUTION, osmSummary } from '../src/io/osm/derived-files';
import { readOsmExtract } from '../src/io/osm/read-osm';
import { type OsmXmlNode, type OsmXmlRelation, type OsmXmlWay, osmXmlLines } from '../src/io/osm/write-osm-xml';

/** One entity of iD's graph (intro_graph.json). */
interface IdEntity {
  id: string;
  loc?: [number, number];
  nodes?: string[];
  members?: { id: string; type: 'node' | 'way' | 'relation'; role: string }[];
  tags?: Record<string, string>;
}

const candidates = [
  'node_modules/@openstreetmap/id/data/intro_graph.json',
  '/tmp/package/data/intro_graph.json',
  '/tmp/idpack/package/data/intro_graph.json',
];

/** The numeric OSM id of an iD id such as "n123" / "w-4". */
function numericId(id: string): number {
  const n = Number(id.slice(1));
  if (!Number.isSafeInteger(n))
    throw new Error(`intro_graph.json: entity id ${id} is not n/w/r followed by an integer`);
  return n;
}

/** Splits iD's graph into sorted nodes, ways and relations (OSM XML order). */
export function convertIdGraph(graph: Record<string, IdEntity>): {
  nodes: OsmXmlNode[];
  ways: OsmXmlWay[];
  relations: OsmXmlRelation[];
} {
  const nodes: OsmXmlNode[] = [];
  const ways: OsmXmlWay[] = [];
  const relations: OsmXmlRelation[] = [];
  for (const key of Object.keys(graph)) {
    const entity = graph[key];
    const id = numericId(entity.id ?? key);
    const tags = entity.tags && Object.keys(entity.tags).length > 0 ? entity.tags : undefined;
    if (key[0] === 'n') {
      if (!entity.loc) throw new Error(`intro_graph.json: node ${key} has no loc`);
      nodes.push({ id, lon: entity.loc[0], lat: entity.loc[1], tags });
    } else if (key[0] === 'w') {
      ways.push({ id, nodes: (entity.nodes ?? []).map(numericId), tags });
    } else if (key[0] === 'r') {
      const members = (entity.members ?? []).map((m) => ({ type: m.type, ref: numericId(m.id), role: m.role ?? '' }));
      relations.push({ id, members, tags });
    }
  }
  const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
  return { nodes: nodes.sort(byId), ways: ways.sort(byId), relations: relations.sort(byId) };
}

async function main(argv: string[]): Promise<void> {
  const option = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const input = option('--input') ?? candidates.find((path) => existsSync(path));
  if (!argv.includes('--layers-only') && (!input || !existsSync(input))) {
    throw new Error(
      'intro_graph.json not found: run `cd /tmp && npm pack @openstreetmap/id@2.42.2 && tar xzf openstreetmap-id-2.42.2.tgz package/data/intro_graph.json` or pass --input FILE',
    );
  }
  const out = resolve(option('--out') ?? 'data/three-rivers/three-rivers.osm');
  if (argv.includes('--layers-only')) return writeLayers(out);
  const graph = JSON.parse(readFileSync(input!, 'utf8')) as Record<string, IdEntity>;
  const { nodes, ways, relations } = convertIdGraph(graph);
  mkdirSync(dirname(out), { recursive: true });
  const stream = createWriteStream(out);
  const header = {
    generator: 'GreenReach scripts/convert-three-rivers.ts',
    comment:
      'Three Rivers, Michigan, from the iD editor walkthrough (@openstreetmap/id 2.42.2 data/intro_graph.json). Map data © OpenStreetMap contributors, available under the Open Database License (ODbL) 1.0: https://www.openstreetmap.org/copyright',
  };
  for (const line of osmXmlLines(header, nodes, ways, relations)) stream.write(line);
  await new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
  console.log(`${out}: ${nodes.length} nodes, ${ways.length} ways, ${relations.length} relations (from ${input})`);
  const pbf = out.replace(/\.osm$/, '.osm.pbf');
  const osmium = spawnSync('osmium', ['cat', out, '-o', pbf, '--overwrite'], { encoding: 'utf8' });
  if (osmium.status === 0) console.log(`${pbf}: written by osmium cat`);
  else console.warn(`osmium-tool not found or failed, ${pbf} not rewritten (${osmium.stderr ?? osmium.error})`);
  await writeLayers(out);
}

/** Derives the layers from the OSM file and writes them with a manifest.json beside it. */
async function writeLayers(osmFile: string): Promise<void> {
  const directory = dirname(osmFile);
  const bytes = new Uint8Array(readFileSync(osmFile));
  const derived = await deriveOsmLayers(await readOsmExtract(bytes, { fileName: basename(osmFile) }));
  const files = derivedFlatGeobufFiles(derived);
  const layers: Record<string, { file: string; features: number; bytes: number }> = {};
  for (const [file, data] of files) {
    writeFileSync(join(directory, file), data);
    const layer = file.replace(/\.fgb$/, '');
    layers[layer] = {
      file,
      features: derived.report.layers[layer as keyof typeof derived.report.layers].features,
      bytes: data.length,
    };
    console.log(`${join(directory, file)}: ${layers[layer].features} features`);
  }
  const summary = osmSummary(derived);
  const manifest = {
    name: 'Three Rivers, Michigan (OpenStreetMap) / 三河市（美国密歇根州，OpenStreetMap 数据）',
    synthetic: false,
    note: 'Real OpenStreetMap data from the iD editor walkthrough; layers derived by GreenReach from OSM tags (see "derivation" for the rules and what was guessed) / 来自 iD 编辑器教程的真实 OpenStreetMap 数据；图层由 GreenReach 按 OSM 标签推导',
    attribution: OSM_ATTRIBUTION,
    license: 'ODbL-1.0',
    source: '@openstreetmap/id 2.42.2 data/intro_graph.json',
    crs: 'EPSG:4326',
    generator: 'tsx scripts/convert-three-rivers.ts',
    osm: { file: basename(osmFile), pbf: `${basename(osmFile)}.pbf` },
    layers,
    derivation: {
      nodes: summary.nodes,
      ways: summary.ways,
      relations: summary.relations,
      layers: summary.layers,
      skipped: summary.skipped,
    },
  };
  writeFileSync(join(directory, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
