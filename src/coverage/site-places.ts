import Flatbush from 'flatbush';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { polygonsBoundingBox } from './features';
import { localScales, type Projection, pointInRings, projectOnSegment, segmentsIntersect } from './network/geometry';

/**
 * Where a suggested site is, in the words a planner uses: the community it lies in and the nearest named
 * street with its distance ("in 猛追湾街道, 40 m from 建设路"). Both layers are indexed once in packed
 * R-trees (flatbush), so naming a site costs a few tree queries, not a pass over the layers.
 */

/** A place's name: the local one (`name`, `name:zh`) and the English one (`name_en`, `name:en`) when given. */
export interface PlaceName {
  /** '' when the feature has only an English name. */
  name: string;
  nameEnglish: string | null;
}

/** The community holding a site and the nearest named street. */
export interface SitePlace {
  /** The first community (in layer order, as the engine assigns cells) holding the site's centroid; null outside all. */
  community: PlaceName | null;
  /** The named street nearest the site (0 m when one crosses it), to 0.1 m; null without named streets. */
  street: (PlaceName & { distanceMeters: number }) | null;
}

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * A feature's names from its properties, or from an OSM `tags` object (as the OSM import keeps them); null
 * when it has none.
 */
export function placeName(properties: Record<string, unknown> | null | undefined): PlaceName | null {
  const own = properties ?? {};
  const tags = (typeof own.tags === 'object' && own.tags !== null ? own.tags : {}) as Record<string, unknown>;
  const first = (keys: string[]) => {
    for (const source of [own, tags]) {
      for (const key of keys) {
        const value = text(source[key]);
        if (value !== null) return value;
      }
    }
    return null;
  };
  const name = first(['name', 'name:zh', 'name_zh']);
  const nameEnglish = first(['name_en', 'name:en']);
  if (name === null && nameEnglish === null) return null;
  return { name: name ?? '', nameEnglish };
}

/** Polygons of a Polygon/MultiPolygon as flat `[lng, lat, …]` rings; [] for anything else or bad numbers. */
function flatPolygons(geometry: Geometry | null | undefined): Float64Array[][] {
  const parts =
    geometry?.type === 'Polygon'
      ? [geometry.coordinates]
      : geometry?.type === 'MultiPolygon'
        ? geometry.coordinates
        : [];
  const polygons: Float64Array[][] = [];
  for (const rings of Array.isArray(parts) ? parts : []) {
    const flat = (Array.isArray(rings) ? rings : []).map(flatLine);
    if (flat.length > 0 && flat.every((ring) => ring !== null && ring.length >= 6))
      polygons.push(flat as Float64Array[]);
  }
  return polygons;
}

/** A line's positions as flat `[lng, lat, …]`, or null when a position is not a pair of finite numbers. */
function flatLine(positions: Position[]): Float64Array | null {
  if (!Array.isArray(positions)) return null;
  const out = new Float64Array(positions.length * 2);
  for (let i = 0; i < positions.length; i++) {
    const lng = positions[i]?.[0];
    const lat = positions[i]?.[1];
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
    out[i * 2] = lng;
    out[i * 2 + 1] = lat;
  }
  return out;
}

/** The area-weighted centroid of polygons (holes subtract), in degrees; the first vertex for a degenerate one. */
export function polygonsCentroid(polygons: Float64Array[][]): [number, number] {
  let weight = 0;
  let sumX = 0;
  let sumY = 0;
  for (const rings of polygons) {
    rings.forEach((ring, r) => {
      // Shoelace terms relative to the ring's first vertex, which keeps them precise far from 0°.
      const x0 = ring[0];
      const y0 = ring[1];
      let area = 0;
      let cx = 0;
      let cy = 0;
      for (let i = 2; i + 3 < ring.length; i += 2) {
        const ax = ring[i] - x0;
        const ay = ring[i + 1] - y0;
        const bx = ring[i + 2] - x0;
        const by = ring[i + 3] - y0;
        const cross = ax * by - bx * ay;
        area += cross;
        cx += (ax + bx) * cross;
        cy += (ay + by) * cross;
      }
      if (area === 0) return;
      // The outer ring adds its area, holes take theirs away, whatever their winding.
      const sign = (r === 0 ? 1 : -1) * Math.sign(area);
      weight += (sign * area) / 2;
      sumX += sign * (cx / 6 + (x0 * area) / 2);
      sumY += sign * (cy / 6 + (y0 * area) / 2);
    });
  }
  if (weight === 0) return [polygons[0]?.[0]?.[0] ?? Number.NaN, polygons[0]?.[0]?.[1] ?? Number.NaN];
  return [sumX / weight, sumY / weight];
}

