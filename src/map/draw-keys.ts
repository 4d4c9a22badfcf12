import type { DrawEditor } from './draw-editor';
import { vertexKey } from './vertex-editing';

/** The keyboard of scenario editing on the map (document-wide, so it works wherever focus is). */

/** Whether a key event's target takes typing (a field), or is a slider when `sliders` (the swipe divider). */
function keysBelongTo(target: EventTarget | null, sliders: boolean): boolean {
  const element = target as HTMLElement | null;
  if (!element) return false;
  if (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName)) return true;
  return sliders && Boolean(element.closest?.('[role="slider"]'));
}

/** What the editing keys ask of the drawing tool. */
export interface KeyedTool {
  finishGreenway(): void;
  /** Drops the gesture in progress and the greenway being drawn. */
  cancelDrawing(): void;
  deleteSelectedVertex(): boolean;
}

/**
 * Ctrl/Cmd+Z undo (with Shift redo), Ctrl/Cmd+Y redo, Enter ends a greenway, Escape cancels and goes
 * back to panning, Delete or Backspace removes the selected vertex (when the shape can lose it) or feature.
 */
export function editingKeyDown(event: KeyboardEvent, editor: DrawEditor, tool: KeyedTool): void {
  if (keysBelongTo(event.target, false)) return;
  const key = event.key.toLowerCase();
  if ((event.ctrlKey || event.metaKey) && key === 'z') {
    event.preventDefault();
    if (event.shiftKey) editor.redo();
    else editor.undo();
  } else if ((event.ctrlKey || event.metaKey) && key === 'y') {
    event.preventDefault();
    editor.redo();
  } else if (key === 'enter' && editor.store.get().mode === 'greenway') {
    tool.finishGreenway();
  } else if (key === 'escape') {
    tool.cancelDrawing();
    editor.selectVertex(null);
    editor.setMode('pan');
  } else if ((key === 'delete' || key === 'backspace') && editor.store.get().selectedKey) {
    event.preventDefault();
    // With a vertex selected, the vertex goes (when the shape can lose it); else the feature.
    if (editor.store.get().selectedVertex) tool.deleteSelectedVertex();
    else editor.remove();
  }
}

/**
 * The vertex keys, while the selected feature shows its handles (`vertexKey`): `]` and `[` select the
 * next and previous vertex (Tab stays the browser's focus navigation), the arrow keys move it. Keys
 * typed into a field or meant for a slider (the swipe divider), with a modifier, or during a gesture
 * are left alone.
 */
export function vertexKeyDown(event: KeyboardEvent, editor: DrawEditor, gestureInProgress: boolean): void {
  if (keysBelongTo(event.target, true)) return;
  if (event.ctrlKey || event.metaKey || event.altKey || gestureInProgress) return;
  if (!vertexKey(editor, event.key, event.shiftKey)) return;
  // The key is the vertex's: the map must not pan.
  event.preventDefault();
  event.stopPropagation();
}
