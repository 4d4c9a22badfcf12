import gcoord from 'gcoord';
import type { FeatureCollection } from 'geojson';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { buildCoverage, presetRules, snapshotCoverage } from '../../src/coverage';
import {
  coordinateShape,
  crsFromGeoJsonMember,
  crsFromWkt,
  knownCrs,
  mapPositions,
  parseCrsCode,
} from '../../src/io/coordinates';
import { readLayerFile } from '../../src/io/read-layer';
import { chengduLayers } from './chengdu-layers';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function transformed(collection: FeatureCollection, map: (p: number[]) => number[]): FeatureCollection {
  const copy = structuredClone(collection);
  for (const feature of copy.features) if (feature.geometry) mapPositions(feature.geometry, (p) => map(p));
  return copy;
}

type Layers = ReturnType<typeof chengduLayers>;

async function coverageOf(layers: Layers, options: { crs?: string; gcj02?: boolean; member?: unknown }) {
  const read: Partial<Layers> = {};
  for (const role of ['communities', 'greenways', 'greenspaces'] as const) {
    const value = options.member ? { ...layers[role], crs: options.member } : layers[role];
    const result = await readLayerFile(encode(value), `${role}.geojson`, {
      role,
      crs: options.crs,
      gcj02: options.gcj02,
    });
    read[role] = result.collection;
  }
  return snapshotCoverage(buildCoverage(read as Layers, presetRules('chengdu'), 20));
}

async function expectSameCoverage(layers: Layers, options: { crs?: string; gcj02?: boolean; member?: unknown }) {
  const base = await coverageOf(chengduLayers(), {});
  const other = await coverageOf(layers, options);
  expect(other.cellIndex.length).toBe(base.cellIndex.length);
  expect(Array.from(other.cellIndex)).toEqual(Array.from(base.cellIndex));
  let worst = 0;
  for (let k = 0; k < base.cellIndex.length; k++) {
    for (const [a, b] of [
      [base.greenMeters![k], other.greenMeters![k]],
      [base.parkMeters![k], other.parkMeters![k]],
    ]) {
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        // Beyond the reach in one run: the other must be at the edge of the reach too.
        expect(Number.isFinite(a) ? a : b).toBeGreaterThan(395);
        continue;
      }
      worst = Math.max(worst, Math.abs(a - b));
    }
  }
  expect(worst).toBeLessThan(2);
  return worst;
}

