import type { Feature, FeatureCollection } from 'geojson';
import { collectionBounds } from '../coverage/geometry';
import { InputError } from '../coverage/input-error';
import { type ImportRole, importRoles } from './import-layers';
import { delay, type UrlOutcome } from './import-state';
import type { DataSet } from './load-data';
import type { StoredLayer } from './persist-layers';

/**
 * Layers loaded from a URL (`?layer:greenspaces=parks.fgb`, or the import panel's URL box): FlatGeobuf
 * read by HTTP range requests for the study area only, checked for their role like an imported file.
 */

/** A rectangle in degrees, as flatgeobuf's `deserialize` takes it. */
export interface Rectangle {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** The study area: the communities and residential land, widened by 2 km (beyond any rule's radius). */
export function studyArea(data: Pick<DataSet, 'communities' | 'residential'>): Rectangle {
  const boxes = [data.communities, data.residential].flatMap((collection) => {
    const box = collection ? collectionBounds(collection) : null;
    return box ? [box] : [];
  });
  if (boxes.length === 0) return { minX: -180, minY: -90, maxX: 180, maxY: 90 };
  const minX = Math.min(...boxes.map((box) => box[0]));
  const minY = Math.min(...boxes.map((box) => box[1]));
  const maxX = Math.max(...boxes.map((box) => box[2]));
  const maxY = Math.max(...boxes.map((box) => box[3]));
  const dy = 2000 / 111_320;
  const dx = dy / Math.max(0.1, Math.cos((((minY + maxY) / 2) * Math.PI) / 180));
  return { minX: minX - dx, minY: minY - dy, maxX: maxX + dx, maxY: maxY + dy };
}

/** Only http(s) URLs and paths on this server. */
function checkedUrl(url: string): string {
  const resolved = new URL(url, document.baseURI);
  if (resolved.protocol !== 'https:' && resolved.origin !== location.origin) {
    throw new Error('only https URLs or paths on this server can be loaded');
  }
  return resolved.href;
}

/** How long a URL layer may take: no feature for `idleMs` (a stalled server), or `totalMs` in all. */
export interface UrlDeadlines {
  idleMs: number;
  totalMs: number;
}

export const defaultUrlDeadlines: UrlDeadlines = { idleMs: 20_000, totalMs: 120_000 };

/**
 * Loads the features of a FlatGeobuf file at `url` that meet the study area, with HTTP range requests
 * (the header, the spatial index, then only the features inside; the file needs its index), and checks
 * them for the role like an imported file. Real deadlines: a timer, not a check when a feature arrives,
 * so a server that never answers (or stops after a few bytes) fails with a message instead of a hang.
 */
export async function loadFlatGeobufUrl(
  url: string,
  role: ImportRole,
  rect: Rectangle,
  deadlines: UrlDeadlines = defaultUrlDeadlines,
): Promise<FeatureCollection> {
  const href = checkedUrl(url);
  const name = url.split('/').pop() ?? url;
  const { deserialize } = await import('flatgeobuf/lib/mjs/geojson.js');
  const features: Feature[] = [];
  const started = performance.now();
  const iterator = (deserialize(href, { rect }) as AsyncGenerator<Feature>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const left = started + deadlines.totalMs - performance.now();
      // Whichever comes first: the next feature, no data for idleMs, or the total deadline.
      const idle = left > deadlines.idleMs;
      const next = await withDeadline(iterator.next(), Math.max(0, Math.min(deadlines.idleMs, left)), () =>
        idle
          ? new InputError(url, null, `no data arrived for ${deadlines.idleMs / 1000} s (the server stalled)`, {
              layer: role,
              code: 'url.stalled',
              values: { seconds: deadlines.idleMs / 1000 },
            })
          : new InputError(url, null, `loading took longer than ${deadlines.totalMs / 1000} s`, {
              layer: role,
              code: 'url.timeout',
              values: { seconds: deadlines.totalMs / 1000 },
            }),
      );
      if (next.done) break;
      features.push(next.value);
    }
  } catch (error) {
    // Stop the reader; its pending request is left to the browser (fetch has no signal here).
    void iterator.return?.(undefined)?.catch(() => {});
    throw error instanceof InputError ? error : await urlReadProblem(href, url, role, error);
  }
  // The validator (and @turf/kinks) loads only when a layer comes by URL.
  const { prepareLayerForRole } = await import('../io/validate');
  return prepareLayerForRole({ type: 'FeatureCollection', features }, role, name).collection;
}

/** How long the look at a failed URL's first bytes may take. */
const PROBE_MS = 10_000;

/**
 * Why a URL layer could not be read, when the FlatGeobuf reader only says how it broke ("Offset is
 * outside the bounds of the DataView", "HTTP request failed: 416"): one request for the first 64 KiB,
 * then the same words as for a dropped file (an empty file, an HTML page, GeoJSON where FlatGeobuf was
 * needed), or the server's status. Falls back to the reader's message when even that request fails.
 */
export async function urlReadProblem(href: string, url: string, role: ImportRole, error: unknown): Promise<InputError> {
  const reason = error instanceof Error ? error.message : String(error);
  // The sniffing code loads only when a URL layer fails (not on the first page).
  const [{ SNIFF_BYTES }, { checkLayerHead }] = await Promise.all([
    import('../io/content-sniff'),
    import('../io/layer-head'),
  ]);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PROBE_MS);
  try {
    const response = await fetch(href, {
      headers: { Range: `bytes=0-${SNIFF_BYTES - 1}` },
      signal: controller.signal,
    });
    // 416 to a range from byte 0: there is no byte 0.
    const empty = response.status === 416;
    if (!response.ok && !empty) {
      return new InputError(url, null, `the server answered ${response.status} ${response.statusText}`.trim(), {
        layer: role,
        code: 'url.http',
        values: { status: response.status },
      });
    }
    const head = empty ? new Uint8Array(0) : await readUpTo(response, SNIFF_BYTES);
    const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
    const size = empty ? 0 : Math.max(head.length, Number(total ?? response.headers.get('content-length') ?? 0));
    // Throws the dropped file's message for an empty file or bytes no reader knows.
    const format = checkLayerHead(head, url, size, { maxBytes: Number.MAX_SAFE_INTEGER });
    if (format !== 'flatgeobuf') {
      return new InputError(url, null, `a layer by URL must be FlatGeobuf (with its spatial index), not ${format}`, {
        layer: role,
        code: 'url.not-flatgeobuf',
        values: { format },
      });
    }
    return new InputError(url, null, `a damaged FlatGeobuf file (${reason})`, { layer: role, code: 'corrupt' });
  } catch (problem) {
    if (problem instanceof InputError) {
      return new InputError(url, null, problem.problem, {
        layer: role,
        code: problem.code,
        ...(problem.values ? { values: problem.values } : {}),
      });
    }
    return new InputError(url, null, reason, { layer: role });
  } finally {
    clearTimeout(timer);
  }
}

