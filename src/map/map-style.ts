import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { basemapLabelLayers, basemapLayers } from './basemap-style';
import type { MapLanguage, MapLayerVisibility } from './map-types';

/**
 * The MapLibre style, as plain data: no remote tiles, glyphs or sprites. The map starts with
 * `initialStyle()` (background only) and adds `dataLayers()` over the data set's GeoJSON sources
 * (district, streets, river, communities, community-labels, greenspaces, greenways) once it has one.
 *
 * Constant paint properties only (no data-driven styling, no dash patterns): every fill layer shares
 * one shader program and every line layer another, which matters where WebGL is software-rendered.
 */

/** Green space fills by kind: one MapLibre layer each with a constant colour (one shared shader). */
export const greenKindFills: { kind: string; color: string }[] = [
  { kind: 'park', color: 'rgb(27, 120, 55)' },
  { kind: 'pocket_park', color: 'rgb(90, 174, 97)' },
  { kind: 'micro_green', color: 'rgb(166, 219, 160)' },
  { kind: 'green_space', color: 'rgb(120, 198, 121)' },
];

/** The layers that draw green spaces and greenways (what hover and click look for). */
export const greenLayerIds = [
  ...greenKindFills.map(({ kind }) => `greenspaces-${kind}`),
  'greenspaces-other',
  'greenspaces-point',
  'greenspaces-outline',
  'greenways-line',
];

/** The style the map is created with: the background, before any data. */
export function initialStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f3f0e8' } }],
  };
}

/** The layers over the data set's sources, bottom to top. */
export function dataLayers(): LayerSpecification[] {
  return [
    ...basemapLayers(),
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
      // Water from the barriers layer (OSM natural=water / waterway areas): the basemap's rivers and lakes.
      id: 'water-fill',
      type: 'fill',
      source: 'barriers',
      filter: [
        'all',
        ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]],
        ['any', ['has', 'waterway'], ['==', ['get', 'natural'], 'water']],
      ],
      paint: { 'fill-color': '#9ccbe8', 'fill-antialias': false },
    },
    {
      id: 'water-line',
      type: 'line',
      source: 'barriers',
      filter: ['all', ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]], ['has', 'waterway']],
      paint: { 'line-color': '#7fb7de', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 15, 4] },
    },
    {
      id: 'buildings',
      type: 'fill',
      source: 'buildings',
      minzoom: 15,
      paint: { 'fill-color': '#d9d0c1', 'fill-outline-color': '#c2b6a3', 'fill-opacity': 0.8 },
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
    {
      // Railways: a grey line with a white core, as topographic maps draw them.
      id: 'railway',
      type: 'line',
      source: 'barriers',
      filter: ['==', ['get', 'railway'], 'rail'],
      paint: { 'line-color': '#6f6a60', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.5, 15, 4] },
    },
    {
      id: 'railway-core',
      type: 'line',
      source: 'barriers',
      filter: ['==', ['get', 'railway'], 'rail'],
      paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.5, 15, 1.2] },
    },
    ...greenKindFills.map(
      ({ kind, color }): LayerSpecification => ({
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
    // Walking distance: the park entrances the walks start from (given gates filled, generated ones hollow).
    ...([1, 0] as const).map(
      (given): LayerSpecification => ({
        id: given ? 'entrances-given' : 'entrances-generated',
        type: 'circle',
        source: 'entrances',
        minzoom: 14.5,
        filter: ['==', ['get', 'given'], given],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 14.5, 2.5, 18, 6],
          'circle-color': given ? '#145028' : '#ffffff',
          'circle-stroke-color': '#145028',
          'circle-stroke-width': 1.5,
        },
      }),
    ),
    {
      id: 'communities-label',
      type: 'symbol',
      source: 'community-labels',
      minzoom: 11.5,
      layout: { 'text-field': ['get', 'name'], 'text-size': 12, 'text-font': ['sans-serif'], 'text-max-width': 8 },
      paint: { 'text-color': '#2b2923', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.5 },
    },
    ...basemapLabelLayers(),
  ];
}

/** The community labels' text in a language (English falls back to the Chinese name). */
export function communityLabelText(language: MapLanguage): ExpressionSpecification {
  return language === 'en' ? ['coalesce', ['get', 'name_en'], ['get', 'name']] : ['get', 'name'];
}

/**
 * The data set's own context (streets, water, rail, buildings, an extract's basemap, the district's pale
 * fill): what a planner's basemap replaces on the map.
 */
export const contextLayerIds = [
  'district-fill',
  'river-fill',
  'river-line',
  'water-fill',
  'water-line',
  'streets-local',
  'streets-arterial',
  'railway',
  'railway-core',
  'buildings',
  ...[...basemapLayers(), ...basemapLabelLayers()].map((layer) => layer.id),
];

/**
 * The layers each visibility switch shows or hides (cells and the gap view are deck.gl's, not here).
 * Under a planner's basemap the data set's own context stays hidden (the basemap follows the streets switch).
 */
export function visibilityGroups(layers: MapLayerVisibility, plannerBasemap = false): [string[], boolean][] {
  return [
    [contextLayerIds.filter((id) => id !== 'district-fill'), layers.streets && !plannerBasemap],
    [['district-fill'], !plannerBasemap],
    [['communities-line', 'communities-label'], layers.communities],
    [greenLayerIds.filter((id) => id.startsWith('greenspaces')), layers.greenspaces],
    [['greenways-line'], layers.greenways],
  ];
}
