import type { OsmLayerName } from './tag-table';

/**
 * What a browser tab can derive from an extract. Buildings and the basemap are most of a city's
 * features (a 10 MB extract: 424k buildings and 467k basemap features against 260k for every other
 * layer) and, as GeoJSON handed to the page, most of its memory: a 98 MB extract with them ran the tab
 * out of memory after three minutes, without them it fits. So past `detailWays` ways they are left
 * out and the planner is told where they come from instead (a PMTiles basemap, the CLI's buildings).
 */
export const browserBudget = {
  /** Extracts over this many bytes are not read in a tab at all (about 13× the file in memory). */
  maxBytes: 150 * 2 ** 20,
  /** Ways above which buildings and the basemap are not derived in a tab (about a 12 MB PBF). */
  detailWays: 600_000,
  /**
   * Features per message when the worker hands a derived layer to the page: a message is rebuilt on the
   * page's main thread in one task, about 20–40 ms for 5,000 features, where a city's 600,000 in one
   * message held it for 5–18 s.
   */
  featuresPerPart: 5_000,
  /**
   * Features of one layer the import dialog's preview draws on the map: handing a layer to MapLibre's
   * worker clones it on the main thread (about 100 ms for 50,000 features), and a preview of a city's
   * first 50,000 streets or buildings already shows where they lie. The dialog says when a layer is cut.
   */
  previewFeaturesPerLayer: 50_000,
};

/** The layers a tab derives from an extract of `ways` ways, and those it leaves out. */
export function browserOsmLayers(
  ways: number,
  all: readonly OsmLayerName[],
): { layers: OsmLayerName[]; leftOut: OsmLayerName[] } {
  const heavy: OsmLayerName[] = ways > browserBudget.detailWays ? ['buildings', 'basemap'] : [];
  return { layers: all.filter((layer) => !heavy.includes(layer)), leftOut: heavy };
}
