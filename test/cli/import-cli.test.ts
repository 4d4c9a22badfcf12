import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gcoord from 'gcoord';
import type { FeatureCollection } from 'geojson';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { knownCrs, mapPositions } from '../../src/io/coordinates';
import { chengduLayers } from '../io/chengdu-layers';
import { runCoverageCli } from '../support/run-cli';

// The CLI with planners' own files: projected, GCJ-02, Shapefile and OpenStreetMap layers.

const root = new URL('../../', import.meta.url).pathname;
const corpus = join(root, 'test/io/corpus');
const directory = mkdtempSync(join(tmpdir(), 'greenreach-import-cli-'));

function transformed(collection: FeatureCollection, map: (p: number[]) => number[]): FeatureCollection {
  const copy = structuredClone(collection);
  for (const feature of copy.features) if (feature.geometry) mapPositions(feature.geometry, (p) => map(p));
  return copy;
}
const run = (args: string[]) => runCoverageCli(args);
const summaryOf = (out: string) => JSON.parse(readFileSync(join(directory, out, 'summary.json'), 'utf8'));

const layers = chengduLayers();
const utm = proj4('EPSG:4326', knownCrs(32648)!.definition!);
writeFileSync(join(directory, 'communities.geojson'), JSON.stringify(layers.communities));
writeFileSync(
  join(directory, 'communities-utm.geojson'),
  JSON.stringify(transformed(layers.communities, (p) => utm.forward(p))),
);
writeFileSync(join(directory, 'greenways.geojson'), JSON.stringify(layers.greenways));
writeFileSync(
  join(directory, 'greenways-gcj.geojson'),
  JSON.stringify(
    transformed(layers.greenways, (p) =>
      gcoord.transform([p[0], p[1]] as [number, number], gcoord.WGS84, gcoord.GCJ02),
    ),
  ),
);
writeFileSync(join(directory, 'greenspaces.geojson'), JSON.stringify(layers.greenspaces));
copyFileSync(join(corpus, 'shp-4544-utf8.zip'), join(directory, 'parks.zip'));
// OSM parks with a gate node among them.
const osm = structuredClone(layers.greenspaces);
osm.features = osm.features.map((f, i) => ({
  ...f,
  properties: { '@id': `way/${i}`, leisure: i === 0 ? 'garden' : 'park', name: f.properties?.name },
}));
osm.features.splice(1, 0, {
  type: 'Feature',
  properties: { '@id': 'node/9', barrier: 'gate' },
  geometry: { type: 'Point', coordinates: [104.08, 30.665] },
});
writeFileSync(join(directory, 'osm-parks.geojson'), JSON.stringify(osm));

describe('CLI import of planners’ own files', () => {
  it('a UTM 48N communities layer (--crs), a GCJ-02 greenway (--gcj02) and a projected Shapefile give the WGS84 answer', () => {
    const base = run([
      '--communities',
      join(directory, 'communities.geojson'),
      '--greenways',
      join(directory, 'greenways.geojson'),
      '--greenspaces',
      join(directory, 'greenspaces.geojson'),
      '--cell',
      '25',
      '--out',
      join(directory, 'base'),
    ]);
    expect(base.stderr).toBe('');
    const mixed = run([
      '--communities',
      join(directory, 'communities-utm.geojson'),
      '--crs',
      'communities=EPSG:32648',
      '--greenways',
      join(directory, 'greenways-gcj.geojson'),
      '--gcj02',
      'greenways',
      '--greenspaces',
      join(directory, 'parks.zip'),
      '--cell',
      '25',
      '--out',
      join(directory, 'mixed'),
    ]);
    expect(mixed.stderr).toBe('');
    expect(mixed.status).toBe(0);
    const a = summaryOf('base');
    const b = summaryOf('mixed');
    for (const key of ['cells', 'cells_meeting_green', 'cells_meeting_park', 'cells_meeting_both'])
      expect(b[key]).toBe(a[key]);
    expect(b.import.communities).toMatchObject({
      format: 'geojson',
      crs: 'EPSG:32648',
      crs_source: 'option',
      features_used: 2,
    });
    expect(b.import.greenways).toMatchObject({ gcj02: true });
    expect(b.import.greenspaces).toMatchObject({
      format: 'shapefile',
      crs: 'EPSG:4544',
      crs_source: 'prj',
      features_used: 3,
    });
    const csv = readFileSync(join(directory, 'mixed/communities.csv'), 'utf8');
    expect(csv.startsWith('\uFEFFname,')).toBe(true);
    const gaps = JSON.parse(readFileSync(join(directory, 'mixed/gaps.geojson'), 'utf8'));
    expect(gaps.rules.id).toBe('chengdu');
    expect(gaps.features.reduce((s: number, f: { properties: { cells: number } }) => s + f.properties.cells, 0)).toBe(
      b.cells - b.cells_meeting_both,
    );
  });

  it('an OSM export as green spaces: kinds from tags, the gate node skipped and counted in summary.json', () => {
    const done = run([
      '--communities',
      join(directory, 'communities.geojson'),
      '--greenways',
      join(directory, 'greenways.geojson'),
      '--greenspaces',
      join(directory, 'osm-parks.geojson'),
      '--out',
      join(directory, 'osm'),
    ]);
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    const summary = summaryOf('osm');
    expect(summary.skipped_features).toEqual([
      { layer: 'greenspaces', featureIndex: 1, reason: 'OSM tags (barrier=gate) are not a public green space' },
    ]);
    expect(summary.import.greenspaces).toMatchObject({ features_read: 4, features_used: 3, features_skipped: 1 });
  });

  it('a Point among parks is skipped and counted, not fatal', () => {
    const parks = structuredClone(layers.greenspaces);
    parks.features.push({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: [104.08, 30.665] },
    });
    writeFileSync(join(directory, 'point.geojson'), JSON.stringify(parks));
    const done = run([
      '--communities',
      join(directory, 'communities.geojson'),
      '--greenways',
      join(directory, 'greenways.geojson'),
      '--greenspaces',
      join(directory, 'point.geojson'),
      '--out',
      join(directory, 'point'),
    ]);
    expect(done.status).toBe(0);
    expect(summaryOf('point').skipped_features).toEqual([
      {
        layer: 'greenspaces',
        featureIndex: 3,
        reason: 'geometry is Point; green spaces must be Polygon or MultiPolygon',
      },
    ]);
  });

  it('bad --crs and --gcj02 values are usage errors (exit 2, one line)', () => {
    const common = [
      '--communities',
      join(directory, 'communities.geojson'),
      '--greenways',
      join(directory, 'greenways.geojson'),
      '--greenspaces',
      join(directory, 'greenspaces.geojson'),
      '--out',
      join(directory, 'bad'),
    ];
    for (const [extra, message] of [
      [['--crs', 'parks=EPSG:4544'], /--crs parks=EPSG:4544: use --crs LAYER=EPSG:NNNN/],
      [['--crs', 'communities=EPSG:9999'], /communities\.geojson: EPSG:9999 is not one of the systems/],
      [['--gcj02', 'roads'], /--gcj02 roads: name a layer/],
      [
        ['--crs', 'communities=EPSG:4544'],
        /communities\.geojson: the coordinates look like longitude\/latitude already .*not CGCS2000/,
      ],
    ] as const) {
      const done = run([...common, ...extra]);
      expect(done.status).toBe(2);
      expect(done.stderr).toMatch(message);
      expect(done.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
