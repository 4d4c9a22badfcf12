/**
 * Runs the browser coverage worker (src/worker/coverage-worker.ts) in a Node worker thread, for
 * benchmarks: `self` becomes a stand-in whose postMessage goes to the parent port, and the parent's
 * messages arrive at `self.onmessage`, as in a dedicated web worker.
 */
import { parentPort } from 'node:worker_threads';

const port = parentPort!;
const scope = {
  postMessage: (message: unknown, transfer: Transferable[] = []) =>
    port.postMessage(message, transfer as unknown as readonly import('node:worker_threads').Transferable[]),
  onmessage: null as null | ((event: { data: unknown }) => void),
};
(globalThis as unknown as { self: unknown }).self = scope;
await import('../src/worker/coverage-worker');
port.on('message', (data) => scope.onmessage?.({ data }));
