import { bbox } from '@turf/bbox';
import type { Position } from 'geojson';
import { type Handle, nearestHandle } from '../geometry/vertex-handles';
import { panIntoView } from './camera';
import { type DrawEditor, type DrawFeature, type DrawState, movedFeatures } from './draw-editor';
import { featureAtPixel } from './draw-hit';
import { editingKeyDown, vertexKeyDown } from './draw-keys';
import { ChangedCellPositions, drawLayers } from './draw-layers';
import type { PlannerMap } from './planner-map';
import {
  deleteVertexOf,
  dragVertex,
  selectedHandles,
  showsHandles,
  type VertexGesture,
  VertexTaps,
} from './vertex-editing';

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

/**
 * Scenario editing on the map with pointer events (mouse, pen and touch alike): place a pocket park
 * (click or tap; drag for a rectangle), draw a greenway (click points; double-click, Enter or the
 * finish button ends it), select and drag a scenario feature to move it. Draws the scenario's
 * features, the shape being drawn and the cells whose verdict changed as deck.gl layers of the map
 * (`draw-layers.ts`); reshaping through vertex handles is `vertex-editing.ts`'s. It reads and edits
 * the scenario through `DrawEditor` (`draw-editor.ts`), which the scenario controller satisfies.
 */
export class DrawTool {
  private readonly element: HTMLElement;
  private gesture:
    | { type: 'move'; pointerId: number; key: string; start: Position; origin: DrawFeature[]; moved: boolean }
    /** A vertex (or a midpoint, which inserts one) of the selected feature is dragged. */
    | VertexGesture
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
  private readonly changedPositions = new ChangedCellPositions();
  /** Taps on vertices (touch or pen), for double-tap deletion. */
  private readonly vertexTaps = new VertexTaps();
  /** Handles are drawn larger after a touch (a finger needs a bigger target). */
  private coarsePointer = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
  private doubleClickZoom = true;
  private readonly touchAction: string;

