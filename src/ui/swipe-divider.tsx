import '../../styles/swipe.css';
import { useRef } from 'preact/hooks';
import { dividerPercentAfterKey, dividerPercentAt } from '../geometry/swipe-clip';
import type { ScenarioController } from '../state/scenario';
import type { Language } from '../state/url-state';
import { t } from './i18n';
import { useStore } from './use-store';
import './messages-later';

/**
 * The swipe comparison's divider over the map: a vertical handle (a slider from 0 to 100 % of the map's
 * width) moved by mouse, pen or touch and by the arrow keys, with the side labels next to it. It sits
 * beside the map's container, not in it, so its pointer events never reach MapLibre (no panning).
 */
export function SwipeDivider({ controller, language }: { controller: ScenarioController; language: Language }) {
  const swipe = useStore(controller.store, (s) => s.swipe);
  const percent = useStore(controller.store, (s) => s.swipeDividerPercent);
  const scenarioName = useStore(
    controller.store,
    (s) => s.scenarios.find((scenario) => scenario.id === s.activeId)?.name ?? t(language, 'scenario'),
  );
  const dragging = useRef<number | null>(null);
  if (!swipe) return null;

  /** The divider under a pointer, measured against the map (the handle's parent box). */
  const moveTo = (event: PointerEvent) => {
    const box = (event.currentTarget as HTMLElement).parentElement!.getBoundingClientRect();
    controller.setSwipeDividerPercent(dividerPercentAt(event.clientX, box.left, box.width));
  };
  const rounded = Math.round(percent);

  return (
    <div class="swipe" data-testid="swipe-overlay">
      <span class="swipe-label swipe-label-baseline" style={{ right: `calc(${100 - percent}% + 10px)` }}>
        {t(language, 'swipeBaselineSide')}
      </span>
      <span class="swipe-label swipe-label-scenario" style={{ left: `calc(${percent}% + 10px)` }}>
        {scenarioName}
      </span>
      <div
        class="swipe-handle"
        role="slider"
        tabIndex={0}
        aria-label={t(language, 'swipeDivider')}
        aria-orientation="horizontal"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={rounded}
        aria-valuetext={t(language, 'swipeValue', { percent: rounded })}
        data-testid="swipe-divider"
        style={{ left: `${percent}%` }}
        onPointerDown={(event) => {
          if (event.button !== 0) return;
          // Capture: the drag keeps its pointer when it leaves the thin handle; focus, for the keys after.
          event.currentTarget.setPointerCapture(event.pointerId);
          event.currentTarget.focus();
          event.preventDefault();
          dragging.current = event.pointerId;
          moveTo(event);
        }}
        onPointerMove={(event) => {
          if (dragging.current === event.pointerId) moveTo(event);
        }}
        onPointerUp={(event) => {
          if (dragging.current === event.pointerId) dragging.current = null;
        }}
        onPointerCancel={() => {
          dragging.current = null;
        }}
        onKeyDown={(event) => {
          const next = dividerPercentAfterKey(percent, event.key, event.shiftKey);
          if (next === null) return;
          event.preventDefault();
          controller.setSwipeDividerPercent(next);
        }}
      >
        <span class="swipe-knob" aria-hidden="true">
          ⟨⟩
        </span>
      </div>
    </div>
  );
}
