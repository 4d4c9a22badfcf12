/**
 * Writes the hand-checked engine fixtures in test/coverage/in/. Each fixture places features at known
 * distances from known cell centres (in metres along a parallel or a meridian, where the geodesic
 * distance is the plain offset), and states the expected answers next to the input, in the file.
 *
 *   npx tsx test/coverage/make-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import { area } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { createGrid, metersPerDegreeLatitude, metersPerDegreeLongitude } from '../../src/coverage';

const longitude0 = 104.1;
const latitude0 = 30.66;
const cellMeters = 50;
/** Every fixture's single community is this 1,000 m square, so every fixture has the same 20 × 20 grid. */
const sideMeters = 1000;
const ky0 = metersPerDegreeLatitude(latitude0);
const northEdge = latitude0 + sideMeters / ky0;
const eastEdge = longitude0 + sideMeters / metersPerDegreeLongitude(latitude0);
const grid = createGrid([longitude0, latitude0, eastEdge, northEdge], cellMeters);

/** Centre of cell (row, column) as [lng, lat]. */
const centre = (row: number, column: number) => [
  grid.west + (column + 0.5) * grid.longitudeStep,
  grid.south + (row + 0.5) * grid.latitudeStep,
];
/** A point `east` and `north` metres from a point, using the WGS84 radii at its latitude. */
const offset = ([lng, lat]: number[], east: number, north: number) => [
  lng + east / metersPerDegreeLongitude(lat),
  lat + north / metersPerDegreeLatitude(lat),
];
const rectangle = (southWest: number[], widthMeters: number, heightMeters: number) => {
  const ring = [
    southWest,
    offset(southWest, widthMeters, 0),
    offset(southWest, widthMeters, heightMeters),
    offset(southWest, 0, heightMeters),
  ];
  return [...ring, ring[0]];
};
const feature = (layer: string, geometry: Feature['geometry'], properties: Record<string, unknown> = {}): Feature => ({
  type: 'Feature',
  properties: { layer, ...properties },
  geometry,
});
const community = (properties: Record<string, unknown> = { name: '测试社区', name_en: 'Test', population: 1000 }) =>
  feature(
    'communities',
    { type: 'Polygon', coordinates: [rectangle([longitude0, latitude0], sideMeters, sideMeters)] },
    properties,
  );

function write(name: string, features: Feature[], expect: Record<string, unknown>, rules = 'chengdu') {
  const fixture = { type: 'FeatureCollection', greenreach_test: { rules, cellMeters, expect }, features };
  writeFileSync(new URL(`in/${name}.geojson`, import.meta.url), `${JSON.stringify(fixture, null, 1)}\n`);
}

// 1. A cell inside a park is 0 m from green and park; a cell whose centre is on a greenway is 0 m from green.
{
  const inside = centre(10, 10);
  const onLine = centre(2, 4);
  write(
    'inside-park-and-on-greenway',
    [
      community(),
      feature(
        'greenspaces',
        { type: 'Polygon', coordinates: [rectangle(offset(inside, -100, -100), 200, 200)] },
        { kind: 'park', name: '公园' },
      ),
      feature('greenways', {
        type: 'LineString',
        coordinates: [offset(onLine, -80, 0), onLine, offset(onLine, 120, 0)],
      }),
    ],
    {
      cells: [
        { cell: [10, 10], green_m: 0, park_m: 0, meets_green: true, meets_park: true },
        { cell: [2, 4], green_m: 0, meets_green: true },
        // 100 m south of the park's south edge (the park spans rows 8–11 and its edge is 100 m below the centre of row 10).
        { cell: [6, 10], green_m: 100, park_m: 100, meets_park: true },
      ],
    },
  );
}

// 2. Exactly 300 m from a greenway meets the 300 m rule; 300.5 m does not.
{
  const near = centre(1, 8);
  const far = centre(17, 8);
  write(
    'greenway-exactly-300m',
    [
      community(),
      feature(
        'greenways',
        { type: 'LineString', coordinates: [offset(near, -300, -50), offset(near, -300, 150)] },
        { name: '300 m' },
      ),
      feature(
        'greenways',
        { type: 'LineString', coordinates: [offset(far, -300.5, -50), offset(far, -300.5, 100)] },
        { name: '300.5 m' },
      ),
    ],
    {
      cells: [
        { cell: [1, 8], green_m: 300, meets_green: true, park_m: null, meets_park: false },
        { cell: [2, 8], green_m: 300, meets_green: true },
        { cell: [1, 9], green_m: 350, meets_green: false },
        { cell: [17, 8], green_m: 300.5, meets_green: false },
        { cell: [1, 7], green_m: 250, meets_green: true },
      ],
    },
  );
}