  constructor(
    private readonly map: PlannerMap,
    private readonly editor: DrawEditor,
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
      if (this.editor.store.get().mode === 'greenway') {
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
        this.deleteVertexOf(this.editor.store.get().selectedKey!, handle.path, handle.index);
      }
    });
    on(this.element, 'contextmenu', (event: Event) => {
      // A long press on a vertex deletes it; it must not also open the context menu.
      if (this.gesture?.type === 'vertex' || this.gesture?.type === 'done') event.preventDefault();
    });
    const tool = {
      finishGreenway: () => this.finishGreenway(),
      cancelDrawing: () => {
        this.greenway = [];
        this.cancelGesture();
      },
      deleteSelectedVertex: () => this.deleteSelectedVertex(),
    };
    on(document, 'keydown', (event: KeyboardEvent) => editingKeyDown(event, this.editor, tool));
    // Capture: the vertex keys must be taken before MapLibre's keyboard handler (on the canvas) pans the map.
    on(document, 'keydown', (event: KeyboardEvent) => vertexKeyDown(event, this.editor, this.gesture !== null), true);
    map.clickSuppressed = () => this.editor.store.get().mode !== 'pan' || performance.now() < this.suppressClickUntil;
    this.unsubscribe = editor.store.subscribe((state, previous) => this.stateChanged(state, previous));
    this.stateChanged(editor.store.get(), null);
  }

  private stateChanged(state: DrawState, previous: DrawState | null): void {
    const drawing = state.mode === 'park' || state.mode === 'greenway';
    if (state.mode !== previous?.mode) {
      if (drawing) this.map.map.dragPan.disable();
      else this.map.map.dragPan.enable();
      this.element.style.cursor = drawing ? 'crosshair' : '';
      if (state.mode !== 'greenway') this.greenway = [];
    }
    // A double-click (double tap) on a vertex handle deletes the vertex: the map must not zoom then.
    const zoom = !drawing && !showsHandles(state);
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

  /** The selected feature's handle under a screen point (vertices before midpoints), or null. */
  handleAt(pixel: [number, number], pointerType: string): Handle | null {
    const reach = pointerType === 'mouse' ? handleReach.mouse : handleReach.touch;
    return nearestHandle(selectedHandles(this.editor.store.get()), ([x, y]) => this.map.project(x, y), pixel, reach);
  }

  /**
   * Deletes a vertex of a feature as one undo step, unless the ring would keep fewer than 3 vertices or
   * the line fewer than 2; returns whether it did.
   */
  deleteVertexOf(key: string, path: number[], index: number): boolean {
    return deleteVertexOf(this.editor, key, path, index);
  }

  /** Deletes the selected vertex (panel button, Delete key); false when there is none or it must stay. */
  deleteSelectedVertex(): boolean {
    const { selectedKey, selectedVertex } = this.editor.store.get();
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
    return featureAtPixel(this.editor.store.get().features, pixel, (x, y) => this.map.project(x, y), tolerance);
  }

  private pointerDown(event: PointerEvent): void {
    if (event.button !== 0 || this.gesture) return;
    const coarse = event.pointerType !== 'mouse';
    if (coarse !== this.coarsePointer) {
      this.coarsePointer = coarse;
      this.render();
    }
    const { mode } = this.editor.store.get();
    const { position, pixel } = this.lngLat(event);
    if (mode === 'select' || mode === 'pan') {
      const handle = this.handleAt(pixel, event.pointerType);
      if (handle) {
        this.grabHandle(event, handle, position, pixel);
        return;
      }
      const key = this.hitTest(pixel, event.pointerType);
      if (!key) {
        if (mode === 'select') this.editor.select(null);
        return;
      }
      // Grab the feature: the map must not pan under the pointer.
      this.map.map.dragPan.disable();
      this.editor.select(key);
      this.editor.selectVertex(null);
      if (mode === 'pan') this.editor.setMode('select');
      this.gesture = {
        type: 'move',
        pointerId: event.pointerId,
        key,
        start: position,
        origin: this.editor.store.get().features,
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
    const state = this.editor.store.get();
    const selected = state.features.find((f) => f.key === state.selectedKey);
    if (!selected?.feature.geometry) return;
    this.map.map.dragPan.disable();
    if (state.mode === 'pan') this.editor.setMode('select');
    if (handle.kind === 'vertex') this.editor.selectVertex({ path: handle.path, index: handle.index });
    const gesture: VertexGesture = {
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
        this.vertexTaps.forget();
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
      if (this.editor.store.get().mode === 'greenway' && this.greenway.length > 0) {
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
      this.editor.preview(movedFeatures(gesture.origin, gesture.key, dx, dy));
    } else if (gesture.type === 'vertex') {
      if (!gesture.moved) {
        const tolerance = gesture.pointerType === 'mouse' ? clickTolerance : touchTolerance;
        if (Math.hypot(pixel[0] - gesture.startPixel[0], pixel[1] - gesture.startPixel[1]) <= tolerance) return;
        gesture.moved = true;
        if (gesture.longPress) clearTimeout(gesture.longPress);
        gesture.longPress = null;
      }
      dragVertex(this.editor, gesture, position);
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
      if (this.editor.store.get().mode !== 'park' && this.editor.store.get().mode !== 'greenway')
        this.map.map.dragPan.enable();
    }
    if (gesture.type === 'done') {
      this.suppressClickUntil = performance.now() + 300;
    } else if (gesture.type === 'move' || gesture.type === 'vertex') {
      if (gesture.type === 'vertex' && gesture.longPress) clearTimeout(gesture.longPress);
      if (gesture.moved) {
        // The whole drag is one undo step.
        this.editor.commit(this.editor.store.get().features, gesture.origin);
        this.suppressClickUntil = performance.now() + 300;
        this.vertexTaps.forget();
      } else if (gesture.type === 'vertex' && !gesture.insert && gesture.pointerType !== 'mouse') {
        // A double tap on a vertex deletes it.
        if (this.vertexTaps.isDoubleTap(gesture.key, gesture.path, gesture.index))
          this.deleteVertexOf(gesture.key, gesture.path, gesture.index);
      }
    } else if (gesture.type === 'park') {
      if (gesture.end) this.editor.addRectangle(gesture.start, position);
      else this.editor.addPocketPark(gesture.start[0], gesture.start[1]);
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
        this.editor.revertPreview(gesture.origin);
      const mode = this.editor.store.get().mode;
      if (mode !== 'park' && mode !== 'greenway') this.map.map.dragPan.enable();
    }
    this.render();
  }

  /** Ends the greenway being drawn (at least two points), as one edit. */
  finishGreenway(): void {
    const points = this.greenway;
    this.greenway = [];
    this.hover = null;
    if (points.length >= 2) this.editor.addGreenway(points);
    this.render();
  }

  /**
   * Selects a scenario feature from the panel (keyboard or click on its list entry), as a click on it on the
   * map with the select tool does, and pans the map to it when it is not wholly on screen (the zoom stays).
   */
  selectFeature(key: string): void {
    this.editor.selectFeature(key);
    const geometry = this.editor.store.get().features.find((f) => f.key === key)?.feature.geometry;
    if (!geometry) return;
    const [west, south, east, north] = bbox(geometry);
    if (west <= east) panIntoView(this.map.map, [west, south, east, north]);
  }

  /** Vertices placed so far of the greenway being drawn. */
  greenwayPoints(): number {
    return this.greenway.length;
  }

  private render(): void {
    const state = this.editor.store.get();
    const gesture = this.gesture;
    const overlay = {
      rectangle:
        gesture?.type === 'park' && gesture.end ? ([gesture.start, gesture.end] as [Position, Position]) : null,
      greenway: this.greenway,
      hover: this.hover,
      handles: selectedHandles(state),
      coarsePointer: this.coarsePointer,
    };
    this.map.setExtraLayers('scenario', drawLayers(state, overlay, this.changedPositions.of(state)));
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
