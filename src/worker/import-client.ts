import { InputError, type InputErrorJSON } from '../coverage/input-error';
import type { ReadLayerOptions } from '../io/read-layer';
import type { ImportedRead, ImportReplies, ImportRequests } from './import-protocol';
import { WorkerClient } from './worker-client';

/** GeoJSON over this size is refused before reading (the text alone would need gigabytes of memory). */
export const MAX_GEOJSON_BYTES = 200 * 1024 * 1024;
/** Any other format over this size is refused. */
export const MAX_FILE_BYTES = 500 * 1024 * 1024;

/** The problem of a failed import, as the dialog lists it. */
export type ImportProblem = InputErrorJSON;

function problem(fileName: string, text: string): InputError {
  return new InputError(fileName, null, text);
}

/** The size check made before any byte is read; null when the file may be read. */
export function sizeProblem(fileName: string, size: number): InputError | null {
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  const isGeoJson = /\.(geo)?json$|\.ndjson$|\.geojsonl?$/i.test(fileName);
  if (isGeoJson && size > MAX_GEOJSON_BYTES) {
    return problem(
      fileName,
      `the GeoJSON is ${mib(size)} MiB; the app reads GeoJSON up to ${mib(MAX_GEOJSON_BYTES)} MiB. Clip it to the study area or convert it to FlatGeobuf (ogr2ogr -f FlatGeobuf out.fgb in.geojson), which the app reads up to ${mib(MAX_FILE_BYTES)} MiB.`,
    );
  }
  if (size > MAX_FILE_BYTES) {
    return problem(
      fileName,
      `the file is ${mib(size)} MiB, over the ${mib(MAX_FILE_BYTES)} MiB limit; clip it to the study area`,
    );
  }
  if (size === 0) return problem(fileName, 'the file is empty');
  return null;
}

/**
 * Reads a file in a fresh import worker (one per file, so a hung or crashed parse never touches the
 * other layers): the ArrayBuffer is transferred in, and a watchdog terminates the worker when the parse
 * takes longer than `timeoutMs` (default 30 s plus 1 s per MiB).
 */
export async function readFileInWorker(
  file: Blob & { name: string },
  options: ReadLayerOptions,
  timeoutMs?: number,
): Promise<ImportedRead> {
  const tooBig = sizeProblem(file.name, file.size);
  if (tooBig) throw tooBig;
  const bytes = await file.arrayBuffer();
  const limit = timeoutMs ?? 30_000 + (bytes.byteLength / 2 ** 20) * 1000;
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
      { bytes, fileName: file.name, options: { maxBytes: MAX_FILE_BYTES, ...options } },
      { transfer: [bytes] },
    );
    const message = await reply;
    if (message.type !== 'read') throw new Error(`unexpected reply ${message.type}`);
    return message.read;
  } catch (error) {
    if (timedOut) {
      throw problem(
        file.name,
        `reading took longer than ${Math.round(limit / 1000)} s and was stopped; the file may be malformed or too large`,
      );
    }
    if (error instanceof InputError) throw error;
    throw problem(file.name, `the reader crashed (${error instanceof Error ? error.message : 'out of memory?'})`);
  } finally {
    clearTimeout(watchdog);
    client.dispose();
  }
}
