import { InputError, type InputErrorJSON } from '../coverage/input-error';
import type { LayerFormat, ReadLayerOptions } from '../io/read-layer';
import type { ImportedRead, ImportReplies, ImportRequests } from './import-protocol';
import { WorkerClient } from './worker-client';

/** GeoJSON over this size is refused before reading (the text alone would need gigabytes of memory). */
export const MAX_GEOJSON_BYTES = 200 * 1024 * 1024;
/** Any other format read whole over this size is refused (a GeoTIFF is read by ranges: no limit). */
export const MAX_FILE_BYTES = 500 * 1024 * 1024;
/** The browser's limits, as `readLayerFile` takes them. */
const BROWSER_LIMITS = { maxBytes: MAX_FILE_BYTES, maxTextBytes: MAX_GEOJSON_BYTES, inBrowser: true } as const;

/** The problem of a failed import, as the dialog lists it. */
export type ImportProblem = InputErrorJSON;

/**
 * The checks made before the file is read whole, from its size and its first 64 KiB only: empty, too
 * large for a browser, or content no reader knows (binary bytes, zeros, a JSON array, an HTML page).
 * Throws the InputError naming the file; a 3 GB file is refused without reading it. Returns the format.
 */
export async function checkFileBeforeReading(file: Blob & { name: string }): Promise<LayerFormat> {
  // The sniffing code loads with the first file (not on the first page).
  const [{ SNIFF_BYTES }, { checkLayerHead }] = await Promise.all([
    import('../io/content-sniff'),
    import('../io/layer-head'),
  ]);
  const head = file.size === 0 ? new Uint8Array(0) : new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  return checkLayerHead(head, file.name, file.size, BROWSER_LIMITS);
}

/**
 * Reads a file in a fresh import worker (one per file, so a hung or crashed parse never touches the
 * other layers): the ArrayBuffer is transferred in (a GeoTIFF goes as the File itself, which the worker
 * reads by ranges: only the window over the study area), and a watchdog terminates the worker when the
 * parse takes longer than `timeoutMs` (default 30 s plus 1 s per MiB).
 */
export async function readFileInWorker(
  file: Blob & { name: string },
  options: ReadLayerOptions,
  timeoutMs?: number,
): Promise<ImportedRead> {
  const format = await checkFileBeforeReading(file);
  // A File is passed by reference (its bytes are not copied): the GeoTIFF reader asks it for ranges.
  const bytes = format === 'geotiff' ? file : await file.arrayBuffer();
  const limit = timeoutMs ?? 30_000 + (file.size / 2 ** 20) * 1000;
  const client = new WorkerClient<ImportRequests, ImportReplies>(
    () => new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module', name: 'import' }),
  );
  let timedOut = false;
  const watchdog = setTimeout(() => {
    timedOut = true;
    client.dispose();
  }, limit);
  try {
    const { reply } = client.request(
      'read',
      { bytes, fileName: file.name, options: { ...BROWSER_LIMITS, ...options } },
      { transfer: bytes instanceof ArrayBuffer ? [bytes] : [] },
    );
    const message = await reply;
    if (message.type !== 'read') throw new Error(`unexpected reply ${message.type}`);
    return message.read;
  } catch (error) {
    if (timedOut) {
      const seconds = Math.round(limit / 1000);
      throw new InputError(
        file.name,
        null,
        `reading took longer than ${seconds} s and was stopped; the file may be malformed or too large`,
        { code: 'read.timeout', values: { seconds } },
      );
    }
    if (error instanceof InputError) throw error;
    const reason = error instanceof Error ? error.message : 'out of memory?';
    throw new InputError(file.name, null, `the reader crashed (${reason})`, {
      code: 'read.crashed',
      values: { reason },
    });
  } finally {
    clearTimeout(watchdog);
    client.dispose();
  }
}
