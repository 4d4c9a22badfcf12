import { maximumCellMeters, minimumCellMeters, presetRules, presets } from '../coverage';
import type { MapLayerVisibility as LayerVisibility } from '../map/map-types';
import { importRoles } from './import-layers';
import { type RuleNumbers, ruleNumbers, rulesFor } from './rule-editing';

export type { RuleNumbers } from './rule-editing';

export type Language = 'zh' | 'en';

/** Which map layers are visible (the map's own type: the screen state is what the map draws). */
export type { MapLayerVisibility as LayerVisibility } from '../map/map-types';

export const layerNames = [
  'cells',
  'gapsOnly',
  'walkDifference',
  'greenways',
  'greenspaces',
  'communities',
  'streets',
] as const;
export const defaultLayers: LayerVisibility = {
  cells: true,
  gapsOnly: false,
  walkDifference: false,
  greenways: true,
  greenspaces: true,
  communities: true,
  streets: true,
};

/** The map view: centre in degrees and MapLibre zoom. */
export interface MapView {
  longitude: number;
  latitude: number;
  zoom: number;
}

/** Everything a link reproduces. */
export interface ScreenState {
  language: Language;
  presetId: string;
  numbers: RuleNumbers;
  cellMeters: number;
  layers: LayerVisibility;
  view: MapView | null;
  selectedCommunity: number | null;
  selectedGap: number | null;
  /** Relative directory of the data set (default the demo). */
  dataPath: string;
  /** The open scenario (by its id in this browser's IndexedDB), when it has features; else null. */
  scenarioId: string | null;
  /** Engine layers the planner imported in place of the data set's (a recipient without them is told). */
  importedRoles: readonly string[];
  /** The planner's basemap when it was given by URL (a picked file cannot travel in a link); else null. */
  basemapUrl: string | null;
}

export const defaultDataPath = 'data/demo/';
export const defaultCellMeters = 20;

/** The default screen for a browser language such as `navigator.language`. */
export function defaultScreen(browserLanguage: string | undefined): ScreenState {
  const presetId = 'chengdu';
  return {
    language: browserLanguage && !browserLanguage.toLowerCase().startsWith('zh') ? 'en' : 'zh',
    presetId,
    numbers: ruleNumbers(presetRules(presetId)),
    cellMeters: defaultCellMeters,
    layers: { ...defaultLayers },
    view: null,
    selectedCommunity: null,
    selectedGap: null,
    dataPath: defaultDataPath,
    scenarioId: null,
    importedRoles: [],
    basemapUrl: null,
  };
}

/** The longest basemap URL a link carries (far beyond any real archive's address; bounds the address bar). */
export const maximumBasemapUrlLength = 2048;

/**
 * A basemap URL a link may carry: an `http(s)://` address or a path (no other scheme, no `..`), at most
 * `maximumBasemapUrlLength` characters; null otherwise. Which hosts are opened is checked on opening
 * (https, or this server: `BasemapController.loadSharedUrl`), where the page's origin is known.
 */
