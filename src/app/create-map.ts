import { PlannerMap } from '../map/planner-map';
import type { PlannerApp } from '../state/planner-app';
import type { ResultsView } from '../state/results';
import type { HoverState } from '../state/services';
import type { Store } from '../state/store';
import { kindLabel } from '../ui/i18n';

/**
 * A PlannerMap in `container` whose gestures become app actions: the view follows the camera, a click
 * on a community selects it and asks to fit it, hover goes to the hover store.
 */
export function createPlannerMap(
  container: HTMLElement,
  app: PlannerApp,
  results: ResultsView,
  hover: Store<HoverState>,
): PlannerMap {
  const initial = app.store.get();
  return new PlannerMap({
    container,
    view: initial.view,
    language: initial.language,
    onViewChange: (view) => app.setView(view),
    onCommunityClick: (community) => {
      app.selectCommunity(community);
      const bbox = community !== null ? results.get().shown?.result.communities[community]?.bbox : null;
      if (bbox) app.focus(bbox);
    },
    onCellInfo: (cell) => hover.set({ cell }),
    onFeatureInfo: (feature) => hover.set({ feature }),
    kindLabel: (kind) => kindLabel(app.store.get().language, kind),
  });
}
