/**
 * Step 16 (optional output), the district as an OpenStreetMap XML file. Why: issue 12 reads a city
 * from an OSM extract, and its tests and benchmarks need extracts of any size with known contents;
 * the demo district at any `--scale` is one, converted to PBF with `osmium cat x.osm -o x.osm.pbf`.
 *
 * Tags: streets `highway=*` (with `bridge`/`tunnel`/`layer`), greenways `highway=footway` named
 * …绿道, parks and pocket parks `leisure=park`, micro-greens `leisure=garden`, compounds
 * `landuse=residential`, buildings `building=apartments` + `building:levels`, the river's water
 * `natural=water` + `water=river` and its centreline `waterway=river`, railways `railway=rail`,
 * gates as tagged nodes on their green space's outline (`entrance`, `barrier=gate`), communities as
 * `type=multipolygon` relations with `boundary=administrative admin_level=10` and `name`, `name:zh`,
 * `name:en`, `population`; the district as one at `admin_level=6` marked `synthetic=yes`.
 *
 * The XML is streamed: nodes are written as their coordinates first appear (lines share a node where
 * they share a vertex, so the street network keeps its junctions), ways and relations after them,
 * in pieces of about 1 MiB, so a large scale never holds the file as one string; what is kept is
 * one node id per distinct coordinate and each way's node ids.
 */
import type { Feature, LineString, Polygon, Position } from 'geojson';
import type { DemoDistrict } from './types';
import { demoCenter } from './types';

/** What was written. */
export interface OsmCounts {
  nodes: number;
  ways: number;
  relations: number;
  bytes: number;
}

type Tags = Record<string, string | number | undefined>;

interface Way {
  refs: Int32Array;
  tags: Tags | null;
}

interface Relation {
  members: { ref: number; role: 'outer' | 'inner' }[];
  tags: Tags;
}

const flushBytes = 1 << 20;

