/// <reference lib="webworker" />
import { InputError as FileError } from '../coverage/input-error';
import { readLayerFile } from '../io/read-layer';
import type { ImportReply, ImportRequest } from '../state/import-protocol';

/**
 * Parses one imported file off the main thread with the io dispatcher (`readLayerFile`). The bytes are
 * transferred in; the page's watchdog terminates this worker when a parse hangs or runs too long.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<ImportRequest>) => {
  const { requestId, bytes, fileName, options } = event.data;
  try {
    const read = await readLayerFile(new Uint8Array(bytes), fileName, options);
    const reply: ImportReply = {
      requestId,
      ok: true,
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
    };
    scope.postMessage(reply);
  } catch (error) {
    const reply: ImportReply = {
      requestId,
      ok: false,
      error: {
        message: error instanceof Error ? error.message : String(error),
        fileName: error instanceof FileError ? error.fileName : fileName,
        featureIndex: error instanceof FileError ? error.featureIndex : null,
        problem: error instanceof FileError ? error.problem : error instanceof Error ? error.message : String(error),
      },
    };
    scope.postMessage(reply);
  }
};