/** Distance in metres between segment P1→P2 and Q1→Q2 in a frame of `kx`, `ky` metres per degree; 0 when they meet. */
function segmentDistanceMeters(
  p: Float64Array,
  i: number,
  q: Float64Array,
  j: number,
  kx: number,
  ky: number,
  projection: Projection,
): number {
  if (segmentsIntersect(p[i], p[i + 1], p[i + 2], p[i + 3], q[j], q[j + 1], q[j + 2], q[j + 3])) return 0;
  // Segments that do not meet are nearest at an endpoint of one of them.
  let best = Infinity;
  for (const [point, k, line, l] of [
    [p, i, q, j],
    [p, i + 2, q, j],
    [q, j, p, i],
    [q, j + 2, p, i],
  ] as const) {
    projectOnSegment(point[k], point[k + 1], line[l], line[l + 1], line[l + 2], line[l + 3], kx, ky, projection);
    if (projection.distanceMeters < best) best = projection.distanceMeters;
  }
  return best;
}

/** The community and street layers, indexed for naming sites. Features without a usable geometry or name are left out. */
export class SitePlaces {
  private readonly communityIndex: Flatbush | null;
  private readonly communityPolygons: Float64Array[][][] = [];
  private readonly communityNames: (PlaceName | null)[] = [];
  private readonly streetIndex: Flatbush | null;
  /** Segment `s` runs from `streetCoordinates[segmentStart[s]]` to the next position (flat `[lng, lat]`). */
  private readonly segmentStart: Int32Array;
  private readonly segmentStreet: Int32Array;
  private readonly streetCoordinates: Float64Array;
  private readonly streetNames: PlaceName[] = [];
  private readonly projection: Projection = { fraction: 0, distanceMeters: 0 };

  constructor(communities: FeatureCollection | null, streets: FeatureCollection | null = null) {
    const communityFeatures = Array.isArray(communities?.features) ? communities.features : [];
    for (const feature of communityFeatures) {
      const polygons = flatPolygons(feature?.geometry);
      if (polygons.length === 0) continue;
      this.communityPolygons.push(polygons);
      this.communityNames.push(placeName(feature.properties));
    }
    this.communityIndex = this.communityPolygons.length > 0 ? new Flatbush(this.communityPolygons.length) : null;
    for (const polygons of this.communityPolygons) {
      const [west, south, east, north] = polygonsBoundingBox(polygons);
      this.communityIndex!.add(west, south, east, north);
    }
    this.communityIndex?.finish();

    // Only named streets: "40 m from an unnamed footway" tells a planner nothing.
    const lines: Float64Array[] = [];
    const lineStreet: number[] = [];
    const streetFeatures = Array.isArray(streets?.features) ? streets.features : [];
    for (const feature of streetFeatures) {
      const name = placeName(feature?.properties);
      const geometry = feature?.geometry;
      if (!name || !geometry) continue;
      const parts =
        geometry.type === 'LineString'
          ? [geometry.coordinates]
          : geometry.type === 'MultiLineString'
            ? geometry.coordinates
            : [];
      const flat = (Array.isArray(parts) ? parts : []).map(flatLine).filter((line) => line && line.length >= 4);
      if (flat.length === 0) continue;
      for (const line of flat) {
        lines.push(line!);
        lineStreet.push(this.streetNames.length);
      }
      this.streetNames.push(name);
    }
    const segmentCount = lines.reduce((sum, line) => sum + line.length / 2 - 1, 0);
    this.segmentStart = new Int32Array(segmentCount);
    this.segmentStreet = new Int32Array(segmentCount);
    this.streetCoordinates = new Float64Array(lines.reduce((sum, line) => sum + line.length, 0));
    this.streetIndex = segmentCount > 0 ? new Flatbush(segmentCount) : null;
    let offset = 0;
    let s = 0;
    lines.forEach((line, l) => {
      this.streetCoordinates.set(line, offset);
      for (let i = 0; i + 3 < line.length; i += 2, s++) {
        this.segmentStart[s] = offset + i;
        this.segmentStreet[s] = lineStreet[l];
        this.streetIndex!.add(
          Math.min(line[i], line[i + 2]),
          Math.min(line[i + 1], line[i + 3]),
          Math.max(line[i], line[i + 2]),
          Math.max(line[i + 1], line[i + 3]),
        );
      }
      offset += line.length;
    });
    this.streetIndex?.finish();
  }

