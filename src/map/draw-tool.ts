import { COORDINATE_SYSTEM, type Layer } from '@deck.gl/core';
import { ColumnLayer, GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Position } from 'geojson';
import { ScenarioController, type ScenarioFeature, type ScenarioState } from '../state/scenario';
import type { PlannerMap } from './planner-map';

/** Pixels a pointer may move and still count as a click (tap). */
const clickTolerance = 5;
/** Pixels around a line (or a polygon's edge) that still hit it. */
const hitTolerance = 8;

function pointInRing(x: number, y: number, ring: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function segmentDistance(px: number, py: number, a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / length));
  return Math.hypot(px - (a[0] + t * dx), py - (a[1] + t * dy));
}

/**
 * Scenario editing on the map with pointer events (mouse, pen and touch alike): place a pocket park
 * (click or tap; drag for a rectangle), draw a greenway (click points; double-click, Enter or the
 * finish button ends it), select and drag a scenario feature to move it. Draws the scenario's
 * features, the shape being drawn and the cells whose verdict changed as deck.gl layers of the map.
 */
export class DrawTool {
  private readonly element: HTMLElement;
  private gesture:
    | { type: 'move'; pointerId: number; key: string; start: Position; origin: ScenarioFeature[]; moved: boolean }
    | { type: 'park'; pointerId: number; start: Position; startPixel: [number, number]; end: Position | null }
    | { type: 'tap'; pointerId: number; startPixel: [number, number] }
    | null = null;
  /** Vertices of the greenway being drawn, and the pointer position for the rubber band. */
  private greenway: Position[] = [];
  private hover: Position | null = null;
  private suppressClickUntil = 0;
  private readonly unsubscribe: () => void;
  private readonly listeners: [EventTarget, string, EventListener][] = [];
  private changedPositions: { result: unknown; positions: Float32Array } | null = null;

  constructor(
    private readonly map: PlannerMap,
    private readonly controller: ScenarioController,
  ) {
    this.element = map.map.getCanvasContainer();
    const on = <E extends Event>(target: EventTarget, type: string, handler: (event: E) => void) => {
      target.addEventListener(type, handler as EventListener);
      this.listeners.push([target, type, handler as EventListener]);
    };
    on(this.element, 'pointerdown', (event: PointerEvent) => this.pointerDown(event));
    on(this.element, 'pointermove', (event: PointerEvent) => this.pointerMove(event));
    on(this.element, 'pointerup', (event: PointerEvent) => this.pointerUp(event));
    on(this.element, 'pointercancel', () => this.cancelGesture());
    on(this.element, 'dblclick', (event: MouseEvent) => {
      if (this.controller.store.get().mode === 'greenway') {
        event.preventDefault();
        this.finishGreenway();
      }
    });
    on(document, 'keydown', (event: KeyboardEvent) => this.keyDown(event));
    map.clickSuppressed = () =>
      this.controller.store.get().mode !== 'pan' || performance.now() < this.suppressClickUntil;
    this.unsubscribe = controller.store.subscribe((state, previous) => this.stateChanged(state, previous));
    this.stateChanged(controller.store.get(), null);
  }

  private stateChanged(state: ScenarioState, previous: ScenarioState | null): void {
    if (state.mode !== previous?.mode) {
      const drawing = state.mode === 'park' || state.mode === 'greenway';
      if (drawing) this.map.map.dragPan.disable();
      else this.map.map.dragPan.enable();
      if (drawing) this.map.map.doubleClickZoom.disable();
      else this.map.map.doubleClickZoom.enable();
      this.element.style.cursor = drawing ? 'crosshair' : '';
      if (state.mode !== 'greenway') this.greenway = [];
    }
    if (
      !previous ||
      state.features !== previous.features ||
      state.selectedKey !== previous.selectedKey ||
      state.changedCells !== previous.changedCells
    ) {
      this.render();
    }
  }

  private lngLat(event: PointerEvent | MouseEvent): { position: Position; pixel: [number, number] } {
    const rect = this.element.getBoundingClientRect();
    const pixel: [number, number] = [event.clientX - rect.left, event.clientY - rect.top];
    const point = this.map.map.unproject(pixel);
    return { position: [point.lng, point.lat], pixel };
  }

