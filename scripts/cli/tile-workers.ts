/**
 * Tiled runs on every core (`--tile-km N --threads K`): K worker threads, each given the plan once and
 * then one window at a time, each sending back its tile (arrays transferred, not copied). The workers
 * run the same script as the CLI (its bundle), which checks {@link isTileWorker} before anything else.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type CoveragePlan, type CoverageTile, computeTile, type GridWindow } from '../../src/coverage';

const tag = 'greenreachTileWorker';

/** Whether this thread was started by {@link computeTilesInWorkers} to compute tiles. */
export function isTileWorker(): boolean {
  return !isMainThread && (workerData as Record<string, unknown> | null)?.[tag] === true;
}

/** The worker's side: computes each window it is sent until it is sent null. */
export function serveTiles(): void {
  const plan = (workerData as { plan: CoveragePlan }).plan;
  const port = parentPort!;
  port.on('message', (window: GridWindow | null) => {
    if (window === null) {
      port.close();
      return;
    }
    const tile = computeTile(plan, window);
    const arrays = [
      tile.residentialCells,
      tile.cellCommunity,
      tile.cellResidentialPolygon,
      tile.greenSquaredMeters,
      tile.parkSquaredMeters,
    ];
    port.postMessage(
      tile,
      arrays.filter((array) => array !== null).map((array) => array!.buffer as ArrayBuffer),
    );
  });
}

/**
 * Computes every window in `threads` workers running `script` (one tile per worker at a time, the next
 * window to whichever finishes first); resolves with the tiles in any order, or rejects on the first
 * worker's failure, stopping the others.
 */
export function computeTilesInWorkers(
  plan: CoveragePlan,
  windows: GridWindow[],
  threads: number,
  script: URL,
  onTile: (done: number, total: number) => void = () => {},
): Promise<CoverageTile[]> {
  const tiles: CoverageTile[] = [];
  const workers: Worker[] = [];
  let next = 0;
  return new Promise<CoverageTile[]>((resolve, reject) => {
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const worker of workers) void worker.terminate();
      reject(error);
    };
    const give = (worker: Worker) => {
      worker.postMessage(next < windows.length ? windows[next++] : null);
    };
    for (let t = 0; t < Math.min(threads, windows.length); t++) {
      const worker = new Worker(script, { workerData: { [tag]: true, plan } });
      workers.push(worker);
      worker.on('message', (tile: CoverageTile) => {
        tiles.push(tile);
        onTile(tiles.length, windows.length);
        if (tiles.length === windows.length) resolve(tiles);
        give(worker);
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0 && tiles.length < windows.length)
          fail(new Error(`a tile worker stopped with exit code ${code}`));
      });
      give(worker);
    }
  });
}
