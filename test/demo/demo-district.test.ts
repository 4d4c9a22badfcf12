import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { area, bbox, booleanPointInPolygon, booleanWithin, featureCollection, intersect, point } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoDistrict, demoLayers, generateDistrict, mulberry32 } from '../../scripts/demo-district';
import { buildDemoFiles, defaultDemoDirectory, demoCoverageFigures } from '../../scripts/generate-demo';
import { normalizeKind } from '../../src/coverage';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';

const root = join(import.meta.dirname, '..', '..');

let built: ReturnType<typeof buildDemoFiles>;
let demo: DemoDistrict;

beforeAll(() => {
  built = buildDemoFiles();
  demo = built.district;
}, 120_000);

function boxesOverlap(a: number[], b: number[]): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

describe('mulberry32', () => {
  it('is a deterministic stream in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBe(1000);
  });
});

describe('generateDistrict', () => {
  it('gives identical output for the same seed and different output for another seed', () => {
    const again = generateDistrict({ seed: 2017, scale: 1 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(demo));
    const other = generateDistrict({ seed: 7 });
    expect(JSON.stringify(other.communities)).not.toBe(JSON.stringify(demo.communities));
    expect(JSON.stringify(other.greenspaces)).not.toBe(JSON.stringify(demo.greenspaces));
  });

  it('has every layer, in WGS84 around Chenghua (30.66°N 104.10°E), about 110 km²', () => {
    for (const layer of demoLayers) expect(demo[layer].features.length, layer).toBeGreaterThan(0);
    const [west, south, east, north] = bbox(demo.district);
    expect(west).toBeGreaterThan(103.9);
    expect(east).toBeLessThan(104.3);
    expect(south).toBeGreaterThan(30.5);
    expect(north).toBeLessThan(30.8);
    const districtArea = area(demo.district) / 1e6;
    expect(districtArea).toBeGreaterThan(105);
    expect(districtArea).toBeLessThan(115);
  });

  it('has ~80 communities in 10–14 sub-districts, tiling the district without overlaps', () => {
    const communities = demo.communities.features;
    expect(communities.length).toBeGreaterThanOrEqual(70);
    expect(communities.length).toBeLessThanOrEqual(90);
    const subdistricts = new Set(communities.map((c) => c.properties.subdistrict));
    expect(subdistricts.size).toBeGreaterThanOrEqual(10);
    expect(subdistricts.size).toBeLessThanOrEqual(14);
    const districtArea = area(demo.district);
    const sum = communities.reduce((total, c) => total + area(c), 0);
    expect(Math.abs(sum - districtArea) / districtArea).toBeLessThan(0.02);
    const boxes = communities.map((c) => bbox(c));
    let overlap = 0;
    for (let a = 0; a < communities.length; a++) {
      for (let b = a + 1; b < communities.length; b++) {
        if (!boxesOverlap(boxes[a], boxes[b])) continue;
        const shared = intersect(featureCollection([communities[a], communities[b]]));
        if (shared) overlap += area(shared);
      }
    }
    expect(overlap / districtArea).toBeLessThan(0.001);
    // Inside the district: the intersection with it is (almost) the whole community.
    for (const community of communities) {
      const inside = intersect(featureCollection([community, demo.district.features[0] as Feature<Polygon>]));
      expect(inside ? area(inside) / area(community) : 0).toBeGreaterThan(0.999);
    }
  });

  it('names communities uniquely in Chinese and pinyin, with plausible populations', () => {
    const communities = demo.communities.features;
    const names = communities.map((c) => c.properties.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(communities.map((c) => c.properties.name_en)).size).toBe(names.length);
    for (const { properties } of communities) {
      expect(properties.name).toMatch(/^[\u4e00-\u9fff]{2,4}社区$/);
      expect(properties.name_en).toMatch(/^[A-Z][a-z]+$/);
      expect(properties.subdistrict).toMatch(/^[\u4e00-\u9fff]{2,4}街道$/);
      expect(properties.subdistrict_en).toMatch(/^[A-Z][a-z]+$/);
      expect(Number.isInteger(properties.population)).toBe(true);
      expect(properties.population).toBeGreaterThanOrEqual(5000);
      expect(properties.population).toBeLessThanOrEqual(25000);
    }
  });

  it('keeps residential blocks inside the district, with unique ids and names', () => {
    const district = demo.district.features[0] as Feature<Polygon>;
    const ids = new Set<number>();
    const names = new Set<string>();
    for (const block of demo.residential.features) {
      expect(block.properties.name).toBe(`小区 ${block.properties.id}`);
      ids.add(block.properties.id);
      names.add(block.properties.name);
      expect(Object.keys(block.properties).sort()).toEqual(['id', 'name']);
      const outside = block.geometry.coordinates[0].some((p) => !booleanPointInPolygon(point(p), district));
      if (outside) {
        // On the edge (clipped blocks share the outline, up to the 1 cm rounding): check the area.
        const inside = intersect(featureCollection([block, district]));
        expect(inside ? area(inside) / area(block) : 0).toBeGreaterThan(0.999);
      }
    }
    expect(ids.size).toBe(demo.residential.features.length);
    expect(names.size).toBe(demo.residential.features.length);
    const residentialShare = demo.residential.features.reduce((sum, b) => sum + area(b), 0) / area(district);
    expect(residentialShare).toBeGreaterThan(0.45);
    expect(residentialShare).toBeLessThan(0.75);
  });

  it('has green spaces of valid kinds and sizes, uniquely named', () => {
    const features = demo.greenspaces.features;
    const names = features.map((f) => f.properties.name);
    expect(new Set(names).size).toBe(names.length);
    const byKind: Record<string, number[]> = { park: [], pocket_park: [], micro_green: [] };
    for (const feature of features) {
      expect(['park', 'pocket_park', 'micro_green']).toContain(feature.properties.kind);
      expect(normalizeKind(feature.properties.kind)).toBe(feature.properties.kind);
      expect(feature.properties.name_en.length).toBeGreaterThan(0);
      byKind[feature.properties.kind].push(area(feature));
    }
    expect(byKind.park.length).toBeGreaterThanOrEqual(3);
    expect(byKind.park.length).toBeLessThanOrEqual(10);
    for (const a of byKind.park) {
      expect(a).toBeGreaterThanOrEqual(5e4);
      expect(a).toBeLessThanOrEqual(60e4);
    }
    expect(byKind.pocket_park.length).toBeGreaterThanOrEqual(20);
    for (const a of byKind.pocket_park) {
      expect(a).toBeGreaterThanOrEqual(1000);
      expect(a).toBeLessThanOrEqual(8000);
    }
    expect(byKind.micro_green.length).toBeGreaterThanOrEqual(20);
    for (const a of byKind.micro_green) {
      expect(a).toBeGreaterThanOrEqual(100);
      expect(a).toBeLessThanOrEqual(900);
    }
    expect(byKind.micro_green.filter((a) => a < 400).length).toBeGreaterThanOrEqual(5);
  });

  it('has the Sha River, its greenway and community greenways, and a street network', () => {
    expect(demo.river.features[0].properties).toEqual({ name: '沙河', name_en: 'Sha River' });
    const greenways = demo.greenways.features;
    expect(greenways.every((g) => g.properties.kind === 'greenway' && g.geometry.type === 'LineString')).toBe(true);
    expect(greenways.some((g) => g.properties.name.startsWith('沙河绿道'))).toBe(true);
    expect(greenways.length).toBeGreaterThanOrEqual(5);
    expect(new Set(greenways.map((g) => g.properties.name)).size).toBe(greenways.length);
    const classes = new Set(demo.streets.features.map((s) => s.properties.class));
    expect([...classes].sort()).toEqual(['arterial', 'local']);
  });

  it('has building footprints with storeys, each inside one compound and clear of green space', () => {
    const buildings = demo.buildings.features;
    expect(buildings.length).toBeGreaterThan(4000);
    expect(buildings.length).toBeLessThan(9000);
    const compounds = demo.residential.features.map((f) => ({ feature: f, box: bbox(f) }));
    const greens = demo.greenspaces.features.map((f) => ({ feature: f, box: bbox(f) }));
    for (const building of buildings) {
      expect(building.properties.building).toBe('apartments');
      const levels = building.properties['building:levels'];
      expect(Number.isInteger(levels) && levels >= 6 && levels <= 33).toBe(true);
      const box = bbox(building);
      const home = compounds.filter((c) => boxesOverlap(c.box, box) && booleanWithin(building, c.feature));
      expect(home.length).toBe(1);
      for (const green of greens) {
        if (boxesOverlap(green.box, box))
          expect(intersect(featureCollection<Polygon>([building, green.feature]))).toBeNull();
      }
    }
  });

  it('meets the Chengdu rules unevenly: 55–80% city-wide, with real gaps', () => {
    const figures = demoCoverageFigures(demo, 50);
    expect(figures.both).toBeGreaterThan(0.55);
    expect(figures.both).toBeLessThan(0.8);
    expect(figures.communitiesBelowHalf).toBeGreaterThanOrEqual(3);
    expect(figures.communities.filter((c) => c.both < 0.1).length).toBeGreaterThanOrEqual(2);
    expect(figures.communities.filter((c) => c.both > 0.9).length).toBeGreaterThanOrEqual(3);
    expect(figures.microGreensBelow400).toBeGreaterThan(0);
  });

  it('scales feature counts with the area', () => {
    const small = generateDistrict({ scale: 0.25 });
    expect(area(small.district) / 1e6).toBeCloseTo(27.5, 0);
    expect(small.communities.features.length).toBeGreaterThanOrEqual(15);
    expect(small.communities.features.length).toBeLessThanOrEqual(25);
    expect(small.residential.features.length).toBeLessThan(demo.residential.features.length / 2);
  });
});

describe('committed data/demo', () => {
  it('equals what the generator writes for the default seed and scale (run `tsx scripts/generate-demo.ts` after a change)', () => {
    for (const [file, bytes] of built.files) {
      const committed = new Uint8Array(readFileSync(join(root, defaultDemoDirectory, file)));
      expect(committed.length, file).toBe(bytes.length);
      expect(Buffer.compare(Buffer.from(committed), Buffer.from(bytes)), `${file} differs`).toBe(0);
    }
    expect(built.manifest.synthetic).toBe(true);
    const total = [...built.files.values()].reduce((sum, bytes) => sum + bytes.length, 0);
    // The app downloads all of it (buildings are 1.3 MiB of it): keep the demo small.
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });

  it('reads back as the generated layers', () => {
    for (const layer of demoLayers) {
      const collection = readFlatGeobuf(built.files.get(`${layer}.fgb`)!, `${layer}.fgb`);
      expect(collection.features.length, layer).toBe(demo[layer].features.length);
    }
    const communities = readFlatGeobuf(built.files.get('communities.fgb')!, 'communities.fgb');
    const names = communities.features.map((f) => f.properties?.name).sort();
    expect(names).toEqual(demo.communities.features.map((f) => f.properties.name).sort());
  });
});
