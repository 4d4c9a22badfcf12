/**
 * Reads a coverage run's inputs: the scenario and candidate files, the coverage layers, the walking
 * network, an `--osm` extract's derived layers (for those not given as flags) and the residents
 * (`--population`, `--buildings`).
 */
import { basename } from 'node:path';
import type { FeatureCollection } from 'geojson';
import type { CoverageLayers, RuleSet } from '../../src/coverage';
import { collectionBounds } from '../../src/coverage/geometry';
import type { ReadLayerResult } from '../../src/io/read-layer';
import type { CliValues } from './arguments';
import {
  type LayerName,
  layerNames,
  layerOptions,
  type NetworkLayerName,
  networkLayerNames,
  readLayer,
  readLayerAt,
  requireGeometry,
} from './layer-files';
import { UsageError } from './number-options';
import { type OsmCliInput, readOsmInput } from './osm-input';
import { progressLine } from './run-text';

/** Geometry each network layer must hold at least one of. */
const networkGeometries: Record<NetworkLayerName, string[]> = {
  streets: ['LineString', 'MultiLineString'],
  barriers: ['LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'],
  entrances: ['Point', 'MultiPoint'],
};

/** Everything a coverage run reads, by layer. */
export interface RunInputs {
  /** `--add`'s scenario features, or null. */
  addLayer: FeatureCollection | null;
  /** `--candidates`' sites, or null. */
  candidateLayer: FeatureCollection | null;
  /** Each coverage layer's file as summary.json names it (`derived/<layer>.fgb` for an extract's). */
  files: Partial<Record<LayerName, string>>;
  layers: Partial<Record<LayerName, FeatureCollection>>;
  /** How each coverage layer was read (format, CRS, repairs, skipped features). */
  imported: Partial<Record<LayerName, ReadLayerResult>>;
  networkFiles: Partial<Record<NetworkLayerName, string>>;
  networkLayers: Partial<Record<NetworkLayerName, FeatureCollection>>;
  /** In straight-line mode with `--suggest`, `--streets` only names the suggested sites' nearest streets. */
  namingStreets: FeatureCollection | null;
  osm: OsmCliInput | null;
  populationLayers: Pick<CoverageLayers, 'population' | 'buildings'>;
  /** A GeoTIFF population grid's reading figures, or null. */
  populationGrid: ReadLayerResult['grid'] | null;
}

/** Reads every input of a run; a file's problem is an InputError naming it, a missing file a UsageError. */
export async function readInputs(values: CliValues, rules: RuleSet, suggestCount: number | null): Promise<RunInputs> {
  const addLayer = values.add ? await readLayer(values.add) : null;
  const candidateLayer = values.candidates ? await readLayer(values.candidates) : null;
  const perLayer = layerOptions(values.crs, values.gcj02);

  const files: Partial<Record<LayerName, string>> = {};
  const layers: Partial<Record<LayerName, FeatureCollection>> = {};
  const imported: Partial<Record<LayerName, ReadLayerResult>> = {};
  for (const layer of perLayer.gcj02) {
    if (!values[layer]) throw new UsageError(`--gcj02 ${layer}: no --${layer} layer given`);
  }
  const networkFiles: Partial<Record<NetworkLayerName, string>> = {};
  const networkLayers: Partial<Record<NetworkLayerName, FeatureCollection>> = {};
  if (rules.distance === 'network') {
    for (const layer of networkLayerNames) {
      const path = values[layer];
      if (!path) continue;
      networkFiles[layer] = basename(path);
      const read = await readLayerAt(path, { crs: perLayer.crs[layer], gcj02: perLayer.gcj02.has(layer) });
      requireGeometry(path, layer, networkGeometries[layer], read.collection);
      networkLayers[layer] = read.collection;
    }
  }
  // In straight-line mode `--streets` only names the suggested sites' nearest streets.
  const namingStreets =
    rules.distance !== 'network' && suggestCount !== null && values.streets
      ? (await readLayerAt(values.streets, { crs: perLayer.crs.streets, gcj02: perLayer.gcj02.has('streets') }))
          .collection
      : null;
  for (const layer of layerNames) {
    const path = values[layer];
    if (!path) continue;
    files[layer] = basename(path);
    imported[layer] = await readLayerAt(path, {
      role: layer,
      crs: perLayer.crs[layer],
      gcj02: perLayer.gcj02.has(layer),
    });
    layers[layer] = imported[layer].collection;
  }
  const osm = values.osm
    ? await readOsmInput(
        values.osm,
        layerNames,
        new Set([...layerNames, ...networkLayerNames].filter((l) => values[l])),
        progressLine,
      )
    : null;
  // Walking distance from an extract: its streets, barriers and entrances, unless given as flags.
  if (rules.distance === 'network') {
    for (const [layer, collection] of osm?.network ?? []) {
      networkFiles[layer as NetworkLayerName] = `derived/${layer}.fgb`;
      networkLayers[layer as NetworkLayerName] = collection;
    }
  }
  for (const [layer, read] of osm?.imported ?? []) {
    files[layer as LayerName] = `derived/${layer}.fgb`;
    imported[layer as LayerName] = read;
    layers[layer as LayerName] = read.collection;
  }
  if (osm) process.stdout.write(osm.description);
  const { populationLayers, populationGrid } = await readPopulation(values, layers, osm);
  return {
    addLayer,
    candidateLayer,
    files,
    layers,
    imported,
    networkFiles,
    networkLayers,
    namingStreets,
    osm,
    populationLayers,
    populationGrid,
  };
}

/** Residents from the planner's population layer (points or polygons with a count), by floor area. */
async function readPopulation(
  values: CliValues,
  layers: Partial<Record<LayerName, FeatureCollection>>,
  osm: OsmCliInput | null,
): Promise<Pick<RunInputs, 'populationLayers' | 'populationGrid'>> {
  const populationLayers: Pick<CoverageLayers, 'population' | 'buildings'> = {};
  let populationGrid: ReadLayerResult['grid'] | null = null;
  for (const layer of ['population', 'buildings'] as const) {
    const path = values[layer];
    if (!path) continue;
    // A GeoTIFF grid is read over the residential land (else the communities) plus a margin only.
    const area = layers.residential ?? layers.communities;
    const clipBounds = area ? collectionBounds(area) : null;
    const read = await readLayerAt(path, layer === 'population' ? { clipBounds } : {});
    if (read.grid) {
      populationGrid = read.grid;
      process.stdout.write(`${basename(path)}: ${read.warnings.join('; ')}\n`);
    }
    const wanted =
      layer === 'population' ? ['Point', 'MultiPoint', 'Polygon', 'MultiPolygon'] : ['Polygon', 'MultiPolygon'];
    requireGeometry(path, layer, wanted, read.collection);
    populationLayers[layer] = read.collection;
  }
  if (populationLayers.population && !populationLayers.buildings && osm) {
    // As the app does with the same extract: its buildings' floor area spreads the residents.
    populationLayers.buildings = osm.buildings();
    process.stdout.write(
      `population spread by the floor area of the extract's ${populationLayers.buildings.features.length} buildings\n`,
    );
  }
  if (populationLayers.buildings && !populationLayers.population) {
    throw new UsageError('--buildings weighs a --population layer: give --population FILE too');
  }
  return { populationLayers, populationGrid };
}
