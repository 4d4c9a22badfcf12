import type { Layer } from '@deck.gl/core';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Device } from '@luma.gl/core';
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import type { BoundingBox, CoverageResult } from '../coverage';
import type { GapAnalysis } from '../coverage/gap-areas';
import { fullWidth, type SwipeSide } from '../geometry/swipe-clip';
import { cameraOf, fitBoundsClear, initialCamera } from './camera';
import { CellRaster, type CellView, cellBitmapLayers, criteriaInUse, emptyCellLayer } from './cell-textures';
import { communityLabelPoints } from './community-labels';
import { entranceCollection } from './entrance-points';
import { noInsets, type ScreenInsets } from './fit-padding';
import { type HighlightPath, highlightLayer, highlightPaths } from './highlights';
import { ImportPreviewLayers } from './import-preview';
import { cellAt, featureAt, MapPointer } from './map-pointer';
import { communityLabelText, dataLayers, initialStyle, visibilityGroups } from './map-style';
import type {
  CellInfo,
  FeatureInfo,
  MapCamera,
  MapData,
  MapFeatureSelection,
  MapLanguage,
  MapLayerVisibility,
  MapPlannerBasemap,
  MapPreview,
} from './map-types';
import { PlannerBasemapLayers } from './planner-basemap';
import { SwipeComparison } from './swipe';

export type { CellInfo, FeatureInfo } from './map-types';

/** A cell raster a frame drew: the result its tiles show, and whether they were drawn as out of date. */
export interface DrawnCells {
  result: CoverageResult;
  outOfDate: boolean;
}

export interface PlannerMapOptions {
  container: HTMLElement;
  view: MapCamera | null;
  language: MapLanguage;
  /** The map moved (after the move ends). */
  onViewChange?: (view: MapCamera) => void;
  /** A click on a community (its index in the engine's communities), or on no community (null). */
  onCommunityClick?: (community: number | null) => void;
  /** Hover or tap over a residential cell (null when leaving the cells). */
  onCellInfo?: (info: CellInfo | null) => void;
  /** Hover over a green space or greenway (null when leaving them). */
  onFeatureInfo?: (info: FeatureInfo | null) => void;
  /** Text for a feature's kind in the current language. */
  kindLabel?: (kind: string) => string;
  /** Device pixels per CSS pixel for both canvases (a print-resolution map); default the screen's. */
  pixelRatio?: number;
}

/**
 * Owns the MapLibre map and its deck.gl overlay (like Placemark's PMap): the app creates one and hands
 * it data. The MapLibre style (`map-style.ts`) is plain data built without remote tiles, glyphs or
 * sprites and draws the context and the green features; deck.gl draws the residential cells (as
 * textures, one pixel per cell: `cell-raster.ts`, `cell-textures.ts`), the swipe comparison
 * (`swipe.ts`) and the highlights (`highlights.ts`) over it. Hover and tap: `map-pointer.ts`.
 *
 * Where WebGL is software-rendered, each new shader program blocks the page while it compiles, so the
 * map keeps their number small: green features are MapLibre fill and line layers with constant paint
 * (the programs the base map compiles anyway), and deck.gl has two programs, both compiled when the
 * map first draws, before any data has arrived.
 *
 * (About 410 lines: each job lives in its own module; what is left here is the one public surface the
 * state's MapBinding drives and the wiring between those modules, which reads best in one place.)
 */
