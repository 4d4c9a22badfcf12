import type { Feature, FeatureCollection, Position } from 'geojson';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../../src/coverage';

/** Small WGS84 layers in Chengdu (104.07°E, 30.66°N), in metres from an origin, for import tests. */
const latitude0 = 30.6612;
const longitude0 = 104.0733;
export const at = (x: number, y: number): Position => [
  longitude0 + x / metersPerDegreeLongitude(latitude0),
  latitude0 + y / metersPerDegreeLatitude(latitude0),
];
const rectangle = (x: number, y: number, w: number, h: number): Position[][] => [
  [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h), at(x, y)],
];
const polygon = (coordinates: Position[][], properties: Record<string, unknown>): Feature => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Polygon', coordinates },
});
const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

export function chengduLayers(): Record<'communities' | 'greenways' | 'greenspaces', FeatureCollection> {
  return {
    communities: collection([
      polygon(rectangle(13, 7, 1010, 990), { name: '和美社区', name_en: 'Hemei', population: 8000 }),
      polygon(rectangle(1023, 7, 990, 990), { name: '双桥子社区', name_en: 'Shuangqiaozi', population: 4000 }),
    ]),
    greenways: collection([
      {
        type: 'Feature',
        properties: { name: '沙河绿道' },
        geometry: { type: 'LineString', coordinates: [at(3, 483), at(777, 455), at(2011, 497)] },
      },
    ]),
    greenspaces: collection([
      polygon(rectangle(603, 107, 101, 97), { name: '小游园', kind: 'pocket_park' }),
      polygon(rectangle(1507, 803, 301, 149), { name: '望江楼公园', kind: '公园' }),
      polygon(
        [
          [at(200, 700), at(420, 690), at(380, 900), at(200, 700)],
          [at(300, 740), at(330, 800), at(360, 760), at(300, 740)],
        ],
        { name: '三角绿地', kind: 'green_space' },
      ),
    ]),
  };
}
