import { COORDINATE_SYSTEM, type Layer } from '@deck.gl/core';
import { ColumnLayer, GeoJsonLayer } from '@deck.gl/layers';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import type { BoundingBox, CoverageResult, CriterionId } from '../coverage';
import type { GapAnalysis } from '../state/gap-areas';
import type { DataSet } from '../state/load-data';
import type { Language, LayerVisibility, MapView } from '../state/url-state';
import { type CellState, cellFillColors, cellState, neitherPositions } from './cell-colors';

/** What is under the pointer: a residential cell and its two distances. */
export interface CellInfo {
  /** Position of the cell in the result's per-cell arrays. */
  cell: number;
  state: CellState;
  greenMeters: number | null;
  parkMeters: number | null;
  reachMeters: { green: number | null; park: number | null };
  community: number;
  /** Gap area rank, or -1. */
  gap: number;
}

/** A green feature or a community under the pointer, as plain text fields. */
export interface FeatureInfo {
  layer: 'greenspaces' | 'greenways' | 'communities';
  name: string;
  kind: string;
}

export interface PlannerMapOptions {
  container: HTMLElement;
  view: MapView | null;
  language: Language;
  /** The map moved (after the move ends). */
  onViewChange?: (view: MapView) => void;
  /** A click on a community (its index in the engine's communities), or on no community (null). */
  onCommunityClick?: (community: number | null) => void;
  /** Hover or tap over a residential cell (null when leaving the cells). */
  onCellInfo?: (info: CellInfo | null) => void;
  /** Text for a feature's kind in the current language. */
  kindLabel?: (kind: string) => string;
}

const greenKindColors: Record<string, [number, number, number, number]> = {
  park: [27, 120, 55, 235],
  pocket_park: [90, 174, 97, 235],
  micro_green: [166, 219, 160, 235],
  green_space: [120, 198, 121, 235],
};

/**
 * Owns the MapLibre map and its deck.gl overlay (like Placemark's PMap): the UI creates one and hands
 * it data. The MapLibre style is built in code from the data (no remote tiles, glyphs or sprites);
 * residential cells, green features and highlights are deck.gl layers drawn over it.
 */
export class PlannerMap {
  readonly map: maplibregl.Map;
  private readonly overlay: MapboxOverlay;
  private readonly options: PlannerMapOptions;
  private data: DataSet | null = null;
  private result: CoverageResult | null = null;
  private gaps: GapAnalysis | null = null;
  private layers: LayerVisibility | null = null;
  private language: Language;
  private selectedCommunity: number | null = null;
  private selectedGap: number | null = null;
  private cellAttributes: {
    positions: Float32Array;
    fill: Uint8Array;
    neither: Float32Array;
    gapsOnly: boolean;
  } | null = null;
  /** The "neither" outline pattern is drawn from this zoom on (below it, cells are under a pixel or two). */
  private static readonly patternMinZoom = 13.5;
  private patternVisible = false;
  private gapHighlight: { rank: number; positions: Float32Array } | null = null;
  private drawWaiters: (() => void)[] = [];
  private readonly popup = new maplibregl.Popup({ closeButton: true, closeOnClick: true, maxWidth: '280px' });
  private styleLoaded: Promise<void>;
  /** Layers other modules draw over the map (e.g. scenario editing), by owner key, after the built-in ones. */
  private readonly extraLayers = new Map<string, Layer[]>();
  /** When it returns true, a map click neither opens a popup nor selects a community (a drawing tool owns it). */
  clickSuppressed: (() => boolean) | null = null;

