import type { Feature } from 'geojson';
import type { CoverageResult } from '../coverage';
import { polygonRings } from '../coverage/features';
import { residentialSlots, type SiteHomes, siteHomes } from '../coverage/site-homes';

const slotsOfResult = new WeakMap<CoverageResult, Int32Array>();

/**
 * The homes a drawn park sits on, by the engine's own rule (residential cells whose centre it holds,
 * and their residents), on the baseline's grid; null for a line or an unusable outline. A pocket park
 * drawn on housing displaces people: the scenario panel says so, as it does for suggested sites.
 */
export function drawnParkHomes(result: CoverageResult, feature: Feature): SiteHomes | null {
  let polygons: Float64Array[][] | null = null;
  try {
    polygons = feature.geometry ? polygonRings(feature.geometry, 'greenspaces', 0) : null;
  } catch {
    return null;
  }
  if (!polygons || polygons.length === 0) return null;
  let slots = slotsOfResult.get(result);
  if (!slots) {
    // One lookup from grid cell to residential slot per result, shared by every drawn park.
    slots = residentialSlots({ grid: result.grid, residentialCells: result.cellIndex });
    slotsOfResult.set(result, slots);
  }
  return siteHomes({ grid: result.grid, cellPopulation: result.cellPopulation }, polygons, slots);
}
