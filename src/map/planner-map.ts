import { COORDINATE_SYSTEM, type Layer } from '@deck.gl/core';
import { PathLayer } from '@deck.gl/layers';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Device, Texture } from '@luma.gl/core';
import type { FeatureCollection, Position } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import type { BoundingBox, CoverageResult, CriterionId } from '../coverage';
import type { GapAnalysis } from '../coverage/gap-areas';
import { traceCellOutlines } from '../coverage/gap-outlines';
import type { DataSet } from '../state/load-data';
import type { Language, LayerVisibility, MapView } from '../state/url-state';
import { CellBitmapLayer } from './cell-bitmap-layer';
import { type CellState, cellState } from './cell-colors';
import { cellRasterSteps } from './cell-raster';
import { communityLabelPoints } from './community-labels';
import { fitPadding, noInsets, type ScreenInsets } from './fit-padding';
import { fullWidth, type SwipeSide, swipeSideFractions } from './swipe-clip';

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
  /** The pointer is on the swipe's baseline side: these are the baseline's figures. */
  baseline: boolean;
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
  /** Hover over a green space or greenway (null when leaving them). */
  onFeatureInfo?: (info: FeatureInfo | null) => void;
  /** Text for a feature's kind in the current language. */
  kindLabel?: (kind: string) => string;
}

/** Green space fills by kind: one MapLibre layer each with a constant colour (one shared shader). */
const greenKindFills: { kind: string; color: string }[] = [
  { kind: 'park', color: 'rgb(27, 120, 55)' },
  { kind: 'pocket_park', color: 'rgb(90, 174, 97)' },
  { kind: 'micro_green', color: 'rgb(166, 219, 160)' },
  { kind: 'green_space', color: 'rgb(120, 198, 121)' },
];
const greenLayerIds = [
  ...greenKindFills.map(({ kind }) => `greenspaces-${kind}`),
  'greenspaces-other',
  'greenspaces-point',
  'greenspaces-outline',
  'greenways-line',
];

/** A coloured line of the highlight layer (community outline, gap area outline). */
interface HighlightPath {
  path: Position[];
  color: [number, number, number, number];
  widthPixels: number;
}

/** A cell raster on the GPU: one texture per tile, with its bounds. */
type CellTextures = { bounds: BoundingBox; texture: Texture }[];

/** Rows of a raster tile uploaded per task: about 1 MB, so no upload blocks the page for long. */
const uploadBytesPerTask = 1 << 20;

/**
 * Owns the MapLibre map and its deck.gl overlay (like Placemark's PMap): the UI creates one and hands
 * it data. The MapLibre style is built in code from the data (no remote tiles, glyphs or sprites) and
 * draws the context and the green features; deck.gl draws the residential cells (as textures, one
 * pixel per cell: see `cell-raster.ts`) and the highlights over it.
 *
 * Where WebGL is software-rendered, each new shader program blocks the page while it compiles, so the
 * map keeps their number small: green features are MapLibre fill and line layers with constant paint
 * (the programs the base map compiles anyway), and deck.gl has two programs, both compiled when the
 * map first draws, before any data has arrived.
 */