export class PlannerMap {
  readonly map: maplibregl.Map;
  private readonly overlay: MapboxOverlay;
  private readonly pointer: MapPointer;
  private data: MapData | null = null;
  private result: CoverageResult | null = null;
  private gaps: GapAnalysis | null = null;
  private layers: MapLayerVisibility | null = null;
  private language: MapLanguage;
  private insets: () => ScreenInsets = () => noInsets;
  /** deck.gl's canvas has been taken out of the tab order (see `keepOverlayOutOfTabOrder`). */
  private overlayOutOfTabOrder = false;
  private selectedCommunity: number | null = null;
  private selectedGap: number | null = null;
  private selectedFeatures: MapFeatureSelection | null = null;
  /**
   * The coverage's cell raster on the GPU: painted and uploaded a slice at a time (a task each, so the
   * page stays responsive while a million cells upload), then swapped in once a frame draws it.
   */
  private readonly cells: CellRaster;
  /** How the rasters colour cells: only the gaps, or the walk against the straight line (read when a paint starts). */
  private readonly cellView = (): CellView => ({
    gapsOnly: this.layers?.gapsOnly ?? false,
    walkDifference: this.layers?.walkDifference ?? false,
  });
  private readonly swipe: SwipeComparison;
  /** Results computed under rules since changed: their cells are drawn faded and greyed (`setOutOfDate`). */
  private readonly outOfDate = new Set<CoverageResult>();
  /** The cell rasters the overlay's layers hold (what its next frame draws), and those the last frame drew. */
  private renderingCells: DrawnCells[] = [];
  private drawnCells: DrawnCells[] = [];
  /** Counts changes of the visible cell layers, and the last one a frame has drawn: see `isCellsDrawn`. */
  private deckVersion = 0;
  private drawnDeckVersion = 0;
  private highlights: HighlightPath[] = [];
  private drawWaiters: (() => void)[] = [];
  /** The deck.gl layer update the overlay holds (what its next frame draws). */
  private renderingDeckVersion = 0;
  private styleLoaded: Promise<void>;
  /** A basemap the planner supplies (PMTiles), under the app's layers. */
  private readonly plannerBasemap: PlannerBasemapLayers;
  /** Layers not yet in use (an extract's derived layers) drawn over the rest while the planner looks at them. */
  private readonly preview: ImportPreviewLayers;
  private previewShown = false;
  /** Resolves once the map has drawn the last data set handed to it (every tile loaded and drawn). */
  private dataDrawn: Promise<void> = Promise.resolve();
  private destroyed = false;
  /** Layers other modules draw over the map (e.g. scenario editing), by owner key, after the built-in ones. */
  private readonly extraLayers = new Map<string, Layer[]>();
  /** When it returns true, a map click neither opens a popup nor selects a community (a drawing tool owns it). */
  clickSuppressed: (() => boolean) | null = null;

  constructor(options: PlannerMapOptions) {
    this.language = options.language;
    this.map = new maplibregl.Map({
      container: options.container,
      style: initialStyle(),
      ...initialCamera(options.view),
      attributionControl: false,
      localIdeographFontFamily:
        "'Noto Sans CJK SC', 'Droid Sans Fallback', 'PingFang SC', 'Microsoft YaHei', sans-serif",
      maxPitch: 0,
      dragRotate: false,
      canvasContextAttributes: { preserveDrawingBuffer: true },
      ...(options.pixelRatio ? { pixelRatio: options.pixelRatio } : {}),
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
    let resolveDevice: (device: Device) => void = () => {};
    const deviceReady = new Promise<Device>((resolve) => {
      resolveDevice = resolve;
    });
    const show = () => this.showNewTiles();
    this.cells = new CellRaster(deviceReady, show);
    this.swipe = new SwipeComparison(deviceReady, show);
    this.overlay = new MapboxOverlay({
      interleaved: false,
      ...(options.pixelRatio ? { useDevicePixels: options.pixelRatio } : {}),
      layers: this.deckLayers(),
      onDeviceInitialized: (device) => resolveDevice(device),
      onAfterRender: () => {
        // Once: the canvas exists from the first frame on (not a DOM query per frame).
        if (!this.overlayOutOfTabOrder) this.overlayOutOfTabOrder = this.keepOverlayOutOfTabOrder();
        this.drawnDeckVersion = this.renderingDeckVersion;
        this.drawnCells = this.renderingCells;
        const waiters = this.drawWaiters;
        this.drawWaiters = [];
        for (const resolve of waiters) resolve();
      },
    });
    this.map.addControl(this.overlay);
    this.styleLoaded = new Promise((resolve) => this.map.once('load', () => resolve()));
    this.plannerBasemap = new PlannerBasemapLayers(this.map, this.styleLoaded);
    this.preview = new ImportPreviewLayers(this.map, this.styleLoaded);
    this.map.on('moveend', () => options.onViewChange?.(cameraOf(this.map)));
    this.pointer = new MapPointer(
      this.map,
      {
        cellAt: (longitude, latitude, side) => this.cellAt(longitude, latitude, side),
        featureAt: (point) => this.featureAt(point),
        swipeSideAt: (x) => this.swipe.sideAt(x, this.map.getContainer().clientWidth),
        usable: () => this.usable,
        clickSuppressed: () => this.clickSuppressed?.() ?? false,
      },
      options,
    );
  }

  /**
   * deck.gl's canvas only draws here (MapLibre takes the input), but deck's key handler gives it
   * tabindex 0: an unnamed, invisible Tab stop right after the map's. Taken out of the tab order
   * and the accessibility tree once it exists; returns whether it did.
   */
  private keepOverlayOutOfTabOrder(): boolean {
    const canvases = this.map.getContainer().querySelectorAll<HTMLCanvasElement>('canvas:not(.maplibregl-canvas)');
    for (const canvas of canvases) {
      canvas.tabIndex = -1;
      canvas.setAttribute('aria-hidden', 'true');
    }
    return canvases.length > 0;
  }

  /** Hands the map a data set: builds the style's sources and layers from it. */
  setData(data: MapData): Promise<void> {
    const applied = this.applyData(data);
    this.dataDrawn = applied.then(() => new Promise<void>((resolve) => this.map.once('idle', () => resolve())));
    return applied;
  }

  /**
   * Resolves once the map has drawn its data (or after `timeoutMs`). The app waits for this before it
   * starts computing: the first frame with data compiles MapLibre's shaders and lays out labels, a
   * one-time stall where WebGL is software-rendered, better taken before the computation than during it.
   */
  whenDataDrawn(timeoutMs: number): Promise<void> {
    return Promise.race([this.dataDrawn, new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))]);
  }