  constructor(options: PlannerMapOptions) {
    this.options = options;
    this.language = options.language;
    this.map = new maplibregl.Map({
      container: options.container,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f3f0e8' } }],
      },
      center: options.view ? [options.view.longitude, options.view.latitude] : [104.1, 30.66],
      zoom: options.view?.zoom ?? 11,
      attributionControl: false,
      localIdeographFontFamily:
        "'Noto Sans CJK SC', 'Droid Sans Fallback', 'PingFang SC', 'Microsoft YaHei', sans-serif",
      maxPitch: 0,
      dragRotate: false,
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
    this.overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      onAfterRender: () => {
        const waiters = this.drawWaiters;
        this.drawWaiters = [];
        for (const resolve of waiters) resolve();
      },
    });
    this.map.addControl(this.overlay);
    this.patternVisible = this.map.getZoom() >= PlannerMap.patternMinZoom;
    this.styleLoaded = new Promise((resolve) => this.map.once('load', () => resolve()));
    this.map.on('moveend', () => {
      const center = this.map.getCenter();
      this.options.onViewChange?.({ longitude: center.lng, latitude: center.lat, zoom: this.map.getZoom() });
    });
    this.map.on('mousemove', (event) => this.options.onCellInfo?.(this.cellAt(event.lngLat.lng, event.lngLat.lat)));
    this.map.on('mouseout', () => this.options.onCellInfo?.(null));
    this.map.on('zoomend', () => {
      const visible = this.map.getZoom() >= PlannerMap.patternMinZoom;
      if (visible !== this.patternVisible) {
        this.patternVisible = visible;
        this.updateDeck();
      }
    });
    this.map.on('click', (event) => this.click(event));
  }

  /** Hands the map a data set: builds the style's sources and layers from it. */
  async setData(data: DataSet): Promise<void> {
    this.data = data;
    await this.styleLoaded;
    const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
    const communities: FeatureCollection = {
      type: 'FeatureCollection',
      features: data.communities.features.map((feature, index) => ({ ...feature, id: index })),
    };
    const sources: Record<string, FeatureCollection> = {
      district: data.district ?? empty,
      streets: data.streets ?? empty,
      river: data.river ?? empty,
      communities,
    };
    for (const [id, collection] of Object.entries(sources)) {
      const source = this.map.getSource(id) as GeoJSONSource | undefined;
      if (source) source.setData(collection);
      else this.map.addSource(id, { type: 'geojson', data: collection, ...(id === 'communities' ? {} : {}) });
    }
    if (!this.map.getLayer('district-fill')) this.addBaseLayers();
    this.applyLanguage();
    this.applyVisibility();
    this.applyCommunityHighlight();
    this.updateDeck();
  }

  private addBaseLayers(): void {
    const style = this.map;
    const layers: Parameters<maplibregl.Map['addLayer']>[0][] = [
      {
        id: 'district-fill',
        type: 'fill',
        source: 'district',
        paint: { 'fill-color': '#fbfaf6', 'fill-antialias': false },
      },
      {
        id: 'river-fill',
        type: 'fill',
        source: 'river',
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': '#9ccbe8', 'fill-antialias': false },
      },
      {
        id: 'river-line',
        type: 'line',
        source: 'river',
        filter: ['==', ['geometry-type'], 'LineString'],
        paint: { 'line-color': '#7fb7de', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 2, 15, 10] },
      },
      // Constant paint properties only (no data-driven styling, no dash patterns): every line layer
      // shares one shader program, which matters where WebGL is software-rendered (SwiftShader).
      {
        id: 'streets-local',
        type: 'line',
        source: 'streets',
        filter: ['!=', ['get', 'class'], 'arterial'],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#ddd6c6', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.5, 15, 4] },
      },
      {
        id: 'streets-arterial',
        type: 'line',
        source: 'streets',
        filter: ['==', ['get', 'class'], 'arterial'],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#cfc3aa', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.4, 15, 9] },
      },
      {
        id: 'communities-fill',
        type: 'fill',
        source: 'communities',
        paint: { 'fill-color': '#000', 'fill-opacity': 0, 'fill-antialias': false },
      },
      {
        id: 'communities-line',
        type: 'line',
        source: 'communities',
        paint: { 'line-color': '#8a806c', 'line-width': 0.8 },
      },
      {
        id: 'district-line',
        type: 'line',
        source: 'district',
        paint: { 'line-color': '#3d3a33', 'line-width': 2 },
      },
      {
        id: 'communities-label',
        type: 'symbol',
        source: 'communities',
        minzoom: 11.5,
        layout: { 'text-field': ['get', 'name'], 'text-size': 12, 'text-font': ['sans-serif'], 'text-max-width': 8 },
        paint: { 'text-color': '#2b2923', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.5 },
      },
    ];
    for (const layer of layers) style.addLayer(layer);
  }

  /** Switches label language (community names: `name` in Chinese, `name_en` in English). */
  setLanguage(language: Language): void {
    this.language = language;
    this.applyLanguage();
  }

  private applyLanguage(): void {
    if (!this.map.getLayer('communities-label')) return;
    this.map.setLayoutProperty(
      'communities-label',
      'text-field',
      this.language === 'en' ? ['coalesce', ['get', 'name_en'], ['get', 'name']] : ['get', 'name'],
    );
  }

  /**
   * Shows a coverage result (or none). Resolves once deck.gl has drawn it: the "coverage drawn"
   * moment the readiness signal and the bench wait for.
   */
  setCoverage(result: CoverageResult | null): Promise<void> {
    this.result = result;
    this.gaps = null;
    this.gapHighlight = null;
    this.cellAttributes = null;
    if (result) {
      const { grid, cellIndex } = result;
      const positions = new Float32Array(cellIndex.length * 2);
      for (let k = 0; k < cellIndex.length; k++) {
        const row = Math.floor(cellIndex[k] / grid.columns);
        const column = cellIndex[k] - row * grid.columns;
        positions[k * 2] = (column + 0.5) * grid.longitudeStep;
        positions[k * 2 + 1] = (row + 0.5) * grid.latitudeStep;
      }
      const gapsOnly = this.layers?.gapsOnly ?? false;
      const fill = cellFillColors(result.verdicts, this.inUse(), gapsOnly);
      this.cellAttributes = {
        positions,
        gapsOnly,
        fill,
        neither: neitherPositions(positions, result.verdicts, this.inUse()),
      };
    }
    const drawn = new Promise<void>((resolve) => this.drawWaiters.push(resolve));
    this.updateDeck();
    this.map.triggerRepaint();
    return drawn;
  }

  /** Gap areas of the current result (for the gap highlight and the cell tooltip). */
  setGaps(gaps: GapAnalysis | null): void {
    this.gaps = gaps;
    this.applyGapHighlight();
  }

  /** Shows or hides layers. */
  setLayerVisibility(layers: LayerVisibility): void {
    const previous = this.layers;
    this.layers = { ...layers };
    if (this.result && this.cellAttributes && previous?.gapsOnly !== layers.gapsOnly) {
      const fill = cellFillColors(this.result.verdicts, this.inUse(), layers.gapsOnly);
      this.cellAttributes = {
        ...this.cellAttributes,
        gapsOnly: layers.gapsOnly,
        fill,
      };
    }
    this.applyVisibility();
    this.updateDeck();
  }

  private applyVisibility(): void {
    if (!this.layers || !this.map.getLayer('streets-local')) return;
    const visibility = (visible: boolean) => (visible ? 'visible' : 'none');
    for (const id of ['streets-local', 'streets-arterial']) {
      this.map.setLayoutProperty(id, 'visibility', visibility(this.layers.streets));
    }
    for (const id of ['communities-line', 'communities-label']) {
      this.map.setLayoutProperty(id, 'visibility', visibility(this.layers.communities));
    }
  }

  /** Outlines a community (index into the engine's communities), or none. */
  highlightCommunity(community: number | null): void {
    this.selectedCommunity = community;
    this.applyCommunityHighlight();
  }

  private applyCommunityHighlight(): void {
    if (!this.data) return;
    this.updateDeck();
  }

  /** Outlines the cells of a gap area (by rank), or none. */
  highlightGap(rank: number | null): void {
    this.selectedGap = rank;
    this.applyGapHighlight();
  }

  private applyGapHighlight(): void {
    this.gapHighlight = null;
    const rank = this.selectedGap;
    if (rank !== null && this.gaps && this.cellAttributes && rank < this.gaps.areas.length) {
      const cells = this.gaps.areas[rank].cells;
      const positions = new Float32Array(cells * 2);
      const { cellGap } = this.gaps;
      const source = this.cellAttributes.positions;
      for (let k = 0, n = 0; k < cellGap.length && n < cells; k++) {
        if (cellGap[k] !== rank) continue;
        positions[n * 2] = source[k * 2];
        positions[n * 2 + 1] = source[k * 2 + 1];
        n++;
      }
      this.gapHighlight = { rank, positions };
    }
    this.updateDeck();
  }

  /** Zooms to `[west, south, east, north]`; animated unless the user prefers reduced motion. */
  fitBounds(bbox: BoundingBox, options: { animate?: boolean; maxZoom?: number } = {}): void {
    const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    this.map.fitBounds(
      [
        [bbox[0], bbox[1]],
        [bbox[2], bbox[3]],
      ],
      { padding: 40, animate: options.animate ?? !reducedMotion, duration: 600, maxZoom: options.maxZoom ?? 16 },
    );
  }

  /** Moves to a view at once. */
  jumpTo(view: MapView): void {
    this.map.jumpTo({ center: [view.longitude, view.latitude], zoom: view.zoom });
  }

  private inUse(): CriterionId[] {
    const rules = this.result?.rules;
    return rules ? (['green', 'park'] as const).filter((id) => rules[id]) : [];
  }

  /** The residential cell at a position, with its distances, or null. */
  cellAt(longitude: number, latitude: number): CellInfo | null {
    const result = this.result;
    if (!result || !(this.layers?.cells ?? true)) return null;
    const { grid, cellIndex } = result;
    const column = Math.floor((longitude - grid.west) / grid.longitudeStep);
    const row = Math.floor((latitude - grid.south) / grid.latitudeStep);
    if (column < 0 || row < 0 || column >= grid.columns || row >= grid.rows) return null;
    const index = row * grid.columns + column;
    let low = 0;
    let high = cellIndex.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (cellIndex[middle] < index) low = middle + 1;
      else if (cellIndex[middle] > index) high = middle - 1;
      else {
        return {
          cell: middle,
          state: cellState(result.verdicts[middle], this.inUse()),
          greenMeters: result.greenMeters ? result.greenMeters[middle] : null,
          parkMeters: result.parkMeters ? result.parkMeters[middle] : null,
          reachMeters: result.reachMeters,
          community: result.cellCommunity[middle],
          gap: this.gaps ? this.gaps.cellGap[middle] : -1,
        };
      }
    }
    return null;
  }

  /** Sets the deck.gl layers one module (`key`) draws over the map; an empty list removes them. */
  setExtraLayers(key: string, layers: Layer[]): void {
    this.extraLayers.set(key, layers);
    this.updateDeck();
  }

  private click(event: maplibregl.MapMouseEvent): void {
    if (this.clickSuppressed?.()) return;
    const { x, y } = event.point;
    this.options.onCellInfo?.(this.cellAt(event.lngLat.lng, event.lngLat.lat));
    const picked = this.overlay.pickObject({ x, y, radius: 3, layerIds: ['greenspaces', 'greenways'] });
    const feature = picked?.object as GeoJSON.Feature | undefined;
    if (feature && picked) {
      const properties = feature.properties ?? {};
      const layer = picked.layer?.id === 'greenways' ? 'greenways' : 'greenspaces';
      const kind = layer === 'greenways' ? 'greenway' : String(properties.kind ?? 'green_space');
      this.showPopup(event.lngLat, { layer, name: this.featureName(properties), kind });
      return;
    }
    this.popup.remove();
    // On a residential cell, its community is the engine's; elsewhere, the outline under the pointer.
    const cell = this.cellAt(event.lngLat.lng, event.lngLat.lat);
    if (cell && cell.community >= 0) {
      this.options.onCommunityClick?.(cell.community);
      return;
    }
    const community = this.map.getLayer('communities-fill')
      ? this.map.queryRenderedFeatures(event.point, { layers: ['communities-fill'] })[0]
      : undefined;
    this.options.onCommunityClick?.(community ? Number(community.id) : null);
  }

  private featureName(properties: Record<string, unknown>): string {
    const english = typeof properties.name_en === 'string' ? properties.name_en : null;
    const name = typeof properties.name === 'string' ? properties.name : null;
    return (this.language === 'en' ? (english ?? name) : (name ?? english)) ?? '';
  }

  /** Shows a feature's name and kind in a popup, as text (never HTML). */
  private showPopup(lngLat: maplibregl.LngLat, info: FeatureInfo): void {
    const kind = this.options.kindLabel?.(info.kind) ?? info.kind;
    const text = info.name ? `${info.name} · ${kind}` : kind;
    this.popup.setLngLat(lngLat).setText(text).addTo(this.map);
  }

  private updateDeck(): void {
    const visible = this.layers;
    const layers: Layer[] = [];
    const result = this.result;
    const attributes = this.cellAttributes;
    if (result && attributes && (visible?.cells ?? true)) {
      const { grid } = result;
      const common = {
        coordinateSystem: COORDINATE_SYSTEM.LNGLAT_OFFSETS,
        coordinateOrigin: [grid.west, grid.south, 0] as [number, number, number],
        diskResolution: 4,
        angle: 45,
        radius: grid.cellMeters / Math.SQRT2,
        extruded: false,
        getElevation: 0,
        pickable: false,
      };
      layers.push(
        new ColumnLayer({
          ...common,
          id: 'cells',
          data: {
            length: attributes.positions.length / 2,
            attributes: {
              getPosition: { value: attributes.positions, size: 2 },
              getFillColor: { value: attributes.fill, size: 4, normalized: true },
            },
          },
          stroked: false,
          updateTriggers: { getFillColor: attributes.fill },
        }),
        // "Neither" cells also get a light outline: a tiled pattern that tells them apart without
        // colour. Only the "neither" cells, and only once zoomed in far enough to see it.
        new ColumnLayer({
          ...common,
          id: 'cells-neither-pattern',
          visible: this.patternVisible,
          data: {
            length: attributes.neither.length / 2,
            attributes: { getPosition: { value: attributes.neither, size: 2 } },
          },
          filled: false,
          stroked: true,
          getLineColor: [255, 255, 255, 210],
          lineWidthUnits: 'meters',
          getLineWidth: grid.cellMeters * 0.12,
          updateTriggers: { getPosition: attributes.neither },
        }),
      );
      // Highlight layers are always present (empty when nothing is selected), so their shaders are
      // compiled at start-up rather than on the first click: a stall where WebGL is software-rendered.
      const highlight = this.gapHighlight;
      layers.push(
        new ColumnLayer({
          ...common,
          id: 'gap-highlight',
          data: {
            length: highlight ? highlight.positions.length / 2 : 0,
            attributes: { getPosition: { value: highlight?.positions ?? new Float32Array(2), size: 2 } },
          },
          filled: true,
          getFillColor: [255, 120, 0, 120],
          stroked: true,
          getLineColor: [20, 20, 20, 255],
          lineWidthUnits: 'pixels',
          getLineWidth: 1,
          updateTriggers: { getPosition: highlight?.rank ?? -1 },
        }),
      );
    }
    const data = this.data;
    if (data && (visible?.greenspaces ?? true)) {
      layers.push(
        new GeoJsonLayer({
          id: 'greenspaces',
          data: data.greenspaces,
          pickable: true,
          stroked: true,
          filled: true,
          getFillColor: (feature) => greenKindColors[String(feature.properties?.kind)] ?? greenKindColors.green_space,
          getLineColor: [20, 80, 40, 255],
          lineWidthUnits: 'pixels',
          getLineWidth: 1,
        }),
      );
    }
    if (data && (visible?.greenways ?? true)) {
      layers.push(
        new GeoJsonLayer({
          id: 'greenways',
          data: data.greenways,
          pickable: true,
          stroked: true,
          getLineColor: [0, 110, 60, 255],
          lineWidthUnits: 'pixels',
          getLineWidth: 3,
          lineCapRounded: true,
          lineJointRounded: true,
        }),
      );
    }
    if (data) {
      const selected = this.selectedCommunity !== null ? data.communities.features[this.selectedCommunity] : undefined;
      layers.push(
        new GeoJsonLayer({
          id: 'community-highlight',
          data: selected ? [selected] : [],
          filled: false,
          stroked: true,
          getLineColor: [0, 0, 0, 255],
          lineWidthUnits: 'pixels',
          getLineWidth: 3,
        }),
      );
    }
    for (const extra of this.extraLayers.values()) layers.push(...extra);
    this.overlay.setProps({ layers });
  }

  /** Whether the map is still and drawn: no animation or gesture in progress, every tile loaded. */
  isIdle(): boolean {
    return !this.map.isMoving() && this.map.isStyleLoaded() !== false && this.map.areTilesLoaded();
  }

  /** Screen position (CSS pixels, relative to the map container) of a point: for tests and the bench. */
  project(longitude: number, latitude: number): [number, number] {
    const point = this.map.project([longitude, latitude]);
    return [point.x, point.y];
  }

  /** Removes the map and releases WebGL resources. */
  destroy(): void {
    this.popup.remove();
    this.overlay.finalize();
    this.map.remove();
  }
}
