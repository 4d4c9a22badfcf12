import type { CoverageModel } from './coverage';
import { polygonsBoundingBox } from './features';
import { windowOfBoundingBox } from './grid';
import { scanPolygon } from './stamp';

/**
 * The homes a suggested park would sit on: the residential cells whose centre its area holds (the
 * engine's own rule for which cells an area covers), and their residents. A pocket park placed on housing
 * displaces people, so the planner sees this figure before adopting a site.
 */

/** What a site covers of the residential land. */
export interface SiteHomes {
  residentialCells: number;
  /** Residents of those cells, to 0.1 as in the summaries; null when population is unknown. */
  residents: number | null;
}

/** Position in the model's residential arrays of each grid cell, or −1 off residential land. */
export function residentialSlots(model: Pick<CoverageModel, 'grid' | 'residentialCells'>): Int32Array {
  const { grid, residentialCells } = model;
  const slots = new Int32Array(grid.rows * grid.columns).fill(-1);
  for (let k = 0; k < residentialCells.length; k++) slots[residentialCells[k]] = k;
  return slots;
}

/**
 * Residential cells (and residents) under a site's polygons (flat `[lng, lat]` rings, outer first).
 * The scan visits only the rows and columns of the site's own box, so the cost is the site's cells.
 */
export function siteHomes(
  model: Pick<CoverageModel, 'grid' | 'cellPopulation'>,
  polygons: Float64Array[][],
  slots: Int32Array,
): SiteHomes {
  const { grid, cellPopulation } = model;
  const window = windowOfBoundingBox(grid, polygonsBoundingBox(polygons));
  // A cell under two parts of a MultiPolygon counts once.
  const seen = new Set<number>();
  let residents = 0;
  for (const rings of polygons) {
    scanPolygon(grid, rings, window, (row, columnStart, columnEnd) => {
      for (let column = columnStart; column < columnEnd; column++) {
        const index = row * grid.columns + column;
        const slot = slots[index];
        if (slot < 0 || seen.has(index)) continue;
        seen.add(index);
        if (cellPopulation) residents += cellPopulation[slot];
      }
    });
  }
  return {
    residentialCells: seen.size,
    residents: cellPopulation ? Math.round(residents * 10) / 10 : null,
  };
}
