import {
  bbox,
  booleanIntersects,
  booleanPointInPolygon,
  length,
  lineIntersect,
  point,
  pointToLineDistance,
} from '@turf/turf';
import type { Feature, LineString, Polygon, Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BarrierProperties,
  type DemoDistrict,
  type DemoDistrictOptions,
  generateDistrict,
} from '../../scripts/demo-district';
import { buildCoverage, columnCenterLongitude, presetRules, rowCenterLatitude } from '../../src/coverage';

const key = (p: Position) => `${p[0]},${p[1]}`;

/** The default demo, another seed, and a larger scale (several railways). */
const cases: { label: string; options: DemoDistrictOptions; cellMeters: number }[] = [
  { label: 'seed 2017, scale 1 (data/demo)', options: {}, cellMeters: 25 },
  { label: 'seed 7', options: { seed: 7 }, cellMeters: 50 },
  { label: 'scale 2.5', options: { scale: 2.5 }, cellMeters: 50 },
];

describe.each(cases)('$label', ({ options, cellMeters }) => {
  let demo: DemoDistrict;
  let water: Feature<Polygon, BarrierProperties>[];
  let railways: Feature<LineString, BarrierProperties>[];
  let streets: DemoDistrict['streets']['features'];
  const scale = options.scale ?? 1;

  beforeAll(() => {
    demo = generateDistrict(options);
    water = demo.barriers.features.filter(
      (f): f is Feature<Polygon, BarrierProperties> =>
        f.properties.natural === 'water' && f.geometry.type === 'Polygon',
    );
    railways = demo.barriers.features.filter(
      (f): f is Feature<LineString, BarrierProperties> => f.properties.railway === 'rail',
    );
    streets = demo.streets.features;
    crossesWater = meets(water);
    crossesRailway = meets(railways);
  }, 120_000);

  // Bounding boxes first: turf's booleanIntersects on the long river ring is slow.
  const meets = (barriers: Feature<LineString | Polygon>[]) => {
    const boxes = new Map<Feature, number[]>();
    return (f: Feature<LineString | Polygon>) => {
      const box = bbox(f);
      return barriers.some((b) => {
        if (!boxes.has(b)) boxes.set(b, bbox(b));
        const other = boxes.get(b)!;
        return (
          box[0] <= other[2] &&
          other[0] <= box[2] &&
          box[1] <= other[3] &&
          other[1] <= box[3] &&
          booleanIntersects(f, b)
        );
      });
    };
  };
  let crossesWater: (f: Feature<LineString | Polygon>) => boolean;
  let crossesRailway: (f: Feature<LineString | Polygon>) => boolean;

  describe('demo barriers', () => {
    it('has the Sha River as water and at least one railway, both synthetic-named', () => {
      expect(water.length).toBeGreaterThanOrEqual(1);
      expect(water[0].properties).toMatchObject({ name: '沙河', name_en: 'Sha River', waterway: 'river' });
      const centreline = demo.barriers.features.filter(
        (f) => f.geometry.type === 'LineString' && f.properties.waterway,
      );
      expect(centreline.map((f) => f.properties.name)).toEqual(['沙河']);
      expect(railways.length).toBeGreaterThanOrEqual(1);
      for (const r of railways) expect(r.properties?.name).toMatch(/铁路$/);
      // A railway never meets the river: it keeps 600 m away.
      for (const r of railways) expect(crossesWater(r)).toBe(false);
    });

    it('keeps homes and green space out of the river and off the railway', () => {
      for (const feature of [...demo.residential.features, ...demo.greenspaces.features]) {
        expect(crossesWater(feature), feature.properties.name).toBe(false);
        expect(crossesRailway(feature), feature.properties.name).toBe(false);
      }
    });

    it('has no residential cell centre in the river', () => {
      const model = buildCoverage(
        {
          communities: demo.communities,
          residential: demo.residential,
          greenways: demo.greenways,
          greenspaces: demo.greenspaces,
        },
        presetRules('chengdu'),
        cellMeters,
      );
      expect(model.residentialCells.length).toBeGreaterThan(20_000 * scale);
      let inRiver = 0;
      for (const index of model.residentialCells) {
        const column = index % model.grid.columns;
        const row = (index - column) / model.grid.columns;
        const centre = point([columnCenterLongitude(model.grid, column), rowCenterLatitude(model.grid, row)]);
        if (water.some((w) => booleanPointInPolygon(centre, w))) inRiver++;
      }
      expect(inRiver).toBe(0);
    });
  });

  describe('demo street network', () => {
    it('tags every street with an OSM highway class and keeps the map classes', () => {
      const highways = new Set(streets.map((s) => s.properties.highway));
      expect([...highways].sort()).toEqual(['primary', 'residential', 'secondary']);
      for (const s of streets) {
        expect(s.properties.class).toBe(s.properties.highway === 'residential' ? 'local' : 'arterial');
        if (s.properties.bridge) expect(s.properties).toMatchObject({ bridge: 'yes', layer: 1 });
        if (s.properties.tunnel) expect(s.properties).toMatchObject({ tunnel: 'yes', layer: -1 });
      }
    });

    it('is one connected network (lines joined at shared vertices)', () => {
      const parent = streets.map((_, k) => k);
      const find = (k: number): number => {
        while (parent[k] !== k) k = parent[k];
        return k;
      };
      const firstAt = new Map<string, number>();
      streets.forEach((s, k) => {
        for (const p of s.geometry.coordinates) {
          const seen = firstAt.get(key(p));
          if (seen === undefined) firstAt.set(key(p), k);
          else parent[find(k)] = find(seen);
        }
      });
      const lengths = new Map<number, number>();
      streets.forEach((s, k) => {
        lengths.set(find(k), (lengths.get(find(k)) ?? 0) + length(s));
      });
      const total = [...lengths.values()].reduce((a, b) => a + b, 0);
      const [largest] = [...lengths.entries()].sort((a, b) => b[1] - a[1]);
      expect(largest[1] / total).toBeGreaterThan(0.99);
      // Every crossing joins the big component.
      streets.forEach((s, k) => {
        if (s.properties.bridge || s.properties.tunnel) expect(find(k), s.properties.name).toBe(largest[0]);
      });
    });

    it('crosses the river only on a few bridges, each sharing its ends with the streets on both banks', () => {
      const vertexCount = new Map<string, number>();
      for (const s of streets)
        for (const p of s.geometry.coordinates) vertexCount.set(key(p), (vertexCount.get(key(p)) ?? 0) + 1);
      let bridges = 0;
      for (const s of streets) {
        if (!crossesWater(s)) continue;
        expect(s.properties.bridge, `${s.properties.name} crosses the river`).toBe('yes');
        expect(s.geometry.coordinates.length).toBe(2);
        for (const end of s.geometry.coordinates) expect(vertexCount.get(key(end))).toBeGreaterThanOrEqual(2);
        bridges++;
      }
      expect(bridges).toBeGreaterThanOrEqual(3);
      expect(bridges).toBeLessThanOrEqual(14 * Math.sqrt(scale));
    });

    it('crosses a railway only by overpasses and underpasses, which share no vertex with the track', () => {
      const track = new Set(railways.flatMap((r) => r.geometry.coordinates.map(key)));
      let crossings = 0;
      for (const s of streets) {
        if (!crossesRailway(s)) continue;
        expect(
          s.properties.bridge === 'yes' || s.properties.tunnel === 'yes',
          `${s.properties.name} crosses a railway`,
        ).toBe(true);
        for (const p of s.geometry.coordinates) expect(track.has(key(p))).toBe(false);
        crossings++;
      }
      expect(crossings).toBeGreaterThanOrEqual(2);
      expect(crossings).toBeLessThanOrEqual(12 * scale);
    });

    // On the committed demo every greenway crossing has a street crossing beside it (the generator forces
    // one); on other seeds a community greenway can cross where its street cannot (the street runs along
    // the river there), so the greenway's own line is the only way across.
    it.runIf(options.seed === undefined && scale === 1)(
      'lets a greenway cross the river or a railway only beside a street crossing',
      () => {
        const crossings = streets.filter((s) => s.properties.bridge || s.properties.tunnel);
        let checked = 0;
        for (const g of demo.greenways.features) {
          for (const barrier of [...water, ...railways] as Feature<LineString | Polygon>[]) {
            for (const where of lineIntersect(g, barrier).features) {
              const nearest = Math.min(...crossings.map((c) => pointToLineDistance(where, c, { units: 'meters' })));
              expect(nearest, g.properties.name).toBeLessThan(100);
              checked++;
            }
          }
        }
        expect(checked).toBeGreaterThan(0);
      },
    );

    it('gives every green space an entrance on its boundary, and parks gates', () => {
      const byName = new Map(demo.greenspaces.features.map((g) => [g.properties.name, g]));
      const gates = new Map<string, number>();
      for (const e of demo.entrances.features) {
        const green = byName.get(e.properties.greenspace)!;
        expect(green, e.properties.name).toBeDefined();
        expect(green.geometry.coordinates[0].some((p) => key(p) === key(e.geometry.coordinates))).toBe(true);
        gates.set(green.properties.name, (gates.get(green.properties.name) ?? 0) + 1);
        if (green.properties.kind === 'park') expect(e.properties.barrier).toBe('gate');
      }
      expect(gates.size).toBe(demo.greenspaces.features.length);
      for (const g of demo.greenspaces.features) {
        const count = gates.get(g.properties.name)!;
        if (g.properties.kind === 'park') expect(count).toBeGreaterThanOrEqual(1);
        else expect(count).toBe(1);
      }
    });
  });
});
