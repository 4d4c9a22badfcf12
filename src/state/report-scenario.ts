import type { FeatureCollection } from 'geojson';
import type { DataSet } from './load-data';
import { ScenarioDb, type ScenarioFeature } from './scenario-db';

/** The scenario a report shows: its name and how many features it adds. */
export interface ReportScenario {
  id: string;
  name: string;
  greenspaces: number;
  greenways: number;
}

/** The data set with a scenario's features added to its layers (the engine computes the scenario in full). */
export function withScenarioFeatures(data: DataSet, features: readonly ScenarioFeature[]): DataSet {
  const add = (collection: FeatureCollection, layer: ScenarioFeature['layer']): FeatureCollection => ({
    ...collection,
    features: [
      ...collection.features,
      ...features.filter((entry) => entry.layer === layer).map((entry) => entry.feature),
    ],
  });
  return { ...data, greenspaces: add(data.greenspaces, 'greenspaces'), greenways: add(data.greenways, 'greenways') };
}

/**
 * The scenario the report's link names (`?scenario=ID`), read from this browser's IndexedDB and added
 * to the data: the report then shows what the planner had open. `missing` is its id when this browser
 * does not hold it (the report shows the baseline and says so).
 */
export async function reportScenario(
  data: DataSet,
  scenarioId: string | null,
  dataPath: string,
  db: Pick<ScenarioDb, 'list'> = new ScenarioDb(),
): Promise<{ data: DataSet; scenario: ReportScenario | null; missing: string | null }> {
  if (scenarioId === null) return { data, scenario: null, missing: null };
  let saved: Awaited<ReturnType<ScenarioDb['list']>>['records'] = [];
  try {
    saved = (await db.list(dataPath)).records;
  } catch (error) {
    console.warn('GreenReach report: scenarios cannot be read', error);
  }
  const found = saved.find((scenario) => scenario.id === scenarioId);
  if (!found) return { data, scenario: null, missing: scenarioId };
  const count = (layer: ScenarioFeature['layer']) => found.features.filter((entry) => entry.layer === layer).length;
  return {
    data: withScenarioFeatures(data, found.features),
    scenario: { id: found.id, name: found.name, greenspaces: count('greenspaces'), greenways: count('greenways') },
    missing: null,
  };
}
