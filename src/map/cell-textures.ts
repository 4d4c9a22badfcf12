import { COORDINATE_SYSTEM } from '@deck.gl/core';
import type { Device, Texture } from '@luma.gl/core';
import type { BoundingBox, CoverageResult, CriterionId } from '../coverage';
import { compareWalk } from '../coverage/walk-comparison';
import { fullWidth } from '../geometry/swipe-clip';
import { CellBitmapLayer } from './cell-bitmap-layer';
import { cellRasterSteps, statePalette, walkPaint } from './cell-raster';

/** A cell raster on the GPU: one texture per tile, with its bounds. */
export type CellTextures = { bounds: BoundingBox; texture: Texture }[];

/** Rows of a raster tile uploaded per task: about 1 MB, so no upload blocks the page for long. */
const uploadBytesPerTask = 1 << 20;

/** Resolves in a new task (not a microtask), so the browser can draw and handle input in between. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The criteria a result's rules use (the cell colours depend on them). */
export function criteriaInUse(result: CoverageResult | null): CriterionId[] {
  const rules = result?.rules;
  return rules ? (['green', 'park'] as const).filter((id) => rules[id]) : [];
}

/** How cells are coloured: by coverage state (only the gaps with `gapsOnly`), or walk against straight line. */
export interface CellView {
  gapsOnly: boolean;
  /** Walking-distance results: colour what the walk changes (met on foot, lost on foot, missed both). */
  walkDifference: boolean;
}

/** The code per cell and the palette a result is painted with in a view. */
export function cellPaint(result: CoverageResult, view: CellView): { codes: Uint8Array; palette: Uint8Array } {
  const comparison = view.walkDifference ? compareWalk(result) : null;
  if (comparison) return walkPaint(result.verdicts, comparison.straightVerdicts, view.gapsOnly);
  return { codes: result.verdicts, palette: statePalette(criteriaInUse(result), view.gapsOnly) };
}

/**
 * A result's cell raster as textures (none for no result), painted in slices of cells and uploaded
 * about 1 MB per task, or null once `current()` turns false (what was uploaded so far is freed).
 */
async function uploadCellRaster(
  device: Device,
  result: CoverageResult,
  view: () => CellView,
  current: () => boolean,
): Promise<CellTextures | null> {
  const uploaded: CellTextures = [];
  const { codes, palette } = cellPaint(result, view());
  const steps = cellRasterSteps(result.grid, result.cellIndex, codes, palette);
  let step = steps.next();
  while (!step.done) {
    await nextTask();
    if (!current()) return null;
    step = steps.next();
  }
  for (const tile of step.value) {
    const texture = device.createTexture({
      format: 'rgba8unorm',
      width: tile.width,
      height: tile.height,
      mipLevels: 1,
      sampler: {
        minFilter: 'nearest',
        magFilter: 'nearest',
        addressModeU: 'clamp-to-edge',
        addressModeV: 'clamp-to-edge',
      },
    });
    uploaded.push({ bounds: tile.bounds, texture });
    const rowsPerTask = Math.max(1, Math.floor(uploadBytesPerTask / (tile.width * 4)));
    for (let y = 0; y < tile.height; y += rowsPerTask) {
      if (y > 0) await nextTask();
      if (!current()) {
        for (const { texture: unused } of uploaded) unused.destroy();
        return null;
      }
      const height = Math.min(rowsPerTask, tile.height - y);
      texture.writeData(tile.pixels.subarray(y * tile.width * 4, (y + height) * tile.width * 4), {
        y,
        width: tile.width,
        height,
      });
    }
  }
  return uploaded;
}

/**
 * One cell raster the map draws (the coverage's, or the swipe baseline's): its textures, and the
 * paint in progress. A newer paint stops an older one's upload; `show` swaps the new textures in and
 * resolves once they are drawn, and only then are the old ones freed.
 */
export class CellRaster {
  /** The textures drawn now. */
  tiles: CellTextures = [];
  /**
   * The result `tiles` show (null: none). Textures are swapped in whole, one result at a time, so every
   * tile drawn belongs to this one result, never some to an older one.
   */
  tilesResult: CoverageResult | null = null;
  /** Counts paints, so that a newer paint stops an older one's upload. */
  private generation = 0;
  /** Paints started and not yet drawn. */
  private pending = 0;
  private closed = false;

  constructor(
    private readonly device: Promise<Device>,
    /** Draws the swapped-in textures (resolves on the frame that draws them). */
    private readonly show: () => Promise<void>,
  ) {}

  /** Whether no paint is in progress. */
  get settled(): boolean {
    return this.pending === 0;
  }

  /** Paints `result` (none: no textures; `view` is read when painting starts), uploads it a slice at a time, swaps it in, and frees the old textures. */
  async paint(result: CoverageResult | null, view: () => CellView): Promise<void> {
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.closed;
    this.pending++;
    let uploaded: CellTextures | null;
    try {
      uploaded = [];
      if (result) {
        const device = await this.device;
        uploaded = current() ? await uploadCellRaster(device, result, view, current) : null;
      }
    } finally {
      this.pending--;
    }
    if (!uploaded) return;
    const previous = this.tiles;
    this.tiles = uploaded;
    this.tilesResult = result;
    await this.show();
    // Only now is no layer bound to the old textures.
    for (const { texture } of previous) texture.destroy();
  }

  /** Stops any paint in progress and frees the textures. */
  destroy(): void {
    this.closed = true;
    this.generation++;
    for (const { texture } of this.tiles) texture.destroy();
    this.tiles = [];
    this.tilesResult = null;
  }
}

/** How cells of a result computed under other rules are drawn until the new one lands: faded and greyed. */
const outOfDatePaint = { opacity: 0.45, desaturate: 0.8 };

/**
 * The deck.gl layers of a raster's tiles, each drawn within `widthFractions` of the screen; faded and
 * greyed when `outOfDate` (uniforms only: nothing is painted or uploaded again).
 */
export function cellBitmapLayers(
  raster: CellTextures,
  idPrefix: string,
  widthFractions = fullWidth,
  outOfDate = false,
): CellBitmapLayer[] {
  return raster.map(
    ({ bounds, texture }, tile) =>
      new CellBitmapLayer({
        id: `${idPrefix}-${tile}`,
        image: texture,
        bounds,
        _imageCoordinateSystem: COORDINATE_SYSTEM.LNGLAT,
        pickable: false,
        widthFractions,
        ...(outOfDate ? outOfDatePaint : {}),
      }),
  );
}

/**
 * An empty cell layer: its shader compiles on the first frame, before there are any cells. Its id is no
 * tile's: deck.gl would match it to a drawn `cells-0` when the cells go (a failed run) and turn its null
 * image into a texture ("Cannot read properties of null", logged, the layer left stale).
 */
export function emptyCellLayer(): CellBitmapLayer {
  return new CellBitmapLayer({ id: 'cells-empty', image: null, bounds: [0, 0, 0, 0], pickable: false });
}
