/**
 * A seeded street network for the benchmarks and the walking-tile tests: a jittered lattice of streets
 * (rows and columns share their vertices), cut by three meandering rivers except at bridges. The rivers
 * scale with the area (at 50 km, those of bench-network.ts).
 */
import type { Feature, FeatureCollection } from 'geojson';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../src/coverage/geodesy';
import { mulberry32 } from './seeded-random';

/** Three rivers as y = f(x) or x = f(y) sinusoids, in metres from the centre of a 50 km city. */
const rivers = [
  { axis: 'x' as const, offset: -9000, amplitude: 1500, wavelength: 11_000 },
  { axis: 'x' as const, offset: 8000, amplitude: 1200, wavelength: 8_000 },
  { axis: 'y' as const, offset: 3000, amplitude: 1800, wavelength: 13_000 },
];

/** The streets (LineStrings tagged `highway=residential`) and the rivers (barriers) of a square of `sizeMeters` around `center`. */
export function streetLattice(
  sizeMeters: number,
  spacingMeters: number,
  center: { lng: number; lat: number },
  seed = 11,
): { streets: FeatureCollection; barriers: FeatureCollection } {
  const scale = sizeMeters / 50_000;
  const kx = metersPerDegreeLongitude(center.lat);
  const ky = metersPerDegreeLatitude(center.lat);
  const at = (x: number, y: number): [number, number] => [center.lng + x / kx, center.lat + y / ky];
  const riverAt = (river: (typeof rivers)[number], t: number) =>
    scale * (river.offset + river.amplitude * Math.sin((2 * Math.PI * t) / (scale * river.wavelength)));
  // Which side of the river a point lies on.
  const side = (river: (typeof rivers)[number], x: number, y: number) =>
    river.axis === 'x' ? Math.sign(y - riverAt(river, x)) : Math.sign(x - riverAt(river, y));
  const random = mulberry32(seed);
  const n = Math.floor(sizeMeters / spacingMeters) + 1;
  const half = sizeMeters / 2;
  const px = new Float64Array(n * n);
  const py = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      px[i * n + j] = -half + j * spacingMeters + (random() - 0.5) * spacingMeters * 0.3;
      py[i * n + j] = -half + i * spacingMeters + (random() - 0.5) * spacingMeters * 0.3;
    }
  }
  // An edge across a river survives only as a bridge (one in ~8 crossings); a few other gaps at random.
  const keep = (a: number, b: number, index: number) => {
    for (const river of rivers) {
      if (side(river, px[a], py[a]) !== side(river, px[b], py[b])) return index % 8 === 0;
    }
    return random() > 0.03;
  };
  const features: Feature[] = [];
  const flush = (piece: number[]) => {
    if (piece.length > 1)
      features.push({
        type: 'Feature',
        properties: { highway: 'residential' },
        geometry: { type: 'LineString', coordinates: piece.map((p) => at(px[p], py[p])) },
      });
  };
  for (let i = 0; i < n; i++) {
    let piece = [i * n];
    for (let j = 1; j < n; j++) {
      const p = i * n + j;
      if (keep(p - 1, p, j)) piece.push(p);
      else {
        flush(piece);
        piece = [p];
      }
    }
    flush(piece);
  }
  for (let j = 0; j < n; j++) {
    let piece = [j];
    for (let i = 1; i < n; i++) {
      const p = i * n + j;
      if (keep(p - n, p, i)) piece.push(p);
      else {
        flush(piece);
        piece = [p];
      }
    }
    flush(piece);
  }
  const barriers: Feature[] = rivers.map((river) => {
    const coordinates: [number, number][] = [];
    for (let t = -half - 500; t <= half + 500; t += 100)
      coordinates.push(river.axis === 'x' ? at(t, riverAt(river, t)) : at(riverAt(river, t), t));
    return { type: 'Feature', properties: { waterway: 'river' }, geometry: { type: 'LineString', coordinates } };
  });
  return {
    streets: { type: 'FeatureCollection', features },
    barriers: { type: 'FeatureCollection', features: barriers },
  };
}
