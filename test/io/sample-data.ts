import type { Feature, FeatureCollection } from 'geojson';
import { syntheticCity } from '../../scripts/synthetic-city';
import type { CoverageLayers } from '../../src/coverage';

/** A square ring from (lng, lat), counter-clockwise, side in degrees; 7 decimals, as GeoJSON export writes. */
export function square(lng: number, lat: number, sideDegrees: number): number[][] {
  const round = (value: number) => Math.round(value * 1e7) / 1e7;
  return [
    [lng, lat],
    [lng + sideDegrees, lat],
    [lng + sideDegrees, lat + sideDegrees],
    [lng, lat + sideDegrees],
    [lng, lat],
  ].map(([x, y]) => [round(x), round(y)]);
}

/**
 * Parks in Beijing with the data a real import has: a hole, CJK text, booleans, HTML-looking text,
 * a column only present from the second feature on, explicit nulls and missing keys.
 */
export function sampleParks(): FeatureCollection {
  const features: Feature[] = [
    {
      type: 'Feature',
      properties: { name: '景山公园', kind: '公园', area_m2: 230000.5, is_park: true, visitors: 12 },
      geometry: {
        type: 'Polygon',
        coordinates: [square(116.39, 39.92, 0.01), square(116.393, 39.923, 0.002).reverse()],
      },
    },
    {
      type: 'Feature',
      properties: {
        name: '<img src=x onerror=alert(1)>',
        kind: 'pocket_park',
        area_m2: null,
        is_park: false,
        note: 'later column',
      },
      geometry: { type: 'Polygon', coordinates: [square(116.41, 39.91, 0.002)] },
    },
    {
      type: 'Feature',
      properties: {
        name: 'Micro "green" & co',
        kind: 'micro_green',
        visitors: 3,
        tags: { shade: true, trees: ['ginkgo', '槐树'] },
      },
      geometry: {
        type: 'MultiPolygon',
        coordinates: [[square(116.42, 39.93, 0.001)], [square(116.43, 39.93, 0.001)]],
      },
    },
  ];
  return { type: 'FeatureCollection', features };
}

/** `count` small squares on a grid, each with an `n` property. */
export function gridOfSquares(count: number): FeatureCollection {
  const features: Feature[] = [];
  for (let i = 0; i < count; i++) {
    const lng = 116.3 + (i % 10) * 0.01;
    const lat = 39.8 + Math.floor(i / 10) * 0.01;
    features.push({
      type: 'Feature',
      properties: { n: i },
      geometry: { type: 'Polygon', coordinates: [square(lng, lat, 0.005)] },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** The seeded 4 × 4 km district (2 × 2 communities) whose coverage the GeoParquet tests write and read back. */
export function seededDistrict(): CoverageLayers {
  return syntheticCity({
    seed: 11,
    sizeMeters: 4000,
    communitiesPerSide: 2,
    greenwayCount: 3,
    greenwayLengthMeters: 2000,
    microParkCount: 8,
    parkCount: 4,
    otherGreenCount: 6,
  });
}

/** The same layers with the communities' population removed (only their names kept). */
export function withoutPopulation(layers: CoverageLayers): CoverageLayers {
  return {
    ...layers,
    communities: {
      ...layers.communities,
      features: layers.communities.features.map((f) => ({ ...f, properties: { name: f.properties?.name } })),
    },
  };
}