export class PlannerMap {
  readonly map: maplibregl.Map;
  private readonly overlay: MapboxOverlay;
  private readonly options: PlannerMapOptions;
  private readonly deviceReady: Promise<Device>;
  private data: DataSet | null = null;
  private result: CoverageResult | null = null;
  private gaps: GapAnalysis | null = null;
  private layers: LayerVisibility | null = null;
  private language: Language;
  private insets: () => ScreenInsets = () => noInsets;
  /** deck.gl's canvas has been taken out of the tab order (see `keepOverlayOutOfTabOrder`). */
  private overlayOutOfTabOrder = false;
  private selectedCommunity: number | null = null;
  private selectedGap: number | null = null;
  /** The cell raster on the GPU: one texture per tile, with its bounds. */
  private cellTiles: CellTextures = [];
  /** Counts cell raster paints, so that a newer paint stops an older one's upload. */
  private paintGeneration = 0;
  /** The swipe comparison's baseline (drawn left of the divider), or null when not swiping. */
  private swipeBaseline: CoverageResult | null = null;
  /** The swipe divider, in percent of the map's width from its left edge. */
  private swipeDividerPercent = 50;
  /** The baseline's cell raster on the GPU while swiping (empty otherwise). */
  private swipeTiles: CellTextures = [];
  /** Counts baseline raster paints, like `paintGeneration`. */
  private swipePaintGeneration = 0;
  /** Raster paints started and not yet drawn (cells and swipe baseline). */
  private paintsPending = 0;
  /** Counts changes of the visible cell layers, and the last one a frame has drawn: see `isCellsDrawn`. */
  private deckVersion = 0;
  private drawnDeckVersion = 0;
  private highlightPaths: HighlightPath[] = [];
  private drawWaiters: (() => void)[] = [];
  /** The deck.gl layer update the overlay holds (what its next frame draws). */
  private renderingDeckVersion = 0;
  private readonly popup = new maplibregl.Popup({ closeButton: true, closeOnClick: true, maxWidth: '280px' });
  private styleLoaded: Promise<void>;
  private hoverFrame = 0;
  /** Resolves once the map has drawn the last data set handed to it (every tile loaded and drawn). */
  private dataDrawn: Promise<void> = Promise.resolve();
  private destroyed = false;
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
    let resolveDevice: (device: Device) => void = () => {};
    this.deviceReady = new Promise((resolve) => {
      resolveDevice = resolve;
    });
    this.overlay = new MapboxOverlay({
      interleaved: false,
      layers: this.deckLayers(),
      onDeviceInitialized: (device) => resolveDevice(device),
      onAfterRender: () => {
        // Once: the canvas exists from the first frame on (not a DOM query per frame).
        if (!this.overlayOutOfTabOrder) this.overlayOutOfTabOrder = this.keepOverlayOutOfTabOrder();
        this.drawnDeckVersion = this.renderingDeckVersion;
        const waiters = this.drawWaiters;
        this.drawWaiters = [];
        for (const resolve of waiters) resolve();
      },
    });
    this.map.addControl(this.overlay);
    this.styleLoaded = new Promise((resolve) => this.map.once('load', () => resolve()));
    this.map.on('moveend', () => {
      const center = this.map.getCenter();
      this.options.onViewChange?.({ longitude: center.lng, latitude: center.lat, zoom: this.map.getZoom() });
    });
    this.map.on('mousemove', (event) => this.hover(event));
    this.map.on('mouseout', () => {
      this.options.onCellInfo?.(null);
      this.options.onFeatureInfo?.(null);
    });
    this.map.on('click', (event) => this.click(event));
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
  setData(data: DataSet): Promise<void> {
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

  private async applyData(data: DataSet): Promise<void> {
    this.data = data;
    await this.styleLoaded;
    const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
    const withIds = (collection: FeatureCollection): FeatureCollection => ({
      type: 'FeatureCollection',
      features: collection.features.map((feature, index) => ({ ...feature, id: index })),
    });
    const sources: Record<string, FeatureCollection> = {
      district: data.district ?? empty,
      streets: data.streets ?? empty,
      river: data.river ?? empty,
      communities: withIds(data.communities),
      'community-labels': communityLabelPoints(data.communities),
      greenspaces: data.greenspaces,
      greenways: data.greenways,
    };
    for (const [id, collection] of Object.entries(sources)) {
      const source = this.map.getSource(id) as GeoJSONSource | undefined;
      if (source) source.setData(collection);
      else this.map.addSource(id, { type: 'geojson', data: collection });
    }
    if (!this.map.getLayer('district-fill')) this.addBaseLayers();
    this.applyLanguage();
    this.applyVisibility();
    this.applyHighlights();
  }

  private addBaseLayers(): void {
    const style = this.map;
    // Constant paint properties only (no data-driven styling, no dash patterns): every fill layer shares
    // one shader program and every line layer another, which matters where WebGL is software-rendered.
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
      ...greenKindFills.map(
        ({ kind, color }): maplibregl.LayerSpecification => ({
          id: `greenspaces-${kind}`,
          type: 'fill',
          source: 'greenspaces',
          filter: ['==', ['get', 'kind'], kind],
          paint: { 'fill-color': color, 'fill-opacity': 0.92, 'fill-antialias': false },
        }),
      ),
      {
        id: 'greenspaces-other',
        type: 'fill',
        source: 'greenspaces',
        filter: ['!', ['in', ['get', 'kind'], ['literal', greenKindFills.map(({ kind }) => kind)]]],
        paint: { 'fill-color': greenKindFills[3].color, 'fill-opacity': 0.92, 'fill-antialias': false },
      },
      {
        id: 'greenspaces-point',
        type: 'circle',
        source: 'greenspaces',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-color': greenKindFills[1].color, 'circle-radius': 5, 'circle-stroke-width': 1 },
      },
      {
        id: 'greenspaces-outline',
        type: 'line',
        source: 'greenspaces',
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'line-color': '#145028', 'line-width': 1 },
      },
      {
        id: 'greenways-line',
        type: 'line',
        source: 'greenways',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#006e3c', 'line-width': 3 },
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
        source: 'community-labels',
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
    if (!this.usable || !this.map.getLayer('communities-label')) return;
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
    this.applyHighlights();
    return this.paintCells();
  }

  /**
   * Paints the cell raster and uploads it to the GPU a slice at a time (a task each, so the page stays
   * responsive while a million cells upload), then swaps it in and waits for the frame that draws it.
   */
  private async paintCells(): Promise<void> {
    const generation = ++this.paintGeneration;
    const uploaded = await this.trackPaint(
      this.uploadRaster(this.result, () => generation === this.paintGeneration && !this.destroyed),
    );
    if (!uploaded) return;
    const previous = this.cellTiles;
    this.cellTiles = uploaded;
    await this.swapDrawn(previous);
  }

  /** Paints and uploads the swipe baseline's raster (none when not swiping), like `paintCells`. */
  private async paintSwipeBaseline(): Promise<void> {
    const generation = ++this.swipePaintGeneration;
    const uploaded = await this.trackPaint(
      this.uploadRaster(this.swipeBaseline, () => generation === this.swipePaintGeneration && !this.destroyed),
    );
    if (!uploaded) return;
    const previous = this.swipeTiles;
    this.swipeTiles = uploaded;
    await this.swapDrawn(previous);
  }

  /** Counts a paint as pending until it settles (for `isCellsDrawn`). */
  private async trackPaint<T>(paint: Promise<T>): Promise<T> {
    this.paintsPending++;
    try {
      return await paint;
    } finally {
      this.paintsPending--;
    }
  }

  /** Draws the swapped-in textures, then frees the ones they replaced. */
  private async swapDrawn(previous: CellTextures): Promise<void> {
    const drawn = new Promise<void>((resolve) => this.drawWaiters.push(resolve));
    this.cellLayersChanged();
    this.updateDeck();
    this.map.triggerRepaint();
    await drawn;
    // Only now is no layer bound to the old textures.
    for (const { texture } of previous) texture.destroy();
  }

  /**
   * Notes that the next deck.gl update changes the visible cell layers (new textures, a moved divider),
   * which makes deck.gl draw a frame: `isCellsDrawn` waits for it. Other updates may draw nothing new.
   */
  private cellLayersChanged(): void {
    if ((this.layers?.cells ?? true) && this.result !== null) this.deckVersion++;
  }

  /**
   * A result's cell raster as textures (none for no result), or null once `current()` turns false (a
   * newer paint or the map's end: what was uploaded so far is freed).
   */
  private async uploadRaster(result: CoverageResult | null, current: () => boolean): Promise<CellTextures | null> {
    const uploaded: CellTextures = [];
    if (!result) return uploaded;
    const device = await this.deviceReady;
    if (!current()) return null;
    const steps = cellRasterSteps(
      result.grid,
      result.cellIndex,
      result.verdicts,
      this.inUse(result),
      this.layers?.gapsOnly ?? false,
    );
    let step = steps.next();
    while (!step.done) {
      await nextTask();
      if (!current()) return null;
      step = steps.next();
    }
    for (const tile of step.value) {
      const texture = device.createTexture({
        format: 'rgba8unorm',
        width: tile.width,
        height: tile.height,
        mipLevels: 1,
        sampler: {
          minFilter: 'nearest',
          magFilter: 'nearest',
          addressModeU: 'clamp-to-edge',
          addressModeV: 'clamp-to-edge',
        },
      });
      uploaded.push({ bounds: tile.bounds, texture });
      const rowsPerTask = Math.max(1, Math.floor(uploadBytesPerTask / (tile.width * 4)));
      for (let y = 0; y < tile.height; y += rowsPerTask) {
        if (y > 0) await nextTask();
        if (!current()) {
          for (const { texture: unused } of uploaded) unused.destroy();
          return null;
        }
        const height = Math.min(rowsPerTask, tile.height - y);
        texture.writeData(tile.pixels.subarray(y * tile.width * 4, (y + height) * tile.width * 4), {
          y,
          width: tile.width,
          height,
        });
      }
    }
    return uploaded;
  }

  /**
   * Starts or ends the swipe comparison: `baseline`'s cells are drawn left of the divider and the
   * current coverage's right of it. Null ends it and frees the baseline's textures. Resolves once drawn.
   */
  setSwipeBaseline(baseline: CoverageResult | null): Promise<void> {
    if (baseline === this.swipeBaseline) return Promise.resolve();
    this.swipeBaseline = baseline;
    return this.paintSwipeBaseline();
  }

  /** Moves the swipe divider (percent of the map's width from its left edge): only uniforms change. */
  setSwipeDivider(percent: number): void {
    if (percent === this.swipeDividerPercent) return;
    this.swipeDividerPercent = percent;
    if (!this.swipeBaseline) return;
    this.cellLayersChanged();
    this.updateDeck();
  }

  /** Gap areas of the current result (for the gap highlight and the cell tooltip). */
  setGaps(gaps: GapAnalysis | null): void {
    this.gaps = gaps;
    this.applyHighlights();
  }

  /** Shows or hides layers. */
  setLayerVisibility(layers: LayerVisibility): void {
    const previous = this.layers;
    this.layers = { ...layers };
    this.applyVisibility();
    if (this.result && previous && previous.gapsOnly !== layers.gapsOnly) {
      void this.paintCells();
      if (this.swipeBaseline) void this.paintSwipeBaseline();
    } else this.updateDeck();
  }

  private applyVisibility(): void {
    if (!this.layers || !this.usable || !this.map.getLayer('streets-local')) return;
    const visibility = (visible: boolean) => (visible ? 'visible' : 'none');
    const groups: [string[], boolean][] = [
      [['streets-local', 'streets-arterial'], this.layers.streets],
      [['communities-line', 'communities-label'], this.layers.communities],
      [greenLayerIds.filter((id) => id.startsWith('greenspaces')), this.layers.greenspaces],
      [['greenways-line'], this.layers.greenways],
    ];
    for (const [ids, visible] of groups) {
      for (const id of ids) this.map.setLayoutProperty(id, 'visibility', visibility(visible));
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

  /** Rebuilds the highlight paths: the selected community's outline and the selected gap area's outline. */
  private applyHighlights(): void {
    const paths: HighlightPath[] = [];
    const community =
      this.selectedCommunity !== null ? this.data?.communities.features[this.selectedCommunity] : undefined;
    const geometry = community?.geometry;
    const polygons =
      geometry?.type === 'Polygon'
        ? [geometry.coordinates]
        : geometry?.type === 'MultiPolygon'
          ? geometry.coordinates
          : [];
    for (const polygon of polygons) {
      for (const ring of polygon) paths.push({ path: ring, color: [0, 0, 0, 255], widthPixels: 3 });
    }
    const rank = this.selectedGap;
    const result = this.result;
    if (rank !== null && this.gaps && result && rank < this.gaps.areas.length) {
      const { cellGap } = this.gaps;
      const cells: number[] = [];
      for (let k = 0; k < cellGap.length; k++) if (cellGap[k] === rank) cells.push(result.cellIndex[k]);
      const { grid } = result;
      const toLngLat = ([column, row]: [number, number]): Position => [
        grid.west + column * grid.longitudeStep,
        grid.south + row * grid.latitudeStep,
      ];
      // A dark line under a bright one: the outline stands out on every cell colour.
      for (const outline of traceCellOutlines(grid.columns, cells)) {
        for (const ring of outline.rings) {
          const path = ring.map(toLngLat);
          paths.push({ path, color: [20, 20, 20, 255], widthPixels: 5 });
          paths.push({ path, color: [255, 140, 0, 255], widthPixels: 2.5 });
        }
      }
    }
    this.highlightPaths = paths;
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
    const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    this.map.fitBounds(
      [
        [bbox[0], bbox[1]],
        [bbox[2], bbox[3]],
      ],
      {
        padding: fitPadding(this.insets(), this.map.getContainer().clientWidth, this.map.getContainer().clientHeight),
        animate: options.animate ?? !reducedMotion,
        duration: 600,
        maxZoom: options.maxZoom ?? 16,
      },
    );
  }

  /** Moves to a view at once. */
  jumpTo(view: MapView): void {
    this.map.jumpTo({ center: [view.longitude, view.latitude], zoom: view.zoom });
  }

  private inUse(result = this.result): CriterionId[] {
    const rules = result?.rules;
    return rules ? (['green', 'park'] as const).filter((id) => rules[id]) : [];
  }

  /** The residential cell at a position, with its distances, or null. */
  cellAt(longitude: number, latitude: number, side: SwipeSide = 'scenario'): CellInfo | null {
    const baseline = side === 'baseline' && this.swipeBaseline !== null;
    const result = baseline ? this.swipeBaseline : this.result;
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
          // Gap areas are the scenario's: the baseline's cells are not numbered.
          gap: !baseline && this.gaps ? this.gaps.cellGap[middle] : -1,
          baseline,
        };
      }
    }
    return null;
  }

