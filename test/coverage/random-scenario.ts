import type { Feature, FeatureCollection } from 'geojson';
import { seededRandom } from '../../scripts/synthetic-city';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../../src/coverage';

/** A small seeded scenario (~`sizeMeters` square) at any latitude: one community, greenways, parks. */
export function randomScenario(seed: number, centerLatitude: number, centerLongitude = 10, sizeMeters = 2500) {
  const random = seededRandom(seed);
  const kx = metersPerDegreeLongitude(centerLatitude);
  const ky = metersPerDegreeLatitude(centerLatitude);
  const at = (x: number, y: number) => [centerLongitude + x / kx, centerLatitude + y / ky];
  const half = sizeMeters / 2;
  const feature = (geometry: Feature['geometry'], properties: Record<string, unknown> = {}): Feature => ({
    type: 'Feature',
    properties,
    geometry,
  });
  const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  const square = (x: number, y: number, w: number, h: number) => [
    [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h), at(x, y)],
  ];
  const greenways: Feature[] = [];
  for (let g = 0; g < 3; g++) {
    const points = [];
    let x = (random() - 0.5) * sizeMeters * 1.4;
    let y = (random() - 0.5) * sizeMeters * 1.4;
    for (let s = 0; s < 6; s++) {
      points.push(at(x, y));
      x += (random() - 0.5) * 900;
      y += (random() - 0.5) * 900;
    }
    greenways.push(feature({ type: 'LineString', coordinates: points }));
  }
  const greenspaces: Feature[] = [];
  const kinds = ['park', 'pocket_park', 'micro_green', 'green_space'];
  for (let p = 0; p < 6; p++) {
    const cx = (random() - 0.5) * sizeMeters * 1.3;
    const cy = (random() - 0.5) * sizeMeters * 1.3;
    const radius = 15 + random() * 200;
    const ring = [];
    const vertices = 5 + Math.floor(random() * 8);
    for (let v = 0; v < vertices; v++) {
      const angle = (v / vertices) * 2 * Math.PI;
      const r = radius * (0.6 + random() * 0.6);
      ring.push(at(cx + Math.cos(angle) * r, cy + Math.sin(angle) * r));
    }
    ring.push(ring[0]);
    greenspaces.push(feature({ type: 'Polygon', coordinates: [ring] }, { kind: kinds[Math.floor(random() * 4)] }));
  }
  return {
    communities: collection([
      feature(
        { type: 'Polygon', coordinates: square(-half, -half, sizeMeters, sizeMeters) },
        { name: 'test', population: 1000 },
      ),
    ]),
    residential: null,
    greenways: collection(greenways),
    greenspaces: collection(greenspaces),
  };
}
