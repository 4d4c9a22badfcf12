import type { ComponentChildren } from 'preact';

/**
 * A modal dialog over a dimmed page: focus moves into it when it opens, Escape closes it, and it is
 * named by its heading (`labelledBy`). The import and OpenStreetMap dialogs share it.
 */
export function ModalDialog({
  labelledBy,
  testId,
  wide = false,
  onClose,
  children,
}: {
  labelledBy: string;
  testId: string;
  wide?: boolean;
  onClose: () => void;
  children: ComponentChildren;
}) {
  return (
    <div class="import-backdrop">
      <div
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
        ref={(element) => {
          if (element && !element.contains(document.activeElement)) element.focus();
        }}
        tabIndex={-1}
        class={`import-dialog${wide ? ' osm-dialog' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        data-testid={testId}
      >
        {children}
      </div>
    </div>
  );
}