describe('coordinate systems', () => {
  it('EPSG code ranges: 3° Gauss-Kruger CM 105E is 4544 (Chengdu), zone-prefixed zone 35 is 4523, 6° zone 18 is 4496', () => {
    expect(knownCrs(4544)?.definition).toContain('+lon_0=105 ');
    expect(knownCrs(4547)?.definition).toContain('+lon_0=114 ');
    expect(knownCrs(4523)?.definition).toContain('+x_0=35500000');
    expect(knownCrs(4496)?.definition).toContain('+lon_0=105 +k=1 +x_0=18500000');
    expect(knownCrs(4507)?.definition).toContain('+lon_0=105 +k=1 +x_0=500000');
    expect(knownCrs(32648)?.definition).toContain('+zone=48');
    expect(knownCrs(4490)?.definition).toBeNull();
    expect(knownCrs(4555)).toBeNull();
  });

  it('reads codes, GeoJSON crs members and .prj WKT (OGC with AUTHORITY, ESRI names)', () => {
    expect(parseCrsCode('urn:ogc:def:crs:EPSG::4544', 'option').code).toBe('EPSG:4544');
    expect(parseCrsCode('epsg:32648', 'option').code).toBe('EPSG:32648');
    expect(parseCrsCode('urn:ogc:def:crs:OGC:1.3:CRS84', 'option').code).toBe('EPSG:4326');
    expect(() => parseCrsCode('EPSG:2383', 'option')).toThrow(/Xian 1980|Beijing 1954/);
    expect(() => parseCrsCode('EPSG:9999', 'option')).toThrow(/not one of the systems/);
    expect(crsFromGeoJsonMember({ type: 'name', properties: { name: 'EPSG:3857' } })?.code).toBe('EPSG:3857');
    const esri =
      'PROJCS["CGCS2000_3_Degree_GK_CM_105E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    expect(crsFromWkt(esri, 'prj').code).toBe('EPSG:4544');
    expect(crsFromWkt('PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984"]]', 'prj').code).toBe('EPSG:32648');
    expect(crsFromWkt('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"]]', 'prj').code).toBe('EPSG:4326');
    const ogc = `PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 35",GEOGCS["China Geodetic Coordinate System 2000",AUTHORITY["EPSG","4490"]],AUTHORITY["EPSG","4523"]]`;
    expect(crsFromWkt(ogc, 'prj').code).toBe('EPSG:4523');
    expect(() => crsFromWkt('hello', 'prj')).toThrow(/not a WKT/);
  });

  it('tells longitude/latitude, swapped axes and projected numbers apart, with likely codes', () => {
    expect(coordinateShape([104, 30, 104.1, 30.1]).kind).toBe('lonlat');
    expect(coordinateShape([30, 104, 30.1, 104.1]).kind).toBe('swapped');
    expect(coordinateShape([35_400_000, 3_390_000, 35_410_000, 3_400_000])).toEqual({
      kind: 'projected',
      candidates: ['EPSG:4523'],
    });
    const gk = coordinateShape([400_000, 3_390_000, 410_000, 3_400_000]);
    expect(gk.kind === 'projected' && gk.candidates.join()).toMatch(/4544.*32648/);
    const mercator = coordinateShape([11_585_000, 3_590_000, 11_590_000, 3_600_000]);
    expect(mercator.kind === 'projected' && mercator.candidates).toContain('EPSG:3857');
  });

  for (const code of ['EPSG:4544', 'EPSG:4523', 'EPSG:4496', 'EPSG:32648', 'EPSG:3857']) {
    it(`a layer in ${code} gives the same cells and distances (within 2 m) as in WGS84`, async () => {
      const definition = knownCrs(Number(code.slice(5)))!.definition!;
      const forward = proj4('EPSG:4326', definition);
      const layers = chengduLayers();
      const projected = {
        communities: transformed(layers.communities, (p) => forward.forward(p)),
        greenways: transformed(layers.greenways, (p) => forward.forward(p)),
        greenspaces: transformed(layers.greenspaces, (p) => forward.forward(p)),
      };
      await expectSameCoverage(projected, { crs: code });
      // The same, told by a GeoJSON 2008 crs member instead of the option.
      await expectSameCoverage(projected, {
        member: { type: 'name', properties: { name: `urn:ogc:def:crs:${code.replace(':', '::')}` } },
      });
    });
  }

  it('a layer in GCJ-02 (shifted by hundreds of metres) gives the same coverage within 2 m once converted', async () => {
    const layers = chengduLayers();
    const toGcj = (p: number[]) => gcoord.transform([p[0], p[1]] as [number, number], gcoord.WGS84, gcoord.GCJ02);
    const shifted = {
      communities: transformed(layers.communities, toGcj),
      greenways: transformed(layers.greenways, toGcj),
      greenspaces: transformed(layers.greenspaces, toGcj),
    };
    const [x0, y0] =
      layers.communities.features[0].geometry.type === 'Polygon'
        ? layers.communities.features[0].geometry.coordinates[0][0]
        : [0, 0];
    const [x1, y1] = toGcj([x0, y0]);
    const offsetMeters = Math.hypot((x1 - x0) * 95_800, (y1 - y0) * 110_900);
    expect(offsetMeters).toBeGreaterThan(200);
    await expectSameCoverage(shifted, { gcj02: true });
  });

  it('projected numbers without a system are refused, naming the feature and the likely system', async () => {
    const forward = proj4('EPSG:4326', knownCrs(4523)!.definition!);
    const projected = transformed(chengduLayers().greenspaces, (p) => forward.forward(p));
    await expect(readLayerFile(encode(projected), 'parks.geojson', { role: 'greenspaces' })).rejects.toThrow(
      /^parks\.geojson: feature 0: coordinate \[35\d+\.\d*, 33\d+.*not longitude\/latitude.*likely EPSG:4523/,
    );
  });

  it('swapped latitude/longitude is fixed with a warning', async () => {
    const swapped = transformed(chengduLayers().greenspaces, (p) => [p[1], p[0]]);
    const result = await readLayerFile(encode(swapped), 'parks.geojson', { role: 'greenspaces' });
    expect(result.warnings.join('\n')).toMatch(/swapped/);
    const first = result.collection.features[0].geometry;
    expect(first.type === 'Polygon' && first.coordinates[0][0][0]).toBeCloseTo(104.08, 1);
  });
});
