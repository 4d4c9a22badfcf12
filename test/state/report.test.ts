import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { presetRules } from '../../src/coverage';
import type { GapArea } from '../../src/coverage/gap-areas';
import { communityGaps, dataAttribution, dataSetName, nearestParks } from '../../src/state/report-figures';
import { parseReportOptions, reportDpi, reportLayout, scaleBarMeters } from '../../src/state/report-options';
import { isReport, reportSearch } from '../../src/state/report-url';

describe('report options', () => {
  it('reads ?report, paper and orientation (A4 landscape by default)', () => {
    expect(isReport('?report&lang=en')).toBe(true);
    expect(isReport('?lang=en')).toBe(false);
    expect(parseReportOptions('?report')).toEqual({ paper: 'a4', orientation: 'landscape' });
    expect(parseReportOptions('?report&paper=A3&orientation=portrait')).toEqual({
      paper: 'a3',
      orientation: 'portrait',
    });
    expect(parseReportOptions('?report&paper=letter&orientation=sideways')).toEqual({
      paper: 'a4',
      orientation: 'landscape',
    });
  });

  it('lays out the page in millimetres and renders the map at print resolution', () => {
    const a4 = reportLayout({ paper: 'a4', orientation: 'landscape' });
    expect(a4.pageMm).toEqual([297, 210]);
    expect(a4.contentMm).toEqual([277, 190]);
    expect(a4.mapMm[0] + 85).toBe(277);
    const a3 = reportLayout({ paper: 'a3', orientation: 'portrait' });
    expect(a3.pageMm).toEqual([297, 420]);
    expect(a3.mapMm[0]).toBe(277);
    for (const layout of [a4, a3]) {
      expect(reportDpi).toBeGreaterThanOrEqual(200);
      expect(layout.mapPixels[0] / (layout.mapMm[0] / 25.4)).toBeGreaterThanOrEqual(200);
      expect(layout.pixelRatio * 96).toBeCloseTo(reportDpi);
    }
  });

  it('picks round scale-bar lengths', () => {
    expect(scaleBarMeters(730)).toBe(500);
    expect(scaleBarMeters(2400)).toBe(2000);
    expect(scaleBarMeters(99)).toBe(50);
    expect(scaleBarMeters(1000)).toBe(1000);
    expect(scaleBarMeters(0)).toBe(0);
  });

  it('builds the report link from the screen, with or without a community', () => {
    expect(reportSearch('?lang=en&preset=who&community=3')).toBe('?report&lang=en&preset=who&community=3');
    expect(reportSearch('?lang=en&community=3', { community: null })).toBe('?report&lang=en');
    expect(reportSearch('?lang=zh', { community: 7, paper: 'a3' })).toBe('?report&lang=zh&paper=a3&community=7');
  });
});

/** A square park of `side` metres (roughly) with its south-west corner at (lng, lat). */
function square(lng: number, lat: number, side: number, kind: string, name: string) {
  const dLat = side / 111_320;
  const dLng = side / (111_320 * Math.cos((lat * Math.PI) / 180));
  return {
    type: 'Feature' as const,
    properties: { kind, name },
    geometry: {
      type: 'Polygon' as const,
      coordinates: [
        [
          [lng, lat],
          [lng + dLng, lat],
          [lng + dLng, lat + dLat],
          [lng, lat + dLat],
          [lng, lat],
        ],
      ],
    },
  };
}

describe('report figures', () => {
  const lat = 30.66;
  const lng = 104.1;
  const dLng = (m: number) => m / (111_320 * Math.cos((lat * Math.PI) / 180));
  const greenspaces: FeatureCollection = {
    type: 'FeatureCollection',
    features: [
      square(lng + dLng(300), lat, 100, 'park', 'East park'),
      square(lng + dLng(100), lat, 20, 'micro_green', 'Too small and not a park'),
      square(lng - dLng(1000) - dLng(100), lat, 100, 'pocket_park', 'West pocket park'),
      square(lng - dLng(50), lat - 50 / 111_320, 100, 'park', 'Around the centre'),
    ],
  };

  it('lists the qualifying parks nearest a community, straight line to the edge, 0 inside', () => {
    const parks = nearestParks(greenspaces, { rules: presetRules('chengdu') }, [lng, lat, lng, lat]);
    expect(parks.map((park) => park.name)).toEqual(['Around the centre', 'East park', 'West pocket park']);
    expect(parks[0].meters).toBe(0);
    expect(parks[1].meters).toBeCloseTo(300, -1);
    expect(parks[2].meters).toBeCloseTo(1000, -1);
    expect(nearestParks(greenspaces, { rules: presetRules('who') }, [lng, lat, lng, lat])).toEqual([]);
  });

  it('keeps the gap areas of one community, names data sets, and says ODbL for OSM data', () => {
    const gap = (community: number, rank: number): GapArea => ({
      rank,
      community,
      cells: 1,
      residents: 1,
      nearestParkMeters: 0,
      nearestGreenMeters: 0,
      bbox: [0, 0, 0, 0],
    });
    const analysis = { areas: [gap(1, 0), gap(2, 1), gap(1, 2)], cellGap: new Int32Array(), connectivity: 8 as const };
    expect(communityGaps(analysis, 1).map((area) => area.rank)).toEqual([0, 2]);
    expect(communityGaps(null, 1)).toEqual([]);
    expect(dataSetName({ name: 'Three Rivers, Michigan (OpenStreetMap) / 三河市' }, 'zh')).toBe('三河市');
    expect(dataSetName({ name: 'GreenReach 示范区（虚构） / GreenReach demo district (synthetic)' }, 'en')).toBe(
      'GreenReach demo district (synthetic)',
    );
    expect(dataAttribution({ osm: { file: 'x.osm' } })).toEqual({
      attribution: '© OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright)',
      license: 'ODbL-1.0',
    });
    expect(dataAttribution({ synthetic: true })).toBeNull();
  });
});