  /** The green space or greenway drawn at a screen point (within a few pixels), or null. */
  featureAt(point: maplibregl.PointLike): FeatureInfo | null {
    if (!this.usable || !this.map.getLayer('greenways-line')) return null;
    const { x, y } = maplibregl.Point.convert(point);
    const box: [maplibregl.PointLike, maplibregl.PointLike] = [
      [x - 3, y - 3],
      [x + 3, y + 3],
    ];
    const feature = this.map.queryRenderedFeatures(box, { layers: greenLayerIds })[0];
    if (!feature) return null;
    const properties = feature.properties ?? {};
    const layer = feature.source === 'greenways' ? 'greenways' : 'greenspaces';
    const kind = layer === 'greenways' ? 'greenway' : String(properties.kind ?? 'green_space');
    return { layer, name: this.featureName(properties), kind };
  }

  /** Sets the deck.gl layers one module (`key`) draws over the map; an empty list removes them. */
  setExtraLayers(key: string, layers: Layer[]): void {
    this.extraLayers.set(key, layers);
    this.updateDeck();
  }

  /** Pointer moves: the cell and the feature under it, at most once per frame. */
  private hover(event: maplibregl.MapMouseEvent): void {
    const { lngLat, point } = event;
    cancelAnimationFrame(this.hoverFrame);
    this.hoverFrame = requestAnimationFrame(() => {
      if (this.destroyed) return;
      this.options.onCellInfo?.(this.cellAt(lngLat.lng, lngLat.lat, this.swipeSideAt(point.x)));
      this.options.onFeatureInfo?.(this.featureAt(point));
    });
  }

