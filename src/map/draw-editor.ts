import type { Feature, Geometry, Position } from 'geojson';
import type { CoverageResult } from '../coverage';

/**
 * What `DrawTool` reads and the edits it may ask for: the scenario controller (`src/state/scenario.ts`)
 * satisfies `DrawEditor` as it is, and the map imports nothing of it.
 */

/** The map tool in use: none (pan the map), select/move, place a pocket park, draw a greenway. */
export type DrawMode = 'pan' | 'select' | 'park' | 'greenway';

/** A scenario feature: its key and its GeoJSON (the editor's features may carry more fields). */
export interface DrawFeature {
  key: string;
  feature: Feature;
}

/** A vertex of the selected feature: the index path of its ring or line and its index there (`vertex-handles.ts`). */
export interface DrawVertex {
  path: number[];
  index: number;
}

/** What the tool reads of the editor's state. */
export interface DrawState {
  features: DrawFeature[];
  selectedKey: string | null;
  /** The vertex of the selected feature last pressed (reshaping). */
  selectedVertex: DrawVertex | null;
  mode: DrawMode;
  /** The result with the scenario's features: its grid places the changed cells. */
  result: Pick<CoverageResult, 'grid' | 'cellIndex'> | null;
  /** Positions in `result.cellIndex` whose verdict differs from the baseline's. */
  changedCells: Uint32Array | null;
}

/**
 * The reads and edits of scenario editing on the map. Every feature list the tool hands back is the
 * editor's own (`store.get().features`, or a copy made by `movedFeatures` / `withGeometry`, which keep
 * each feature's other fields).
 */
export interface DrawEditor {
  readonly store: {
    get(): DrawState;
    /** Calls `listener` after every change; returns the unsubscribe function. */
    subscribe(listener: (state: DrawState, previous: DrawState) => void): () => void;
  };
  setMode(mode: DrawMode): void;
  select(key: string | null): void;
  /** Selects a feature as a click on it with the select tool does. */
  selectFeature(key: string): void;
  selectVertex(vertex: DrawVertex | null): void;
  /** Why the last reshaping step was refused (null: it was accepted). */
  setReshapeRefused(reason: 'crossing' | null): void;
  /** Replaces the features as one undoable step (from `before`, by default the current ones). */
  commit(features: DrawFeature[], before?: DrawFeature[]): void;
  /** Replaces the features without a history step (a drag in progress). */
  preview(features: DrawFeature[]): void;
  /** Ends a drag without a history step, back at `features`. */
  revertPreview(features: DrawFeature[]): void;
  undo(): void;
  redo(): void;
  /** Removes the selected feature. */
  remove(): void;
  /** A pocket park centred on a point. */
  addPocketPark(longitude: number, latitude: number): void;
  /** A rectangular green area between two corners. */
  addRectangle(a: Position, b: Position): void;
  addGreenway(points: Position[]): void;
}

const round = (value: number) => Math.round(value * 1e7) / 1e7;

/** The features with one of them translated by (dx, dy) degrees from `origin` (the features when the drag began). */
export function movedFeatures<F extends DrawFeature>(origin: F[], key: string, dx: number, dy: number): F[] {
  const shift = (value: unknown): unknown =>
    Array.isArray(value) && typeof value[0] === 'number'
      ? [round(value[0] + dx), round((value[1] as number) + dy)]
      : Array.isArray(value)
        ? value.map(shift)
        : value;
  return origin.map((f) => {
    if (f.key !== key || !f.feature.geometry || !('coordinates' in f.feature.geometry)) return f;
    const geometry = { ...f.feature.geometry, coordinates: shift(f.feature.geometry.coordinates) } as Geometry;
    return { ...f, feature: { ...f.feature, geometry } };
  });
}

/** The features with one feature's geometry replaced (a reshape: vertices moved, inserted or deleted). */
export function withGeometry<F extends DrawFeature>(features: F[], key: string, geometry: Geometry): F[] {
  return features.map((f) => (f.key === key ? { ...f, feature: { ...f.feature, geometry } } : f));
}
