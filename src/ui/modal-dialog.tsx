import type { ComponentChildren } from 'preact';

/**
 * A modal dialog over a dimmed page: focus moves into it when it opens, Escape closes it, and it is
 * named by its heading (`labelledBy`). The import and OpenStreetMap dialogs share it. `docked`: a panel
 * at the page's right edge (at the bottom on narrow screens) that leaves the map visible and usable
 * beside it, not modal (the OpenStreetMap dialog, whose preview is drawn on the map).
 */
export function ModalDialog({
  labelledBy,
  testId,
  docked = false,
  onClose,
  children,
}: {
  labelledBy: string;
  testId: string;
  docked?: boolean;
  onClose: () => void;
  children: ComponentChildren;
}) {
  return (
    <div class={`import-backdrop${docked ? ' docked' : ''}`}>
      <div
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
        ref={(element) => {
          if (element && !element.contains(document.activeElement)) element.focus();
        }}
        tabIndex={-1}
        class={`import-dialog${docked ? ' osm-dialog' : ''}`}
        role="dialog"
        aria-modal={docked ? 'false' : 'true'}
        aria-labelledby={labelledBy}
        data-testid={testId}
      >
        {children}
      </div>
    </div>
  );
}
