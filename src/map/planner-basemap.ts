import * as maplibregl from 'maplibre-gl';
import type { MapLanguage, MapPlannerBasemap } from './map-types';

/** The planner basemap's vector source, and the prefix of its layers' ids (clear of the app's own layers). */
export const plannerBasemapSource = 'planner-basemap';
export const plannerBasemapLayerPrefix = 'planner-basemap-';
const sourceId = plannerBasemapSource;
const prefix = plannerBasemapLayerPrefix;
const target = { source: sourceId, prefix };

/**
 * The planner's own basemap on the map (a PMTiles archive drawn with the Protomaps style): its vector
 * source and layers, put under the app's layers and its labels under the app's labels, the labels'
 * language, and its visibility (it follows the streets switch). The style code, pmtiles and
 * @protomaps/basemaps load with the first basemap (`protomaps-style.ts`), never with the first page.
 */
export class PlannerBasemapLayers {
  private basemap: MapPlannerBasemap | null = null;
  private baseIds: string[] = [];
  private labelIds: string[] = [];
  private requests = 0;
  private visible = true;

  constructor(
    private readonly map: maplibregl.Map,
    /** Resolves once the map's style has loaded. */
    private readonly styleLoaded: Promise<void>,
  ) {}

  /** Whether a planner's basemap is drawn (the app's own context layers are hidden then). */
  get shown(): boolean {
    return this.basemap !== null;
  }

  /** Draws `basemap` in place of the previous one (null removes it); resolves once its layers are in. */
  async set(basemap: MapPlannerBasemap | null, language: MapLanguage): Promise<void> {
    const request = ++this.requests;
    const style = basemap ? await import('./protomaps-style') : null;
    await this.styleLoaded;
    if (request !== this.requests || !this.map.style) return;
    this.removeLayers();
    const previous = this.map.getSource(sourceId);
    if (previous) this.map.removeSource(sourceId);
    this.basemap = basemap;
    if (!basemap || !style) return;
    style.registerArchive(basemap.archive, maplibregl.addProtocol);
    this.map.addSource(sourceId, {
      type: 'vector',
      tiles: [`pmtiles://${basemap.key}/{z}/{x}/{y}`],
      minzoom: basemap.minZoom,
      maxzoom: basemap.maxZoom,
      bounds: basemap.bounds,
    });
    const { base, labels } = style.protomapsLayers(language, target);
    for (const layer of [...base, ...labels]) this.map.addLayer(layer);
    this.baseIds = base.map((layer) => layer.id);
    this.labelIds = labels.map((layer) => layer.id);
    this.place();
    this.applyVisibility(this.visible);
  }

  /** Re-makes the labels in `language` (Protomaps' names: `name:zh-Hans`, `name:en`, then the local name). */
  async setLanguage(language: MapLanguage): Promise<void> {
    if (!this.basemap) return;
    const request = this.requests;
    const style = await import('./protomaps-style');
    if (request !== this.requests || !this.basemap || !this.map.style) return;
    for (const id of this.labelIds) if (this.map.getLayer(id)) this.map.removeLayer(id);
    const { labels } = style.protomapsLayers(language, target);
    for (const layer of labels) this.map.addLayer(layer);
    this.labelIds = labels.map((layer) => layer.id);
    this.place();
    this.applyVisibility(this.visible);
  }

  /**
   * Puts the basemap's layers where they belong among the app's: its land, water and roads right above
   * the background (under the app's context, green spaces and communities), its names right under the
   * app's community labels. Called again once the data set's layers are added over it.
   */
  place(): void {
    if (!this.basemap || !this.map.style) return;
    const layers = this.map.getStyle().layers ?? [];
    const firstAppLayer = layers.find((layer) => layer.id !== 'background' && !layer.id.startsWith(prefix))?.id;
    for (const id of this.baseIds) if (this.map.getLayer(id)) this.map.moveLayer(id, firstAppLayer);
    const appLabels = this.map.getLayer('communities-label') ? 'communities-label' : undefined;
    for (const id of this.labelIds) if (this.map.getLayer(id)) this.map.moveLayer(id, appLabels);
  }

  /** Shows or hides the basemap's layers (with the streets switch). */
  applyVisibility(visible: boolean): void {
    this.visible = visible;
    if (!this.map.style) return;
    for (const id of [...this.baseIds, ...this.labelIds]) {
      if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
  }

  private removeLayers(): void {
    for (const id of [...this.baseIds, ...this.labelIds]) if (this.map.getLayer(id)) this.map.removeLayer(id);
    this.baseIds = [];
    this.labelIds = [];
  }
}
