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

/** The whole working state: the screen (as its URL search), the layers and the scenarios. */
export interface Project {
  /** The screen as `formatScreen` writes it (rules, cell size, layers shown, view, language, data set). */
  search: string;
  dataPath: string;
  layers: Partial<Record<ProjectLayer, FeatureCollection>>;
  scenarios: ProjectScenario[];
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
  files['manifest.json'] = strToU8(JSON.stringify(manifest, null, 2));
  return zipSync(files, { level: 6 });
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
  return { search: manifest.search, dataPath: manifest.dataPath, layers, scenarios };
}
