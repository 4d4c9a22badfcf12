import type { Geometry, Position } from 'geojson';
import {
  deleteVertex,
  type Handle,
  handlesOf,
  insertVertex,
  moveVertex,
  offsetByMeters,
  partAt,
  reshapeCrosses,
  steppedVertex,
  vertexKeyStepMeters,
} from '../geometry/vertex-handles';
import { type DrawEditor, type DrawState, withGeometry } from './draw-editor';

/**
 * Reshaping the selected scenario feature through its handles: dragging a vertex or a midpoint (which
 * inserts one), deleting a vertex, and the vertex keys. The geometry work is `vertex-handles.ts`'s;
 * this asks the editor for the edits.
 */

/** A vertex (or a midpoint, which inserts one) of the selected feature being dragged. */
export interface VertexGesture {
  type: 'vertex';
  pointerId: number;
  pointerType: string;
  key: string;
  /** The ring or line (index path into the coordinates). */
  path: number[];
  /** The vertex dragged; for a midpoint, the vertex before it (the new one is `index + 1`). */
  index: number;
  insert: boolean;
  origin: DrawState['features'];
  geometry: Geometry;
  /** Handle position minus pointer position (degrees), so the vertex does not jump to the pointer. */
  offset: [number, number];
  startPixel: [number, number];
  moved: boolean;
  longPress: ReturnType<typeof setTimeout> | null;
}

/** Two taps on the same vertex within this time delete it (a mouse uses the browser's dblclick). */
const doubleTapMs = 500;

/** Recognises a double tap on a vertex (touch or pen) from single taps. */
export class VertexTaps {
  private last: { key: string; path: string; index: number; time: number } | null = null;

  /** Records a tap on a vertex; true when it is the second of a double tap on it (then forgotten). */
  isDoubleTap(key: string, path: number[], index: number): boolean {
    const tap = { key, path: path.join(), index, time: performance.now() };
    const last = this.last;
    if (
      last &&
      last.key === key &&
      last.path === tap.path &&
      last.index === index &&
      tap.time - last.time < doubleTapMs
    ) {
      this.last = null;
      return true;
    }
    this.last = tap;
    return false;
  }

  /** Forgets the last tap (a drag or a long press came between). */
  forget(): void {
    this.last = null;
  }
}

/** Whether the selected feature shows its vertex handles (it does in the pan and select tools). */
export function showsHandles(state: DrawState): boolean {
  return (state.mode === 'select' || state.mode === 'pan') && state.selectedKey !== null;
}

/** The selected feature's handles, when it shows them. */
export function selectedHandles(state: DrawState): Handle[] {
  if (!showsHandles(state)) return [];
  const selected = state.features.find((f) => f.key === state.selectedKey);
  return selected ? handlesOf(selected.feature.geometry) : [];
}

/**
 * Deletes a vertex of a feature as one undo step, unless the ring would keep fewer than 3 vertices or
 * the line fewer than 2; returns whether it did.
 */
export function deleteVertexOf(editor: DrawEditor, key: string, path: number[], index: number): boolean {
  const features = editor.store.get().features;
  const geometry = features.find((f) => f.key === key)?.feature.geometry;
  const reshaped = geometry ? deleteVertex(geometry, path, index) : null;
  if (!reshaped) return false;
  editor.commit(withGeometry(features, key, reshaped));
  editor.selectVertex(null);
  return true;
}

/**
 * A drag of a handle has reached `position`: previews the reshaped feature, always from the geometry
 * as it was when the drag began (only the latest position matters), unless its outline would cross.
 */
export function dragVertex(editor: DrawEditor, gesture: VertexGesture, position: Position): void {
  const target: Position = [position[0] + gesture.offset[0], position[1] + gesture.offset[1]];
  const geometry = gesture.insert
    ? insertVertex(gesture.geometry, gesture.path, gesture.index, target)
    : moveVertex(gesture.geometry, gesture.path, gesture.index, target);
  if (reshapeCrosses(gesture.geometry, geometry, gesture.path)) {
    // Refused: the shape (and its handle) stays at the last accepted position, and the panel says why.
    editor.setReshapeRefused('crossing');
    return;
  }
  editor.setReshapeRefused(null);
  const index = gesture.insert ? gesture.index + 1 : gesture.index;
  const selected = editor.store.get().selectedVertex;
  if (selected?.index !== index || selected.path.join() !== gesture.path.join())
    editor.selectVertex({ path: gesture.path, index });
  editor.preview(withGeometry(gesture.origin, gesture.key, geometry));
}

const arrowDirections: Record<string, [number, number]> = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowUp: [0, 1],
  ArrowDown: [0, -1],
};

/**
 * A vertex key while the selected feature shows its handles: `]` and `[` select the next and previous
 * vertex; the arrow keys move the selected vertex east, west, north or south by `vertexKeyStepMeters`
 * (Shift: the larger step). Returns whether the key was the vertex's (the map must not take it then).
 */
export function vertexKey(editor: DrawEditor, key: string, shiftKey: boolean): boolean {
  const state = editor.store.get();
  if (!showsHandles(state)) return false;
  const selected = state.features.find((f) => f.key === state.selectedKey);
  const geometry = selected?.feature.geometry;
  if (!selected || !geometry) return false;
  if (key === '[' || key === ']') {
    const vertex = steppedVertex(geometry, state.selectedVertex, key === ']' ? 1 : -1);
    if (!vertex) return false;
    editor.selectVertex(vertex);
    return true;
  }
  const unit = arrowDirections[key];
  const vertex = state.selectedVertex;
  const position = vertex ? partAt(geometry, vertex.path)?.vertices[vertex.index] : undefined;
  if (!unit || !vertex || !position) return false;
  // The key is the vertex's now, whether or not the move is accepted.
  const stepMeters = shiftKey ? vertexKeyStepMeters.shift : vertexKeyStepMeters.normal;
  const moved = offsetByMeters(position, unit[0] * stepMeters, unit[1] * stepMeters);
  const reshaped = moveVertex(geometry, vertex.path, vertex.index, moved);
  if (reshapeCrosses(geometry, reshaped, vertex.path)) {
    editor.setReshapeRefused('crossing');
    return true;
  }
  editor.setReshapeRefused(null);
  // Each press is one undo step, as a nudge is in drawing programs: undo takes back exactly one press.
  // The controller still sends the worker only the newest state once per frame, so a held key costs no more.
  editor.commit(withGeometry(state.features, selected.key, reshaped));
  return true;
}
