/**
 * Tiled runs on every core (`--tile-km N --threads K`): K worker threads, each given the plan once and
 * then one job at a time (the next to whichever finishes first): first every window's residential cells
 * per row (so the main thread knows where each tile goes), then every tile, sent back with its arrays
 * transferred, not copied. A walking run's workers are also given the network every tile shares (the
 * whole graph and every area's entrances, built once in the main thread). A worker runs this module's own file (in the CLI, its bundle, whose entry
 * checks {@link isTileWorker} first).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  type CoverageLayers,
  type CoveragePlan,
  type CoverageResult,
  type CoverageTile,
  computeTile,
  computeWalkingTile,
  type GridWindow,
  indexBarrierSegments,
  residentialRowCounts,
  TileStitcher,
  type WalkingPlan,
  walkingNetwork,
} from '../../src/coverage';

const tag = 'greenreachTileWorker';

/** What a worker is asked: a window's cells per row, or its tile. */
type TileJob = { kind: 'count' | 'tile'; window: GridWindow };

/** Whether this thread was started by {@link computeTiledInWorkers} to compute tiles. */
export function isTileWorker(): boolean {
  return !isMainThread && (workerData as Record<string, unknown> | null)?.[tag] === true;
}

/** The worker's side: answers each job it is sent until it is sent null. */
export function serveTiles(): void {
  const { plan, walking } = workerData as { plan: CoveragePlan; walking: WalkingPlan | null };
  // The barriers' R-tree does not cross threads: each worker indexes their segments once.
  const barriers = walking ? indexBarrierSegments(walking.barrierSegments) : null;
  const port = parentPort!;
  port.on('message', (job: TileJob | null) => {
    if (job === null) {
      port.close();
      return;
    }
    if (job.kind === 'count') {
      const counts = residentialRowCounts(plan, job.window);
      port.postMessage(counts, [counts.buffer as ArrayBuffer]);
      return;
    }
    const tile = walking ? computeWalkingTile(plan, walking, job.window, barriers!) : computeTile(plan, job.window);
    const arrays = [
      tile.residentialCells,
      tile.cellCommunity,
      tile.cellResidentialPolygon,
      tile.greenMeters,
      tile.parkMeters,
      tile.verdicts,
      tile.walk?.greenStraightMeters ?? null,
      tile.walk?.parkStraightMeters ?? null,
      tile.walk?.offNetwork ?? null,
    ];
    port.postMessage(
      tile,
      arrays.filter((array) => array !== null).map((array) => array!.buffer as ArrayBuffer),
    );
  });
}

/**
 * The whole run's result from every window computed in `threads` workers (walking tiles with `walking`). Each tile is put in place as
 * it arrives and dropped, so the main thread holds the result and at most `threads` tiles. Rejects on
 * the first worker's failure, stopping the others.
 */
export async function computeTiledInWorkers(
  plan: CoveragePlan,
  windows: GridWindow[],
  threads: number,
  populationLayers: Pick<CoverageLayers, 'population' | 'buildings'>,
  onTile: (done: number, total: number) => void = () => {},
  walking: WalkingPlan | null = null,
): Promise<CoverageResult> {
  const pool = startWorkers(plan, walking, Math.min(threads, windows.length));
  try {
    const counts = await pool.run<Uint32Array>(windows.map((window) => ({ kind: 'count', window })));
    const stitcher = new TileStitcher(plan, windows, counts, walking ? walkingNetwork(walking) : null);
    let done = 0;
    await pool.run<CoverageTile>(
      windows.map((window) => ({ kind: 'tile', window })),
      (tile) => {
        stitcher.add(tile);
        onTile(++done, windows.length);
      },
    );
    return stitcher.result(populationLayers);
  } finally {
    pool.close();
  }
}

/** K workers holding the plan; `run` hands out jobs one at a time per worker and collects the replies in job order. */
function startWorkers(plan: CoveragePlan, walking: WalkingPlan | null, threads: number) {
  const workers = Array.from({ length: threads }, () =>
    import.meta.url.endsWith('.ts')
      ? // Run from the TypeScript sources (benchmarks under tsx), a worker registers tsx's loader first.
        new Worker(
          `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`,
          { eval: true, workerData: { [tag]: true, plan, walking } },
        )
      : new Worker(new URL(import.meta.url), { workerData: { [tag]: true, plan, walking } }),
  );
  let failure: Error | null = null;
  let onFailure: (error: Error) => void = () => {};
  const fail = (error: Error) => {
    if (failure) return;
    failure = error;
    for (const worker of workers) void worker.terminate();
    onFailure(error);
  };
  for (const worker of workers) {
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`a tile worker stopped with exit code ${code}`));
    });
  }
  return {
    run<Reply>(jobs: TileJob[], onReply: (reply: Reply) => void = () => {}): Promise<Reply[]> {
      return new Promise<Reply[]>((resolve, reject) => {
        if (failure) return reject(failure);
        onFailure = reject;
        const replies: Reply[] = new Array(jobs.length);
        let next = 0;
        let received = 0;
        const give = (worker: Worker) => {
          if (next >= jobs.length) return;
          const index = next++;
          worker.once('message', (reply: Reply) => {
            // A tile is placed and dropped at once; counts are kept for the stitcher.
            if (jobs[index].kind === 'count') replies[index] = reply;
            try {
              onReply(reply);
            } catch (error) {
              fail(error as Error);
              return;
            }
            if (++received === jobs.length) resolve(replies);
            else give(worker);
          });
          worker.postMessage(jobs[index]);
        };
        for (const worker of workers) give(worker);
      });
    },
    close(): void {
      for (const worker of workers) worker.postMessage(null);
    },
  };
}

/** Bytes per grid cell of a run in one piece (measured: 847 MB for 16M cells of 10 m, the input included). */
const onePieceBytesPerCell = 53;
/** Bytes per cell of a tile in a worker (measured: 212 MB for a process holding one 4M-cell tile, less its ~50 MB base). */
const tileBytesPerCell = 40;
/** Walking distance, in one piece (measured: 565 MB for 4M cells of 20 m with a 158 m street lattice, the input included). */
const walkingOnePieceBytesPerCell = 141;
/** Walking distance, per tile cell (measured: 224 MB for a process holding one 1M-cell tile, its margin and the whole graph, less its ~105 MB base). */
const walkingTileBytesPerCell = 120;

/**
 * `--memory-mb M`: when a run in one piece would take more than M MB, the tiles that keep `threads`
 * workers within half of it (the other half holds the result), from 16 to 2,000 cells a side; else null.
 * A walking run (`walking`) needs more per cell, in one piece and per tile.
 */
export function tilesWithinBudget(
  gridCells: number,
  budgetMegabytes: number,
  threads: number,
  walking = false,
): { tileCells: number; onePieceMegabytes: number } | null {
  const perCell = walking ? walkingOnePieceBytesPerCell : onePieceBytesPerCell;
  const onePieceMegabytes = Math.ceil((gridCells * perCell) / 2 ** 20);
  if (onePieceMegabytes <= budgetMegabytes) return null;
  const perTileCell = walking ? walkingTileBytesPerCell : tileBytesPerCell;
  const side = Math.floor(Math.sqrt((budgetMegabytes * 2 ** 20) / 2 / (threads * perTileCell)));
  return { tileCells: Math.min(2000, Math.max(16, side)), onePieceMegabytes };
}

// Started as a tile worker: serve tiles (the CLI's entry skips its own work then).
if (isTileWorker()) serveTiles();
