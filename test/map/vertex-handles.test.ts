import type { Geometry, LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  canDeleteVertex,
  deleteVertex,
  editableParts,
  handlesOf,
  insertVertex,
  moveVertex,
  nearestHandle,
  vertexCount,
} from '../../src/geometry/vertex-handles';

const square: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [104, 30],
      [104.001, 30],
      [104.001, 30.001],
      [104, 30.001],
      [104, 30],
    ],
  ],
};

const line: LineString = {
  type: 'LineString',
  coordinates: [
    [104, 30],
    [104.002, 30.001],
    [104.004, 30],
  ],
};

/** A ring is closed: first position equals last. */
function closed(ring: Position[]): boolean {
  return ring.length >= 4 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1];
}

describe('vertex handles', () => {
  it('lists a ring’s distinct vertices (not the closing repeat) and one midpoint per side', () => {
    const handles = handlesOf(square);
    expect(handles.filter((h) => h.kind === 'vertex').length).toBe(4);
    const midpoints = handles.filter((h) => h.kind === 'midpoint');
    expect(midpoints.length).toBe(4);
    // The closing side: from the last vertex back to the first.
    expect(midpoints[3].position).toEqual([104, 30.0005]);
    expect(midpoints[0].position).toEqual([104.0005, 30]);
  });

  it('lists a line’s vertices and n − 1 midpoints', () => {
    const handles = handlesOf(line);
    expect(handles.filter((h) => h.kind === 'vertex').length).toBe(3);
    expect(handles.filter((h) => h.kind === 'midpoint').length).toBe(2);
  });

  it('names parts of multi-geometries and polygons with holes by their index paths', () => {
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [square.coordinates, [square.coordinates[0].map(([x, y]) => [x + 0.01, y])]],
    };
    expect(editableParts(multi).map((p) => p.path)).toEqual([
      [0, 0],
      [1, 0],
    ]);
    const lines: MultiLineString = { type: 'MultiLineString', coordinates: [line.coordinates, line.coordinates] };
    expect(editableParts(lines).map((p) => p.path)).toEqual([[0], [1]]);
    expect(editableParts({ type: 'Point', coordinates: [1, 2] })).toEqual([]);
    expect(editableParts(null)).toEqual([]);
  });

  it('moving the first vertex of a ring moves its closing repeat too, rounded to 7 decimals', () => {
    const moved = moveVertex(square, [0], 0, [103.99999999, 29.9999]) as Polygon;
    const ring = moved.coordinates[0];
    expect(ring[0]).toEqual([104, 29.9999]);
    expect(ring[4]).toEqual(ring[0]);
    expect(ring.length).toBe(5);
    // The input is not modified.
    expect(square.coordinates[0][0]).toEqual([104, 30]);
  });

  it('inserting on a side adds a vertex after the side’s first vertex; on the closing side, at the end', () => {
    const inserted = insertVertex(square, [0], 1, [104.0015, 30.0005]) as Polygon;
    expect(inserted.coordinates[0]).toEqual([
      [104, 30],
      [104.001, 30],
      [104.0015, 30.0005],
      [104.001, 30.001],
      [104, 30.001],
      [104, 30],
    ]);
    const closing = insertVertex(square, [0], 3, [103.9995, 30.0005]) as Polygon;
    expect(closing.coordinates[0].slice(-2)).toEqual([
      [103.9995, 30.0005],
      [104, 30],
    ]);
    expect(closed(closing.coordinates[0])).toBe(true);
    const onLine = insertVertex(line, [], 0, [104.001, 30.002]) as LineString;
    expect(onLine.coordinates.length).toBe(4);
    expect(onLine.coordinates[1]).toEqual([104.001, 30.002]);
    // A line has no segment after its last vertex.
    expect(() => insertVertex(line, [], 2, [0, 0])).toThrow(RangeError);
  });

  it('deleting keeps a polygon at 3 vertices or more and a line at 2 or more', () => {
    const triangle = deleteVertex(square, [0], 0) as Polygon;
    expect(triangle.coordinates[0]).toEqual([
      [104.001, 30],
      [104.001, 30.001],
      [104, 30.001],
      [104.001, 30],
    ]);
    expect(vertexCount(triangle, [0])).toBe(3);
    expect(canDeleteVertex(triangle, [0], 1)).toBe(false);
    expect(deleteVertex(triangle, [0], 1)).toBeNull();
    const short = deleteVertex(line, [], 1) as LineString;
    expect(short.coordinates).toEqual([
      [104, 30],
      [104.004, 30],
    ]);
    expect(deleteVertex(short, [], 0)).toBeNull();
    expect(canDeleteVertex(square, [1], 0)).toBe(false);
    expect(canDeleteVertex(square, [0], 4)).toBe(false);
  });

  it('insert then delete of the same vertex gives the geometry back; every edit keeps rings closed', () => {
    let geometry: Geometry = square;
    for (let k = 0; k < 20; k++) {
      const count = vertexCount(geometry, [0]);
      geometry = insertVertex(geometry, [0], k % count, [104 + k * 1e-5, 30 + k * 2e-5]);
      expect(closed((geometry as Polygon).coordinates[0])).toBe(true);
    }
    expect(vertexCount(geometry, [0])).toBe(24);
    const again = deleteVertex(insertVertex(square, [0], 2, [104.0004, 30.0016]), [0], 3);
    expect(again).toEqual(square);
  });

  it('the nearest handle within the radius wins, a vertex before a midpoint', () => {
    const handles = handlesOf(square);
    // 1 degree = 100,000 px: vertices 100 px apart, midpoints 50 px from their vertices.
    const project = ([x, y]: Position): [number, number] => [(x - 104) * 1e5, (30.001 - y) * 1e5];
    expect(nearestHandle(handles, project, [3, 98], 10)).toMatchObject({ kind: 'vertex', index: 0 });
    expect(nearestHandle(handles, project, [50, 96], 10)).toMatchObject({ kind: 'midpoint', index: 0 });
    expect(nearestHandle(handles, project, [50, 50], 10)).toBeNull();
    // Within reach of both: the vertex wins even when the midpoint is nearer.
    expect(nearestHandle(handles, project, [30, 100], 40)).toMatchObject({ kind: 'vertex', index: 0 });
  });
});
