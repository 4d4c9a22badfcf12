import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCoverage, presetRules, snapshotCoverage } from '../../src/coverage';
import { communityCollection, communityCsv, communityCsvFields, gapCollection } from '../../src/io/coverage-export';
import { writeFlatGeobuf } from '../../src/io/flatgeobuf-write';
import { writeGeoJson } from '../../src/io/geojson';
import { classifyOsmTags, osmTags } from '../../src/io/osm';
import { readLayerFile } from '../../src/io/read-layer';
import { chengduLayers } from './chengdu-layers';

const encode = (text: string) => new TextEncoder().encode(text);
const corpus = new URL('./corpus/', import.meta.url).pathname;

/** Features as comparable data: geometry rounded to 7 decimals (what the writers keep), properties. */
function comparable(collection: FeatureCollection) {
  return collection.features.map((f) => ({
    properties: f.properties,
    geometry: JSON.parse(JSON.stringify(f.geometry), (_, v) => (typeof v === 'number' ? Math.round(v * 1e7) / 1e7 : v)),
  }));
}

describe('round trips: import → export → import gives the same features', () => {
  it('GeoJSON', async () => {
    const first = await readLayerFile(encode(JSON.stringify(chengduLayers().greenspaces)), 'a.geojson', {
      role: 'greenspaces',
    });
    const again = await readLayerFile(encode(writeGeoJson(first.collection)), 'b.geojson', { role: 'greenspaces' });
    expect(comparable(again.collection)).toEqual(comparable(first.collection));
    expect(again.warnings).toEqual([]);
  });

  it('FlatGeobuf', async () => {
    const first = await readLayerFile(encode(JSON.stringify(chengduLayers().greenspaces)), 'a.geojson', {
      role: 'greenspaces',
    });
    const bytes = writeFlatGeobuf(first.collection, { spatialIndex: false });
    const again = await readLayerFile(bytes, 'b.fgb', { role: 'greenspaces' });
    expect(again.crs.code).toBe('EPSG:4326');
    expect(again.crs.source).toBe('flatgeobuf');
    expect(comparable(again.collection)).toEqual(comparable(first.collection));
  });

  it('Shapefile zip (projected EPSG:4544, UTF-8) → GeoJSON and FlatGeobuf → the same features', async () => {
    const zip = new Uint8Array(readFileSync(join(corpus, 'shp-4544-utf8.zip')));
    const first = await readLayerFile(zip, 'parks.zip', { role: 'greenspaces' });
    expect(first.crs.code).toBe('EPSG:4544');
    // The same as the WGS84 source the Shapefile was made from, within a millimetre-ish.
    const source = chengduLayers().greenspaces;
    const direct = await readLayerFile(encode(JSON.stringify(source)), 'source.geojson', { role: 'greenspaces' });
    expect(first.collection.features.map((f) => f.properties?.name)).toEqual(
      source.features.map((f) => f.properties?.name),
    );
    const flat = (c: FeatureCollection) =>
      JSON.stringify(c.features.map((f) => f.geometry))
        .match(/-?\d+\.\d+/g)!
        .map(Number);
    const a = flat(first.collection);
    const b = flat(direct.collection);
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-7);
    for (const [bytes, name] of [
      [encode(writeGeoJson(first.collection)), 'b.geojson'],
      [writeFlatGeobuf(first.collection, { spatialIndex: false }), 'b.fgb'],
    ] as const) {
      const again = await readLayerFile(bytes, name, { role: 'greenspaces' });
      expect(comparable(again.collection)).toEqual(comparable(first.collection));
    }
  });
});

describe('OpenStreetMap tags', () => {
  it('classifies parks, gardens, playgrounds, grass, greenways, residential land and boundaries', () => {
    const kind = (tags: Record<string, string>) => classifyOsmTags(tags);
    expect(kind({ leisure: 'park' })).toMatchObject({ role: 'greenspaces', kind: 'park' });
    expect(kind({ leisure: 'park', name: '猛追湾小游园' })).toMatchObject({ kind: 'pocket_park' });
    expect(kind({ leisure: 'garden' })).toMatchObject({ kind: 'pocket_park' });
    expect(kind({ leisure: 'garden', access: 'private' })).toBeNull();
    expect(kind({ leisure: 'playground' })).toMatchObject({ kind: 'micro_green' });
    expect(kind({ landuse: 'grass' })).toMatchObject({ kind: 'green_space' });
    expect(kind({ landuse: 'recreation_ground' })).toMatchObject({ kind: 'green_space' });
    expect(kind({ highway: 'cycleway', name: '锦江绿道' })).toMatchObject({ role: 'greenways' });
    expect(kind({ route: 'bicycle', name: 'Tianfu Greenway' })).toMatchObject({ role: 'greenways' });
    expect(kind({ highway: 'footway' })).toBeNull();
    expect(kind({ landuse: 'residential' })).toMatchObject({ role: 'residential' });
    expect(kind({ boundary: 'administrative', admin_level: '10' })).toMatchObject({ role: 'communities' });
    expect(kind({ boundary: 'administrative', admin_level: '4' })).toBeNull();
    expect(kind({ barrier: 'gate' })).toBeNull();
  });

  it('reads tags flat, nested (osmtogeojson) and as ogr2ogr other_tags, without touching prototypes', () => {
    expect(osmTags({ leisure: 'park' })?.leisure).toBe('park');
    expect(osmTags({ tags: { landuse: 'grass' } })?.landuse).toBe('grass');
    expect(osmTags({ other_tags: '"leisure"=>"garden","name:en"=>"Rose"' })?.['name:en']).toBe('Rose');
    expect(osmTags({ name: 'no tags' })).toBeNull();
    expect(osmTags(JSON.parse('{"__proto__": {"x": 1}, "leisure": "park"}'))?.leisure).toBe('park');
  });
});