/** The first `length` bytes of a response body (fewer when it is shorter); the rest is not downloaded. */
async function readUpTo(response: Response, length: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer()).subarray(0, length);
  const head = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { done, value } = await reader.read();
    if (done) break;
    const take = Math.min(value.length, length - filled);
    head.set(value.subarray(0, take), filled);
    filled += take;
  }
  void reader.cancel().catch(() => {});
  return head.subarray(0, filled);
}

/** `promise`, or a rejection with `timeoutError()` after `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** A FlatGeobuf layer loaded from a URL, as it is kept (WGS 84, no mapping). */
export function urlLayer(role: ImportRole, url: string, collection: FeatureCollection): StoredLayer {
  return {
    role,
    source: url,
    collection,
    mapping: null,
    crs: 'EPSG:4326',
    gcj02: false,
    featureCount: collection.features.length,
    savedAt: Date.now(),
  };
}

/** One `?layer:ROLE=url` being loaded: its outcome once settled (null while loading). */
export interface UrlLoad {
  role: ImportRole;
  url: string;
  outcome: UrlOutcome | null;
  promise: Promise<UrlOutcome>;
}

/**
 * Starts loading every layer the URL names and waits at most `waitMs` for them: start-up waits a
 * little, never for good. A slow layer lands later (its `promise`), a stalled one fails on its own
 * deadline, and the app starts on what it has.
 */
export async function startUrlLayers(
  params: URLSearchParams,
  study: Rectangle,
  deadlines: UrlDeadlines,
  waitMs: number,
): Promise<UrlLoad[]> {
  const loads = importRoles.flatMap((role): UrlLoad[] => {
    const url = params.get(`layer:${role}`);
    if (!url) return [];
    const load: UrlLoad = { role, url, outcome: null, promise: Promise.resolve({ error: null }) };
    load.promise = loadFlatGeobufUrl(url, role, study, deadlines).then(
      (collection): UrlOutcome => (load.outcome = { collection }),
      (error: unknown): UrlOutcome => (load.outcome = { error }),
    );
    return [load];
  });
  if (loads.length > 0) await Promise.race([Promise.all(loads.map((load) => load.promise)), delay(waitMs)]);
  return loads;
}