  /** The scenario feature under a screen point (topmost first), or null. */
  hitTest(pixel: [number, number]): string | null {
    const features = this.controller.store.get().features;
    for (let i = features.length - 1; i >= 0; i--) {
      const geometry = features[i].feature.geometry;
      if (!geometry) continue;
      const project = (ring: Position[]) => ring.map(([x, y]) => this.map.project(x, y));
      const lines: Position[][] =
        geometry.type === 'LineString'
          ? [geometry.coordinates]
          : geometry.type === 'MultiLineString'
            ? geometry.coordinates
            : geometry.type === 'Polygon'
              ? geometry.coordinates
              : geometry.type === 'MultiPolygon'
                ? geometry.coordinates.flat()
                : [];
      const polygons: Position[][] =
        geometry.type === 'Polygon'
          ? [geometry.coordinates[0]]
          : geometry.type === 'MultiPolygon'
            ? geometry.coordinates.map((polygon) => polygon[0])
            : [];
      if (polygons.some((ring) => pointInRing(pixel[0], pixel[1], project(ring)))) return features[i].key;
      for (const line of lines) {
        const points = project(line);
        for (let k = 1; k < points.length; k++) {
          if (segmentDistance(pixel[0], pixel[1], points[k - 1], points[k]) <= hitTolerance) return features[i].key;
        }
      }
    }
    return null;
  }

  private pointerDown(event: PointerEvent): void {
    if (event.button !== 0 || this.gesture) return;
    const { mode } = this.controller.store.get();
    const { position, pixel } = this.lngLat(event);
    if (mode === 'select' || mode === 'pan') {
      const key = this.hitTest(pixel);
      if (!key) {
        if (mode === 'select') this.controller.select(null);
        return;
      }
      // Grab the feature: the map must not pan under the pointer.
      this.map.map.dragPan.disable();
      this.controller.select(key);
      if (mode === 'pan') this.controller.setMode('select');
      this.gesture = {
        type: 'move',
        pointerId: event.pointerId,
        key,
        start: position,
        origin: this.controller.store.get().features,
        moved: false,
      };
      this.element.setPointerCapture?.(event.pointerId);
      event.stopPropagation();
    } else if (mode === 'park') {
      this.gesture = { type: 'park', pointerId: event.pointerId, start: position, startPixel: pixel, end: null };
      this.element.setPointerCapture?.(event.pointerId);
    } else if (mode === 'greenway') {
      this.gesture = { type: 'tap', pointerId: event.pointerId, startPixel: pixel };
    }
  }

  private pointerMove(event: PointerEvent): void {
    const gesture = this.gesture;
    const { position, pixel } = this.lngLat(event);
    if (!gesture) {
      if (this.controller.store.get().mode === 'greenway' && this.greenway.length > 0) {
        this.hover = position;
        this.render();
      }
      return;
    }
    if (gesture.pointerId !== event.pointerId) return;
    if (gesture.type === 'move') {
      gesture.moved = true;
      const dx = position[0] - gesture.start[0];
      const dy = position[1] - gesture.start[1];
      // Only the latest position matters: the controller sends edits once per frame, newest only.
      this.controller.preview(ScenarioController.moved(gesture.origin, gesture.key, dx, dy));
    } else if (gesture.type === 'park') {
      if (Math.hypot(pixel[0] - gesture.startPixel[0], pixel[1] - gesture.startPixel[1]) > clickTolerance) {
        gesture.end = position;
        this.render();
      }
    }
  }

  private pointerUp(event: PointerEvent): void {
    const gesture = this.gesture;
    if (!gesture || gesture.pointerId !== event.pointerId) return;
    this.gesture = null;
    const { position, pixel } = this.lngLat(event);
    if (gesture.type === 'move') {
      if (this.controller.store.get().mode !== 'park' && this.controller.store.get().mode !== 'greenway')
        this.map.map.dragPan.enable();
      if (gesture.moved) {
        this.controller.commit(this.controller.store.get().features, gesture.origin);
        this.suppressClickUntil = performance.now() + 300;
      }
    } else if (gesture.type === 'park') {
      if (gesture.end) this.controller.addRectangle(gesture.start, position);
      else this.controller.addPocketPark(gesture.start[0], gesture.start[1]);
      this.render();
    } else if (gesture.type === 'tap') {
      if (Math.hypot(pixel[0] - gesture.startPixel[0], pixel[1] - gesture.startPixel[1]) > clickTolerance) return;
      const last = this.greenway.length > 0 ? this.greenway[this.greenway.length - 1] : null;
      const lastPixel = last ? this.map.project(last[0], last[1]) : null;
      // The second click of a double-click lands on the same spot: one vertex.
      if (!lastPixel || Math.hypot(pixel[0] - lastPixel[0], pixel[1] - lastPixel[1]) > 3) this.greenway.push(position);
      this.render();
    }
  }

  private cancelGesture(): void {
    const gesture = this.gesture;
    this.gesture = null;
    if (gesture?.type === 'move') {
      this.controller.preview(gesture.origin);
      this.map.map.dragPan.enable();
    }
    this.render();
  }

