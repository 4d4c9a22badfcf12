// The OSM extract reader and layer deriver on a hand-made extract (test/osm/in/park-river.osm and the
// same file as PBF, written with `osmium cat park-river.osm -o park-river.osm.pbf`), bad inputs, and the
// Three Rivers sample. `REGEN=1 npx vitest run test/osm` rewrites test/osm/out/*.geojson.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { classifyOsmTags } from '../../src/io/osm';
import { deriveOsmLayers, OSM_LAYERS, type OsmDerived } from '../../src/io/osm/derive-layers';
import { derivedFlatGeobufFiles } from '../../src/io/osm/derived-files';
import { OsmError } from '../../src/io/osm/osm-error';
import { readOsmExtract } from '../../src/io/osm/read-osm';
import { streamOsmLayer } from '../../src/io/osm/stream-layer';
import { defaultTagTable } from '../../src/io/osm/tag-table';

const here = join(import.meta.dirname, 'in');
const outDir = join(import.meta.dirname, 'out');
const bytes = (name: string) => new Uint8Array(readFileSync(join(here, name)));

async function derive(data: Uint8Array, fileName: string, options = {}): Promise<OsmDerived> {
  return deriveOsmLayers(await readOsmExtract(data, { fileName }), options);
}

const byId = (collection: FeatureCollection, id: string): Feature | undefined =>
  collection.features.find((f) => f.properties?.osm_id === id);

async function expectOsmError(promise: Promise<unknown>, code: string, text: RegExp): Promise<OsmError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OsmError);
  const e = error as OsmError;
  expect(e.code).toBe(code);
  expect(e.message).toMatch(text);
  expect(e.zh.length).toBeGreaterThan(0);
  expect(e.text('zh').startsWith(`${e.fileName}: `)).toBe(true);
  return e;
}

