import type { LayerSpecification } from 'maplibre-gl';

/**
 * The basemap drawn from the data set itself (an OpenStreetMap extract's `basemap` layer, see
 * src/io/osm/tag-table.ts: every feature has a `class`), offline by construction: land, water, roads by
 * class, railways, buildings at high zoom, street and place names. Constant paint per layer, as in
 * map-style.ts: each class is its own layer with a filter, so fills share one shader and lines another.
 */

const fill = (id: string, classes: string[], color: string, minzoom = 0): LayerSpecification => ({
  id: `basemap-${id}`,
  type: 'fill',
  source: 'basemap',
  minzoom,
  filter: ['in', ['get', 'class'], ['literal', classes]],
  paint: { 'fill-color': color, 'fill-antialias': false },
});

const line = (id: string, classes: string[], color: string, widths: [number, number]): LayerSpecification => ({
  id: `basemap-${id}`,
  type: 'line',
  source: 'basemap',
  filter: ['in', ['get', 'class'], ['literal', classes]],
  layout: { 'line-cap': 'round', 'line-join': 'round' },
  paint: { 'line-color': color, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, widths[0], 17, widths[1]] },
});

/** The basemap's layers, bottom to top (under the data set's green spaces, cells and labels). */
export function basemapLayers(): LayerSpecification[] {
  return [
    fill('landuse', ['landuse'], '#ece7dc'),
    fill('green', ['green', 'park', 'wood'], '#d4e7c5'),
    fill('water', ['water'], '#9ccbe8'),
    line('waterway', ['waterway'], '#7fb7de', [1.2, 5]),
    fill('building', ['building'], '#d9d0c1', 14.5),
    line('road-path', ['road_path'], '#e6dfd0', [0.6, 2.5]),
    line('road-minor', ['road_minor'], '#ddd6c6', [1, 7]),
    line('road-secondary', ['road_secondary'], '#d4c6a6', [1.6, 10]),
    line('road-primary', ['road_primary'], '#cbb78c', [2.2, 13]),
    line('rail', ['rail'], '#6f6a60', [1.2, 3.5]),
    line('rail-core', ['rail'], '#ffffff', [0.4, 1.2]),
  ];
}

/** Street and place names, drawn over everything (street names along their lines, from zoom 15). */
export function basemapLabelLayers(): LayerSpecification[] {
  return [
    {
      id: 'basemap-street-names',
      type: 'symbol',
      source: 'basemap',
      minzoom: 15,
      filter: [
        'all',
        ['has', 'name'],
        ['in', ['get', 'class'], ['literal', ['road_minor', 'road_secondary', 'road_primary']]],
      ],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-size': 11,
        'text-font': ['sans-serif'],
      },
      paint: { 'text-color': '#5a5346', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.2 },
    },
    {
      id: 'basemap-place-names',
      type: 'symbol',
      source: 'basemap',
      filter: ['==', ['get', 'class'], 'place'],
      layout: { 'text-field': ['get', 'name'], 'text-size': 14, 'text-font': ['sans-serif'] },
      paint: { 'text-color': '#2b2923', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.5 },
    },
  ];
}
