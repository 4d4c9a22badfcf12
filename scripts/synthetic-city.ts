/**
 * A seeded synthetic city for benchmarks and oracle tests: a square of `sizeMeters` around a centre,
 * tiled by square communities, with meandering greenways and irregular green areas. The default is
 * Chengdu-scale (50 × 50 km, ~1,300 km of greenways, 640 parks, 600 other green spaces).
 */
import type { Feature, FeatureCollection, LineString, Polygon } from 'geojson';
import type { CoverageLayers } from '../src/coverage';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../src/coverage/geodesy';
import { mulberry32 } from './seeded-random';

/** The seeded PRNG of every synthetic data set here. */
export const seededRandom = mulberry32;

export interface SyntheticCityOptions {
  seed?: number;
  centerLongitude?: number;
  centerLatitude?: number;
  sizeMeters?: number;
  communitiesPerSide?: number;
  greenwayCount?: number;
  greenwayLengthMeters?: number;
  microParkCount?: number;
  parkCount?: number;
  otherGreenCount?: number;
}

export function syntheticCity(options: SyntheticCityOptions = {}): CoverageLayers {
  const {
    seed = 1,
    centerLongitude = 104.07,
    centerLatitude = 30.66,
    sizeMeters = 50_000,
    communitiesPerSide = 20,
    greenwayCount = 187,
    greenwayLengthMeters = 7_000,
    microParkCount = 240,
    parkCount = 400,
    otherGreenCount = 600,
  } = options;
  const random = seededRandom(seed);
  const kx = metersPerDegreeLongitude(centerLatitude);
  const ky = metersPerDegreeLatitude(centerLatitude);
  const half = sizeMeters / 2;
  const at = (x: number, y: number): [number, number] => [centerLongitude + x / kx, centerLatitude + y / ky];
  const polygon = (ring: [number, number][], properties: Record<string, unknown>): Feature<Polygon> => ({
    type: 'Feature',
    properties,
    geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] },
  });

  const communities: Feature[] = [];
  const side = sizeMeters / communitiesPerSide;
  for (let i = 0; i < communitiesPerSide; i++) {
    for (let j = 0; j < communitiesPerSide; j++) {
      const x = -half + i * side;
      const y = -half + j * side;
      communities.push(
        polygon([at(x, y), at(x + side, y), at(x + side, y + side), at(x, y + side)], {
          name: `社区 ${i}-${j}`,
          name_en: `Community ${i}-${j}`,
          population: Math.round(5000 + random() * 20000),
        }),
      );
    }
  }

  const greenways: Feature<LineString>[] = [];
  const stepMeters = greenwayLengthMeters / 200;
  for (let g = 0; g < greenwayCount; g++) {
    let x = (random() - 0.5) * sizeMeters;
    let y = (random() - 0.5) * sizeMeters;
    let heading = random() * 2 * Math.PI;
    const coordinates: [number, number][] = [at(x, y)];
    for (let s = 0; s < 200; s++) {
      heading += (random() - 0.5) * 0.5;
      x = Math.max(-half, Math.min(half, x + Math.cos(heading) * stepMeters));
      y = Math.max(-half, Math.min(half, y + Math.sin(heading) * stepMeters));
      coordinates.push(at(x, y));
    }
    greenways.push({
      type: 'Feature',
      properties: { name: `绿道 ${g}` },
      geometry: { type: 'LineString', coordinates },
    });
  }

  const blob = (radiusMeters: number, vertices: number, kind: string, name: string): Feature<Polygon> => {
    const x = (random() - 0.5) * sizeMeters;
    const y = (random() - 0.5) * sizeMeters;
    const ring: [number, number][] = [];
    for (let v = 0; v < vertices; v++) {
      const angle = (v / vertices) * 2 * Math.PI;
      const r = radiusMeters * (0.75 + random() * 0.5);
      ring.push(at(x + Math.cos(angle) * r, y + Math.sin(angle) * r));
    }
    return polygon(ring, { name, kind });
  };
  const greenspaces: Feature[] = [];
  for (let p = 0; p < microParkCount; p++) greenspaces.push(blob(10 + random() * 25, 8, 'micro_green', `微绿地 ${p}`));
  for (let p = 0; p < parkCount; p++) {
    // Areas from about 1 ha to 300 ha, most of them small.
    const hectares = Math.exp(random() * Math.log(300));
    const radius = Math.sqrt((hectares * 10_000) / Math.PI);
    greenspaces.push(
      blob(radius, 60 + Math.floor(random() * 60), random() < 0.6 ? 'pocket_park' : 'park', `公园 ${p}`),
    );
  }
  for (let p = 0; p < otherGreenCount; p++) greenspaces.push(blob(20 + random() * 60, 12, 'green_space', `绿地 ${p}`));

  const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  return {
    communities: collection(communities),
    residential: null,
    greenways: collection(greenways),
    greenspaces: collection(greenspaces),
  };
}
