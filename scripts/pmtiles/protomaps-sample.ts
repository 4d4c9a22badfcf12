import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import GeoJSONVT from 'geojson-vt';
import { fromGeojsonVt } from 'vt-pbf';
import { collectionBounds } from '../../src/coverage/geometry';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import type { ArchiveTile } from './write-pmtiles';

/**
 * A Protomaps-schema vector tile set of the Three Rivers sample (data/three-rivers/, ODbL), for tests and
 * for trying the planner's basemap without a download: its OSM-derived basemap layer rewritten into
 * Protomaps' layers (docs.protomaps.com/basemaps/layers: `earth`, `water`, `landuse`, `buildings`,
 * `roads` with `kind`, `places` with `name`, `name:en`, `name:zh-Hans`) and cut into MVT tiles.
 */

/** Chinese names for a few features (the sample has none), so a label's language can be checked. */
export const sampleChineseNames: Record<string, string> = {
  'Three Rivers': '三河',
  'Main Street': '主街',
  'Saint Joseph River': '圣约瑟夫河',
  'Rocky River': '罗基河',
  'Memory Isle': '记忆岛',
};

/** The road kinds of Protomaps' `roads` layer for the basemap's classes (src/io/osm/tag-table.ts). */
const roadKinds: Record<string, { kind: string; detail: string }> = {
  road_primary: { kind: 'major_road', detail: 'primary' },
  road_secondary: { kind: 'major_road', detail: 'secondary' },
  road_minor: { kind: 'minor_road', detail: 'residential' },
  road_path: { kind: 'path', detail: 'footway' },
  rail: { kind: 'rail', detail: 'rail' },
};

/** Protomaps' name attributes: the local name, English, and the Chinese name where the table has one. */
function names(name: unknown): Record<string, string> {
  if (typeof name !== 'string' || name === '') return {};
  const chinese = sampleChineseNames[name];
  return { name, 'name:en': name, ...(chinese ? { 'name:zh': chinese, 'name:zh-Hans': chinese } : {}) };
}

const feature = (geometry: Geometry, properties: Record<string, unknown>): Feature => ({
  type: 'Feature',
  geometry,
  properties,
});

/** The sample's layers in Protomaps' schema, by layer name, and their bounds. */
export function threeRiversProtomapsLayers(root: string): {
  layers: Record<string, FeatureCollection>;
  bounds: [number, number, number, number];
} {
  const read = (name: string) =>
    readFlatGeobuf(new Uint8Array(readFileSync(join(root, `data/three-rivers/${name}.fgb`))), `${name}.fgb`);
  const basemap = read('basemap');
  const communities = read('communities');
  const [west, south, east, north] = collectionBounds(basemap) ?? [0, 0, 0, 0];
  // The land polygon a little beyond the data, as an extract's earth reaches its clip boundary.
  const margin = 0.002;
  const bounds: [number, number, number, number] = [west - margin, south - margin, east + margin, north + margin];
  const land = feature(
    {
      type: 'Polygon',
      coordinates: [
        [
          [bounds[0], bounds[1]],
          [bounds[2], bounds[1]],
          [bounds[2], bounds[3]],
          [bounds[0], bounds[3]],
          [bounds[0], bounds[1]],
        ],
      ],
    },
    { kind: 'earth' },
  );
  const layers: Record<string, Feature[]> = {
    earth: [land],
    water: [],
    landuse: [],
    buildings: [],
    roads: [],
    places: [],
  };
  for (const source of basemap.features) {
    const properties = source.properties ?? {};
    const className = String(properties.class);
    const geometry = source.geometry;
    if (!geometry) continue;
    const named = names(properties.name);
    if (className === 'water') layers.water.push(feature(geometry, { kind: 'water', ...named }));
    else if (className === 'waterway') layers.water.push(feature(geometry, { kind: 'river', ...named }));
    else if (className === 'park') layers.landuse.push(feature(geometry, { kind: 'park', ...named }));
    else if (className === 'green') layers.landuse.push(feature(geometry, { kind: 'grass' }));
    else if (className === 'wood') layers.landuse.push(feature(geometry, { kind: 'wood' }));
    else if (className === 'landuse') layers.landuse.push(feature(geometry, { kind: 'residential' }));
    else if (className === 'building') layers.buildings.push(feature(geometry, { kind: 'building' }));
    else if (className === 'place') layers.earth.push(feature(geometry, { kind: 'island', ...named }));
    else if (roadKinds[className]) {
      const { kind, detail } = roadKinds[className];
      layers.roads.push(feature(geometry, { kind, kind_detail: detail, min_zoom: 12, ...named }));
    }
  }
  // The town itself, labelled at the centre of its boundary (Protomaps' `places`, kind locality).
  const town = communities.features[0];
  const townBounds = collectionBounds(communities);
  if (town && townBounds) {
    const centre = [(townBounds[0] + townBounds[2]) / 2, (townBounds[1] + townBounds[3]) / 2];
    layers.places.push(
      feature(
        { type: 'Point', coordinates: centre },
        { kind: 'locality', min_zoom: 8, population_rank: 9, ...names(town.properties?.name) },
      ),
    );
  }
  const collections = Object.fromEntries(
    Object.entries(layers).map(([name, features]) => [
      name,
      { type: 'FeatureCollection', features } as FeatureCollection,
    ]),
  );
  return { layers: collections, bounds };
}

/** Every tile from `minZoom` to `maxZoom` that holds a feature: the layers cut by geojson-vt, encoded by vt-pbf. */
export function vectorTiles(
  layers: Record<string, FeatureCollection>,
  minZoom: number,
  maxZoom: number,
): ArchiveTile[] {
  const indexes = Object.entries(layers).map(
    ([name, collection]) =>
      [name, new GeoJSONVT(collection, { maxZoom, indexMaxZoom: maxZoom, indexMaxPoints: 0 })] as const,
  );
  // Which tiles exist: the union over the layers (geojson-vt keeps every tile it cut, empty ones aside).
  const keys = new Set<string>();
  for (const [, index] of indexes)
    for (const { z, x, y } of index.tileCoords) if (z >= minZoom && z <= maxZoom) keys.add(`${z}/${x}/${y}`);
  const tiles: ArchiveTile[] = [];
  for (const key of keys) {
    const [z, x, y] = key.split('/').map(Number);
    const layerTiles: Record<string, unknown> = {};
    for (const [name, index] of indexes) {
      const tile = index.getTile(z, x, y);
      if (tile && tile.features.length > 0) layerTiles[name] = tile;
    }
    if (Object.keys(layerTiles).length > 0) tiles.push({ z, x, y, data: fromGeojsonVt(layerTiles, { version: 2 }) });
  }
  return tiles;
}
