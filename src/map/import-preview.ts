import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, GeoJSONSource, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { greenKindFills } from './map-style';
import type { MapPreview, MapPreviewLayer } from './map-types';

/** The prefix of the preview's sources and layers (clear of the app's own ids). */
export const previewPrefix = 'import-preview-';

/** How one previewed layer is drawn: a fill for its areas, a line for lines and outlines, circles for points. */
interface PreviewPaint {
  layer: MapPreviewLayer;
  fill: string | null;
  line: string;
  lineWidth: number;
}

/** The previewed layers bottom to top, in the map's own colours (`map-style.ts`, `basemap-style.ts`). */
const previewPaints: PreviewPaint[] = [
  { layer: 'basemap', fill: null, line: '#ddd6c6', lineWidth: 0.8 },
  { layer: 'residential', fill: '#e9dcc0', line: '#cdb98f', lineWidth: 0.6 },
  { layer: 'buildings', fill: '#d9d0c1', line: '#c2b6a3', lineWidth: 0.4 },
  { layer: 'barriers', fill: '#9ccbe8', line: '#4a90c2', lineWidth: 1.2 },
  { layer: 'streets', fill: null, line: '#b9ae97', lineWidth: 1 },
  { layer: 'greenspaces', fill: greenKindFills[3].color, line: '#145028', lineWidth: 1 },
  { layer: 'greenways', fill: null, line: '#006e3c', lineWidth: 3 },
  { layer: 'communities', fill: null, line: '#3d3a33', lineWidth: 1.2 },
  { layer: 'entrances', fill: null, line: '#145028', lineWidth: 1 },
];

/** The layers a preview can hold, bottom to top. */
export const previewLayerOrder: readonly MapPreviewLayer[] = previewPaints.map(({ layer }) => layer);

/** The GeoJSON source of one previewed layer. */
export function previewSourceId(layer: MapPreviewLayer): string {
  return `${previewPrefix}${layer}`;
}

const areas: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
const points: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]];

/**
 * The MapLibre layers of the preview, bottom to top: per derived layer a fill (areas), a line (lines and
 * area outlines) and circles (points), constant paint only (the shaders the map compiles anyway). Green
 * spaces are filled by kind as on the map (parks dark green).
 */
export function previewStyleLayers(): LayerSpecification[] {
  const layers: LayerSpecification[] = [];
  for (const { layer, fill, line, lineWidth } of previewPaints) {
    const source = previewSourceId(layer);
    if (layer === 'greenspaces')
      for (const { kind, color } of greenKindFills)
        layers.push({
          id: `${source}-${kind}`,
          type: 'fill',
          source,
          filter: ['all', areas, ['==', ['get', 'kind'], kind]],
          paint: { 'fill-color': color, 'fill-opacity': 0.92, 'fill-antialias': false },
        });
    if (fill)
      layers.push({
        id: `${source}-fill`,
        type: 'fill',
        source,
        // Green spaces of a kind the map knows are filled above; the others get the plain green.
        filter:
          layer === 'greenspaces'
            ? ['all', areas, ['!', ['in', ['get', 'kind'], ['literal', greenKindFills.map(({ kind }) => kind)]]]]
            : areas,
        paint: { 'fill-color': fill, 'fill-opacity': 0.85, 'fill-antialias': false },
      });
    layers.push({
      id: `${source}-line`,
      type: 'line',
      source,
      filter: ['!', points],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': line, 'line-width': lineWidth },
    });
    layers.push({
      id: `${source}-point`,
      type: 'circle',
      source,
      filter: points,
      paint: {
        'circle-color': fill ?? '#ffffff',
        'circle-radius': 3,
        'circle-stroke-color': line,
        'circle-stroke-width': 1,
      },
    });
  }
  return layers;
}

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Waits for the next task: the page gets a turn between two sources' hand-over to MapLibre's worker. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The preview of layers not yet in use (an OpenStreetMap extract's derived layers while its dialog is
 * open), drawn over everything else of MapLibre's: one GeoJSON source per layer, parsed and tiled in
 * MapLibre's worker. A source is handed new data only when its collection changed (dropping one layer
 * sends nothing but that layer's empty collection), one source per task, so a city's layers do not
 * hold the page in one long task.
 */
export class ImportPreviewLayers {
  private shown = new Map<MapPreviewLayer, FeatureCollection | string>();
  private added = false;
  private requests = 0;

  constructor(
    private readonly map: MapLibreMap,
    /** Resolves once the map's style has loaded. */
    private readonly styleLoaded: Promise<void>,
  ) {}

  /** Whether a preview is drawn. */
  get active(): boolean {
    return this.added;
  }

  /** Draws `preview` (null removes the preview's sources and layers); resolves once every source has its data. */
  async set(preview: MapPreview | null): Promise<void> {
    const request = ++this.requests;
    await this.styleLoaded;
    if (request !== this.requests || !this.map.style) return;
    if (!preview) {
      this.remove();
      return;
    }
    if (!this.added) {
      for (const layer of previewLayerOrder)
        this.map.addSource(previewSourceId(layer), { type: 'geojson', data: empty });
      for (const layer of previewStyleLayers()) this.map.addLayer(layer);
      this.added = true;
    }
    for (const layer of previewLayerOrder) {
      const collection = preview[layer] ?? empty;
      if ((this.shown.get(layer) ?? empty) === collection) continue;
      (this.map.getSource(previewSourceId(layer)) as GeoJSONSource).setData(collection);
      this.shown.set(layer, collection);
      await nextTask();
      if (request !== this.requests || !this.map.style) return;
    }
  }

  /** Moves the preview's layers over every other layer (after the data set's layers were added). */
  raise(): void {
    if (!this.added) return;
    for (const layer of previewStyleLayers()) this.map.moveLayer(layer.id);
  }

  private remove(): void {
    if (!this.added) return;
    for (const layer of previewStyleLayers()) if (this.map.getLayer(layer.id)) this.map.removeLayer(layer.id);
    for (const layer of previewLayerOrder)
      if (this.map.getSource(previewSourceId(layer))) this.map.removeSource(previewSourceId(layer));
    this.shown.clear();
    this.added = false;
  }
}
