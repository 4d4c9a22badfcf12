import type { FeatureCollection, Geometry, Position } from 'geojson';
import type { CoverageResult, CoverageTotals } from '../coverage';
import { residentialCellAt } from '../coverage/cell-lookup';
import type { GapAnalysis } from '../coverage/gap-areas';
import { traceCellOutlines } from '../coverage/gap-outlines';
import { insideRing, totalsCounter } from './area-figures';

/** An existing polygon picked for its figures: a gap area (by rank) or a community (by index). */
export type PickedArea = { kind: 'gap'; gap: number } | { kind: 'community'; community: number };

/** Whether a point is inside a polygon or multipolygon (inside an outer ring and outside its holes). */
function insideGeometry(geometry: Geometry | null, x: number, y: number): boolean {
  const polygons =
    geometry?.type === 'Polygon'
      ? [geometry.coordinates]
      : geometry?.type === 'MultiPolygon'
        ? geometry.coordinates
        : [];
  return polygons.some(
    ([outer, ...holes]) =>
      outer !== undefined &&
      insideRing(outer as [number, number][], x, y) &&
      !holes.some((hole) => insideRing(hole as [number, number][], x, y)),
  );
}

/**
 * What a click at `[lng, lat]` picks: the gap area of the cell there (the smaller, more specific area),
 * else the community whose polygon holds the point, else null.
 */
export function pickArea(
  result: CoverageResult,
  gaps: GapAnalysis | null,
  communities: FeatureCollection,
  point: readonly [number, number],
): PickedArea | null {
  const [x, y] = point;
  const cell = residentialCellAt(result.grid, result.cellIndex, x, y);
  if (cell >= 0 && gaps && gaps.cellGap[cell] >= 0) return { kind: 'gap', gap: gaps.cellGap[cell] };
  const community = communities.features.findIndex((feature) => insideGeometry(feature.geometry, x, y));
  return community >= 0 ? { kind: 'community', community } : null;
}

/**
 * The summary's figures for a picked area: a community's are the engine's own (the community table's
 * row); a gap area's are summed over its cells.
 */
export function pickedTotals(result: CoverageResult, gaps: GapAnalysis | null, picked: PickedArea): CoverageTotals {
  if (picked.kind === 'community') return result.summary.communities[picked.community];
  const counter = totalsCounter(result);
  const cellGap = gaps?.cellGap ?? new Int32Array(0);
  for (let k = 0; k < cellGap.length; k++) if (cellGap[k] === picked.gap) counter.add(k);
  return counter.totals();
}

function ringWkt(ring: readonly Position[]): string {
  const closed = ring.length > 0 && ring[0] !== ring[ring.length - 1] ? [...ring, ring[0]] : ring;
  return `(${closed.map(([x, y]) => `${x.toFixed(6)} ${y.toFixed(6)}`).join(', ')})`;
}

/** The picked area's outline as WKT (MULTIPOLYGON): the community's polygon, or the gap's cells traced. */
export function pickedWkt(
  result: CoverageResult,
  gaps: GapAnalysis | null,
  communities: FeatureCollection,
  picked: PickedArea,
): string {
  let polygons: Position[][][] = [];
  if (picked.kind === 'community') {
    const geometry = communities.features[picked.community]?.geometry;
    polygons =
      geometry?.type === 'Polygon'
        ? [geometry.coordinates]
        : geometry?.type === 'MultiPolygon'
          ? geometry.coordinates
          : [];
  } else if (gaps) {
    const { grid, cellIndex } = result;
    const cells: number[] = [];
    for (let k = 0; k < gaps.cellGap.length; k++) if (gaps.cellGap[k] === picked.gap) cells.push(cellIndex[k]);
    // Outline corners are grid vertices: column and row back to degrees.
    polygons = traceCellOutlines(grid.columns, cells).map((outline) =>
      outline.rings.map((ring) =>
        ring.map(([column, row]) => [grid.west + column * grid.longitudeStep, grid.south + row * grid.latitudeStep]),
      ),
    );
  }
  return `MULTIPOLYGON(${polygons.map((rings) => `(${rings.map(ringWkt).join(', ')})`).join(', ')})`;
}