  /** The community and nearest named street of a site (a Polygon or MultiPolygon feature). */
  placeOf(site: Feature<Polygon | MultiPolygon>): SitePlace {
    const polygons = flatPolygons(site.geometry);
    if (polygons.length === 0) return { community: null, street: null };
    const [lng, lat] = polygonsCentroid(polygons);
    return { community: this.communityAt(lng, lat), street: this.nearestStreet(polygons, lat) };
  }

  /** The first community (layer order) whose area holds the point. */
  private communityAt(lng: number, lat: number): PlaceName | null {
    if (!this.communityIndex) return null;
    const hits = this.communityIndex.search(lng, lat, lng, lat).sort((a, b) => a - b);
    for (const c of hits) {
      if (this.communityPolygons[c].some((rings) => pointInRings(lng, lat, rings))) return this.communityNames[c];
    }
    return null;
  }

  /**
   * The named street nearest the site's area, in the local frame at the site's latitude. The tree's nearest
   * box gives a first distance d; every nearer segment then meets the site's box grown by d, so one box
   * search finds the exact nearest.
   */
  private nearestStreet(polygons: Float64Array[][], lat: number): SitePlace['street'] {
    if (!this.streetIndex) return null;
    const [kx, ky] = localScales(lat);
    const [west, south, east, north] = polygonsBoundingBox(polygons);
    const [first] = this.streetIndex.neighbors((west + east) / 2, (south + north) / 2, 1);
    let bestDistance = this.distanceToSegment(polygons, first, kx, ky);
    let bestSegment = first;
    const grow = bestDistance * 1.000001 + 0.001;
    for (const s of this.streetIndex.search(west - grow / kx, south - grow / ky, east + grow / kx, north + grow / ky)) {
      const distance = this.distanceToSegment(polygons, s, kx, ky);
      // Ties go to the lower segment, so the answer never depends on the tree's order.
      if (distance < bestDistance || (distance === bestDistance && s < bestSegment)) {
        bestDistance = distance;
        bestSegment = s;
      }
    }
    const name = this.streetNames[this.segmentStreet[bestSegment]];
    return { ...name, distanceMeters: Math.round(bestDistance * 10) / 10 };
  }

  /** Distance in metres from the site's area to segment `s`: 0 when the segment touches or enters it. */
  private distanceToSegment(polygons: Float64Array[][], s: number, kx: number, ky: number): number {
    const coordinates = this.streetCoordinates;
    const start = this.segmentStart[s];
    for (const rings of polygons) {
      if (pointInRings(coordinates[start], coordinates[start + 1], rings)) return 0;
    }
    let best = Infinity;
    for (const rings of polygons) {
      for (const ring of rings) {
        for (let i = 0; i + 3 < ring.length; i += 2) {
          const distance = segmentDistanceMeters(ring, i, coordinates, start, kx, ky, this.projection);
          if (distance < best) best = distance;
          if (best === 0) return 0;
        }
      }
    }
    return best;
  }
}
