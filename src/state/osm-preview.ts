import type { FeatureCollection } from 'geojson';
import type { BoundingBox } from '../coverage';
import { collectionBounds } from '../coverage/geometry';
import { browserBudget } from '../io/osm/browser-budget';
import type { OsmLayerName } from '../io/osm/index';
import type { MapPreview } from '../map/map-types';
import type { OsmImportState } from './osm-import';

/** What the map previews of a derivation: the layers drawn, and those cut to the budget. */
export interface OsmPreview {
  layers: MapPreview;
  /** Layers with more features than the preview draws: how many it draws, of how many. */
  partial: { layer: OsmLayerName; drawn: number; total: number }[];
}

/** A long layer's first features, kept per collection so that the map is not handed a new one for the same layer. */
const cutCollections = new WeakMap<FeatureCollection, FeatureCollection>();

function cut(collection: FeatureCollection, limit: number): FeatureCollection {
  let kept = cutCollections.get(collection);
  if (!kept) {
    kept = { type: 'FeatureCollection', features: collection.features.slice(0, limit) };
    cutCollections.set(collection, kept);
  }
  return kept;
}

/**
 * The map's preview of an extract's derived layers while the dialog shows them: every layer derived
 * with features and not dropped (the same collection objects as long as the derivation stays, so the
 * map re-sends only what changed), each cut to `browserBudget.previewFeaturesPerLayer`; null when the
 * dialog shows no derivation.
 */
export function osmPreview(
  state: Pick<OsmImportState, 'phase' | 'derivation' | 'droppedLayers'>,
  limit = browserBudget.previewFeaturesPerLayer,
): OsmPreview | null {
  if (state.phase === 'idle' || state.phase === 'failed' || !state.derivation) return null;
  const layers: MapPreview = {};
  const partial: OsmPreview['partial'] = [];
  for (const [layer, collection] of Object.entries(state.derivation.layers) as [OsmLayerName, FeatureCollection][]) {
    const total = collection.features.length;
    if (total === 0 || state.droppedLayers.includes(layer)) continue;
    // MapPreviewLayer is the map's own name for OsmLayerName: the assignment fails to compile if they part.
    // The worker's GeoJSON text by URL when there is one (cut to the budget there), else the collection.
    layers[layer] = state.derivation.previewUrls?.[layer] ?? (total > limit ? cut(collection, limit) : collection);
    if (total > limit) partial.push({ layer, drawn: limit, total });
  }
  return { layers, partial };
}

/**
 * The extent of a preview's layers, `[west, south, east, north]`, or null when they hold no position
 * (layers given by URL are left out).
 */
export function previewBounds(preview: OsmPreview): BoundingBox | null {
  let bounds: BoundingBox | null = null;
  for (const collection of Object.values(preview.layers)) {
    const box = collection && typeof collection !== 'string' && collectionBounds(collection);
    if (!box) continue;
    bounds = bounds
      ? [
          Math.min(bounds[0], box[0]),
          Math.min(bounds[1], box[1]),
          Math.max(bounds[2], box[2]),
          Math.max(bounds[3], box[3]),
        ]
      : box;
  }
  return bounds;
}
