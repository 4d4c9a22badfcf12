import type { GreenFeature } from './features';
import {
  expandBoundingBox,
  fullWindow,
  type Grid,
  type GridWindow,
  intersectWindows,
  windowOfBoundingBox,
} from './grid';
import { type RowScales, scanPolygon, stampPath } from './stamp';

/**
 * Squared distance in m² from every cell centre of a grid to the nearest of a set of features, exact up to
 * `reachMeters` and `Infinity` beyond. Features can be added and removed; both touch only the cells
 * within reach of the feature and leave the field bit-for-bit equal to a full recompute, because each
 * cell's value is the minimum of per-feature values that do not depend on the order or the window.
 *
 * A field may hold only a `storage` window of its grid (a tile): `squaredMeters` then has that window's
 * cells row by row, and each holds exactly what the whole grid's field holds there, since every distance
 * is still measured in the whole grid's rows and columns (a new grid over the tile would shift them).
 */
export class DistanceField {
  readonly squaredMeters: Float32Array;
  private readonly features = new Map<number, GreenFeature>();
  private readonly stride: number;

  constructor(
    readonly grid: Grid,
    readonly scales: RowScales,
    readonly reachMeters: number,
    readonly storage: GridWindow = fullWindow(grid),
  ) {
    this.stride = storage.columnEnd - storage.columnStart;
    this.squaredMeters = new Float32Array((storage.rowEnd - storage.rowStart) * this.stride).fill(Infinity);
  }

  /** Position in `squaredMeters` of grid cell (row, column), which must lie in the storage window. */
  offsetOf(row: number, column: number): number {
    return (row - this.storage.rowStart) * this.stride + column - this.storage.columnStart;
  }

  get featureCount(): number {
    return this.features.size;
  }

  has(id: number): boolean {
    return this.features.has(id);
  }

  /** The cells of the storage window a feature can affect. */
  windowOf(feature: GreenFeature): GridWindow {
    return intersectWindows(
      windowOfBoundingBox(this.grid, expandBoundingBox(feature.bbox, this.reachMeters)),
      this.storage,
    );
  }

  /** Adds a feature (its id must be new) and returns the window it may have changed. */
  add(feature: GreenFeature): GridWindow {
    if (this.features.has(feature.id)) throw new Error(`feature ${feature.id} is already in the field`);
    this.features.set(feature.id, feature);
    const window = this.windowOf(feature);
    this.stamp(feature, window);
    return window;
  }

  /** Removes a feature and recomputes the cells it could reach; returns that window, or null if absent. */
  remove(id: number): GridWindow | null {
    const feature = this.features.get(id);
    if (!feature) return null;
    this.features.delete(id);
    const window = this.windowOf(feature);
    this.recompute(window);
    return window;
  }

  /** Resets `window` and stamps every feature that can reach it again. */
  recompute(window: GridWindow): void {
    for (let row = window.rowStart; row < window.rowEnd; row++) {
      this.squaredMeters.fill(Infinity, this.offsetOf(row, window.columnStart), this.offsetOf(row, window.columnEnd));
    }
    for (const other of this.features.values()) {
      const reach = this.windowOf(other);
      if (
        reach.rowStart < window.rowEnd &&
        reach.rowEnd > window.rowStart &&
        reach.columnStart < window.columnEnd &&
        reach.columnEnd > window.columnStart
      ) {
        this.stamp(other, window);
      }
    }
  }

  private stamp(feature: GreenFeature, window: GridWindow): void {
    const field = this.squaredMeters;
    // Inside an area the distance is 0; its boundary segments give the distance outside.
    for (const rings of feature.polygons) {
      scanPolygon(this.grid, rings, window, (row, columnStart, columnEnd) => {
        field.fill(0, this.offsetOf(row, columnStart), this.offsetOf(row, columnEnd));
      });
    }
    feature.paths.forEach((path, index) => {
      stampPath(
        field,
        this.grid,
        this.scales,
        path,
        this.reachMeters,
        window,
        this.storage,
        feature.pathSides?.[index],
      );
    });
  }
}
