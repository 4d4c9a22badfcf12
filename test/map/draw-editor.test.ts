import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import { movedFeatures, withGeometry } from '../../src/map/draw-editor';
import { featureAtPixel } from '../../src/map/draw-hit';

/** A scenario feature as the controller holds it: with a field the map's `DrawFeature` does not name. */
const park = {
  key: 'a',
  layer: 'greenspaces' as const,
  feature: {
    type: 'Feature',
    properties: { kind: 'pocket_park' },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
    },
  } satisfies Feature,
};
const way = {
  key: 'b',
  layer: 'greenways' as const,
  feature: {
    type: 'Feature',
    properties: {},
    geometry: {
      type: 'LineString',
      coordinates: [
        [2, 0],
        [3, 0],
      ],
    },
  } satisfies Feature,
};

describe('draw edits', () => {
  it('moves one feature and keeps every field of each (the editor gets its own features back)', () => {
    const moved = movedFeatures([park, way], 'a', 0.5, -0.25);
    expect(moved[1]).toBe(way);
    expect(moved[0].layer).toBe('greenspaces');
    expect(moved[0].feature.properties).toEqual({ kind: 'pocket_park' });
    expect(moved[0].feature.geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [0.5, -0.25],
          [1.5, -0.25],
          [1.5, 0.75],
          [0.5, 0.75],
          [0.5, -0.25],
        ],
      ],
    });
    expect(park.feature.geometry.coordinates[0][0]).toEqual([0, 0]);
  });

  it('replaces one geometry', () => {
    const geometry = { type: 'Point' as const, coordinates: [5, 5] };
    const replaced = withGeometry([park, way], 'b', geometry);
    expect(replaced[0]).toBe(park);
    expect(replaced[1]).toEqual({ ...way, feature: { ...way.feature, geometry } });
  });
});

describe('featureAtPixel', () => {
  // One degree is 100 pixels, y down.
  const project = (x: number, y: number): [number, number] => [x * 100, -y * 100];

  it('finds a polygon from inside and a line within the tolerance, the last drawn first', () => {
    expect(featureAtPixel([park, way], [50, -50], project, 8)).toBe('a');
    expect(featureAtPixel([park, way], [250, 6], project, 8)).toBe('b');
    expect(featureAtPixel([park, way], [250, 12], project, 8)).toBeNull();
    const over = {
      ...way,
      key: 'c',
      feature: {
        ...way.feature,
        geometry: {
          ...way.feature.geometry,
          coordinates: [
            [0, 0.5],
            [1, 0.5],
          ],
        },
      },
    };
    expect(featureAtPixel([park, over], [50, -50], project, 8)).toBe('c');
  });
});
