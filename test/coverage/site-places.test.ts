import fc from 'fast-check';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  buildCoverage,
  columnCenterLongitude,
  metersPerDegreeLatitude,
  metersPerDegreeLongitude,
  presetRules,
  rowCenterLatitude,
} from '../../src/coverage';
import { residentialSlots, siteHomes } from '../../src/coverage/site-homes';
import { placeName, SitePlaces } from '../../src/coverage/site-places';
import { placeSites, suggestionCollection, suggestSites } from '../../src/coverage/suggest';
import { at, collection, ky, latitude, longitude, rectangle } from './local-frame';

// Where a suggested site is (its community, the nearest named street) and the homes it sits on: a
// hand-made fixture with hand-computed figures, and brute-force oracles over every cell and segment.

const area = (coordinates: Position[][], properties: Record<string, unknown> = {}): Feature<Polygon> => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Polygon', coordinates },
});
const street = (points: [number, number][], properties: Record<string, unknown>): Feature => ({
  type: 'Feature',
  properties,
  geometry: { type: 'LineString', coordinates: points.map(([x, y]) => at(x, y)) },
});
const rules = presetRules('chengdu');

// Two 1 km communities side by side, named with different keys (name/name_en and OSM's name:zh/name:en).
const communities = collection([
  area([rectangle(0, 0, 1000, 1000)], { name: '猛追湾街道', name_en: 'Mengzhuiwan' }),
  area([rectangle(1000, 0, 1000, 1000)], { 'name:zh': '双桥子街道', 'name:en': 'Shuangqiaozi' }),
]);
// 建设路 runs east–west at y = 600 m; 二环路 north–south at x = 600 m; an unnamed lane at y = 500 m.
const streets = collection([
  street(
    [
      [0, 600],
      [2000, 600],
    ],
    { name: '建设路', name_en: 'Jianshe Road' },
  ),
  street(
    [
      [600, 0],
      [600, 1000],
    ],
    { name: null, tags: { highway: 'primary', name: '二环路', 'name:en': 'Second Ring Road' } },
  ),
  street(
    [
      [0, 500],
      [2000, 500],
    ],
    { highway: 'service' },
  ),
]);