function xmlEscape(value: string): string {
  return value.replace(/[&<>"\n\r\t]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : `&#${c.charCodeAt(0)};`,
  );
}

function tagLines(tags: Tags | null): string {
  let out = '';
  if (!tags) return out;
  for (const [k, v] of Object.entries(tags)) {
    if (v === undefined || v === '') continue;
    out += `    <tag k="${xmlEscape(k)}" v="${xmlEscape(String(v))}"/>\n`;
  }
  return out;
}

/** A name as OSM tags: `name` (Chinese), `name:zh`, `name:en`. */
function names(zh: string, en: string): Tags {
  return { name: zh, 'name:zh': zh, 'name:en': en };
}

/** A 7-decimal coordinate as one integer key (exact for ±3° around the demo centre). */
function coordinateKey([lng, lat]: Position): number {
  const x = Math.round((lng - demoCenter[0]) * 1e7) + 2 ** 25;
  const y = Math.round((lat - demoCenter[1]) * 1e7) + 2 ** 25;
  return x * 2 ** 26 + y;
}

/**
 * Writes the district as OSM XML (version 0.6) through `write`, called with pieces of text in order.
 * Returns the element counts and the bytes (UTF-8) written.
 */
export function writeDemoOsm(district: DemoDistrict, write: (piece: string) => void): OsmCounts {
  let pending: string[] = [];
  let pendingLength = 0;
  let bytes = 0;
  const emit = (text: string) => {
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength >= flushBytes) flush();
  };
  const flush = () => {
    const piece = pending.join('');
    bytes += Buffer.byteLength(piece, 'utf8');
    write(piece);
    pending = [];
    pendingLength = 0;
  };

  // Gates are tags on the node of their green space's outline: known before that node is written.
  const nodeTags = new Map<number, Tags>();
  for (const e of district.entrances.features) {
    const p = e.properties;
    nodeTags.set(coordinateKey(e.geometry.coordinates), {
      entrance: p.entrance,
      barrier: p.barrier,
      ...names(p.name, p.name_en),
    });
  }
  const nodeIds = new Map<number, number>();
  let nodeCount = 0;
  const node = (p: Position): number => {
    const key = coordinateKey(p);
    let id = nodeIds.get(key);
    if (id !== undefined) return id;
    id = ++nodeCount;
    nodeIds.set(key, id);
    const tags = nodeTags.get(key);
    const head = `  <node id="${id}" version="1" lat="${p[1]}" lon="${p[0]}"`;
    emit(tags ? `${head}>\n${tagLines(tags)}  </node>\n` : `${head}/>\n`);
    return id;
  };
  const ways: Way[] = [];
  const relations: Relation[] = [];
  const way = (coordinates: Position[], tags: Tags | null): number => {
    const refs = new Int32Array(coordinates.length);
    coordinates.forEach((p, k) => {
      refs[k] = node(p);
    });
    ways.push({ refs, tags });
    return ways.length;
  };
  /** A polygon: a closed way with the tags, or (with holes, or when asked) a multipolygon relation. */
  const area = (polygon: Polygon, tags: Tags, relation = false) => {
    if (polygon.coordinates.length === 1 && !relation) {
      way(polygon.coordinates[0], tags);
      return;
    }
    const members = polygon.coordinates.map((ring, k) => ({
      ref: way(ring, null),
      role: k === 0 ? ('outer' as const) : ('inner' as const),
    }));
    relations.push({ members, tags: { type: 'multipolygon', ...tags } });
  };
  const lines = <P>(features: Feature<LineString, P>[], tags: (p: P) => Tags) => {
    for (const f of features) way(f.geometry.coordinates, tags(f.properties));
  };

  const [outline] = district.district.features;
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lng, lat] of outline.geometry.coordinates[0]) {
    west = Math.min(west, lng);
    east = Math.max(east, lng);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  emit('<?xml version="1.0" encoding="UTF-8"?>\n');
  emit(
    `<!-- ${xmlEscape(outline.properties.name)} / ${xmlEscape(outline.properties.name_en)}: 虚构示范数据，几何与名称均为程序生成 / synthetic demo data, geometry and names are generated (seed ${district.seed}, scale ${district.scale}) -->\n`,
  );
  emit('<osm version="0.6" generator="GreenReach demo generator (synthetic data)">\n');
  emit(`  <bounds minlat="${south}" minlon="${west}" maxlat="${north}" maxlon="${east}"/>\n`);

  lines(district.streets.features, (p) => ({
    highway: p.highway,
    ...names(p.name, p.name_en),
    bridge: p.bridge,
    tunnel: p.tunnel,
    layer: p.layer,
  }));
  lines(district.greenways.features, (p) => ({ highway: 'footway', bicycle: 'yes', ...names(p.name, p.name_en) }));
  for (const f of district.barriers.features) {
    const p = f.properties;
    const named = names(p.name, p.name_en);
    if (f.geometry.type === 'Polygon') area(f.geometry, { natural: 'water', water: 'river', ...named });
    else way(f.geometry.coordinates, p.railway ? { railway: 'rail', ...named } : { waterway: 'river', ...named });
  }
  for (const f of district.greenspaces.features) {
    const p = f.properties;
    area(f.geometry, { leisure: p.kind === 'micro_green' ? 'garden' : 'park', ...names(p.name, p.name_en) });
  }
  for (const f of district.residential.features) area(f.geometry, { landuse: 'residential', name: f.properties.name });
  for (const f of district.buildings.features) {
    area(f.geometry, { building: 'apartments', 'building:levels': f.properties['building:levels'] });
  }
  for (const f of district.communities.features) {
    const p = f.properties;
    area(
      f.geometry,
      {
        boundary: 'administrative',
        admin_level: 10,
        ...names(p.name, p.name_en),
        population: p.population,
        'is_in:subdistrict': p.subdistrict,
        'is_in:subdistrict:en': p.subdistrict_en,
      },
      true,
    );
  }
  area(
    outline.geometry,
    {
      boundary: 'administrative',
      admin_level: 6,
      ...names(outline.properties.name, outline.properties.name_en),
      synthetic: 'yes',
      note: 'Synthetic demo data: geometry and names are generated',
    },
    true,
  );
  // A gate that is not on an outline (none are) still gets its node.
  for (const e of district.entrances.features) node(e.geometry.coordinates);

  ways.forEach((w, k) => {
    let text = `  <way id="${k + 1}" version="1">\n`;
    for (const ref of w.refs) text += `    <nd ref="${ref}"/>\n`;
    emit(`${text}${tagLines(w.tags)}  </way>\n`);
  });
  relations.forEach((r, k) => {
    let text = `  <relation id="${k + 1}" version="1">\n`;
    for (const m of r.members) text += `    <member type="way" ref="${m.ref}" role="${m.role}"/>\n`;
    emit(`${text}${tagLines(r.tags)}  </relation>\n`);
  });
  emit('</osm>\n');
  flush();
  return { nodes: nodeCount, ways: ways.length, relations: relations.length, bytes };
}
