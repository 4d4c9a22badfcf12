import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  checkAgainstStudyArea,
  checkLayerExtent,
  extentDistanceKm,
  greatCircleKm,
  layersElsewhere,
} from '../../src/state/layer-extent';
import { withDeadline } from '../../src/state/url-layers';

const square = (x: number, y: number, size = 0.01) => ({
  type: 'Feature' as const,
  properties: {},
  geometry: {
    type: 'Polygon' as const,
    coordinates: [
      [
        [x, y],
        [x + size, y],
        [x + size, y + size],
        [x, y + size],
        [x, y],
      ],
    ],
  },
});
const layer = (...features: ReturnType<typeof square>[]): FeatureCollection => ({
  type: 'FeatureCollection',
  features,
});

// Chengdu's Chenghua district and Berlin.
const chengdu = layer(square(104.1, 30.65, 0.1));
const berlin = layer(square(13.4, 52.5), square(13.41, 52.51));

describe('checkLayerExtent', () => {
  it('a layer inside the communities is inside', () => {
    expect(checkLayerExtent(layer(square(104.12, 30.67)), [chengdu, null])).toEqual({ status: 'inside' });
  });

  it('a layer a continent away is outside, with the distance between the extents', () => {
    const check = checkLayerExtent(berlin, [chengdu]);
    expect(check.status).toBe('outside');
    // Berlin–Chengdu is about 7,600 km on the sphere.
    if (check.status === 'outside') expect(check.distanceKm).toBeGreaterThan(7000);
    if (check.status === 'outside') expect(check.distanceKm).toBeLessThan(8000);
  });

  it('a layer partly inside says which share of its features is inside', () => {
    const mixed = layer(square(104.12, 30.67), square(104.13, 30.68), square(13.4, 52.5), square(116.4, 39.9));
    expect(checkLayerExtent(mixed, [chengdu])).toEqual({
      status: 'partial',
      shareInside: 0.5,
      featuresInside: 2,
      features: 4,
    });
  });

  it('a park just outside the communities (within the margin) counts as inside', () => {
    // 0.01° of latitude ≈ 1.1 km south of the communities.
    expect(checkLayerExtent(layer(square(104.12, 30.63)), [chengdu]).status).toBe('inside');
    expect(checkLayerExtent(layer(square(104.12, 30.5)), [chengdu]).status).toBe('outside');
  });

  it('nothing to compare with is unknown', () => {
    expect(checkLayerExtent(berlin, [null, layer()])).toEqual({ status: 'unknown' });
    expect(checkLayerExtent(layer(), [chengdu])).toEqual({ status: 'unknown' });
  });

  it("features scattered around the area, none in it, give the nearest one's distance", () => {
    const around = layer(square(103.0, 30.6), square(105.5, 30.6));
    const check = checkLayerExtent(around, [chengdu]);
    expect(check.status).toBe('outside');
    if (check.status === 'outside') expect(check.distanceKm).toBeGreaterThan(100);
  });
});

describe('distances', () => {
  it('great circle: one degree of latitude is about 111 km', () => {
    expect(greatCircleKm([0, 0], [0, 1])).toBeCloseTo(111.2, 0);
  });
  it('extents that meet are 0 km apart', () => {
    expect(extentDistanceKm([0, 0, 1, 1], [0.5, 0.5, 2, 2])).toBe(0);
    expect(extentDistanceKm([0, 0, 1, 1], [0, 2, 1, 3])).toBeCloseTo(111.2, 0);
  });
});

describe('the study area of an imported layer', () => {
  const data = {
    communities: chengdu,
    residential: null,
    greenways: layer(),
    greenspaces: layer(square(104.12, 30.67)),
  };
  it('new communities in Berlin are compared with the green layers, and the demo layers elsewhere are removed', () => {
    const berlinCommunities = layer(square(13.39, 52.49, 0.05));
    expect(checkAgainstStudyArea('communities', berlinCommunities, data).reference).toBe('greenLayers');
    expect(checkAgainstStudyArea('greenspaces', berlin, data).reference).toBe('communities');
    const patch = layersElsewhere('communities', berlinCommunities, data);
    expect(patch).toEqual({ greenspaces: { type: 'FeatureCollection', features: [] } });
  });
});

describe('withDeadline', () => {
  it('rejects with the timeout error when the promise never settles', async () => {
    await expect(withDeadline(new Promise(() => {}), 10, () => new Error('stalled'))).rejects.toThrow('stalled');
    await expect(withDeadline(Promise.resolve(1), 1000, () => new Error('no'))).resolves.toBe(1);
  });
});

describe('globeSpanProblem', () => {
  it('refuses a ring across the antimeridian and a layer spanning most of the globe, with the reason', async () => {
    const { globeSpanProblem } = await import('../../src/state/layer-extent');
    const across = layer({
      ...square(179.9, -16.9),
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [179.9, -16.9],
            [-179.9, -16.9],
            [-179.9, -16.7],
            [179.9, -16.9],
          ],
        ],
      },
    });
    expect(globeSpanProblem(across)).toMatchObject({ code: 'antimeridian', featureIndex: 0 });
    expect(globeSpanProblem(layer(square(-170, 0), square(170, 10)))).toMatchObject({ code: 'globe' });
    expect(globeSpanProblem(chengdu)).toBeNull();
  });

  it('takes a layer of 200,000 features (a large saved layer restored at start-up)', async () => {
    const { globeSpanProblem, layersBounds } = await import('../../src/state/layer-extent');
    const many: FeatureCollection = {
      type: 'FeatureCollection',
      features: Array.from({ length: 200_000 }, (_, index) =>
        square(104 + (index % 500) * 0.001, 30 + Math.floor(index / 500) * 0.001, 0.0005),
      ),
    };
    expect(globeSpanProblem(many)).toBeNull();
    const [west, south, east, north] = layersBounds([many])!;
    expect([west, south]).toEqual([104, 30]);
    expect(east).toBeCloseTo(104 + 499 * 0.001 + 0.0005, 9);
    expect(north).toBeCloseTo(30 + 399 * 0.001 + 0.0005, 9);
  });
});