describe('hand-made extract (park with a hole, broken relation, private garden, gate, playground, river, footbridge)', async () => {
  const xml = await derive(bytes('park-river.osm'), 'park-river.osm');
  const { layers, report } = xml;

  it('reads every element', () => {
    expect([report.nodes, report.ways, report.relations]).toEqual([43, 15, 3]);
  });

  it('assembles the multipolygon park from two outer ways, with the pond as its hole', () => {
    const park = byId(layers.greenspaces, 'relation/1')!;
    expect(park.properties).toMatchObject({ kind: 'park', name: '猛追湾公园', name_en: 'Mengzhuiwan Park' });
    expect(park.geometry.type).toBe('Polygon');
    const rings = (park.geometry as GeoJSON.Polygon).coordinates;
    expect(rings).toHaveLength(2);
    expect(rings[0]).toHaveLength(5);
    expect(rings[1]).toHaveLength(5);
    expect(rings[0][0]).toEqual(rings[0][4]);
    // RFC 7946: outer counter-clockwise, hole clockwise.
    const signed = (ring: number[][]) =>
      ring.slice(1).reduce((sum, p, i) => sum + (ring[i][0] * p[1] - p[0] * ring[i][1]), 0);
    expect(signed(rings[0])).toBeGreaterThan(0);
    expect(signed(rings[1])).toBeLessThan(0);
  });

  it('skips the relation that cannot be closed and says why', () => {
    expect(byId(layers.greenspaces, 'relation/2')).toBeUndefined();
    expect(report.skipped).toEqual([
      { type: 'relation', id: 2, reason: expect.stringMatching(/ring not closed.*node (9|11)/) },
    ]);
  });

  it('greenspaces: park and playground; the private garden is left out', () => {
    expect(layers.greenspaces.features.map((f) => [f.properties!.osm_id, f.properties!.kind])).toEqual([
      ['way/6', 'micro_green'],
      ['relation/1', 'park'],
    ]);
    expect(byId(layers.greenspaces, 'way/5')).toBeUndefined();
    expect(report.layers.greenspaces.rules).toEqual({
      'greenspaces/leisure=playground': 1,
      'greenspaces/leisure=park': 1,
    });
  });

  it('entrances: the gate on the park boundary and the entrance at the bridge end', () => {
    const gate = byId(layers.entrances, 'node/2')!;
    expect(gate.properties).toMatchObject({ kind: 'gate', on_green: true, name: '南门' });
    expect(gate.geometry).toEqual({ type: 'Point', coordinates: [104.104, 30.66] });
    expect(byId(layers.entrances, 'node/25')!.properties).toMatchObject({ kind: 'entrance', on_green: false });
    expect(layers.entrances.features).toHaveLength(2);
  });

  it('barriers: river, pond and railway; streets: every highway line with its tags, the footbridge included', () => {
    expect(layers.barriers.features.map((f) => [f.properties!.osm_id, f.properties!.kind])).toEqual([
      ['way/3', 'water'],
      ['way/7', 'water'],
      ['way/15', 'rail'],
    ]);
    expect(layers.streets.features.map((f) => f.properties!.osm_id)).toEqual(['way/8', 'way/9', 'way/10', 'way/11']);
    expect(byId(layers.streets, 'way/9')!.properties!.tags).toEqual({ highway: 'footway', bridge: 'yes', layer: '1' });
  });

  it('greenways: the footway inside the park (not the footbridge)', () => {
    expect(layers.greenways.features.map((f) => f.properties!.osm_id)).toEqual(['way/11']);
    expect(report.layers.greenways.guessed).toHaveLength(1);
  });

  it('residential land, a building with levels, the admin_level=10 community', () => {
    expect(layers.residential.features.map((f) => f.properties!.osm_id)).toEqual(['way/12']);
    expect(report.layers.residential.guessed).toEqual([]);
    expect(byId(layers.buildings, 'way/13')!.properties).toMatchObject({ building: 'apartments', levels: 12 });
    expect(layers.communities.features.map((f) => f.properties!.name)).toEqual(['猛追湾社区']);
  });

  it('basemap: roads by class, water, rail, buildings, the place label', () => {
    const classes = new Set(layers.basemap.features.map((f) => f.properties!.class));
    for (const c of [
      'road_minor',
      'road_path',
      'water',
      'waterway',
      'rail',
      'building',
      'place',
      'park',
      'residential',
    ]) {
      expect(classes).toContain(c);
    }
  });

  it('each layer matches its checked file in test/osm/out', () => {
    for (const layer of OSM_LAYERS) {
      const out = join(outDir, `${layer}.geojson`);
      const text = `${JSON.stringify(layers[layer], null, 1)}\n`;
      if (process.env.REGEN || !existsSync(out)) writeFileSync(out, text);
      expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(out, 'utf8')));
    }
  });

  it('the same file as PBF, as .osm.gz and the PBF read in 1-byte-odd chunks give the same layers', async () => {
    const pbf = await derive(bytes('park-river.osm.pbf'), 'park-river.osm.pbf');
    expect(pbf.layers).toEqual(layers);
    const gz = await derive(new Uint8Array(gzipSync(bytes('park-river.osm'))), 'park-river.osm.gz');
    expect(gz.layers).toEqual(layers);
    const data = bytes('park-river.osm.pbf');
    const chunked = {
      stream: () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let at = 0; at < data.length; at += 7) controller.enqueue(data.slice(at, at + 7));
            controller.close();
          },
        }),
    };
    const fromChunks = await deriveOsmLayers(await readOsmExtract(chunked, { fileName: 'chunks.pbf' }));
    expect(fromChunks.layers).toEqual(layers);
  });

  it('switching a rule off in the tag table drops its features', async () => {
    const table = defaultTagTable().map((rule) =>
      rule.id === 'greenspaces/leisure=playground' ? { ...rule, enabled: false } : rule,
    );
    const derived = await derive(bytes('park-river.osm'), 'park-river.osm', { table });
    expect(derived.layers.greenspaces.features.map((f) => f.properties!.osm_id)).toEqual(['relation/1']);
  });

  it('reports progress and stops on an AbortSignal', async () => {
    const seen: number[] = [];
    await readOsmExtract(bytes('park-river.osm.pbf'), {
      progressIntervalMs: 0,
      onProgress: (p) => seen.push(p.bytesRead),
    });
    expect(seen.at(-1)).toBe(bytes('park-river.osm.pbf').length);
    const controller = new AbortController();
    controller.abort();
    await expect(readOsmExtract(bytes('park-river.osm'), { signal: controller.signal })).rejects.toThrow(/abort/i);
    const extract = await readOsmExtract(bytes('park-river.osm'));
    await expect(deriveOsmLayers(extract, { signal: controller.signal })).rejects.toThrow(/abort/i);
    const fractions: number[] = [];
    await deriveOsmLayers(extract, { progressIntervalMs: 0, onProgress: (p) => fractions.push(p.fraction) });
    expect(fractions.at(-1)).toBe(1);
  });

  it('derives only the layers asked for', async () => {
    const derived = await derive(bytes('park-river.osm'), 'park-river.osm', { layers: ['greenways', 'entrances'] });
    expect(Object.keys(derived.layers)).toEqual(['greenways', 'entrances']);
    expect(derived.layers.greenways).toEqual(layers.greenways);
    expect(derived.layers.entrances).toEqual(layers.entrances);
  });
});

