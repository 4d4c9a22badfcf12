import type { FeatureCollection } from 'geojson';
import type { CoverageResult } from '../coverage';

/** A walking-distance result's park entrances as points (none for a straight-line result). */
export function entranceCollection(result: CoverageResult | null): FeatureCollection {
  const entrances = result?.entrances;
  const features: FeatureCollection['features'] = [];
  if (entrances) {
    for (let k = 0; k < entrances.featureId.length; k++) {
      features.push({
        type: 'Feature',
        properties: { given: entrances.given[k] },
        geometry: { type: 'Point', coordinates: [entrances.lngLat[2 * k], entrances.lngLat[2 * k + 1]] },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}
