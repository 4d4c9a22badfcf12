import type { FeatureCollection } from 'geojson';
import type { LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import {
  ImportPreviewLayers,
  previewLayerOrder,
  previewSourceId,
  previewStyleLayers,
} from '../../src/map/import-preview';
import { dataLayers, greenKindFills } from '../../src/map/map-style';

// The preview of an extract's derived layers on the map: its style (layer → MapLibre layers) and what
// it hands MapLibre when the derivation or the dropped layers change.

const paintOf = (layer: LayerSpecification) => (layer as { paint?: Record<string, unknown> }).paint ?? {};
const sourceOf = (layer: LayerSpecification) => (layer as { source?: string }).source;

describe('previewStyleLayers', () => {
  const layers = previewStyleLayers();

  it('draws every previewed layer from its own source, bottom to top in the preview order, with unique ids', () => {
    expect(new Set(layers.map((layer) => layer.id)).size).toBe(layers.length);
    const sources = layers.map(sourceOf);
    const firstOf = previewLayerOrder.map((layer) => sources.indexOf(previewSourceId(layer)));
    expect(firstOf.every((index) => index >= 0)).toBe(true);
    expect([...firstOf].sort((a, b) => a - b)).toEqual(firstOf);
    for (const layer of previewLayerOrder) {
      const own = layers.filter((style) => sourceOf(style) === previewSourceId(layer)).map((style) => style.type);
      // Lines and area outlines, and points, whatever the layer's geometry.
      expect(own).toEqual(expect.arrayContaining(['line', 'circle']));
    }
  });

  it("fills green spaces by kind in the map's own colours, parks dark green, and areas only where areas are", () => {
    const map = dataLayers();
    for (const { kind, color } of greenKindFills) {
      const preview = layers.find((layer) => layer.id === `${previewSourceId('greenspaces')}-${kind}`)!;
      expect(paintOf(preview)['fill-color']).toBe(color);
      expect(paintOf(map.find((layer) => layer.id === `greenspaces-${kind}`)!)['fill-color']).toBe(color);
    }
    expect(paintOf(layers.find((layer) => layer.id === `${previewSourceId('greenspaces')}-park`)!)['fill-color']).toBe(
      'rgb(27, 120, 55)',
    );
    // Lines have no fill; every fill is filtered to polygons.
    expect(layers.some((layer) => layer.type === 'fill' && sourceOf(layer) === previewSourceId('streets'))).toBe(false);
    for (const fill of layers.filter((layer) => layer.type === 'fill'))
      expect(JSON.stringify((fill as { filter: unknown }).filter)).toContain('Polygon');
    // Constant paint only: no data-driven expression (one shader per layer type).
    for (const layer of layers)
      for (const value of Object.values(paintOf(layer))) expect(Array.isArray(value)).toBe(false);
  });
});

/** A stand-in for MapLibre's map: what the preview adds, removes and hands each source. */
function fakeMap() {
  const sources = new Map<string, { data: FeatureCollection[] }>();
  const layers: string[] = [];
  const map = {
    style: {},
    addSource: (id: string, { data }: { data: FeatureCollection }) => sources.set(id, { data: [data] }),
    getSource: (id: string) => {
      const source = sources.get(id);
      return source && { setData: (data: FeatureCollection) => source.data.push(data) };
    },
    removeSource: (id: string) => sources.delete(id),
    addLayer: (layer: LayerSpecification) => layers.push(layer.id),
    getLayer: (id: string) => layers.includes(id) || undefined,
    removeLayer: (id: string) => layers.splice(layers.indexOf(id), 1),
    moveLayer: (id: string) => layers.push(...layers.splice(layers.indexOf(id), 1)),
  };
  return { map: map as unknown as MapLibreMap, sources, layers };
}

const collection = (count: number): FeatureCollection => ({
  type: 'FeatureCollection',
  features: Array.from({ length: count }, (_, index) => ({
    type: 'Feature',
    properties: {},
    geometry: { type: 'Point', coordinates: [index, 0] },
  })),
});

describe('ImportPreviewLayers', () => {
  it('hands a source new data only when its layer changed, and removes everything on null', async () => {
    const { map, sources, layers } = fakeMap();
    const preview = new ImportPreviewLayers(map, Promise.resolve());
    const streets = collection(3);
    const greenspaces = collection(2);
    await preview.set({ streets, greenspaces });
    expect(preview.active).toBe(true);
    expect(sources.get(previewSourceId('streets'))!.data.at(-1)).toBe(streets);
    expect(sources.get(previewSourceId('greenspaces'))!.data.at(-1)).toBe(greenspaces);
    expect(layers).toEqual(previewStyleLayers().map((layer) => layer.id));
    const handedStreets = sources.get(previewSourceId('streets'))!.data.length;
    // Greenspaces dropped: only its source gets new (empty) data; the streets are not sent again.
    await preview.set({ streets });
    expect(sources.get(previewSourceId('streets'))!.data).toHaveLength(handedStreets);
    expect(sources.get(previewSourceId('greenspaces'))!.data.at(-1)!.features).toHaveLength(0);
    await preview.set(null);
    expect(preview.active).toBe(false);
    expect(layers).toEqual([]);
    expect([...sources.keys()]).toEqual([]);
  });

  it('a newer preview wins over one still being handed over', async () => {
    const { map, sources } = fakeMap();
    const preview = new ImportPreviewLayers(map, Promise.resolve());
    const first = preview.set({ streets: collection(1), greenways: collection(1) });
    const second = preview.set(null);
    await Promise.all([first, second]);
    expect(preview.active).toBe(false);
    expect(sources.size).toBe(0);
  });

  it('raises its layers over layers added after it (the data set arriving later)', async () => {
    const { map, layers } = fakeMap();
    const preview = new ImportPreviewLayers(map, Promise.resolve());
    await preview.set({ streets: collection(1) });
    map.addLayer({ id: 'district-fill', type: 'background' });
    preview.raise();
    expect(layers[0]).toBe('district-fill');
    expect(layers.slice(1)).toEqual(previewStyleLayers().map((layer) => layer.id));
  });
});
