/** @turf/area, loaded off the first page (the tool is used long after the page has loaded). */
let area: typeof import('@turf/area').area | null = null;
void import('@turf/area').then((module) => {
  area = module.area;
});

import type { MeasureMode, MeasureTarget } from '../map/measure-tool';
import type { DataSet } from './load-data';
import { Store } from './store';
import type { WalkMeasure } from './walk-measure';

type Point = [number, number];

/** The measuring tool's state: what it measures (null: off) and the points clicked, in order. */
export interface MeasureState {
  mode: MeasureMode | null;
  points: Point[];
  /** On foot: the walk through the points (null until two points and the network are there). */
  walk: WalkMeasure | null;
  /** On foot without a street layer: nothing to walk on. */
  noStreets: boolean;
}

type WalkModule = typeof import('./walk-measure');

const earthRadiusMeters = 6_371_008.8;

/** Great-circle metres between two `[lng, lat]` points (haversine). */
export function haversineMeters(a: readonly number[], b: readonly number[]): number {
  const radians = Math.PI / 180;
  const dLat = (b[1] - a[1]) * radians;
  const dLon = (b[0] - a[0]) * radians;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * radians) * Math.cos(b[1] * radians) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusMeters * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Metres along a path of `[lng, lat]` points (straight lines between them). */
export function pathMeters(points: readonly (readonly number[])[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += haversineMeters(points[i - 1], points[i]);
  return total;
}

/** Geodesic area (m²) of the polygon the points outline (closed back to the first); 0 under three points. */
export function polygonSquareMeters(points: readonly (readonly number[])[]): number {
  if (points.length < 3 || !area) return 0;
  const ring = [...points, points[0]].map((point) => [point[0], point[1]]);
  return area({ type: 'Polygon', coordinates: [ring] });
}

/**
 * The distance and area tool: "distance" sums the straight lines between the clicked points,
 * "area" closes them into a polygon (its area, perimeter and the figures of its cells). The map's
 * `MeasureTool` adds points on clicks (it sees this through `MeasureTarget`); "pick" takes the one
 * point of a click and gives the figures of the gap area or community there; "walk" measures on foot,
 * the shortest walk along the streets and greenways through the points (its code and the network load
 * on first use).
 */
export class MeasureController implements MeasureTarget {
  readonly store = new Store<MeasureState>({ mode: null, points: [], walk: null, noStreets: false });
  private walkModule: Promise<WalkModule> | null = null;

  /** `data` gives the data set whose streets are walked (none: measuring on foot is not offered). */
  constructor(private readonly data: () => DataSet | null = () => null) {
    this.store.subscribe((state, previous) => {
      if (state.mode === 'walk' && (state.points !== previous.points || state.mode !== previous.mode)) this.walk();
    });
  }

  /** Measures the walk through the points once the walking code and network are there. */
  private walk(): void {
    this.walkModule ??= import('./walk-measure');
    const points = this.store.get().points;
    void this.walkModule.then(({ walkNetworkOf, measureWalk }) => {
      const state = this.store.get();
      if (state.mode !== 'walk' || state.points !== points) return;
      const data = this.data();
      const network = data ? walkNetworkOf(data) : null;
      if (!network) this.store.set({ walk: null, noStreets: true });
      else this.store.set({ walk: points.length >= 2 ? measureWalk(network, points) : null, noStreets: false });
    });
  }

  /** The line drawn for the measure: on foot, the walk; otherwise null (the map joins the points). */
  route(): readonly (readonly [number, number])[] | null {
    const { mode, walk } = this.store.get();
    return mode === 'walk' ? (walk?.path ?? null) : null;
  }

  mode(): MeasureMode | null {
    return this.store.get().mode;
  }

  points(): readonly Point[] {
    return this.store.get().points;
  }

  subscribe(listener: () => void): () => void {
    return this.store.subscribe(() => listener());
  }

  /** Starts measuring (again, from no points); the same mode again stops. */
  toggle(mode: MeasureMode): void {
    const current = this.store.get().mode;
    this.store.set({ mode: current === mode ? null : mode, points: [], walk: null });
  }

  addPoint(point: Point): void {
    const { mode, points } = this.store.get();
    if (!mode) return;
    // Picking takes one point: each click picks again.
    this.store.set({ points: mode === 'pick' ? [point] : [...points, point] });
  }

  undo(): void {
    this.store.set({ points: this.store.get().points.slice(0, -1) });
  }

  clear(): void {
    this.store.set({ points: [], walk: null });
  }

  stop(): void {
    this.store.set({ mode: null, points: [], walk: null });
  }
}
