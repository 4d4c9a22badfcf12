import * as maplibregl from 'maplibre-gl';
import type { CoverageResult, CriterionId } from '../coverage';
import { residentialCellAt } from '../coverage/cell-lookup';
import type { GapAnalysis } from '../coverage/gap-areas';
import type { SwipeSide } from '../geometry/swipe-clip';
import { cellState } from '../theme/cell-colors';
import { greenLayerIds } from './map-style';
import type { CellInfo, FeatureInfo, MapLanguage } from './map-types';

/**
 * Hover and tap: what is under the pointer, read from the result's arrays (`cellAt`, a binary search
 * on `cellIndex`) and MapLibre's rendered features, never deck.gl picking.
 */

/**
 * The residential cell of `result` at a position, with its distances, or null. `criteria` colour its
 * state; `gaps` (the current result's gap areas) number it, unless it is the swipe's `baseline`.
 */
export function cellAt(
  result: CoverageResult,
  criteria: CriterionId[],
  gaps: GapAnalysis | null,
  longitude: number,
  latitude: number,
  baseline: boolean,
): CellInfo | null {
  const middle = residentialCellAt(result.grid, result.cellIndex, longitude, latitude);
  if (middle < 0) return null;
  return {
    cell: middle,
    state: cellState(result.verdicts[middle], criteria),
    greenMeters: result.greenMeters ? result.greenMeters[middle] : null,
    parkMeters: result.parkMeters ? result.parkMeters[middle] : null,
    greenStraightMeters: result.greenStraightMeters ? result.greenStraightMeters[middle] : null,
    parkStraightMeters: result.parkStraightMeters ? result.parkStraightMeters[middle] : null,
    offNetwork: result.offNetwork ? result.offNetwork[middle] === 1 : false,
    reachMeters: result.reachMeters,
    community: result.cellCommunity[middle],
    // Gap areas are the scenario's: the baseline's cells are not numbered.
    gap: !baseline && gaps ? gaps.cellGap[middle] : -1,
    baseline,
  };
}

function featureName(properties: Record<string, unknown>, language: MapLanguage): string {
  const english = typeof properties.name_en === 'string' ? properties.name_en : null;
  const name = typeof properties.name === 'string' ? properties.name : null;
  return (language === 'en' ? (english ?? name) : (name ?? english)) ?? '';
}

/** The green space or greenway drawn at a screen point (within a few pixels), or null. */
export function featureAt(map: maplibregl.Map, point: maplibregl.PointLike, language: MapLanguage): FeatureInfo | null {
  if (!map.getLayer('greenways-line')) return null;
  const { x, y } = maplibregl.Point.convert(point);
  const box: [maplibregl.PointLike, maplibregl.PointLike] = [
    [x - 3, y - 3],
    [x + 3, y + 3],
  ];
  const feature = map.queryRenderedFeatures(box, { layers: greenLayerIds })[0];
  if (!feature) return null;
  const properties = feature.properties ?? {};
  const layer = feature.source === 'greenways' ? 'greenways' : 'greenspaces';
  const kind = layer === 'greenways' ? 'greenway' : String(properties.kind ?? 'green_space');
  return { layer, name: featureName(properties, language), kind };
}

/** What `MapPointer` asks the map it serves. */
export interface PointerHost {
  cellAt(longitude: number, latitude: number, side?: SwipeSide): CellInfo | null;
  featureAt(point: maplibregl.PointLike): FeatureInfo | null;
  /** The swipe side of a screen x (CSS pixels in the map). */
  swipeSideAt(x: number): SwipeSide;
  /** Whether the map takes input: not destroyed, its style present. */
  usable(): boolean;
  /** Whether a click is a drawing tool's (no popup, no community selected). */
  clickSuppressed(): boolean;
}

/** The callbacks of hover and click (see `PlannerMapOptions`). */
export interface PointerCallbacks {
  onCommunityClick?: (community: number | null) => void;
  onCellInfo?: (info: CellInfo | null) => void;
  onFeatureInfo?: (info: FeatureInfo | null) => void;
  kindLabel?: (kind: string) => string;
}

/** The pointer on the map: hover (at most once per frame), leaving the map, click and tap with a popup. */
export class MapPointer {
  private readonly popup = new maplibregl.Popup({ closeButton: true, closeOnClick: true, maxWidth: '280px' });
  private hoverFrame = 0;
  private destroyed = false;

  constructor(
    private readonly map: maplibregl.Map,
    private readonly host: PointerHost,
    private readonly callbacks: PointerCallbacks,
  ) {
    map.on('mousemove', (event) => this.hover(event));
    map.on('mouseout', () => {
      this.callbacks.onCellInfo?.(null);
      this.callbacks.onFeatureInfo?.(null);
    });
    map.on('click', (event) => this.click(event));
  }

  /** Pointer moves: the cell and the feature under it, at most once per frame. */
  private hover(event: maplibregl.MapMouseEvent): void {
    const { lngLat, point } = event;
    cancelAnimationFrame(this.hoverFrame);
    this.hoverFrame = requestAnimationFrame(() => {
      if (this.destroyed) return;
      this.callbacks.onCellInfo?.(this.host.cellAt(lngLat.lng, lngLat.lat, this.host.swipeSideAt(point.x)));
      this.callbacks.onFeatureInfo?.(this.host.featureAt(point));
    });
  }

  private click(event: maplibregl.MapMouseEvent): void {
    if (!this.host.usable() || this.host.clickSuppressed()) return;
    const { lngLat, point } = event;
    this.callbacks.onCellInfo?.(this.host.cellAt(lngLat.lng, lngLat.lat, this.host.swipeSideAt(point.x)));
    const feature = this.host.featureAt(point);
    this.callbacks.onFeatureInfo?.(feature);
    if (feature) {
      this.showPopup(lngLat, feature);
      return;
    }
    this.popup.remove();
    // On a residential cell, its community is the engine's; elsewhere, the outline under the pointer.
    const cell = this.host.cellAt(lngLat.lng, lngLat.lat);
    if (cell && cell.community >= 0) {
      this.callbacks.onCommunityClick?.(cell.community);
      return;
    }
    const community = this.map.getLayer('communities-fill')
      ? this.map.queryRenderedFeatures(point, { layers: ['communities-fill'] })[0]
      : undefined;
    this.callbacks.onCommunityClick?.(community ? Number(community.id) : null);
  }

  /** Shows a feature's name and kind in a popup, as text (never HTML). */
  private showPopup(lngLat: maplibregl.LngLat, info: FeatureInfo): void {
    const kind = this.callbacks.kindLabel?.(info.kind) ?? info.kind;
    const text = info.name ? `${info.name} · ${kind}` : kind;
    this.popup.setLngLat(lngLat).setText(text).addTo(this.map);
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.hoverFrame);
    this.popup.remove();
  }
}
