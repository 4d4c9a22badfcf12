import type { CoverageModel } from '../coverage';
import type { GreenFeature } from '../features';
import { type CriterionId, qualifies, reachMeters } from '../rules';
import { appendGreenway } from './append-greenway';
import { areaEntrances } from './entrances';
import { rebuildNetwork } from './network-model';
import { addToNetworkCriterion, computeNetworkCriterion, extendNetworkCriterion } from './walk';

/** How the coverage model's edits (addFeature, removeFeature) and runs update the network part. */

/** The residential cell `k` lies inside a qualifying area of criterion `id` (its straight-line distance is 0). */
export function insideTest(model: CoverageModel, id: CriterionId): (k: number) => boolean {
  const squared = model.fields[id]!.squaredMeters;
  const cells = model.residentialCells;
  return (k) => squared[cells[k]] === 0;
}

/** The walk for criterion `id` from all of its qualifying features. */
export function computeWalk(model: CoverageModel, id: CriterionId): void {
  const network = model.network!;
  const criterion = model.rules[id]!;
  const qualifying = [...model.features.values()].filter((f) => qualifies(criterion, f.kind, f.areaSquareMeters));
  network.criteria[id] = computeNetworkCriterion(
    network,
    qualifying,
    reachMeters(model.rules, criterion),
    insideTest(model, id),
  );
}

/** The criteria the rules use (and that have a straight-line field). */
export function criterionIds(model: CoverageModel): CriterionId[] {
  return (['green', 'park'] as const).filter((id) => model.rules[id] && model.fields[id]);
}

/** The network part of addFeature: a park gets entrances and its own search; a greenway adds edges. */
export function addToNetwork(model: CoverageModel, feature: GreenFeature): void {
  const network = model.network!;
  if (feature.kind === 'greenway') {
    // A greenway adds edges: appended to the graph, only nearby cells snapped and areas re-entranced,
    // and the walks extended from what changed; a rebuild when it would cut an old edge in two.
    const appended = appendGreenway(network, feature, model.features, model.grid, model.residentialCells);
    if (!appended) {
      model.network = rebuildNetwork(network, model.features, model.grid, model.scales, model.residentialCells);
      for (const id of criterionIds(model)) computeWalk(model, id);
      return;
    }
    model.network = appended.network;
    for (const id of criterionIds(model)) {
      if (!appended.onlyGained) {
        computeWalk(model, id);
        continue;
      }
      const criterion = model.rules[id]!;
      const sources = [feature, ...appended.reentranced.map((area) => model.features.get(area)!)].filter((f) =>
        qualifies(criterion, f.kind, f.areaSquareMeters),
      );
      extendNetworkCriterion(
        appended.network,
        appended.network.criteria[id]!,
        appended.firstNewEdge,
        sources,
        appended.resnapped,
        insideTest(model, id),
      );
    }
    return;
  }
  network.entrances.set(
    feature.id,
    areaEntrances(feature, network.graph, network.segments, network.barriers, network.given, network.snapMaxMeters),
  );
  // A new area only adds sources: its own search improves what it reaches, nothing else is read again.
  for (const id of criterionIds(model)) {
    if (!qualifies(model.rules[id], feature.kind, feature.areaSquareMeters)) continue;
    addToNetworkCriterion(
      network,
      network.criteria[id]!,
      feature,
      model.grid,
      model.residentialCells,
      insideTest(model, id),
    );
  }
}

/** The network part of removeFeature: the walks are computed again (a rebuild for a greenway). */
export function removeFromNetwork(model: CoverageModel, feature: GreenFeature): void {
  const network = model.network!;
  // Removing a source can lengthen walks anywhere it was nearest: the walks are computed again.
  if (feature.kind === 'greenway')
    model.network = rebuildNetwork(network, model.features, model.grid, model.scales, model.residentialCells);
  else network.entrances.delete(feature.id);
  for (const criterionId of criterionIds(model)) computeWalk(model, criterionId);
}
