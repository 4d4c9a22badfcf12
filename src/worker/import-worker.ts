/// <reference lib="webworker" />
import { InputError } from '../coverage/input-error';
import { readLayerFile } from '../io/read-layer';
import type { ImportReplies, ImportRequest } from './import-protocol';
import { errorBody, replier } from './worker-client';

/**
 * Parses one imported file off the main thread with the io dispatcher (`readLayerFile`); protocol in
 * src/worker/import-protocol.ts. The page's watchdog terminates this worker when a parse hangs.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = replier<ImportReplies>(scope);

scope.onmessage = async (event: MessageEvent<ImportRequest>) => {
  const request = event.data;
  if (request.type !== 'read') return;
  const { requestId, bytes, fileName, options } = request;
  try {
    const read = await readLayerFile(bytes instanceof Blob ? bytes : new Uint8Array(bytes), fileName, options);
    reply({
      type: 'read',
      requestId,
      read: {
        format: read.format,
        collection: read.collection,
        crs: { code: read.crs.code, name: read.crs.name, source: read.crs.source },
        gcj02: read.gcj02,
        featuresRead: read.featuresRead,
        skipped: read.skipped.slice(0, 50),
        skippedCount: read.skipped.length,
        warnings: read.warnings,
      },
    });
  } catch (error) {
    // A problem with the file names the file; anything else (a reader bug) is said as it is, of this file.
    const problem =
      error instanceof InputError ? error : new InputError(fileName, null, String((error as Error)?.message ?? error));
    reply({ type: 'error', requestId, ...errorBody(problem) });
  }
};
