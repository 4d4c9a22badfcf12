import type { Language } from './url-state';

/** How a kiosk runs: from URL parameters and/or a small JSON file (`?kiosk=path/to/kiosk.json`). */
export interface KioskConfig {
  /** Relative directory of the data set to show (default: the app's own, i.e. the demo). */
  data: string | null;
  /** Community names (Chinese or English) to visit in order; empty: the most populous ones. */
  tour: string[];
  /** How many communities to visit when `tour` is empty. */
  stops: number;
  /** Seconds per stop. */
  stopSeconds: number;
  /** Seconds without a touch before the view resets and the tour resumes. */
  idleSeconds: number;
  /** Caption languages, in order (both by default: 中文 + English together). */
  languages: Language[];
  /**
   * A PMTiles basemap on this server (a relative path, e.g. `data/chengdu/chengdu.pmtiles` beside the
   * data), drawn under the coverage; the service worker keeps a whole copy, so it works offline. Null: none.
   */
  basemap: string | null;
}

export const defaultKioskConfig: KioskConfig = {
  data: null,
  tour: [],
  stops: 8,
  stopSeconds: 12,
  idleSeconds: 60,
  languages: ['zh', 'en'],
  basemap: null,
};

/** Whether the URL asks for the kiosk (`?kiosk`, `?kiosk=1`, `?kiosk=path.json`). */
export function isKiosk(search: string): boolean {
  const value = new URLSearchParams(search).get('kiosk');
  return value !== null && value !== '0' && value !== 'false';
}

function positive(value: unknown, minimum: number, maximum: number): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= minimum && number <= maximum
    ? number
    : null;
}

function languageList(value: unknown): Language[] | null {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : null;
  if (!items) return null;
  const languages = items
    .map((item) => String(item).trim())
    .filter((item): item is Language => item === 'zh' || item === 'en');
  return languages.length > 0 ? [...new Set(languages)] : null;
}

function nameList(value: unknown): string[] | null {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : null;
  if (!items) return null;
  const names = items.map((item) => String(item).trim()).filter((item) => item.length > 0);
  return names.length > 0 ? names : null;
}

/** A relative path on this server (no scheme, no `..`, not `//host`); null when unusable. */
function relativePath(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const path = value.trim();
  if (/^[a-z][\w+.-]*:/i.test(path) || path.startsWith('//') || path.split(/[/?#]/).includes('..')) return null;
  return path;
}

/** A relative data path (no scheme, no `..`), ending in `/`; null when unusable. */
function dataPath(value: unknown): string | null {
  const path = relativePath(value);
  if (!path) return null;
  return path.endsWith('/') ? path : `${path}/`;
}

/** Merges settings (from JSON or URL) over a config; invalid values are ignored. */
export function mergeKioskConfig(base: KioskConfig, settings: Record<string, unknown>): KioskConfig {
  const config = { ...base };
  const data = dataPath(settings.data);
  if (data) config.data = data;
  const tour = nameList(settings.tour);
  if (tour) config.tour = tour;
  const stops = positive(settings.stops, 1, 500);
  if (stops !== null) config.stops = Math.round(stops);
  const stopSeconds = positive(settings.stopSeconds ?? settings.stop, 0.1, 3600);
  if (stopSeconds !== null) config.stopSeconds = stopSeconds;
  const idleSeconds = positive(settings.idleSeconds ?? settings.idle, 0.5, 86_400);
  if (idleSeconds !== null) config.idleSeconds = idleSeconds;
  const languages = languageList(settings.languages);
  if (languages) config.languages = languages;
  const basemap = relativePath(settings.basemap);
  if (basemap) config.basemap = basemap;
  return config;
}

/**
 * URL parameters of the kiosk: `data`, `tour=<name,name>`, `stops`, `stop` (s), `idle` (s),
 * `languages=zh,en`, `basemap=<path>.pmtiles`.
 */
export function kioskUrlSettings(search: string): Record<string, unknown> {
  const params = new URLSearchParams(search);
  const settings: Record<string, unknown> = {};
  for (const key of ['data', 'tour', 'stops', 'stop', 'idle', 'languages', 'basemap']) {
    const value = params.get(key);
    if (value !== null) settings[key] = value;
  }
  return settings;
}

/** The JSON file named by `?kiosk=…json`, or null. Only same-origin relative paths are read. */
export function kioskConfigPath(search: string): string | null {
  const value = new URLSearchParams(search).get('kiosk');
  if (!value || !/\.json$/i.test(value)) return null;
  if (/^[a-z][\w+.-]*:/i.test(value) || value.startsWith('//')) return null;
  return value;
}

/**
 * The kiosk configuration: defaults, then the JSON file (when `?kiosk=file.json`), then URL
 * parameters (they win, so a link can shorten the timings of a configured kiosk).
 */
export async function loadKioskConfig(search: string, baseUrl: string): Promise<KioskConfig> {
  let config = defaultKioskConfig;
  const path = kioskConfigPath(search);
  if (path) {
    try {
      const response = await fetch(new URL(path, baseUrl));
      if (response.ok) {
        const json = (await response.json()) as unknown;
        if (json && typeof json === 'object' && !Array.isArray(json)) {
          config = mergeKioskConfig(config, json as Record<string, unknown>);
        }
      } else console.warn(`GreenReach kiosk: ${path}: HTTP ${response.status}; using the defaults`);
    } catch (error) {
      console.warn(`GreenReach kiosk: ${path} unreadable; using the defaults`, error);
    }
  }
  return mergeKioskConfig(config, kioskUrlSettings(search));
}
