import { COORDINATE_SYSTEM, type Layer } from '@deck.gl/core';
import { ColumnLayer, GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import { bbox } from '@turf/bbox';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { ScenarioController, type ScenarioFeature, type ScenarioState } from '../state/scenario';
import type { PlannerMap } from './planner-map';
import {
  deleteVertex,
  type Handle,
  handlesOf,
  insertVertex,
  moveVertex,
  nearestHandle,
  offsetByMeters,
  partAt,
  reshapeCrosses,
  steppedVertex,
  vertexKeyStepMeters,
} from './vertex-handles';

/** Pixels a pointer may move and still count as a click (tap). */
const clickTolerance = 5;
/** The same for a finger, which wobbles more. */
const touchTolerance = 10;
/** Pixels around a line (or a polygon's edge) that still hit it: mouse, and finger or pen. */
const hitTolerance = { mouse: 8, touch: 16 };
/** Pixels around a vertex or midpoint handle that grab it: mouse, and finger or pen. */
const handleReach = { mouse: 10, touch: 22 };
/** A finger held this long on a vertex without moving deletes it. */
const longPressMs = 600;
/** Two taps on the same vertex within this time delete it (a mouse uses the browser's dblclick). */
const doubleTapMs = 500;

function pointInRing(x: number, y: number, ring: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** `[west, south, east, north]` of a geometry's positions, or null when it has none. */
function geometryBounds(geometry: Geometry): [number, number, number, number] | null {
  const [west, south, east, north] = bbox(geometry);
  return west <= east ? [west, south, east, north] : null;
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
    | {
        /** A vertex (or a midpoint, which inserts one) of the selected feature is dragged. */
        type: 'vertex';
        pointerId: number;
        pointerType: string;
        key: string;
        /** The ring or line (index path into the coordinates). */
        path: number[];
        /** The vertex dragged; for a midpoint, the vertex before it (the new one is `index + 1`). */
        index: number;
        insert: boolean;
        origin: ScenarioFeature[];
        geometry: Geometry;
        /** Handle position minus pointer position (degrees), so the vertex does not jump to the pointer. */
        offset: [number, number];
        startPixel: [number, number];
        moved: boolean;
        longPress: ReturnType<typeof setTimeout> | null;
      }
    /** A long press deleted a vertex: the rest of the gesture does nothing. */
    | { type: 'done'; pointerId: number }
    | { type: 'park'; pointerId: number; start: Position; startPixel: [number, number]; end: Position | null }
    | { type: 'tap'; pointerId: number; startPixel: [number, number] }
    | null = null;
  /** Vertices of the greenway being drawn, and the pointer position for the rubber band. */
  private greenway: Position[] = [];
  private hover: Position | null = null;
  private suppressClickUntil = 0;
  private readonly unsubscribe: () => void;
  private readonly listeners: [EventTarget, string, EventListener, boolean][] = [];
  private changedPositions: { result: unknown; positions: Float32Array } | null = null;
  /** The last tap on a vertex (touch or pen), for double-tap deletion. */
  private lastVertexTap: { key: string; path: string; index: number; time: number } | null = null;
  /** Handles are drawn larger after a touch (a finger needs a bigger target). */
  private coarsePointer = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
  private doubleClickZoom = true;
  private readonly touchAction: string;

  constructor(
    private readonly map: PlannerMap,
    private readonly controller: ScenarioController,
  ) {
    this.element = map.map.getCanvasContainer();
    // Every touch gesture on the map is the app's (MapLibre pans and zooms itself; the tools draw, move and
    // reshape): without this, a finger drawing while panning is off would scroll the page and cancel the pointer.
    this.touchAction = this.element.style.touchAction;
    this.element.style.touchAction = 'none';
    const on = <E extends Event>(target: EventTarget, type: string, handler: (event: E) => void, capture = false) => {
      target.addEventListener(type, handler as EventListener, capture);
      this.listeners.push([target, type, handler as EventListener, capture]);
    };
    on(this.element, 'pointerdown', (event: PointerEvent) => this.pointerDown(event));
    on(this.element, 'pointermove', (event: PointerEvent) => this.pointerMove(event));
    on(this.element, 'pointerup', (event: PointerEvent) => this.pointerUp(event));
    on(this.element, 'pointercancel', () => this.cancelGesture());
    on(this.element, 'dblclick', (event: MouseEvent) => {
      if (this.controller.store.get().mode === 'greenway') {
        event.preventDefault();
        this.finishGreenway();
        return;
      }
      // A double-click on a vertex deletes it (a double tap is recognised from pointer events instead).
      const fromTouch = (event as MouseEvent & { sourceCapabilities?: { firesTouchEvents?: boolean } })
        .sourceCapabilities?.firesTouchEvents;
      if (fromTouch) return;
      const handle = this.handleAt(this.lngLat(event).pixel, 'mouse');
      if (handle?.kind === 'vertex') {
        event.preventDefault();
        event.stopPropagation();
        this.deleteVertexOf(this.controller.store.get().selectedKey!, handle.path, handle.index);
      }
    });
    on(this.element, 'contextmenu', (event: Event) => {
      // A long press on a vertex deletes it; it must not also open the context menu.
      if (this.gesture?.type === 'vertex' || this.gesture?.type === 'done') event.preventDefault();
    });
    on(document, 'keydown', (event: KeyboardEvent) => this.keyDown(event));
    // Capture: the vertex keys must be taken before MapLibre's keyboard handler (on the canvas) pans the map.
    on(document, 'keydown', (event: KeyboardEvent) => this.vertexKeyDown(event), true);
    map.clickSuppressed = () =>
      this.controller.store.get().mode !== 'pan' || performance.now() < this.suppressClickUntil;
    this.unsubscribe = controller.store.subscribe((state, previous) => this.stateChanged(state, previous));
    this.stateChanged(controller.store.get(), null);
  }

  private stateChanged(state: ScenarioState, previous: ScenarioState | null): void {
    const drawing = state.mode === 'park' || state.mode === 'greenway';
    if (state.mode !== previous?.mode) {
      if (drawing) this.map.map.dragPan.disable();
      else this.map.map.dragPan.enable();
      this.element.style.cursor = drawing ? 'crosshair' : '';
      if (state.mode !== 'greenway') this.greenway = [];
    }
    // A double-click (double tap) on a vertex handle deletes the vertex: the map must not zoom then.
    const zoom = !drawing && !this.showsHandles(state);
    if (zoom !== this.doubleClickZoom) {
      this.doubleClickZoom = zoom;
      if (zoom) this.map.map.doubleClickZoom.enable();
      else this.map.map.doubleClickZoom.disable();
    }
    if (
      !previous ||
      state.features !== previous.features ||
      state.selectedKey !== previous.selectedKey ||
      state.selectedVertex !== previous.selectedVertex ||
      state.mode !== previous.mode ||
      state.changedCells !== previous.changedCells
    ) {
      this.render();
    }
  }

  /** Whether the selected feature shows its vertex handles (it does in the pan and select tools). */
  private showsHandles(state: ScenarioState): boolean {
    return (state.mode === 'select' || state.mode === 'pan') && state.selectedKey !== null;
  }

  /** The selected feature's handles, when it shows them. */
  private handles(state = this.controller.store.get()): Handle[] {
    if (!this.showsHandles(state)) return [];
    const selected = state.features.find((f) => f.key === state.selectedKey);
    return selected ? handlesOf(selected.feature.geometry) : [];
  }

  /** The selected feature's handle under a screen point (vertices before midpoints), or null. */
  handleAt(pixel: [number, number], pointerType: string): Handle | null {
    const reach = pointerType === 'mouse' ? handleReach.mouse : handleReach.touch;
    return nearestHandle(this.handles(), ([x, y]) => this.map.project(x, y), pixel, reach);
  }

  /**
   * Deletes a vertex of a feature as one undo step, unless the ring would keep fewer than 3 vertices or
   * the line fewer than 2; returns whether it did.
   */
  deleteVertexOf(key: string, path: number[], index: number): boolean {
    const features = this.controller.store.get().features;
    const geometry = features.find((f) => f.key === key)?.feature.geometry;
    const reshaped = geometry ? deleteVertex(geometry, path, index) : null;
    if (!reshaped) return false;
    this.controller.commit(ScenarioController.withGeometry(features, key, reshaped));
    this.controller.selectVertex(null);
    return true;
  }

  /** Deletes the selected vertex (panel button, Delete key); false when there is none or it must stay. */
  deleteSelectedVertex(): boolean {
    const { selectedKey, selectedVertex } = this.controller.store.get();
    if (!selectedKey || !selectedVertex) return false;
    return this.deleteVertexOf(selectedKey, selectedVertex.path, selectedVertex.index);
  }

  private lngLat(event: PointerEvent | MouseEvent): { position: Position; pixel: [number, number] } {
    const rect = this.element.getBoundingClientRect();
    const pixel: [number, number] = [event.clientX - rect.left, event.clientY - rect.top];
    const point = this.map.map.unproject(pixel);
    return { position: [point.lng, point.lat], pixel };
  }

  /** The scenario feature under a screen point (topmost first), or null. */
  hitTest(pixel: [number, number], pointerType = 'mouse'): string | null {
    const tolerance = pointerType === 'mouse' ? hitTolerance.mouse : hitTolerance.touch;
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
          if (segmentDistance(pixel[0], pixel[1], points[k - 1], points[k]) <= tolerance) return features[i].key;
        }
      }
    }
    return null;
  }

  private pointerDown(event: PointerEvent): void {
    if (event.button !== 0 || this.gesture) return;
    const coarse = event.pointerType !== 'mouse';
    if (coarse !== this.coarsePointer) {
      this.coarsePointer = coarse;
      this.render();
    }
    const { mode } = this.controller.store.get();
    const { position, pixel } = this.lngLat(event);
    if (mode === 'select' || mode === 'pan') {
      const handle = this.handleAt(pixel, event.pointerType);
      if (handle) {
        this.grabHandle(event, handle, position, pixel);
        return;
      }
      const key = this.hitTest(pixel, event.pointerType);
      if (!key) {
        if (mode === 'select') this.controller.select(null);
        return;
      }
      // Grab the feature: the map must not pan under the pointer.
      this.map.map.dragPan.disable();
      this.controller.select(key);
      this.controller.selectVertex(null);
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

  /** Starts dragging a vertex or midpoint handle of the selected feature. */
  private grabHandle(event: PointerEvent, handle: Handle, position: Position, pixel: [number, number]): void {
    const state = this.controller.store.get();
    const selected = state.features.find((f) => f.key === state.selectedKey);
    if (!selected?.feature.geometry) return;
    this.map.map.dragPan.disable();
    if (state.mode === 'pan') this.controller.setMode('select');
    if (handle.kind === 'vertex') this.controller.selectVertex({ path: handle.path, index: handle.index });
    const gesture: Extract<NonNullable<DrawTool['gesture']>, { type: 'vertex' }> = {
      type: 'vertex',
      pointerId: event.pointerId,
      pointerType: event.pointerType,
      key: selected.key,
      path: handle.path,
      index: handle.index,
      insert: handle.kind === 'midpoint',
      origin: state.features,
      geometry: selected.feature.geometry,
      offset: [handle.position[0] - position[0], handle.position[1] - position[1]],
      startPixel: pixel,
      moved: false,
      longPress: null,
    };
    if (handle.kind === 'vertex' && event.pointerType !== 'mouse') {
      gesture.longPress = setTimeout(() => {
        gesture.longPress = null;
        if (this.gesture !== gesture || gesture.moved) return;
        this.gesture = { type: 'done', pointerId: gesture.pointerId };
        this.lastVertexTap = null;
        this.deleteVertexOf(gesture.key, gesture.path, gesture.index);
      }, longPressMs);
    }
    this.gesture = gesture;
    this.element.setPointerCapture?.(event.pointerId);
    event.stopPropagation();
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
    } else if (gesture.type === 'vertex') {
      if (!gesture.moved) {
        const tolerance = gesture.pointerType === 'mouse' ? clickTolerance : touchTolerance;
        if (Math.hypot(pixel[0] - gesture.startPixel[0], pixel[1] - gesture.startPixel[1]) <= tolerance) return;
        gesture.moved = true;
        if (gesture.longPress) clearTimeout(gesture.longPress);
        gesture.longPress = null;
      }
      const target: Position = [position[0] + gesture.offset[0], position[1] + gesture.offset[1]];
      // Always from the geometry as it was when the drag began: only the latest position matters.
      const geometry = gesture.insert
        ? insertVertex(gesture.geometry, gesture.path, gesture.index, target)
        : moveVertex(gesture.geometry, gesture.path, gesture.index, target);
      if (reshapeCrosses(gesture.geometry, geometry, gesture.path)) {
        // Refused: the shape (and its handle) stays at the last accepted position, and the panel says why.
        this.controller.setReshapeRefused('crossing');
        return;
      }
      this.controller.setReshapeRefused(null);
      const index = gesture.insert ? gesture.index + 1 : gesture.index;
      const selected = this.controller.store.get().selectedVertex;
      if (selected?.index !== index || selected.path.join() !== gesture.path.join())
        this.controller.selectVertex({ path: gesture.path, index });
      this.controller.preview(ScenarioController.withGeometry(gesture.origin, gesture.key, geometry));
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
    if (gesture.type === 'move' || gesture.type === 'vertex' || gesture.type === 'done') {
      if (this.controller.store.get().mode !== 'park' && this.controller.store.get().mode !== 'greenway')
        this.map.map.dragPan.enable();
    }
    if (gesture.type === 'done') {
      this.suppressClickUntil = performance.now() + 300;
    } else if (gesture.type === 'move' || gesture.type === 'vertex') {
      if (gesture.type === 'vertex' && gesture.longPress) clearTimeout(gesture.longPress);
      if (gesture.moved) {
        // The whole drag is one undo step.
        this.controller.commit(this.controller.store.get().features, gesture.origin);
        this.suppressClickUntil = performance.now() + 300;
        this.lastVertexTap = null;
      } else if (gesture.type === 'vertex' && !gesture.insert && gesture.pointerType !== 'mouse') {
        // A double tap on a vertex deletes it.
        const tap = { key: gesture.key, path: gesture.path.join(), index: gesture.index, time: performance.now() };
        const last = this.lastVertexTap;
        if (
          last &&
          last.key === tap.key &&
          last.path === tap.path &&
          last.index === tap.index &&
          tap.time - last.time < doubleTapMs
        ) {
          this.lastVertexTap = null;
          this.deleteVertexOf(gesture.key, gesture.path, gesture.index);
        } else this.lastVertexTap = tap;
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
    if (gesture?.type === 'vertex' && gesture.longPress) clearTimeout(gesture.longPress);
    if (gesture?.type === 'move' || gesture?.type === 'vertex' || gesture?.type === 'done') {
      if ((gesture.type === 'move' || gesture.type === 'vertex') && gesture.moved)
        this.controller.revertPreview(gesture.origin);
      const mode = this.controller.store.get().mode;
      if (mode !== 'park' && mode !== 'greenway') this.map.map.dragPan.enable();
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

  /**
   * Selects a scenario feature from the panel (keyboard or click on its list entry), as a click on it on the
   * map with the select tool does, and pans the map to it when it is not wholly on screen (the zoom stays).
   */
  selectFeature(key: string): void {
    this.controller.selectFeature(key);
    const geometry = this.controller.store.get().features.find((f) => f.key === key)?.feature.geometry;
    const box = geometry ? geometryBounds(geometry) : null;
    if (!box) return;
    const container = this.map.map.getContainer();
    const corners = [this.map.project(box[0], box[1]), this.map.project(box[2], box[3])];
    const onScreen = corners.every(
      ([x, y]) => x >= 0 && y >= 0 && x <= container.clientWidth && y <= container.clientHeight,
    );
    if (onScreen) return;
    const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    this.map.map.easeTo({
      center: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2],
      duration: reducedMotion ? 0 : 400,
    });
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
      this.controller.selectVertex(null);
      this.controller.setMode('pan');
    } else if ((key === 'delete' || key === 'backspace') && this.controller.store.get().selectedKey) {
      event.preventDefault();
      // With a vertex selected, the vertex goes (when the shape can lose it); else the feature.
      if (this.controller.store.get().selectedVertex) this.deleteSelectedVertex();
      else this.controller.remove();
    }
  }

  /**
   * The vertex keys, while the selected feature shows its handles: `]` and `[` select the next and previous
   * vertex (Tab stays the browser's focus navigation); the arrow keys move the selected vertex east, west,
   * north or south by `vertexKeyStepMeters` (Shift: the larger step). Keys typed into a field or meant for
   * a slider (the swipe divider) are left alone.
   */
  private vertexKeyDown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    if (
      target &&
      (target.isContentEditable ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) ||
        target.closest?.('[role="slider"]'))
    )
      return;
    if (event.ctrlKey || event.metaKey || event.altKey || this.gesture) return;
    const state = this.controller.store.get();
    if (!this.showsHandles(state)) return;
    const selected = state.features.find((f) => f.key === state.selectedKey);
    const geometry = selected?.feature.geometry;
    if (!selected || !geometry) return;
    if (event.key === '[' || event.key === ']') {
      const vertex = steppedVertex(geometry, state.selectedVertex, event.key === ']' ? 1 : -1);
      if (!vertex) return;
      event.preventDefault();
      event.stopPropagation();
      this.controller.selectVertex(vertex);
      return;
    }
    const direction: Record<string, [number, number]> = {
      ArrowRight: [1, 0],
      ArrowLeft: [-1, 0],
      ArrowUp: [0, 1],
      ArrowDown: [0, -1],
    };
    const unit = direction[event.key];
    const vertex = state.selectedVertex;
    const position = vertex ? partAt(geometry, vertex.path)?.vertices[vertex.index] : undefined;
    if (!unit || !vertex || !position) return;
    // The key is the vertex's now, whether or not the move is accepted: the map must not pan.
    event.preventDefault();
    event.stopPropagation();
    const stepMeters = event.shiftKey ? vertexKeyStepMeters.shift : vertexKeyStepMeters.normal;
    const moved = offsetByMeters(position, unit[0] * stepMeters, unit[1] * stepMeters);
    const reshaped = moveVertex(geometry, vertex.path, vertex.index, moved);
    if (reshapeCrosses(geometry, reshaped, vertex.path)) {
      this.controller.setReshapeRefused('crossing');
      return;
    }
    this.controller.setReshapeRefused(null);
    // Each press is one undo step, as a nudge is in drawing programs: undo takes back exactly one press.
    // The controller still sends the worker only the newest state once per frame, so a held key costs no more.
    this.controller.commit(ScenarioController.withGeometry(state.features, selected.key, reshaped));
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
    const handles = this.handles(state);
    if (handles.length > 0) {
      const vertex = state.selectedVertex;
      const isSelected = (handle: Handle) =>
        handle.kind === 'vertex' &&
        vertex !== null &&
        handle.index === vertex.index &&
        handle.path.join() === vertex.path.join();
      const [vertexRadius, midpointRadius] = this.coarsePointer ? [9, 7] : [6, 4];
      layers.push(
        new ScatterplotLayer<Handle>({
          id: 'scenario-vertex-handles',
          // Midpoints first, so vertices are drawn over them.
          data: [...handles].reverse(),
          getPosition: (handle) => handle.position as [number, number],
          radiusUnits: 'pixels',
          getRadius: (handle) => (handle.kind === 'vertex' ? vertexRadius : midpointRadius),
          stroked: true,
          filled: true,
          lineWidthUnits: 'pixels',
          getLineWidth: (handle) => (handle.kind === 'vertex' ? 2 : 1.5),
          getLineColor: (handle) => (handle.kind === 'vertex' ? [220, 30, 30, 255] : [220, 30, 30, 200]),
          getFillColor: (handle) =>
            isSelected(handle)
              ? [220, 30, 30, 255]
              : handle.kind === 'vertex'
                ? [255, 255, 255, 255]
                : [255, 255, 255, 150],
          updateTriggers: {
            getFillColor: [vertex?.path.join(), vertex?.index],
            getRadius: [vertexRadius],
          },
        }),
      );
    }
    this.map.setExtraLayers('scenario', layers);
  }

  destroy(): void {
    this.unsubscribe();
    for (const [target, type, handler, capture] of this.listeners) target.removeEventListener(type, handler, capture);
    if (this.gesture?.type === 'vertex' && this.gesture.longPress) clearTimeout(this.gesture.longPress);
    this.map.clickSuppressed = null;
    this.map.setExtraLayers('scenario', []);
    this.element.style.touchAction = this.touchAction;
  }
}
