import type { Feature, FeatureCollection, Point, Polygon, Position } from 'geojson';
import polylabel from 'polylabel';

/** Finest label precision in degrees of latitude (~1 m): finer than any label needs. */
const finestPrecisionDegrees = 1e-5;
/** Precision relative to the polygon's size: polylabel's work grows with (size / precision)². */
const relativePrecision = 1 / 1000;

/** Twice the signed area of a ring, in the planar units of its coordinates. */
function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return Math.abs(sum);
}

/**
 * One label point per community: the pole of inaccessibility of its largest polygon, the interior
 * point farthest from the edges, where a name fits best. Labelling the polygons themselves makes
 * MapLibre place a label per tile a polygon spans (a name shown two or three times), and a centroid
 * can fall outside a concave community. Longitudes are scaled by cos(latitude) first so that "farthest"
 * is measured in metres-like units. Properties `name`, `name_en` and `community` (the feature's index).
 */
export function communityLabelPoints(communities: FeatureCollection): FeatureCollection<Point> {
  const features: Feature<Point>[] = [];
  communities.features.forEach((feature, community) => {
    const geometry = feature.geometry;
    const polygons: Position[][][] =
      geometry?.type === 'Polygon'
        ? [geometry.coordinates]
        : geometry?.type === 'MultiPolygon'
          ? geometry.coordinates
          : [];
    const rings = polygons.filter((polygon) => polygon.length > 0 && polygon[0].length >= 4);
    if (rings.length === 0) return;
    const largest = rings.reduce((best, polygon) => (ringArea(polygon[0]) > ringArea(best[0]) ? polygon : best));
    const latitude = largest[0].reduce((sum, position) => sum + position[1], 0) / largest[0].length;
    const scale = Math.cos((latitude * Math.PI) / 180);
    const scaled: Polygon['coordinates'] = largest.map((ring) => ring.map(([x, y]) => [x * scale, y]));
    // A precision relative to the polygon's extent bounds the work: a fixed 1 m on a polygon spanning
    // the globe (an antimeridian ring) froze the main thread for half a minute.
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (const [px, py] of scaled[0]) {
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
    }
    const precision = Math.max(finestPrecisionDegrees, Math.max(maxX - minX, maxY - minY) * relativePrecision);
    const [x, y] = polylabel(scaled, precision);
    features.push({
      type: 'Feature',
      properties: { name: feature.properties?.name ?? null, name_en: feature.properties?.name_en ?? null, community },
      geometry: { type: 'Point', coordinates: [x / scale, y] },
    });
  });
  return { type: 'FeatureCollection', features };
}
