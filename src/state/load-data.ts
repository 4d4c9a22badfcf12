import type { FeatureCollection } from 'geojson';
import { readFlatGeobufStream } from '../io/flatgeobuf-stream';

/** The layers the planner map shows; the first four are also the coverage engine's input. */
export interface DataSet {
  communities: FeatureCollection;
  residential: FeatureCollection | null;
  greenways: FeatureCollection;
  greenspaces: FeatureCollection;
  district: FeatureCollection | null;
  /** Streets: drawn on the map, and the walkable network of walking distance. */
  streets: FeatureCollection | null;
  river: FeatureCollection | null;
  /** Walking distance: rivers, railways and motorways that no walk crosses but at a bridge or crossing. */
  barriers: FeatureCollection | null;
  /** Walking distance: given park entrances (points). */
  entrances: FeatureCollection | null;
  /**
   * Building footprints (basemap at high zoom; with a population layer, the floor area residents are
   * spread by).
   */
  buildings: FeatureCollection | null;
  /**
   * The planner's population layer (points or polygons with a count; a GeoTIFF grid as points): where
   * residents come from when given; a data set has none of its own.
   */
  population: FeatureCollection | null;
  /** The file (or URL) the population layer came from, as the summary names it. */
  populationName: string | null;
  /** An OpenStreetMap extract's basemap (roads by class, water, rail, buildings, place names). */
  basemap: FeatureCollection | null;
  /** `manifest.json` of the data set, when it has one. */
  manifest: DataManifest | null;
  /** Bytes downloaded. */
  bytes: number;
}

/** What the app reads from a data set's `manifest.json` (every field optional). */
export interface DataManifest {
  name?: string | { zh?: string; en?: string };
  synthetic?: boolean;
  description?: string | { zh?: string; en?: string };
  /** Suggested grid cell size in metres. */
  cellMeters?: number;
  [key: string]: unknown;
}

export type DataLayerName =
  | 'district'
  | 'communities'
  | 'residential'
  | 'streets'
  | 'river'
  | 'greenways'
  | 'greenspaces'
  | 'barriers'
  | 'entrances'
  | 'buildings'
  | 'basemap';
const requiredLayers: DataLayerName[] = ['communities', 'greenways', 'greenspaces'];
const optionalLayers: DataLayerName[] = [
  'district',
  'residential',
  'streets',
  'river',
  'barriers',
  'entrances',
  'buildings',
  'basemap',
];
/** Layers loaded after the first computation (drawn only at high zoom): they do not delay the first answer. */
export const deferredLayers: readonly DataLayerName[] = ['buildings'];

/**
 * Streams one FlatGeobuf file into a FeatureCollection with the io driver (features are decoded as
 * the bytes arrive, no whole-file JSON parse). Returns null for a missing optional file.
 */
export async function fetchFlatGeobuf(
  url: string,
  optional: boolean,
  countBytes: (bytes: number) => void,
): Promise<FeatureCollection | null> {
  const response = await fetch(url);
  if (!response.ok || !response.body) {
    if (optional && response.status === 404) return null;
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        countBytes(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }),
  );
  // Decoding runs on the page: hand the main thread back every few milliseconds so that a large
  // file never blocks input or rendering for long.
  let sliceStart = performance.now();
  return readFlatGeobufStream(counted, url.split('/').pop() ?? url, () => {
    if (performance.now() - sliceStart < 8) return;
    return new Promise<void>((resolve) => {
      setTimeout(() => {
        sliceStart = performance.now();
        resolve();
      }, 0);
    });
  });
}

/**
 * Loads a data set from `baseUrl` (a directory URL ending in `/`): `manifest.json` and one
 * `<layer>.fgb` per layer. Communities, greenways and green spaces are required. `knownLayers` (a
 * shipped data set's list) starts every download at once; otherwise the manifest's list is awaited.
 */
export async function loadDataSet(
  baseUrl: string,
  onProgress?: (bytes: number) => void,
  knownLayers?: readonly DataLayerName[],
): Promise<DataSet> {
  let bytes = 0;
  const countBytes = (chunk: number) => {
    bytes += chunk;
    onProgress?.(bytes);
  };
  const manifestLoaded = fetch(new URL('manifest.json', baseUrl))
    .then((response) => (response.ok ? (response.json() as Promise<DataManifest>) : null))
    .catch(() => null);
  const listed = knownLayers ? new Set<string>(knownLayers) : manifestLayerNames(await manifestLoaded);
  const entries = await Promise.all(
    [...requiredLayers, ...optionalLayers]
      .filter((layer) => requiredLayers.includes(layer) || !listed || listed.has(layer))
      .filter((layer) => !deferredLayers.includes(layer))
      .map(
        async (layer) =>
          [
            layer,
            await fetchFlatGeobuf(new URL(`${layer}.fgb`, baseUrl).href, optionalLayers.includes(layer), countBytes),
          ] as const,
      ),
  );
  const manifest = await manifestLoaded;
  const layers = Object.fromEntries(entries) as Record<DataLayerName, FeatureCollection | null>;
  return {
    communities: withoutNullGeometry(layers.communities!),
    residential: layers.residential ? withoutNullGeometry(layers.residential) : null,
    greenways: layers.greenways!,
    greenspaces: layers.greenspaces!,
    district: layers.district,
    streets: layers.streets,
    river: layers.river,
    barriers: layers.barriers,
    entrances: layers.entrances,
    buildings: layers.buildings,
    population: null,
    populationName: null,
    basemap: layers.basemap,
    manifest,
    bytes,
  };
}

/**
 * Layer names the manifest lists (`layers` or `files` as an array of names or file names, or an
 * object keyed by them), or null when it lists none: then every known layer is tried.
 */
function manifestLayerNames(manifest: DataManifest | null): Set<string> | null {
  const listing = manifest?.layers ?? manifest?.files;
  if (!listing || typeof listing !== 'object') return null;
  const names = Array.isArray(listing)
    ? listing.map((entry) =>
        typeof entry === 'string'
          ? entry
          : ((entry as { name?: unknown; file?: unknown })?.name ?? (entry as { file?: unknown })?.file),
      )
    : Object.keys(listing);
  return new Set(
    names.filter((name): name is string => typeof name === 'string').map((name) => name.replace(/\.fgb$/, '')),
  );
}

/** Drops features without geometry, so community indices match the engine's `communities`. */
function withoutNullGeometry(collection: FeatureCollection): FeatureCollection {
  return { ...collection, features: collection.features.filter((feature) => feature.geometry) };
}

/** The deferred layers of a data set (null where it has none), loaded after the first computation. */
export async function loadDeferredLayers(
  baseUrl: string,
): Promise<Partial<Record<DataLayerName, FeatureCollection | null>>> {
  const entries = await Promise.all(
    deferredLayers.map(
      async (layer) => [layer, await fetchFlatGeobuf(new URL(`${layer}.fgb`, baseUrl).href, true, () => {})] as const,
    ),
  );
  return Object.fromEntries(entries);
}