  private async applyData(data: MapData): Promise<void> {
    this.data = data;
    await this.styleLoaded;
    const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
    const withIds = (collection: FeatureCollection): FeatureCollection => ({
      type: 'FeatureCollection',
      features: collection.features.map((feature, index) => ({ ...feature, id: index })),
    });
    const sources: Record<string, FeatureCollection> = {
      district: data.district ?? empty,
      // An extract's basemap draws the roads and buildings itself (its streets are the walking network).
      streets: data.basemap ? empty : (data.streets ?? empty),
      basemap: data.basemap ?? empty,
      river: data.river ?? empty,
      barriers: data.barriers ?? empty,
      buildings: data.basemap ? empty : (data.buildings ?? empty),
      communities: withIds(data.communities),
      'community-labels': communityLabelPoints(data.communities),
      greenspaces: data.greenspaces,
      greenways: data.greenways,
      entrances: entranceCollection(this.result),
    };
    for (const [id, collection] of Object.entries(sources)) {
      const source = this.map.getSource(id) as GeoJSONSource | undefined;
      if (source) source.setData(collection);
      else this.map.addSource(id, { type: 'geojson', data: collection });
    }
    if (!this.map.getLayer('district-fill')) {
      for (const layer of dataLayers()) this.map.addLayer(layer);
      this.plannerBasemap.place();
      this.preview.raise();
    }
    this.applyLanguage();
    this.applyVisibility();
    this.applyHighlights();
  }

  /** Switches label language (community names: `name` in Chinese, `name_en` in English; the planner's basemap too). */
  setLanguage(language: MapLanguage): void {
    this.language = language;
    this.applyLanguage();
    void this.plannerBasemap.setLanguage(language);
  }

  /**
   * Draws a basemap the planner supplies (a PMTiles archive, already checked) under the app's layers, in
   * place of the data set's own streets, water and buildings; null goes back to those. Resolves once drawn in.
   */
  async setPlannerBasemap(basemap: MapPlannerBasemap | null): Promise<void> {
    await this.plannerBasemap.set(basemap, this.language);
    this.applyVisibility();
  }

  /**
   * Draws layers before they are used (an OpenStreetMap extract's derived layers) over the data set's,
   * with the coverage cells hidden under them; null removes them and shows the cells again. Resolves
   * once every changed layer has been handed to MapLibre.
   */
  setPreview(preview: MapPreview | null): Promise<void> {
    if (this.previewShown !== (preview !== null)) {
      this.previewShown = preview !== null;
      this.cellLayersChanged();
      this.updateDeck();
    }
    return this.preview.set(preview);
  }

  private applyLanguage(): void {
    if (!this.usable || !this.map.getLayer('communities-label')) return;
    this.map.setLayoutProperty('communities-label', 'text-field', communityLabelText(this.language));
  }

  /**
   * Shows a coverage result (or none). Resolves once deck.gl has drawn it: the "coverage drawn"
   * moment the readiness signal and the bench wait for.
   */
  setCoverage(result: CoverageResult | null): Promise<void> {
    this.result = result;
    (this.map.getSource('entrances') as GeoJSONSource | undefined)?.setData(entranceCollection(result));
    this.gaps = null;
    this.applyHighlights();
    return this.cells.paint(this.result, this.cellView);
  }

  /** Draws swapped-in textures: resolves on the frame that draws them. */
  private showNewTiles(): Promise<void> {
    const drawn = new Promise<void>((resolve) => this.drawWaiters.push(resolve));
    this.cellLayersChanged();
    this.updateDeck();
    this.map.triggerRepaint();
    return drawn;
  }

  /**
   * Notes that the next deck.gl update changes the visible cell layers (new textures, a moved divider),
   * which makes deck.gl draw a frame: `isCellsDrawn` waits for it. Other updates may draw nothing new.
   */
  private cellLayersChanged(): void {
    if ((this.layers?.cells ?? true) && this.result !== null) this.deckVersion++;
  }