const gdalAvailable = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' }).status === 0;
const skipReason = 'ogrinfo not found: install gdal-bin (apt-get install gdal-bin)';

describe('exports: communities.csv and gaps.geojson', () => {
  const layers = chengduLayers();
  const result = snapshotCoverage(buildCoverage(layers, presetRules('chengdu'), 25));
  const csv = communityCsv(result);
  const gaps = gapCollection(result);

  it('CSV: UTF-8 BOM, CRLF, one row per community, Chinese names, rules in every row', () => {
    expect(csv.startsWith('\uFEFFname,name_en,population_given,cells,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(2 + 1 + 1);
    expect(lines[1]).toMatch(/^和美社区,Hemei,8000,\d+,/);
    expect(lines[1]).toMatch(/,chengdu,300,500,25$/);
    expect(lines[0].split(',')).toEqual(communityCsvFields());
  });

  it('gaps: polygons of the cells failing a rule, residents adding up, nearest distances from those cells', () => {
    const failing = Array.from(result.verdicts).filter((v) => (v & 4) === 0).length;
    const cells = gaps.features.reduce((sum, f) => sum + (f.properties!.cells as number), 0);
    expect(cells).toBe(failing);
    const residents = gaps.features.reduce((sum, f) => sum + (f.properties!.residents as number), 0);
    const expected = result.summary.city.population! - result.summary.city.populationMeetingBoth!;
    expect(residents).toBeCloseTo(expected, 0);
    const ranks = gaps.features.map((f) => f.properties!.rank);
    expect(ranks).toEqual(ranks.map((_, i) => i + 1));
    for (const gap of gaps.features) {
      expect(gap.geometry.type).toBe('Polygon');
      const park = gap.properties!.nearest_park_m as number | null;
      if (park !== null && (gap.properties!.cells_missing_park as number) === gap.properties!.cells) {
        expect(park).toBeGreaterThan(500);
      }
    }
    expect((gaps as unknown as { rules: { id: string; cell_meters: number } }).rules).toMatchObject({
      id: 'chengdu',
      cell_meters: 25,
    });
  });

  it('ogrinfo is installed (required when CI is set)', () => {
    if (!gdalAvailable && process.env.CI) expect.fail(`${skipReason}; CI must have it`);
    expect(true).toBe(true);
  });

  describe.skipIf(!gdalAvailable)(`GDAL reads every export (${gdalAvailable ? 'ogrinfo found' : skipReason})`, () => {
    const directory = mkdtempSync(join(tmpdir(), 'greenreach-exports-'));
    afterAll(() => rmSync(directory, { recursive: true, force: true }));
    const files: [string, string | Uint8Array, number, string[]][] = [
      ['communities.csv', csv, 2, ['name: String', 'cells_meeting_both: String', 'cell_meters: String']],
      [
        'gaps.geojson',
        writeGeoJson(gaps),
        gaps.features.length,
        ['residents: Real', 'cells: Integer', 'nearest_park_m: Real'],
      ],
      [
        'communities.geojson',
        writeGeoJson(communityCollection(result, layers.communities)),
        2,
        ['name: String', 'share_population_meeting_both: Real'],
      ],
      [
        'gaps.fgb',
        writeFlatGeobuf(gaps, { layerName: 'gaps', metadata: JSON.stringify({ rules: 'chengdu' }) }),
        gaps.features.length,
        ['residents: Real', 'community: String'],
      ],
    ];
    for (const [name, content, count, fields] of files) {
      it(`${name}: ${count} features, fields, and ogr2ogr -f GPKG`, () => {
        const path = join(directory, name);
        writeFileSync(path, content);
        const info = spawnSync('ogrinfo', ['-ro', '-al', '-so', path], { encoding: 'utf8' });
        expect(info.status, info.stderr).toBe(0);
        expect(info.stdout).toContain(`Feature Count: ${count}`);
        for (const field of fields) expect(info.stdout).toContain(field);
        const gpkg = join(directory, `${name}.gpkg`);
        const convert = spawnSync('ogr2ogr', ['-f', 'GPKG', gpkg, path], { encoding: 'utf8' });
        expect(convert.status, convert.stderr).toBe(0);
        expect(convert.stderr).not.toMatch(/ERROR/);
        if (name === 'communities.csv') {
          const rows = spawnSync('ogrinfo', ['-ro', '-al', '-q', path], { encoding: 'utf8' });
          expect(rows.stdout).toContain('name (String) = 和美社区');
        }
        if (name === 'gaps.geojson') {
          const valid = spawnSync(
            'ogrinfo',
            [
              '-ro',
              '-q',
              path,
              '-dialect',
              'SQLite',
              '-sql',
              'SELECT COUNT(*) AS bad FROM gaps WHERE NOT ST_IsValid(geometry)',
            ],
            { encoding: 'utf8' },
          );
          expect(valid.stdout).toMatch(/bad \(Integer\) = 0/);
        }
      });
    }
  });
});

describe('CSV points for a later candidate-sites layer', () => {
  it('reads lon/lat CSV, keeps text as text and escapes nothing on read', async () => {
    const result = await readLayerFile(readFileSync(join(corpus, 'points.csv')), 'points.csv', { role: 'points' });
    expect(result.collection.features.map((f) => f.properties)).toEqual([
      { 名称: 'A, north', capacity: 12 },
      { 名称: '=HYPERLINK()', capacity: '007' },
    ]);
    expect(result.skipped[0].reason).toMatch(/line 3: coordinates "not-a-number", "30.67" are not numbers/);
  });
});