  /** Which side of the swipe divider a screen x (CSS pixels in the map) is on; 'scenario' when not swiping. */
  private swipeSideAt(x: number): SwipeSide {
    if (!this.swipeBaseline) return 'scenario';
    const width = this.map.getContainer().clientWidth;
    return x < (this.swipeDividerPercent / 100) * width ? 'baseline' : 'scenario';
  }

  private click(event: maplibregl.MapMouseEvent): void {
    if (!this.usable || this.clickSuppressed?.()) return;
    this.options.onCellInfo?.(this.cellAt(event.lngLat.lng, event.lngLat.lat, this.swipeSideAt(event.point.x)));
    const feature = this.featureAt(event.point);
    this.options.onFeatureInfo?.(feature);
    if (feature) {
      this.showPopup(event.lngLat, feature);
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

  /**
   * The deck.gl layers: cell raster tiles and highlight paths. Both layers exist from the start (empty
   * until there is data), so their shaders compile on the first frame, before any computation.
   */
  private deckLayers(): Layer[] {
    const layers: Layer[] = [];
    const cellsVisible = (this.layers?.cells ?? true) && this.result !== null;
    const tiles = cellsVisible ? this.cellTiles : [];
    const swiping = cellsVisible && this.swipeBaseline !== null;
    const divider = this.swipeDividerPercent;
    const rasterLayers = (raster: CellTextures, idPrefix: string, widthFractions = fullWidth) =>
      raster.forEach(({ bounds, texture }, tile) => {
        layers.push(
          new CellBitmapLayer({
            id: `${idPrefix}-${tile}`,
            image: texture,
            bounds,
            _imageCoordinateSystem: COORDINATE_SYSTEM.LNGLAT,
            pickable: false,
            widthFractions,
          }),
        );
      });
    if (swiping) {
      rasterLayers(this.swipeTiles, 'swipe-baseline-cells', swipeSideFractions('baseline', divider));
      rasterLayers(tiles, 'cells', swipeSideFractions('scenario', divider));
    } else rasterLayers(tiles, 'cells');
    if (tiles.length === 0) {
      layers.push(new CellBitmapLayer({ id: 'cells-0', image: null, bounds: [0, 0, 0, 0], pickable: false }));
    }
    layers.push(
      new PathLayer<HighlightPath>({
        id: 'highlights',
        data: this.highlightPaths,
        getPath: (item) => item.path as [number, number][],
        getColor: (item) => item.color,
        getWidth: (item) => item.widthPixels,
        widthUnits: 'pixels',
        jointRounded: true,
        capRounded: true,
        pickable: false,
      }),
    );
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
    return this.paintsPending === 0 && this.drawnDeckVersion === this.deckVersion;
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
    this.paintGeneration++;
    cancelAnimationFrame(this.hoverFrame);
    this.popup.remove();
    this.swipePaintGeneration++;
    for (const { texture } of [...this.cellTiles, ...this.swipeTiles]) texture.destroy();
    this.cellTiles = [];
    this.swipeTiles = [];
    this.overlay.finalize();
    this.map.remove();
  }
}

/** Resolves in a new task (not a microtask), so the browser can draw and handle input in between. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