  /**
   * Starts or ends the swipe comparison: `baseline`'s cells are drawn left of the divider and the
   * current coverage's right of it. Null ends it and frees the baseline's textures. Resolves once drawn.
   */
  setSwipeBaseline(baseline: CoverageResult | null): Promise<void> {
    if (baseline === this.swipe.baseline) return Promise.resolve();
    this.swipe.baseline = baseline;
    return this.swipe.raster.paint(baseline, this.cellView);
  }

  /** Moves the swipe divider (percent of the map's width from its left edge): only uniforms change. */
  setSwipeDivider(percent: number): void {
    if (percent === this.swipe.dividerPercent) return;
    this.swipe.dividerPercent = percent;
    if (!this.swipe.baseline) return;
    this.cellLayersChanged();
    this.updateDeck();
  }

  /**
   * Marks results as computed under rules since changed (`outOfDate`), or as current again: while an
   * out-of-date result's cells are drawn they are faded and greyed (a uniform change); the cells of a
   * newer result, swapped in whole, are drawn as usual.
   */
  markCells(results: readonly (CoverageResult | null)[], outOfDate: boolean): void {
    let changed = false;
    for (const result of results) {
      if (!result || this.outOfDate.has(result) === outOfDate) continue;
      if (outOfDate) this.outOfDate.add(result);
      else this.outOfDate.delete(result);
      changed = true;
    }
    if (changed) this.updateDeck();
  }

  /** The results whose cells the last frame drew, and whether drawn as out of date: for tests. */
  drawnCellResults(): readonly DrawnCells[] {
    return this.drawnCells;
  }

  /** Gap areas of the current result (for the gap highlight and the cell tooltip). */
  setGaps(gaps: GapAnalysis | null): void {
    this.gaps = gaps;
    this.applyHighlights();
  }

  /** Shows or hides layers. */
  setLayerVisibility(layers: MapLayerVisibility): void {
    const previous = this.layers;
    this.layers = { ...layers };
    this.applyVisibility();
    const repaint =
      previous && (previous.gapsOnly !== layers.gapsOnly || previous.walkDifference !== layers.walkDifference);
    if (this.result && repaint) {
      void this.cells.paint(this.result, this.cellView);
      if (this.swipe.baseline) void this.swipe.raster.paint(this.swipe.baseline, this.cellView);
    } else this.updateDeck();
  }