export function linkBasemapUrl(value: string | null): string | null {
  if (!value || value.length > maximumBasemapUrlLength || /\s/.test(value)) return null;
  const scheme = /^([a-z][\w+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'https' && scheme !== 'http') return null;
  if (scheme === undefined && (value.startsWith('//') || value.split(/[/?#]/).includes('..'))) return null;
  return value;
}

/** Decimal numbers only: `Number` would also take `0x10`, `0b1` and `0o7` as 16, 1 and 7. */
const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i;

function finite(value: string | null): number | null {
  if (value === null || !DECIMAL.test(value)) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/**
 * Reads a screen from URL search parameters, taking anything missing or invalid from `fallback`.
 * Keys: `lang`, `preset`, `green=<radius m>,<minimum m²>`, `park=…`, `cell`, `layers=<list>`,
 * `distance=straight|network`, `view=<lng>,<lat>,<zoom>`, `community`, `gap`, `data`, `basemap=<PMTiles URL>`.
 */
export function parseScreen(search: string, fallback: ScreenState): ScreenState {
  const params = new URLSearchParams(search);
  const screen: ScreenState = structuredClone(fallback);
  const language = params.get('lang');
  if (language === 'zh' || language === 'en') screen.language = language;
  const presetId = params.get('preset');
  if (presetId && Object.hasOwn(presets, presetId)) {
    screen.presetId = presetId;
    screen.numbers = ruleNumbers(presetRules(presetId));
  }
  for (const id of ['green', 'park'] as const) {
    const value = params.get(id);
    if (!value) continue;
    const [radius, area] = value.split(',').map((part) => finite(part));
    if (screen.numbers[`${id}RadiusMeters`] === null) continue;
    if (radius !== null && radius !== undefined) screen.numbers[`${id}RadiusMeters`] = radius;
    if (area !== null && area !== undefined) screen.numbers[`${id}MinimumAreaSquareMeters`] = area;
  }
  const distance = params.get('distance');
  if (distance === 'straight' || distance === 'network') screen.numbers.distance = distance;
  const reach = finite(params.get('reach'));
  if (reach !== null && reach > 0 && reach <= 10_000) screen.numbers.reachMeters = reach;
  try {
    rulesFor(screen.presetId, screen.numbers);
  } catch {
    screen.numbers = ruleNumbers(presetRules(screen.presetId));
  }
  const cell = finite(params.get('cell'));
  if (cell !== null && cell >= minimumCellMeters && cell <= maximumCellMeters) screen.cellMeters = cell;
  const layers = params.get('layers');
  if (layers !== null) {
    const visible = new Set(layers.split(','));
    for (const name of layerNames) screen.layers[name] = visible.has(name);
  }
  const view = params
    .get('view')
    ?.split(',')
    .map((part) => finite(part));
  if (view && view.length === 3 && view.every((part) => part !== null)) {
    const [longitude, latitude, zoom] = view as number[];
    if (Math.abs(longitude) <= 180 && Math.abs(latitude) <= 85 && zoom >= 0 && zoom <= 24) {
      screen.view = { longitude, latitude, zoom };
    }
  }
  const community = finite(params.get('community'));
  if (community !== null && Number.isInteger(community) && community >= 0) screen.selectedCommunity = community;
  const gap = finite(params.get('gap'));
  if (gap !== null && Number.isInteger(gap) && gap >= 0) screen.selectedGap = gap;
  const data = params.get('data');
  // Only relative paths on this server: a link must never make the app fetch from another host.
  if (data && /^[\w./-]+\/$/.test(data) && !data.includes('..') && !data.startsWith('/')) screen.dataPath = data;
  const scenario = params.get('scenario');
  if (scenario && /^[\w-]{1,64}$/.test(scenario)) screen.scenarioId = scenario;
  const imported = params.get('imported');
  if (imported) screen.importedRoles = importRoles.filter((role) => imported.split(',').includes(role));
  const basemap = linkBasemapUrl(params.get('basemap'));
  if (basemap) screen.basemapUrl = basemap;
  return screen;
}

/** URL search string (with `?`) for a screen; defaults are written too, so a link stays exact. */
export function formatScreen(screen: ScreenState): string {
  const params = new URLSearchParams();
  params.set('lang', screen.language);
  params.set('preset', screen.presetId);
  const { numbers } = screen;
  if (numbers.greenRadiusMeters !== null)
    params.set('green', `${numbers.greenRadiusMeters},${numbers.greenMinimumAreaSquareMeters}`);
  if (numbers.parkRadiusMeters !== null)
    params.set('park', `${numbers.parkRadiusMeters},${numbers.parkMinimumAreaSquareMeters}`);
  params.set('distance', numbers.distance);
  if (numbers.reachMeters !== null) params.set('reach', String(numbers.reachMeters));
  params.set('cell', String(screen.cellMeters));
  params.set('layers', layerNames.filter((name) => screen.layers[name]).join(','));
  if (screen.view) {
    const { longitude, latitude, zoom } = screen.view;
    params.set('view', `${longitude.toFixed(5)},${latitude.toFixed(5)},${zoom.toFixed(2)}`);
  }
  if (screen.selectedCommunity !== null) params.set('community', String(screen.selectedCommunity));
  if (screen.selectedGap !== null) params.set('gap', String(screen.selectedGap));
  if (screen.dataPath !== defaultDataPath) params.set('data', screen.dataPath);
  if (screen.scenarioId !== null) params.set('scenario', screen.scenarioId);
  if (screen.importedRoles.length > 0) params.set('imported', screen.importedRoles.join(','));
  if (screen.basemapUrl !== null) params.set('basemap', screen.basemapUrl);
  return `?${params.toString().replaceAll('%2C', ',')}`;
}