describe('site places: community and nearest named street', () => {
  it('reads names from name / name:zh / name_en / name:en and from OSM tags', () => {
    expect(placeName({ name: '龙潭社区', name_en: 'Longtan' })).toEqual({ name: '龙潭社区', nameEnglish: 'Longtan' });
    expect(placeName({ 'name:zh': '双桥子', 'name:en': 'Shuangqiaozi' })).toEqual({
      name: '双桥子',
      nameEnglish: 'Shuangqiaozi',
    });
    expect(placeName({ name_en: 'Only English' })).toEqual({ name: '', nameEnglish: 'Only English' });
    expect(placeName({ tags: { name: 'Millard Street' } })).toEqual({ name: 'Millard Street', nameEnglish: null });
    expect(placeName({ name: '  ' })).toBeNull();
    expect(placeName(null)).toBeNull();
  });

  it('hand-checked: a site at x 410–540, y 410–490 m is in 猛追湾街道, 60 m from 二环路 (the unnamed lane 10 m off is not a name)', () => {
    const places = new SitePlaces(communities, streets);
    const place = places.placeOf(area([rectangle(410, 410, 130, 80)]));
    expect(place.community).toEqual({ name: '猛追湾街道', nameEnglish: 'Mengzhuiwan' });
    // 二环路 at x = 600 is 600 − 540 = 60 m from the site's east edge; 建设路 at y = 600 is 600 − 490 = 110 m.
    expect(place.street).toMatchObject({ name: '二环路', nameEnglish: 'Second Ring Road' });
    expect(place.street!.distanceMeters).toBeCloseTo(60, 1);
    // East of 二环路 the nearest is 建设路: a site at y 520–560 m, x 1200–1300 m is 40 m below it, in 双桥子街道.
    const east = places.placeOf(area([rectangle(1200, 520, 100, 40)]));
    expect(east.community).toEqual({ name: '双桥子街道', nameEnglish: 'Shuangqiaozi' });
    expect(east.street).toMatchObject({ name: '建设路', nameEnglish: 'Jianshe Road' });
    expect(east.street!.distanceMeters).toBeCloseTo(40, 1);
    // A street through the site is 0 m away; a site beyond the communities is in none.
    expect(places.placeOf(area([rectangle(580, 100, 40, 40)])).street).toMatchObject({
      name: '二环路',
      distanceMeters: 0,
    });
    expect(places.placeOf(area([rectangle(2100, 100, 40, 40)])).community).toBeNull();
    // Without a streets layer (or with only unnamed streets) there is no street, never a wrong one.
    expect(new SitePlaces(communities, null).placeOf(area([rectangle(410, 410, 130, 80)])).street).toBeNull();
    expect(
      new SitePlaces(communities, collection([streets.features[2]])).placeOf(area([rectangle(410, 410, 130, 80)]))
        .street,
    ).toBeNull();
  });

  it('the nearest street equals a scan of every segment (an independent site-to-segment distance)', () => {
    // A rectangle's distance to a segment: 0 if they meet, else the least of endpoint-to-rectangle and
    // corner-to-segment distances, in metres of the local frame.
    const pointRectangle = (x: number, y: number, r: number[]) =>
      Math.hypot(Math.max(r[0] - x, 0, x - r[2]), Math.max(r[1] - y, 0, y - r[3]));
    const pointSegment = (x: number, y: number, a: number[], b: number[]) => {
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy || 1)));
      return Math.hypot(x - a[0] - t * dx, y - a[1] - t * dy);
    };
    const crosses = (a: number[], b: number[], r: number[]) => {
      // Liang–Barsky clipping of the segment against the rectangle.
      let t0 = 0;
      let t1 = 1;
      const d = [b[0] - a[0], b[1] - a[1]];
      for (const [p, q] of [
        [-d[0], a[0] - r[0]],
        [d[0], r[2] - a[0]],
        [-d[1], a[1] - r[1]],
        [d[1], r[3] - a[1]],
      ]) {
        if (p === 0) {
          if (q < 0) return false;
        } else if (p < 0) t0 = Math.max(t0, q / p);
        else t1 = Math.min(t1, q / p);
      }
      return t0 <= t1;
    };
    const point = fc.tuple(
      fc.double({ min: -1500, max: 1500, noNaN: true }),
      fc.double({ min: -1500, max: 1500, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(point, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
        point,
        fc.tuple(fc.double({ min: 5, max: 300, noNaN: true }), fc.double({ min: 5, max: 300, noNaN: true })),
        (lines, [x, y], [w, h]) => {
          const layer = collection(lines.map((line, index) => street(line, { name: `街${index}` })));
          // The local frame of the site: metres per degree at its centroid's latitude.
          const siteLatitude = latitude + (y + h / 2) / ky;
          const sx = metersPerDegreeLongitude(siteLatitude);
          const sy = metersPerDegreeLatitude(siteLatitude);
          const frame = (position: Position) => [(position[0] - longitude) * sx, (position[1] - latitude) * sy];
          const ring = rectangle(x, y, w, h);
          const box = [...frame(ring[0]), ...frame(ring[2])];
          let best = Infinity;
          for (const feature of layer.features) {
            const positions = (feature.geometry as { coordinates: Position[] }).coordinates.map(frame);
            for (let i = 0; i + 1 < positions.length; i++) {
              const [a, b] = [positions[i], positions[i + 1]];
              const distance = crosses(a, b, box)
                ? 0
                : Math.min(
                    pointRectangle(a[0], a[1], box),
                    pointRectangle(b[0], b[1], box),
                    ...[
                      [box[0], box[1]],
                      [box[2], box[1]],
                      [box[2], box[3]],
                      [box[0], box[3]],
                    ].map(([cx, cy]) => pointSegment(cx, cy, a, b)),
                  );
              best = Math.min(best, distance);
            }
          }
          const found = new SitePlaces(communities, layer).placeOf(area([ring])).street!;
          expect(Math.abs(found.distanceMeters - best)).toBeLessThanOrEqual(0.05 + 1e-6);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('site homes: the residential cells a site sits on', () => {
  // Residential land is the western half of 猛追湾街道 (x < 500 m), 2,000 residents over its 200 cells of 50 m.
  const layers = {
    communities,
    residential: collection([area([rectangle(0, 0, 500, 1000)], { population: 2000 })]),
    greenways: collection([]),
    greenspaces: collection([]),
  };

  it('hand-checked: a parcel at x 410–540, y 410–490 m holds 6 cell centres, 4 of them residential (≈ 40 residents)', () => {
    const model = buildCoverage(layers, rules, 50);
    expect(model.residentialCells.length).toBe(200);
    // Cell centres at 25, 75, … m: x 425, 475 (residential) and 525 (not), y 425 and 475.
    const parcel = area([rectangle(410, 410, 130, 80)]);
    const result = suggestSites(model, 1, { candidates: collection([parcel]) });
    const [site] = result.sites;
    expect(site.residentialCellsOnSite).toBe(4);
    expect(site.residentsOnSite).toBeCloseTo(40, 5);
    expect(site.feature.properties).toMatchObject({ residential_cells_on_site: 4, residents_on_site: 40 });
    // Named: its properties and `place`, in the collection the CLI writes.
    const placed = placeSites(result, new SitePlaces(communities, streets));
    expect(placed.sites[0].place!.community!.name).toBe('猛追湾街道');
    expect(suggestionCollection(placed).features[0].properties).toMatchObject({
      community: '猛追湾街道',
      community_en: 'Mengzhuiwan',
      nearest_street: '二环路',
      nearest_street_en: 'Second Ring Road',
      nearest_street_m: 60,
      residential_cells_on_site: 4,
      residents_on_site: 40,
    });
    // A lattice site on non-residential land sits on no homes, said plainly as 0.
    const land = suggestSites(model, 3);
    expect(land.sites.length).toBeGreaterThan(0);
    for (const other of land.sites) {
      expect(other.residentialCellsOnSite).toBe(0);
      expect(other.residentsOnSite).toBe(0);
    }
    // Without population, the cells are still counted and the residents are unknown.
    const unpeopled = buildCoverage(
      { ...layers, residential: collection([area([rectangle(0, 0, 500, 1000)])]) },
      rules,
      50,
    );
    const counted = suggestSites(unpeopled, 1, { candidates: collection([parcel]) }).sites[0];
    expect(counted.residentialCellsOnSite).toBe(4);
    expect(counted.residentsOnSite).toBeNull();
  });

  it('equals a brute-force count over every cell of the grid (random residential land, sites and cell sizes)', () => {
    const polygonAround = fc
      .record({
        x: fc.double({ min: 0, max: 1500, noNaN: true }),
        y: fc.double({ min: 0, max: 900, noNaN: true }),
        radii: fc.array(fc.double({ min: 10, max: 250, noNaN: true }), { minLength: 3, maxLength: 9 }),
      })
      .map(({ x, y, radii }) => {
        // A star-shaped ring: vertices at evenly spaced angles, random radii.
        const ring = radii.map((radius, i) => {
          const angle = (2 * Math.PI * i) / radii.length;
          return at(x + radius * Math.cos(angle), y + radius * Math.sin(angle));
        });
        return [...ring, ring[0]];
      });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            x: fc.double({ min: 0, max: 1800, noNaN: true }),
            y: fc.double({ min: 0, max: 900, noNaN: true }),
            w: fc.double({ min: 20, max: 600, noNaN: true }),
            h: fc.double({ min: 20, max: 600, noNaN: true }),
            population: fc.integer({ min: 0, max: 5000 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.array(polygonAround, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 20, max: 80 }),
        (blocks, parts, cellMeters) => {
          const model = buildCoverage(
            {
              ...layers,
              residential: collection(
                blocks.map(({ x, y, w, h, population }) => area([rectangle(x, y, w, h)], { population })),
              ),
            },
            rules,
            cellMeters,
          );
          const site: Feature<MultiPolygon> = {
            type: 'Feature',
            properties: {},
            geometry: { type: 'MultiPolygon', coordinates: parts.map((ring) => [ring]) },
          };
          const polygons = site.geometry.coordinates.map((rings) =>
            rings.map((ring) => Float64Array.from(ring.flat())),
          );
          const homes = siteHomes(model, polygons, residentialSlots(model));
          // The oracle: every cell of the grid, residential or not, tested on its own with a ray cast.
          const residential = new Map<number, number>();
          model.residentialCells.forEach((index, k) => {
            residential.set(index, k);
          });
          let cells = 0;
          let residents = 0;
          for (let row = 0; row < model.grid.rows; row++) {
            for (let column = 0; column < model.grid.columns; column++) {
              const k = residential.get(row * model.grid.columns + column);
              if (k === undefined) continue;
              const x = columnCenterLongitude(model.grid, column);
              const y = rowCenterLatitude(model.grid, row);
              if (parts.some((ring) => rayCastInside(x, y, ring))) {
                cells++;
                residents += model.cellPopulation![k];
              }
            }
          }
          expect(homes.residentialCells).toBe(cells);
          expect(homes.residents).toBeCloseTo(Math.round(residents * 10) / 10, 6);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Even–odd ray cast to the east, written here on its own (not the engine's scan). */
function rayCastInside(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[i + 1];
    if (y1 > y === y2 > y) continue;
    const crossing = x1 + ((y - y1) * (x2 - x1)) / (y2 - y1);
    if (x < crossing) inside = !inside;
  }
  return inside;
}
