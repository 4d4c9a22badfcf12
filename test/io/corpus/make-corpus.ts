/**
 * Writes the bad-or-tricky import corpus (one file per case) beside this script. Run once with
 * `npx tsx test/io/corpus/make-corpus.ts` (needs GDAL's ogr2ogr and `zip` for the Shapefile cases); the
 * files are committed, and `expected.json` lists each file's role, options and expected outcome, checked
 * by test/io/corpus.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import proj4 from 'proj4';
import { writeFlatGeobuf } from '../../../src/io/flatgeobuf-write';
import { at, chengduLayers } from '../chengdu-layers';

const here = new URL('.', import.meta.url).pathname;
const write = (name: string, content: string | Uint8Array) => writeFileSync(join(here, name), content);
const json = (value: unknown) => JSON.stringify(value);
const fc = (features: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'FeatureCollection',
  ...extra,
  features,
});
const feature = (geometry: unknown, properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties,
  geometry,
});
const square = (x: number, y: number, s: number) => [
  [at(x, y), at(x + s, y), at(x + s, y + s), at(x, y + s), at(x, y)],
];
const park = feature({ type: 'Polygon', coordinates: square(0, 0, 100) }, { name: '公园', kind: 'park' });

write('bom.geojson', `\uFEFF${json(fc([park]))}`);
write('truncated.geojson', json(fc([park])).slice(0, 60));
write('syntax-error.geojson', '{"type": "FeatureCollection",\n "features": [}');
write('infinity.geojson', json(fc([park])).replace(/104\.\d+/, '1e999'));
write('nan-literal.geojson', json(fc([park])).replace(/104\.\d+/, 'NaN'));
write('wrong-case-type.geojson', json({ type: 'Featurecollection', features: [] }));
write('null-geometry.geojson', json(fc([park, feature(null, { name: 'no geometry' })])));
write('empty-coordinates.geojson', json(fc([park, feature({ type: 'Polygon', coordinates: [] })])));
write(
  'point-among-parks.geojson',
  json(fc([park, feature({ type: 'Point', coordinates: at(5, 5) }, { name: 'gate' })])),
);
write(
  'all-points.geojson',
  json(fc([feature({ type: 'Point', coordinates: at(5, 5) }), feature({ type: 'Point', coordinates: at(9, 9) })])),
);
write(
  'unclosed-ring.geojson',
  json(fc([feature({ type: 'Polygon', coordinates: [square(0, 0, 100)[0].slice(0, 4)] }, { kind: 'park' })])),
);
write(
  'bowtie.geojson',
  json(fc([feature({ type: 'Polygon', coordinates: [[at(0, 0), at(100, 100), at(100, 0), at(0, 100), at(0, 0)]] })])),
);
write('clockwise.geojson', json(fc([feature({ type: 'Polygon', coordinates: [square(0, 0, 100)[0].reverse()] })])));
write(
  '3d.geojson',
  json(fc([feature({ type: 'Polygon', coordinates: [square(0, 0, 100)[0].map((p) => [...p, 512.5])] })])),
);
write(
  'proto-key.geojson',
  '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"name":"x"},"geometry":' +
    json(park.geometry) +
    '}]}',
);
write('html-name.geojson', json(fc([{ ...park, properties: { name: '<img src=x onerror=alert(1)>', kind: 'park' } }])));
const gk = proj4('EPSG:4326', '+proj=tmerc +lat_0=0 +lon_0=105 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs');
const gkSquare = square(0, 0, 100)[0].map((p) => gk.forward(p));
write('projected-no-crs.geojson', json(fc([feature({ type: 'Polygon', coordinates: [gkSquare] })])));
write(
  'crs-member-4544.geojson',
  json(
    fc([feature({ type: 'Polygon', coordinates: [gkSquare] }, { kind: 'park' })], {
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4544' } },
    }),
  ),
);
write(
  'crs-xian-1980.geojson',
  json(fc([park], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2383' } } })),
);
write(
  'swapped.geojson',
  json(fc([feature({ type: 'Polygon', coordinates: [square(0, 0, 100)[0].map(([x, y]) => [y, x])] })])),
);
write(
  'ndjson.geojsonl',
  `${json(park)}\n${json(feature({ type: 'Polygon', coordinates: square(300, 0, 50) }, { name: '小游园', kind: '小游园' }))}\n`,
);
write(
  'geometry-collection.geojson',
  json(
    fc([
      feature({
        type: 'GeometryCollection',
        geometries: [
          { type: 'Point', coordinates: at(1, 1) },
          { type: 'Polygon', coordinates: square(0, 0, 100) },
        ],
      }),
    ]),
  ),
);
write(
  'degenerate-ring.geojson',
  json(fc([park, feature({ type: 'Polygon', coordinates: [[at(0, 0), at(10, 0), at(0, 0)]] })])),
);
write('lines-as-greenspaces.geojson', json(chengduLayers().greenways));
write(
  'osm-overpass.geojson',
  json(
    fc([
      feature(
        { type: 'Polygon', coordinates: square(0, 0, 200) },
        { '@id': 'way/1', leisure: 'park', name: '望江楼公园' },
      ),
      feature(
        { type: 'Polygon', coordinates: square(300, 0, 40) },
        { '@id': 'way/2', leisure: 'park', name: '猛追湾小游园' },
      ),
      feature({ type: 'Polygon', coordinates: square(400, 0, 40) }, { '@id': 'way/3', leisure: 'playground' }),
      feature({ type: 'Polygon', coordinates: square(500, 0, 40) }, { '@id': 'way/4', landuse: 'grass' }),
      feature({ type: 'Point', coordinates: at(1, 1) }, { '@id': 'node/5', barrier: 'gate' }),
      feature({ type: 'Polygon', coordinates: square(600, 0, 40) }, { '@id': 'way/6', amenity: 'parking' }),
      feature(
        { type: 'Polygon', coordinates: square(700, 0, 40) },
        { '@id': 'way/7', leisure: 'garden', access: 'private' },
      ),
    ]),
  ),
);
write(
  'osm-osmtogeojson.geojson',
  json(
    fc([
      feature(
        { type: 'Polygon', coordinates: square(0, 0, 200) },
        { type: 'way', id: 8, tags: { leisure: 'garden', name: '园' } },
      ),
      feature({ type: 'Point', coordinates: at(1, 1) }, { type: 'node', id: 9, tags: { entrance: 'yes' } }),
    ]),
  ),
);
write('unsupported.kml', '<kml xmlns="http://www.opengis.net/kml/2.2"/>');
write('bare.shp', new Uint8Array(100));
write('empty.fgb', new Uint8Array(0));
write('magic-only.fgb', new Uint8Array([0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x00]));
const fgb = writeFlatGeobuf(chengduLayers().greenspaces, { spatialIndex: false });
write('truncated.fgb', fgb.subarray(0, fgb.length - 40));
write('parks.fgb', fgb);
write(
  'points.csv',
  '名称,lon,lat,capacity\r\n"A, north",104.07,30.66,12\r\nB,not-a-number,30.67,3\r\n=HYPERLINK(),104.08,30.67,007\r\n',
);
write('no-coordinates.csv', 'name,easting,northing\r\nA,1,2\r\n');
write('empty.csv', '');
// Files that are not what their names say (issue 13): said by what they hold.
const noise = new Uint8Array(512).map((_, i) => (i * 2654435761) >>> 24);
write('random-bytes.geojson', noise);
write('zeros.geojson', new Uint8Array(4096));
write('json-array.geojson', json([park]));
write(
  'html-page.geojson',
  '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n',
);
write('random-bytes.fgb', noise);
write(
  'deep-nesting.geojson',
  json(fc([{ ...park, properties: { kind: 'park', tags: JSON.parse(`${'{"a":'.repeat(150)}1${'}'.repeat(150)}`) } }])),
);
write('null-only.geojson', json(fc([feature(null, { kind: 'park' })])));
write(
  'null-and-point.geojson',
  json(fc([feature(null, { kind: 'park' }), feature({ type: 'Point', coordinates: at(5, 5) }, { kind: 'park' })])),
);

// Shapefiles (need ogr2ogr and zip).
const work = mkdtempSync(join(tmpdir(), 'greenreach-corpus-'));
const parks = join(work, 'parks.geojson');
writeFileSync(parks, json(chengduLayers().greenspaces));
const shapefile = (
  name: string,
  args: string[],
  files = ['shp', 'shx', 'dbf', 'prj', 'cpg'],
  remove: string[] = [],
) => {
  const dir = join(work, name);
  execFileSync('mkdir', ['-p', dir]);
  execFileSync('ogr2ogr', [...args, join(dir, 'parks.shp'), parks]);
  for (const ext of remove) rmSync(join(dir, `parks.${ext}`), { force: true });
  const present = files.filter((ext) => !remove.includes(ext)).map((ext) => `parks.${ext}`);
  execFileSync('zip', ['-q', '-X', join(here, `${name}.zip`), ...present], { cwd: dir });
};
for (const name of ['shp-4544-utf8', 'shp-wgs84-cp936', 'shp-gbk-no-cpg', 'shp-no-prj', 'shp-wgs84']) {
  rmSync(join(here, `${name}.zip`), { force: true });
}
shapefile('shp-4544-utf8', ['-t_srs', 'EPSG:4544', '-lco', 'ENCODING=UTF-8']);
shapefile('shp-wgs84-cp936', ['-lco', 'ENCODING=CP936']);
shapefile('shp-gbk-no-cpg', ['-lco', 'ENCODING=CP936'], undefined, ['cpg']);
shapefile('shp-no-prj', ['-lco', 'ENCODING=UTF-8'], undefined, ['prj']);
shapefile('shp-wgs84', ['-lco', 'ENCODING=UTF-8']);
// Two layers in one zip; a zip without .shp; a cut zip.
rmSync(join(here, 'two-layers.zip'), { force: true });
execFileSync('cp', [join(work, 'shp-wgs84/parks.shp'), join(work, 'shp-wgs84/other.shp')]);
execFileSync('zip', ['-q', '-X', join(here, 'two-layers.zip'), 'parks.shp', 'other.shp'], {
  cwd: join(work, 'shp-wgs84'),
});
rmSync(join(here, 'no-shp.zip'), { force: true });
execFileSync('zip', ['-q', '-X', join(here, 'no-shp.zip'), 'parks.dbf'], { cwd: join(work, 'shp-wgs84') });
const zipBytes = execFileSync('cat', [join(here, 'shp-wgs84.zip')]);
write('cut.zip', new Uint8Array(zipBytes.subarray(0, Math.floor(zipBytes.length / 2))));
rmSync(work, { recursive: true, force: true });
console.log('corpus written to', here);
// Excel on Chinese Windows saves CSV as GBK.
execFileSync('python3', [
  '-c',
  `open(${JSON.stringify(join(here, 'points-gbk.csv'))},'wb').write('名称,经度,纬度\\r\\n东郊记忆,104.1234,30.6712\\r\\n'.encode('gbk'))`,
]);