  private applyVisibility(): void {
    if (!this.layers || !this.usable) return;
    this.plannerBasemap.applyVisibility(this.layers.streets);
    if (!this.map.getLayer('streets-local')) return;
    for (const [ids, visible] of visibilityGroups(this.layers, this.plannerBasemap.shown)) {
      for (const id of ids) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
  }

  /** Outlines a community (index into the engine's communities), or none. */
  highlightCommunity(community: number | null): void {
    this.selectedCommunity = community;
    this.applyHighlights();
  }

  /** Outlines the cells of a gap area (by rank), or none. */
  highlightGap(rank: number | null): void {
    this.selectedGap = rank;
    this.applyHighlights();
  }

  /** Outlines features of one of the map's layers (by index: what a search found), or none. */
  highlightFeatures(selection: MapFeatureSelection | null): void {
    this.selectedFeatures = selection;
    this.applyHighlights();
  }

  /** Rebuilds the highlight paths: the selected community's and gap area's outlines, the found features. */
  private applyHighlights(): void {
    const found = this.selectedFeatures;
    this.highlights = highlightPaths({
      communities: this.data?.communities,
      community: this.selectedCommunity,
      result: this.result,
      gaps: this.gaps,
      gap: this.selectedGap,
      features: found ? { collection: this.data?.[found.layer], indexes: found.indexes } : null,
    });
    this.updateDeck();
  }

  /**
   * Tells the map which screen space its panels cover (CSS pixels from each edge, asked at each
   * fitBounds), so that a fitted area is shown clear of them: a kiosk's title, caption and legend.
   */
  setInsets(insets: () => ScreenInsets): void {
    this.insets = insets;
  }

  /** Zooms to `[west, south, east, north]`, clear of the insets; animated unless the user prefers reduced motion. */
  fitBounds(bbox: BoundingBox, options: { animate?: boolean; maxZoom?: number } = {}): void {
    fitBoundsClear(this.map, bbox, this.insets(), options);
  }

  /** Moves to a view at once. */
  jumpTo(view: MapCamera): void {
    this.map.jumpTo({ center: [view.longitude, view.latitude], zoom: view.zoom });
  }

  /** The residential cell at a position, with its distances, or null. */
  cellAt(longitude: number, latitude: number, side: SwipeSide = 'scenario'): CellInfo | null {
    const baseline = side === 'baseline' && this.swipe.baseline !== null;
    // The cell as drawn: a result still uploading is not yet on screen, the one before it is.
    const drawn = this.result ? this.cells.tilesResult : null;
    const result = baseline ? this.swipe.baseline : drawn;
    if (!result || !(this.layers?.cells ?? true) || this.previewShown) return null;
    const gaps = drawn === this.result ? this.gaps : null;
    return cellAt(result, criteriaInUse(drawn), gaps, longitude, latitude, baseline);
  }

  /** The green space or greenway drawn at a screen point (within a few pixels), or null. */
  featureAt(point: maplibregl.PointLike): FeatureInfo | null {
    return this.usable ? featureAt(this.map, point, this.language) : null;
  }

  /** Sets the deck.gl layers one module (`key`) draws over the map; an empty list removes them. */
  setExtraLayers(key: string, layers: Layer[]): void {
    this.extraLayers.set(key, layers);
    this.updateDeck();
  }

  /**
   * The deck.gl layers: cell raster tiles and highlight paths. Both layers exist from the start (empty
   * until there is data), so their shaders compile on the first frame, before any computation.
   */
  private deckLayers(): Layer[] {
    const cellsVisible = (this.layers?.cells ?? true) && this.result !== null && !this.previewShown;
    const tiles = cellsVisible ? this.cells.tiles : [];
    // A mark outlives no result the map holds (a result is large: the set must not keep it alive).
    const held = [this.result, this.swipe.baseline, this.cells.tilesResult, this.swipe.raster.tilesResult];
    for (const result of this.outOfDate) if (!held.includes(result)) this.outOfDate.delete(result);
    // Each raster's tiles are one result's (swapped in whole): what it draws is that result's, marked so.
    const drawn = (result: CoverageResult | null): DrawnCells[] =>
      result ? [{ result, outOfDate: this.outOfDate.has(result) }] : [];
    const cells = drawn(cellsVisible ? this.cells.tilesResult : null);
    const swiping = cellsVisible && this.swipe.baseline !== null;
    const swiped = drawn(swiping ? this.swipe.raster.tilesResult : null);
    this.renderingCells = [...cells, ...swiped];
    const cellsOutOfDate = cells[0]?.outOfDate ?? false;
    const layers: Layer[] = swiping
      ? this.swipe.cellLayers(tiles, { baseline: swiped[0]?.outOfDate ?? false, scenario: cellsOutOfDate })
      : cellBitmapLayers(tiles, 'cells', fullWidth, cellsOutOfDate);
    if (tiles.length === 0) layers.push(emptyCellLayer());
    layers.push(highlightLayer(this.highlights));
    for (const extra of this.extraLayers.values()) layers.push(...extra);
    return layers;
  }

  /**
   * Whether the map can take changes: not destroyed, and its style present (MapLibre drops the style
   * when the WebGL context is lost; the kiosk then rebuilds the map).
   */
  private get usable(): boolean {
    return !this.destroyed && Boolean(this.map.style);
  }

  private updateDeck(): void {
    if (!this.usable) return;
    this.renderingDeckVersion = this.deckVersion;
    this.overlay.setProps({ layers: this.deckLayers() });
  }

  /**
   * Whether every cell raster handed to the map (coverage and swipe baseline) is uploaded and the
   * overlay has drawn its latest layers (e.g. a moved swipe divider): for tests and the bench.
   */
  isCellsDrawn(): boolean {
    return this.cells.settled && this.swipe.raster.settled && this.drawnDeckVersion === this.deckVersion;
  }

  /** Whether the map is still and drawn: no animation or gesture in progress, every tile loaded. */
  isIdle(): boolean {
    if (!this.usable) return false;
    // loaded() is false from a camera change until the next frame has updated the sources: without it,
    // a check right after jumpTo() saw the old tiles as "all loaded" (a flaky hover test in CI).
    return !this.map.isMoving() && this.map.loaded() && this.map.areTilesLoaded();
  }

  /** Screen position (CSS pixels, relative to the map container) of a point: for tests and the bench. */
  project(longitude: number, latitude: number): [number, number] {
    const point = this.map.project([longitude, latitude]);
    return [point.x, point.y];
  }

  /** Removes the map and releases WebGL resources. */
  destroy(): void {
    this.destroyed = true;
    this.pointer.destroy();
    this.cells.destroy();
    this.swipe.raster.destroy();
    this.overlay.finalize();
    this.map.remove();
  }
}
