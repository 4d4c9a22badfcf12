import { booleanPointInPolygon, centroid, pointToLineDistance, polygonToLine } from '@turf/turf';
import fc from 'fast-check';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { communityLabelPoints } from '../../src/map/community-labels';

const community = (geometry: Polygon | MultiPolygon | null, name: string): Feature => ({
  type: 'Feature',
  properties: { name, name_en: `${name} (en)` },
  geometry: geometry as Polygon,
});
const collection = (...features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

// A U-shaped community near Chengdu, 1 km wide: its centroid lies in the notch, outside the community.
const west = 104.1;
const south = 30.66;
const degreesLongitude = 1 / (111_320 * Math.cos((30.66 * Math.PI) / 180));
const degreesLatitude = 1 / 110_900;
const at = (eastMeters: number, northMeters: number) => [
  west + eastMeters * degreesLongitude,
  south + northMeters * degreesLatitude,
];
const uShape: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      at(0, 0),
      at(1000, 0),
      at(1000, 1000),
      at(700, 1000),
      at(700, 300),
      at(300, 300),
      at(300, 1000),
      at(0, 1000),
      at(0, 0),
    ],
  ],
};

describe('communityLabelPoints', () => {
  it('puts the label of a U-shaped community inside it, though its centroid is outside (hand-checked)', () => {
    expect(booleanPointInPolygon(centroid(uShape), uShape)).toBe(false);
    const [label] = communityLabelPoints(collection(community(uShape, '和美社区'))).features;
    expect(booleanPointInPolygon(label, uShape)).toBe(true);
    // The widest part is the 300 m deep base: the label is ~150 m from its nearest edge.
    const fromEdgeMeters = pointToLineDistance(label, polygonToLine(uShape) as Feature<never>, { units: 'meters' });
    expect(fromEdgeMeters).toBeGreaterThan(140);
    expect(label.properties).toEqual({ name: '和美社区', name_en: '和美社区 (en)', community: 0 });
  });

  it('labels a MultiPolygon in its largest part, skips a community without geometry, keeps indices', () => {
    const small: Polygon = {
      type: 'Polygon',
      coordinates: [[at(2000, 0), at(2050, 0), at(2050, 50), at(2000, 50), at(2000, 0)]],
    };
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [small.coordinates, uShape.coordinates] };
    const labels = communityLabelPoints(collection(community(null, 'none'), community(multi, 'two parts')));
    expect(labels.features).toHaveLength(1);
    expect(labels.features[0].properties?.community).toBe(1);
    expect(booleanPointInPolygon(labels.features[0], uShape)).toBe(true);
  });

  it('always lies inside a star-shaped community, holes included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 200, max: 1000, noNaN: true }), { minLength: 5, maxLength: 16 }),
        fc.boolean(),
        (radiiMeters, withHole) => {
          // A star-shaped ring around (1500, 1500): concave wherever radii alternate.
          const ring = radiiMeters.map((radius, i) => {
            const angle = (2 * Math.PI * i) / radiiMeters.length;
            return at(1500 + radius * Math.cos(angle), 1500 + radius * Math.sin(angle));
          });
          ring.push(ring[0]);
          const hole = [at(1450, 1450), at(1450, 1550), at(1550, 1550), at(1550, 1450), at(1450, 1450)];
          const polygon: Polygon = { type: 'Polygon', coordinates: withHole ? [ring, hole] : [ring] };
          const [label] = communityLabelPoints(collection(community(polygon, 'star'))).features;
          expect(booleanPointInPolygon(label, polygon)).toBe(true);
        },
      ),
    );
  });
});

describe('a community across the antimeridian', () => {
  it('is labelled quickly: the precision follows the polygon size (no 30 s freeze)', () => {
    const across: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [179.9, -16.9],
          [-179.9, -16.9],
          [-179.9, -16.7],
          [179.9, -16.7],
          [179.9, -16.9],
        ],
      ],
    };
    const started = performance.now();
    const labels = communityLabelPoints(collection(community(across, 'Fiji')));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(labels.features).toHaveLength(1);
  });
});
