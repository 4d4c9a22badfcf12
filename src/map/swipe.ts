import type { Device } from '@luma.gl/core';
import type { CoverageResult } from '../coverage';
import { type SwipeSide, swipeSideFractions } from '../geometry/swipe-clip';
import { CellRaster, type CellTextures, cellBitmapLayers } from './cell-textures';

/**
 * The swipe comparison: a baseline result drawn left of a divider, the current coverage right of it.
 * The baseline gets its own raster; every cell layer discards fragments outside its side of the
 * divider (a uniform, `swipe-clip.ts`), so moving the divider only changes uniforms.
 */
export class SwipeComparison {
  /** The baseline (drawn left of the divider), or null when not swiping. */
  baseline: CoverageResult | null = null;
  /** The divider, in percent of the map's width from its left edge. */
  dividerPercent = 50;
  /** The baseline's cell raster on the GPU while swiping (empty otherwise). */
  readonly raster: CellRaster;

  constructor(device: Promise<Device>, show: () => Promise<void>) {
    this.raster = new CellRaster(device, show);
  }

  /** Which side of the divider a screen x (CSS pixels in a map `width` wide) is on; 'scenario' when not swiping. */
  sideAt(x: number, width: number): SwipeSide {
    if (!this.baseline) return 'scenario';
    return x < (this.dividerPercent / 100) * width ? 'baseline' : 'scenario';
  }

  /**
   * The cell layers while swiping: the baseline's tiles left of the divider, `cells` (the coverage's) right
   * of it; `outOfDate` says, per side, whether its tiles are of a result the rules have since changed.
   */
  cellLayers(cells: CellTextures, outOfDate: { baseline: boolean; scenario: boolean }) {
    return [
      ...cellBitmapLayers(
        this.raster.tiles,
        'swipe-baseline-cells',
        swipeSideFractions('baseline', this.dividerPercent),
        outOfDate.baseline,
      ),
      ...cellBitmapLayers(cells, 'cells', swipeSideFractions('scenario', this.dividerPercent), outOfDate.scenario),
    ];
  }
}