describe('Overpass JSON', () => {
  it('reads nodes, ways and relations like the XML', async () => {
    const json = JSON.stringify({
      elements: [
        { type: 'node', id: 1, lat: 30.66, lon: 104.1 },
        { type: 'node', id: 2, lat: 30.66, lon: 104.101 },
        { type: 'node', id: 3, lat: 30.661, lon: 104.101 },
        { type: 'way', id: 5, nodes: [1, 2, 3, 1], tags: { leisure: 'garden', name: '小花园' } },
        {
          type: 'way',
          id: 6,
          geometry: [
            { lat: 30.65, lon: 104.1 },
            { lat: 30.65, lon: 104.11 },
          ],
          tags: { highway: 'primary' },
        },
      ],
    });
    const derived = await derive(new TextEncoder().encode(json), 'overpass.json');
    expect(derived.layers.greenspaces.features[0].properties).toMatchObject({ kind: 'pocket_park', name: '小花园' });
    expect(derived.layers.streets.features[0].geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [104.1, 30.65],
        [104.11, 30.65],
      ],
    });
  });
});

describe('bad input: a clear error naming the file and the problem, in en and zh', () => {
  it('a truncated PBF', async () => {
    const data = bytes('park-river.osm.pbf');
    await expectOsmError(
      readOsmExtract(data.subarray(0, data.length - 100), { fileName: 'cut.osm.pbf' }),
      'osm.pbf-truncated',
      /^cut\.osm\.pbf: the PBF file is truncated/,
    );
  });

  it('XML with a missing node reference (and, when asked, the way skipped and listed instead)', async () => {
    const e = await expectOsmError(
      derive(bytes('missing-node.osm'), 'missing-node.osm'),
      'osm.missing-node',
      /^missing-node\.osm: way 7 refers to node 999, which is not in the file/,
    );
    expect(e.zh).toMatch(/路径 7 引用的节点 999 不在文件中/);
    const skipped = await derive(bytes('missing-node.osm'), 'missing-node.osm', { missingNodes: 'skip' });
    expect(skipped.layers.streets.features).toHaveLength(0);
    expect(skipped.report.skipped).toEqual([{ type: 'way', id: 7, reason: 'node 999 is not in the file' }]);
  });

  it('an empty file', async () => {
    await expectOsmError(
      readOsmExtract(bytes('empty.osm'), { fileName: 'empty.osm' }),
      'osm.empty',
      /^empty\.osm: the file is empty/,
    );
  });

  it('a relation loop', async () => {
    await expectOsmError(
      derive(bytes('relation-loop.osm'), 'relation-loop.osm'),
      'osm.relation-loop',
      /relation 10 → relation 11 → relation 10/,
    );
  });

  it('malformed XML, not OSM at all, a bzip2 header with nothing after it', async () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    await expectOsmError(
      readOsmExtract(enc('<osm><node id="1" lat="1" lon="2"></osm>'), { fileName: 'bad.osm' }),
      'osm.xml-malformed',
      /line 1/,
    );
    await expectOsmError(
      readOsmExtract(enc('hello world, not osm'), { fileName: 'x.txt' }),
      'osm.unknown-format',
      /not an OpenStreetMap file/,
    );
    await expectOsmError(
      readOsmExtract(enc('BZh91AY&SY....'), { fileName: 'x.osm.bz2' }),
      'osm.bzip2-truncated',
      /^x\.osm\.bz2: the bzip2 data ends early/,
    );
  });
});

