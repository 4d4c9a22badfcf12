import { describe, expect, it } from 'vitest';
import { contextLayerIds, visibilityGroups } from '../../src/map/map-style';
import { plannerBasemapLayerPrefix, plannerBasemapSource } from '../../src/map/planner-basemap';
import { protomapsLayers } from '../../src/map/protomaps-style';
import { defaultLayers } from '../../src/state/url-state';

// The Protomaps style as the planner's basemap draws it: nothing fetched (no sprite images, no glyph
// fonts other than the app's local `sans-serif`), every layer on the planner basemap's source with ids
// clear of the app's, names in the interface language; and under it the data set's own context hidden.

/** Every `text-font` value anywhere in a layer (also inside `format` expressions), as JSON. */
function fontsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) fontsOf(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'text-font') found.push(JSON.stringify(item));
      fontsOf(item, found);
    }
  }
  return found;
}

describe('Protomaps style for the planner basemap', () => {
  const target = { source: plannerBasemapSource, prefix: plannerBasemapLayerPrefix };
  const zh = protomapsLayers('zh', target);
  const en = protomapsLayers('en', target);

  it('draws land, water, roads and buildings, and labels places, roads and water', () => {
    const ids = zh.base.map((layer) => layer.id);
    for (const id of ['earth', 'water', 'roads_minor', 'roads_major', 'buildings', 'landuse_park'])
      expect(ids).toContain(`planner-basemap-${id}`);
    const labels = zh.labels.map((layer) => layer.id);
    for (const id of ['places_locality', 'roads_labels_minor', 'roads_labels_major', 'water_waterway_label'])
      expect(labels).toContain(`planner-basemap-${id}`);
    // Labels come only in `labels` (drawn over the app's fills), never in `base`.
    expect(zh.base.some((layer) => layer.type === 'symbol')).toBe(false);
  });

  it('needs nothing from the network: no icon (no sprite), no font but the app’s local sans-serif', () => {
    const all = [...zh.base, ...zh.labels];
    for (const layer of all) {
      const layout = (layer as { layout?: Record<string, unknown> }).layout ?? {};
      expect(Object.keys(layout).filter((key) => key.startsWith('icon-'))).toEqual([]);
    }
    // The two icon-only layers are left out, and Protomaps' background (the app keeps its own).
    const ids = all.map((layer) => layer.id);
    for (const id of ['roads_oneway', 'roads_shields', 'background'])
      expect(ids).not.toContain(`planner-basemap-${id}`);
    // Fonts: the app's local `sans-serif` (as its own labels), never Protomaps' Noto glyph fonts; only
    // Devanagari names keep Protomaps' font name, drawn locally as well (the style has no glyphs URL).
    const fonts = all.flatMap((layer) => fontsOf(layer));
    expect(fonts.length).toBeGreaterThan(10);
    for (const font of fonts) {
      expect(font).toContain('sans-serif');
      expect(font.replace('Noto Sans Devanagari Regular v1', '')).not.toMatch(/Noto/);
    }
  });

  it('every layer reads the planner basemap’s source, under ids of its own', () => {
    for (const layer of [...zh.base, ...zh.labels]) {
      expect(layer.id.startsWith('planner-basemap-')).toBe(true);
      expect((layer as { source?: string }).source).toBe(plannerBasemapSource);
    }
  });

  it('labels in the interface language: Chinese names (name:zh-Hans) in Chinese, English (name:en) in English', () => {
    const field = (labels: typeof zh.labels) =>
      JSON.stringify(labels.find((layer) => layer.id === 'planner-basemap-places_locality'));
    expect(field(zh.labels)).toContain('name:zh-Hans');
    expect(field(zh.labels)).not.toContain('name:en"],["get","name:en');
    expect(field(en.labels)).not.toContain('name:zh-Hans');
    expect(field(en.labels)).toContain('name:en');
    // Only the labels differ between the languages.
    expect(en.base).toEqual(zh.base);
  });

  it('a planner basemap hides the data set’s own context and the district’s pale fill; the streets switch keeps working', () => {
    const visibility = (plannerBasemap: boolean) =>
      new Map(
        visibilityGroups(defaultLayers, plannerBasemap).flatMap(([ids, visible]) => ids.map((id) => [id, visible])),
      );
    for (const id of contextLayerIds) {
      expect(visibility(false).get(id)).toBe(true);
      expect(visibility(true).get(id)).toBe(false);
    }
    expect(visibility(true).get('greenspaces-park')).toBe(true);
    expect(visibility(true).get('communities-label')).toBe(true);
  });
});
