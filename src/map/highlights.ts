import { PathLayer } from '@deck.gl/layers';
import type { FeatureCollection, Geometry, Position } from 'geojson';
import type { CoverageResult } from '../coverage';
import type { GapAnalysis } from '../coverage/gap-areas';
import { traceCellOutlines } from '../coverage/gap-outlines';

/** A coloured line of the highlight layer (community outline, gap area outline). */
export interface HighlightPath {
  path: Position[];
  color: [number, number, number, number];
  widthPixels: number;
}

/** The outline of a community (index into `communities`), or none. */
function communityOutline(communities: FeatureCollection | undefined, community: number | null): HighlightPath[] {
  const geometry = community !== null ? communities?.features[community]?.geometry : undefined;
  const polygons =
    geometry?.type === 'Polygon'
      ? [geometry.coordinates]
      : geometry?.type === 'MultiPolygon'
        ? geometry.coordinates
        : [];
  return polygons.flatMap((polygon) =>
    polygon.map((ring): HighlightPath => ({ path: ring, color: [0, 0, 0, 255], widthPixels: 3 })),
  );
}

/** The outline of a gap area's cells (by rank), traced along the grid, or none. */
function gapOutline(result: CoverageResult | null, gaps: GapAnalysis | null, rank: number | null): HighlightPath[] {
  const paths: HighlightPath[] = [];
  if (rank === null || !gaps || !result || rank >= gaps.areas.length) return paths;
  const { cellGap } = gaps;
  const cells: number[] = [];
  for (let k = 0; k < cellGap.length; k++) if (cellGap[k] === rank) cells.push(result.cellIndex[k]);
  const { grid } = result;
  const toLngLat = ([column, row]: [number, number]): Position => [
    grid.west + column * grid.longitudeStep,
    grid.south + row * grid.latitudeStep,
  ];
  // A dark line under a bright one: the outline stands out on every cell colour.
  for (const outline of traceCellOutlines(grid.columns, cells)) {
    for (const ring of outline.rings) {
      const path = ring.map(toLngLat);
      paths.push({ path, color: [20, 20, 20, 255], widthPixels: 5 });
      paths.push({ path, color: [255, 140, 0, 255], widthPixels: 2.5 });
    }
  }
  return paths;
}

/** Lines of a geometry to draw: a polygon's rings, a line itself (points have none). */
function geometryPaths(geometry: Geometry | null): Position[][] {
  switch (geometry?.type) {
    case 'Polygon':
    case 'MultiLineString':
      return geometry.coordinates;
    case 'MultiPolygon':
      return geometry.coordinates.flat();
    case 'LineString':
      return [geometry.coordinates];
    case 'GeometryCollection':
      return geometry.geometries.flatMap(geometryPaths);
    default:
      return [];
  }
}

/** The outlines (polygons) or lines of features of a layer, by index: a dark casing under magenta. */
function featureOutline(collection: FeatureCollection | null | undefined, indexes: readonly number[]): HighlightPath[] {
  const paths: HighlightPath[] = [];
  for (const index of indexes) {
    for (const path of geometryPaths(collection?.features[index]?.geometry ?? null)) {
      paths.push({ path, color: [20, 20, 20, 255], widthPixels: 6 });
      paths.push({ path, color: [236, 0, 140, 255], widthPixels: 3 });
    }
  }
  return paths;
}

/** What is highlighted: the selected community, the selected gap area of the result shown, found features. */
export interface HighlightSelection {
  communities: FeatureCollection | undefined;
  community: number | null;
  result: CoverageResult | null;
  gaps: GapAnalysis | null;
  gap: number | null;
  /** Features found by a search: the layer's collection and their indexes in it. */
  features?: { collection: FeatureCollection | null | undefined; indexes: readonly number[] } | null;
}

/** The highlight paths of a selection: the community's outline, then the gap area's, then found features. */
export function highlightPaths(selection: HighlightSelection): HighlightPath[] {
  return [
    ...communityOutline(selection.communities, selection.community),
    ...gapOutline(selection.result, selection.gaps, selection.gap),
    ...featureOutline(selection.features?.collection, selection.features?.indexes ?? []),
  ];
}

/** The deck.gl layer of the highlight paths (it exists from the start, so its shader compiles on the first frame). */
export function highlightLayer(paths: HighlightPath[]): PathLayer<HighlightPath> {
  return new PathLayer<HighlightPath>({
    id: 'highlights',
    data: paths,
    getPath: (item) => item.path as [number, number][],
    getColor: (item) => item.color,
    getWidth: (item) => item.widthPixels,
    widthUnits: 'pixels',
    jointRounded: true,
    capRounded: true,
    pickable: false,
  });
}