describe('Three Rivers, Michigan (data/three-rivers)', async () => {
  const root = join(import.meta.dirname, '..', '..', 'data', 'three-rivers');
  const xml = await derive(new Uint8Array(readFileSync(join(root, 'three-rivers.osm'))), 'three-rivers.osm');

  it('plausible layers: parks, rivers, railway, bridges, buildings, gates', () => {
    const { layers, report } = xml;
    expect([report.nodes, report.ways, report.relations]).toEqual([5015, 859, 2]);
    const parks = layers.greenspaces.features.filter((f) => f.properties!.osm_class === 'leisure=park');
    expect(parks.length).toBeGreaterThanOrEqual(5);
    expect(parks.map((f) => f.properties!.name)).toContain('Scidmore Park');
    const kinds = layers.barriers.features.map((f) => f.properties!.kind);
    expect(kinds.filter((k) => k === 'water').length).toBeGreaterThanOrEqual(5);
    expect(kinds).toContain('rail');
    expect(
      layers.streets.features.filter((f) => (f.properties!.tags as Record<string, string>).bridge === 'yes').length,
    ).toBeGreaterThan(5);
    expect(layers.buildings.features).toHaveLength(357);
    expect(layers.entrances.features.length).toBeGreaterThanOrEqual(4);
    expect(layers.communities.features.map((f) => f.properties!.name)).toEqual(['Three Rivers']);
    expect(layers.residential.features.length).toBeGreaterThan(5);
    expect(report.layers.residential.guessed.join(' ')).toMatch(/no landuse=residential/);
    expect(report.skipped).toEqual([]);
  });

  it('streamed layers (buildings, basemap, streets, barriers) equal the derived ones', async () => {
    const extract = await readOsmExtract(new Uint8Array(readFileSync(join(root, 'three-rivers.osm'))));
    for (const layer of ['buildings', 'basemap', 'streets', 'barriers'] as const) {
      const report = { features: 0, rules: {}, guessed: [] };
      expect([...streamOsmLayer(extract, layer, { report })]).toEqual(xml.layers[layer].features);
      expect(report).toMatchObject({
        features: xml.report.layers[layer].features,
        rules: xml.report.layers[layer].rules,
      });
    }
  });

  it('the committed data/three-rivers/*.fgb and manifest.json are what scripts/convert-three-rivers.ts writes', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
    for (const [file, data] of derivedFlatGeobufFiles(xml)) {
      expect(new Uint8Array(readFileSync(join(root, file))), file).toEqual(data);
      expect(manifest.layers[file.replace('.fgb', '')]).toMatchObject({ file, bytes: data.length });
    }
    expect(manifest.attribution).toMatch(/OpenStreetMap contributors, ODbL/);
  });

  it('the PBF copy gives the same layers', async () => {
    const pbf = await derive(new Uint8Array(readFileSync(join(root, 'three-rivers.osm.pbf'))), 'three-rivers.osm.pbf');
    expect(pbf.layers).toEqual(xml.layers);
  });

  it('osm.ts classifies with the same table: the new green tags and the old exclusions', () => {
    expect(classifyOsmTags({ natural: 'scrub' })).toMatchObject({ role: 'greenspaces', kind: 'green_space' });
    expect(classifyOsmTags({ landuse: 'grass', leisure: 'golf_course' })).toBeNull();
    expect(classifyOsmTags({ landuse: 'grass', access: 'no' })).toBeNull();
    expect(classifyOsmTags({ highway: 'footway', bridge: 'yes' })).toBeNull();
  });
});

describe('docs/osm-tags.md', () => {
  it('lists every rule of the tag table', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'osm-tags.md'), 'utf8');
    for (const rule of defaultTagTable()) expect(doc).toContain(`\`${rule.id}\``);
  });
});
