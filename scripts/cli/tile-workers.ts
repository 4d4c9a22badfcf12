/**
 * Tiled runs on every core (`--tile-km N --threads K`): K worker threads, each given the plan once and
 * then one window at a time, each sending back its tile (arrays transferred, not copied). A worker runs
 * this module's own file (in the CLI, its bundle, whose entry checks {@link isTileWorker} first).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  type CoverageLayers,
  type CoveragePlan,
  type CoverageResult,
  type CoverageTile,
  computeTile,
  type GridWindow,
  residentialRowCounts,
  TileStitcher,
} from '../../src/coverage';

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
      tile.greenMeters,
      tile.parkMeters,
      tile.verdicts,
    ];
    port.postMessage(
      tile,
      arrays.filter((array) => array !== null).map((array) => array!.buffer as ArrayBuffer),
    );
  });
}

/**
 * The whole run's result from every window computed in `threads` workers (one tile per worker at a
 * time, the next window to whichever finishes first). Each tile is put in place as it arrives and
 * dropped, so the main thread holds the result and at most `threads` tiles. Rejects on the first
 * worker's failure, stopping the others.
 */
export async function computeTiledInWorkers(
  plan: CoveragePlan,
  windows: GridWindow[],
  threads: number,
  populationLayers: Pick<CoverageLayers, 'population' | 'buildings'>,
  onTile: (done: number, total: number) => void = () => {},
): Promise<CoverageResult> {
  let stitcher: TileStitcher | null = null;
  let done = 0;
  const finished = runWorkers(plan, windows, threads, (tile) => {
    stitcher!.add(tile);
    onTile(++done, windows.length);
  });
  // While the workers start, count each window's residential cells per row: where every tile will go.
  // Tiles that arrive meanwhile wait in the message queue until this returns.
  stitcher = new TileStitcher(
    plan,
    windows,
    windows.map((window) => residentialRowCounts(plan, window)),
  );
  await finished;
  return stitcher.result(populationLayers);
}

function runWorkers(
  plan: CoveragePlan,
  windows: GridWindow[],
  threads: number,
  onTile: (tile: CoverageTile) => void,
): Promise<void> {
  const workers: Worker[] = [];
  let next = 0;
  let received = 0;
  return new Promise<void>((resolve, reject) => {
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
      const worker = import.meta.url.endsWith('.ts')
        ? // Run from the TypeScript sources (benchmarks under tsx), a worker registers tsx's loader first.
          new Worker(
            `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`,
            { eval: true, workerData: { [tag]: true, plan } },
          )
        : new Worker(new URL(import.meta.url), { workerData: { [tag]: true, plan } });
      workers.push(worker);
      worker.on('message', (tile: CoverageTile) => {
        try {
          onTile(tile);
        } catch (error) {
          fail(error as Error);
          return;
        }
        received++;
        give(worker);
        if (received === windows.length) resolve();
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0 && received < windows.length) fail(new Error(`a tile worker stopped with exit code ${code}`));
      });
      give(worker);
    }
  });
}

// Started as a tile worker: serve tiles (the CLI's entry skips its own work then).
if (isTileWorker()) serveTiles();