  /** Ends the greenway being drawn (at least two points), as one edit. */
  finishGreenway(): void {
    const points = this.greenway;
    this.greenway = [];
    this.hover = null;
    if (points.length >= 2) this.controller.addGreenway(points);
    this.render();
  }

  /** Vertices placed so far of the greenway being drawn. */
  greenwayPoints(): number {
    return this.greenway.length;
  }

  private keyDown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && key === 'z') {
      event.preventDefault();
      if (event.shiftKey) this.controller.redo();
      else this.controller.undo();
    } else if ((event.ctrlKey || event.metaKey) && key === 'y') {
      event.preventDefault();
      this.controller.redo();
    } else if (key === 'enter' && this.controller.store.get().mode === 'greenway') {
      this.finishGreenway();
    } else if (key === 'escape') {
      this.greenway = [];
      this.cancelGesture();
      this.controller.setMode('pan');
    } else if ((key === 'delete' || key === 'backspace') && this.controller.store.get().selectedKey) {
      event.preventDefault();
      this.controller.remove();
    }
  }

  private changedCellPositions(state: ScenarioState): Float32Array {
    const result = state.result;
    if (!result || !state.changedCells) return new Float32Array(0);
    if (this.changedPositions?.result === state.changedCells) return this.changedPositions.positions;
    const { grid, cellIndex } = result;
    const positions = new Float32Array(state.changedCells.length * 2);
    state.changedCells.forEach((k, n) => {
      const row = Math.floor(cellIndex[k] / grid.columns);
      const column = cellIndex[k] - row * grid.columns;
      positions[n * 2] = (column + 0.5) * grid.longitudeStep;
      positions[n * 2 + 1] = (row + 0.5) * grid.latitudeStep;
    });
    this.changedPositions = { result: state.changedCells, positions };
    return positions;
  }

  private render(): void {
    const state = this.controller.store.get();
    const layers: Layer[] = [];
    const grid = state.result?.grid;
    const changed = this.changedCellPositions(state);
    if (grid) {
      layers.push(
        new ColumnLayer({
          id: 'scenario-changed-cells',
          coordinateSystem: COORDINATE_SYSTEM.LNGLAT_OFFSETS,
          coordinateOrigin: [grid.west, grid.south, 0],
          diskResolution: 4,
          angle: 45,
          radius: grid.cellMeters / Math.SQRT2,
          extruded: false,
          getElevation: 0,
          data: { length: changed.length / 2, attributes: { getPosition: { value: changed, size: 2 } } },
          filled: false,
          stroked: true,
          getLineColor: [0, 60, 220, 255],
          lineWidthUnits: 'pixels',
          getLineWidth: 1.5,
          updateTriggers: { getPosition: changed },
        }),
      );
    }
    const collection: FeatureCollection = { type: 'FeatureCollection', features: state.features.map((f) => f.feature) };
    layers.push(
      new GeoJsonLayer({
        id: 'scenario-features',
        data: collection,
        stroked: true,
        filled: true,
        getFillColor: [60, 200, 90, 220],
        getLineColor: [255, 120, 0, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: (feature: Feature) => (feature.geometry?.type.includes('LineString') ? 5 : 2),
        lineCapRounded: true,
        lineJointRounded: true,
      }),
    );
    const selected = state.features.find((f) => f.key === state.selectedKey);
    const preview: Feature[] = [];
    const gesture = this.gesture;
    if (gesture?.type === 'park' && gesture.end) {
      const [a, b] = [gesture.start, gesture.end];
      preview.push({
        type: 'Feature',
        properties: {},
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [a[0], a[1]],
              [b[0], a[1]],
              [b[0], b[1]],
              [a[0], b[1]],
              [a[0], a[1]],
            ],
          ],
        },
      });
    }
    if (this.greenway.length > 0) {
      const points = this.hover ? [...this.greenway, this.hover] : this.greenway;
      preview.push({
        type: 'Feature',
        properties: {},
        geometry:
          points.length > 1 ? { type: 'LineString', coordinates: points } : { type: 'Point', coordinates: points[0] },
      });
    }
    layers.push(
      new GeoJsonLayer({
        id: 'scenario-selected',
        data: selected ? [selected.feature, ...preview] : preview,
        stroked: true,
        filled: false,
        getLineColor: [220, 30, 30, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 3,
        pointRadiusUnits: 'pixels',
        getPointRadius: 5,
        getFillColor: [220, 30, 30, 255],
      }),
    );
    this.map.setExtraLayers('scenario', layers);
  }

  destroy(): void {
    this.unsubscribe();
    for (const [target, type, handler] of this.listeners) target.removeEventListener(type, handler);
    this.map.clickSuppressed = null;
    this.map.setExtraLayers('scenario', []);
  }
}