// 3. A pocket park of 999 m² is not a park under the 1,000 m² rule (it is still green, ≥ 400 m²); 1,001 m² is.
{
  /** A square whose Turf area is `target` m², found by bisection on the side. */
  const squareOfArea = (southWest: number[], target: number) => {
    let low = 20;
    let high = 40;
    for (let i = 0; i < 80; i++) {
      const mid = (low + high) / 2;
      const polygon: Polygon = { type: 'Polygon', coordinates: [rectangle(southWest, mid, mid)] };
      if (area(polygon) < target) low = mid;
      else high = mid;
    }
    return rectangle(southWest, high, high);
  };
  const cell = centre(10, 6);
  // The 999 m² park's east edge is 100 m west of the cell; the 1,001 m² park's west edge is 400 m east.
  const small = squareOfArea(cell, 999);
  const smallSide = (small[1][0] - small[0][0]) * metersPerDegreeLongitude(cell[1]);
  write(
    'pocket-park-999-vs-1001-m2',
    [
      community(),
      feature(
        'greenspaces',
        { type: 'Polygon', coordinates: [squareOfArea(offset(cell, -100 - smallSide, -10), 999)] },
        { kind: 'pocket_park', name: '999 m²' },
      ),
      feature(
        'greenspaces',
        { type: 'Polygon', coordinates: [squareOfArea(offset(cell, 400, -10), 1001)] },
        { kind: '小游园', name: '1001 m²' },
      ),
    ],
    { cells: [{ cell: [10, 6], green_m: 100, park_m: 400, meets_green: true, meets_park: true }] },
  );
}

// 4. A MultiPolygon park with a hole: a cell in the hole is 100 m from the park, not inside it.
{
  const hole = centre(10, 10);
  const outerSouthWest = offset(hole, -200, -200);
  const holeRing = rectangle(offset(hole, -100, -100), 200, 200).reverse();
  const part2 = centre(2, 2);
  write(
    'multipolygon-with-hole',
    [
      community(),
      feature(
        'greenspaces',
        {
          type: 'MultiPolygon',
          coordinates: [[rectangle(outerSouthWest, 400, 400), holeRing], [rectangle(offset(part2, -30, -30), 60, 60)]],
        },
        { kind: 'park', name: 'ring park' },
      ),
    ],
    {
      cells: [
        { cell: [10, 10], green_m: 100, park_m: 100, meets_park: true },
        { cell: [10, 7], park_m: 0 },
        { cell: [2, 2], park_m: 0 },
        { cell: [2, 3], green_m: 20, park_m: 20 },
      ],
    },
  );
}

// 5. Population from residential blocks: 8 cells with 120 residents near a park, 4 cells with 60 far from it.
{
  const blockA = centre(1, 1);
  const blockB = centre(16, 16);
  write(
    'residential-population',
    [
      community({ name: '测试社区', name_en: 'Test', population: 99999 }),
      // 4 × 2 cells: the rectangle spans exactly the centres of rows 1–2, columns 1–4 (with margins).
      feature(
        'residential',
        { type: 'Polygon', coordinates: [rectangle(offset(blockA, -20, -20), 190, 90)] },
        { population: 120 },
      ),
      feature(
        'residential',
        { type: 'Polygon', coordinates: [rectangle(offset(blockB, -20, -20), 90, 90)] },
        { population: 60 },
      ),
      feature(
        'greenspaces',
        { type: 'Polygon', coordinates: [rectangle(offset(blockA, 0, 150), 150, 60)] },
        { kind: 'park' },
      ),
    ],
    {
      summary: {
        cells: 12,
        cells_meeting_green: 8,
        cells_meeting_park: 8,
        cells_meeting_both: 8,
        population: 180,
        population_meeting_both: 120,
        population_source: 'residential',
      },
    },
  );
}
console.log('fixtures written');
