import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { FeatureCollection } from 'geojson';
import { readFlatGeobuf } from '../io/flatgeobuf-read';
import { writeFlatGeobuf } from '../io/flatgeobuf-write';
import type { ScenarioFeature } from './scenario-db';

/** The engine layers a project carries (the planner's data as on screen, imported files included). */
/** The engine layers a project holds; `population` when the planner gave one (it is where residents come from). */
export const projectLayers = ['communities', 'residential', 'greenways', 'greenspaces', 'population'] as const;
export type ProjectLayer = (typeof projectLayers)[number];

/** A scenario as a project holds it. */
export interface ProjectScenario {
  name: string;
  features: ScenarioFeature[];
}

/**
 * Basemap archives up to this size travel inside the project file; larger ones are only named (the
 * colleague picks the file again). 8 MiB holds a town's or a district's Protomaps extract to zoom 15
 * (the Three Rivers sample is 80 kB), keeps a project file small enough to mail (attachment limits are
 * commonly 20–25 MB, and base64 adds a third), and the whole zip is read into memory on opening; a
 * city's archive (tens to hundreds of MB) stays a file of its own.
 */
export const projectBasemapEmbedBytes = 8 * 1024 * 1024;

/**
 * The planner's basemap as a project records it: a URL, or a picked file by name and size with its
 * bytes when it is at most `projectBasemapEmbedBytes`.
 */
export type ProjectBasemap =
  | { kind: 'url'; url: string }
  | { kind: 'file'; name: string; bytes: number; data?: Uint8Array };

/** The whole working state: the screen (as its URL search), the layers and the scenarios. */
export interface Project {
  /** The screen as `formatScreen` writes it (rules, cell size, layers shown, view, language, data set). */
  search: string;
  dataPath: string;
  layers: Partial<Record<ProjectLayer, FeatureCollection>>;
  scenarios: ProjectScenario[];
  /** The planner's basemap; null: none was in use; absent: a project written before basemaps were recorded. */
  basemap?: ProjectBasemap | null;
}

/** `manifest.json` of a project file. */
export interface ProjectManifest {
  format: 'greenreach-project';
  version: 1;
  created: string;
  search: string;
  dataPath: string;
  /** Layer name → file in the zip (FlatGeobuf, EPSG:4326). */
  layers: Partial<Record<ProjectLayer, string>>;
  /** Each scenario's name and its features' file (GeoJSON; properties `layer`, `key`, `kind`, `name`). */
  scenarios: { name: string; file: string }[];
  /** The planner's basemap: its URL, or its file's name and size (`file`: the archive in the zip, when embedded). */
  basemap?: { kind: 'url'; url: string } | { kind: 'file'; name: string; bytes: number; file?: string } | null;
}

/**
 * A project as one zip: `manifest.json`, `layers/<name>.fgb` (FlatGeobuf, readable by QGIS/GDAL as
 * they are) and `scenarios/<n>.geojson`, so a colleague opens exactly what the planner saw.
 */
export function writeProject(project: Project, created = new Date()): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const manifest: ProjectManifest = {
    format: 'greenreach-project',
    version: 1,
    created: created.toISOString(),
    search: project.search,
    dataPath: project.dataPath,
    layers: {},
    scenarios: [],
  };
  for (const name of projectLayers) {
    const layer = project.layers[name];
    if (!layer) continue;
    const file = `layers/${name}.fgb`;
    files[file] = writeFlatGeobuf(layer, { layerName: name, spatialIndex: false });
    manifest.layers[name] = file;
  }
  project.scenarios.forEach((scenario, index) => {
    const file = `scenarios/${index + 1}.geojson`;
    const collection: FeatureCollection = {
      type: 'FeatureCollection',
      features: scenario.features.map((item) => ({
        ...item.feature,
        properties: { ...item.feature.properties, layer: item.layer, key: item.key },
      })),
    };
    files[file] = strToU8(JSON.stringify(collection));
    manifest.scenarios.push({ name: scenario.name, file });
  });
  const entries: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = files;
  if (project.basemap !== undefined) manifest.basemap = basemapRecord(project.basemap, entries);
  files['manifest.json'] = strToU8(JSON.stringify(manifest, null, 2));
  return zipSync(entries, { level: 6 });
}

/** Reads a project zip; throws an Error naming what is wrong with it. */
export function readProject(bytes: Uint8Array): Project {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw new Error('not a zip file');
  }
  const manifestBytes = files['manifest.json'];
  if (!manifestBytes) throw new Error('no manifest.json: not a GreenReach project');
  const manifest = JSON.parse(strFromU8(manifestBytes)) as ProjectManifest;
  if (manifest.format !== 'greenreach-project') throw new Error('manifest.json is not a GreenReach project');
  if (manifest.version !== 1) throw new Error(`project version ${manifest.version} is not supported`);
  const layers: Project['layers'] = {};
  for (const name of projectLayers) {
    const file = manifest.layers?.[name];
    if (!file) continue;
    if (!files[file]) throw new Error(`${file} is missing`);
    layers[name] = readFlatGeobuf(files[file], file);
  }
  const scenarios = (manifest.scenarios ?? []).map(({ name, file }): ProjectScenario => {
    if (!files[file]) throw new Error(`${file} is missing`);
    const collection = JSON.parse(strFromU8(files[file])) as FeatureCollection;
    return {
      name,
      features: collection.features.map((feature) => {
        const { layer, key, ...properties } = feature.properties ?? {};
        return {
          key: String(key),
          layer: layer === 'greenways' ? 'greenways' : 'greenspaces',
          feature: { ...feature, properties },
        };
      }),
    };
  });
  const basemap = manifest.basemap === undefined ? {} : { basemap: readBasemap(manifest.basemap, files) };
  return { search: manifest.search, dataPath: manifest.dataPath, layers, scenarios, ...basemap };
}

/** The manifest's basemap record; a small archive goes into the zip as it is (its tiles are compressed already). */
function basemapRecord(
  basemap: ProjectBasemap | null,
  entries: Record<string, Uint8Array | [Uint8Array, { level: 0 }]>,
): ProjectManifest['basemap'] {
  if (!basemap || basemap.kind === 'url') return basemap;
  const { name, bytes, data } = basemap;
  if (!data || data.length > projectBasemapEmbedBytes) return { kind: 'file', name, bytes };
  const file = `basemap/${name.replace(/[^\w.-]+/g, '_') || 'basemap.pmtiles'}`;
  entries[file] = [data, { level: 0 }];
  return { kind: 'file', name, bytes, file };
}

/** The basemap a manifest records (checked: a URL string, or a file name and size; its bytes if in the zip). */
function readBasemap(record: unknown, files: Record<string, Uint8Array>): ProjectBasemap | null {
  if (!record || typeof record !== 'object') return null;
  const value = record as { kind?: unknown; url?: unknown; name?: unknown; bytes?: unknown; file?: unknown };
  if (value.kind === 'url' && typeof value.url === 'string') return { kind: 'url', url: value.url };
  if (value.kind !== 'file' || typeof value.name !== 'string') return null;
  const bytes = typeof value.bytes === 'number' ? value.bytes : 0;
  if (typeof value.file !== 'string') return { kind: 'file', name: value.name, bytes };
  const data = files[value.file];
  if (!data) throw new Error(`${value.file} is missing`);
  return { kind: 'file', name: value.name, bytes, data };
}
