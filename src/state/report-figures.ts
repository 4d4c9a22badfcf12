import { area } from '@turf/area';
import type { FeatureCollection, Position } from 'geojson';
import type { BoundingBox, CoverageResult } from '../coverage';
import type { GapAnalysis, GapArea } from '../coverage/gap-areas';
import { normalizeKind, qualifies } from '../coverage/rules';
import { OSM_ATTRIBUTION } from '../io/osm/attribution';
import type { DataManifest } from './load-data';

/** A park near a community, for its report page. */
export interface NearbyPark {
  name: string | null;
  kind: string;
  areaSquareMeters: number;
  /** Straight-line metres from the community's centre to the park's edge (0 inside). */
  meters: number;
}

const metresPerDegree = 111_320;

/** Distance in metres from (x, y) to segment a–b, all in local metres. */
function segmentMeters(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length = dx * dx + dy * dy;
  const t = length > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / length)) : 0;
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/** Metres from a point to a polygon's rings (0 inside the outer ring and outside its holes). */
function polygonMeters(rings: Position[][], longitude: number, latitude: number): number {
  const cos = Math.cos((latitude * Math.PI) / 180);
  const local = (p: Position): [number, number] => [
    (p[0] - longitude) * metresPerDegree * cos,
    (p[1] - latitude) * metresPerDegree,
  ];
  let nearest = Number.POSITIVE_INFINITY;
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [ax, ay] = local(ring[j]);
      const [bx, by] = local(ring[i]);
      nearest = Math.min(nearest, segmentMeters(0, 0, ax, ay, bx, by));
      if (ay > 0 !== by > 0 && 0 < ((bx - ax) * (0 - ay)) / (by - ay) + ax) inside = !inside;
    }
  }
  return inside ? 0 : nearest;
}

/**
 * The `count` parks (green spaces that qualify for the rules' park criterion) nearest to the centre of
 * `bbox`, straight-line to their edge. Empty when the rules have no park criterion.
 */
export function nearestParks(
  greenspaces: FeatureCollection,
  result: Pick<CoverageResult, 'rules'>,
  bbox: BoundingBox,
  count = 5,
): NearbyPark[] {
  const criterion = result.rules.park;
  if (!criterion) return [];
  const longitude = (bbox[0] + bbox[2]) / 2;
  const latitude = (bbox[1] + bbox[3]) / 2;
  const parks: NearbyPark[] = [];
  for (const feature of greenspaces.features) {
    const geometry = feature.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) continue;
    const kind = normalizeKind(feature.properties?.kind);
    if (!kind) continue;
    const squareMeters = area(geometry);
    if (!qualifies(criterion, kind, squareMeters)) continue;
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    const meters = Math.min(...polygons.map((rings) => polygonMeters(rings, longitude, latitude)));
    const name = feature.properties?.name;
    parks.push({ name: typeof name === 'string' ? name : null, kind, areaSquareMeters: squareMeters, meters });
  }
  return parks.sort((a, b) => a.meters - b.meters).slice(0, count);
}

/** The gap areas mostly inside community `community` (ranked as the analysis ranks them). */
export function communityGaps(gaps: GapAnalysis | null, community: number): GapArea[] {
  return gaps ? gaps.areas.filter((gap) => gap.community === community) : [];
}

/** The data set's attribution and licence (ODbL when its manifest says OSM), or null. */
export function dataAttribution(manifest: DataManifest | null): { attribution: string; license: string | null } | null {
  if (!manifest) return null;
  const license = typeof manifest.license === 'string' ? manifest.license : null;
  const osm = Boolean(manifest.osm) || /openstreetmap/i.test(String(manifest.attribution ?? manifest.source ?? ''));
  const attribution = typeof manifest.attribution === 'string' ? manifest.attribution : osm ? OSM_ATTRIBUTION : null;
  return attribution ? { attribution, license: license ?? (osm ? 'ODbL-1.0' : null) } : null;
}

/** The data set's name in `language` (either language's when it has only one). */
export function dataSetName(manifest: DataManifest | null, language: 'zh' | 'en'): string | null {
  const name = manifest?.name;
  if (!name) return null;
  if (typeof name === 'string') {
    const parts = name.split(' / ');
    if (parts.length !== 2) return name;
    const chinese = parts.find((part) => /[\u4e00-\u9fff]/.test(part));
    const other = parts.find((part) => part !== chinese);
    return (language === 'zh' ? chinese : other) ?? name;
  }
  return name[language] ?? name.zh ?? name.en ?? null;
}
