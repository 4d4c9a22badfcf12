/**
 * The kiosk's tour (about 420 lines, one job: the tour's state machine — stops, timing, visitor pauses
 * and resumes, recovery from a crashed worker or a lost map — whose transitions read best together).
 */
import type { BoundingBox, CoverageResult } from '../coverage';
import type { PlannerMap } from '../map/planner-map';
import type { KioskConfig } from './kiosk-config';
import type { AppState, PlannerApp } from './planner-app';
import { Store } from './store';

export type KioskMode = 'loading' | 'touring' | 'paused';

/** One stop of the tour: a community (index into the engine's communities) or the city summary. */
export type KioskStop = { kind: 'community'; community: number } | { kind: 'summary' };

export type PrecacheStatus = 'off' | 'installing' | 'ready' | 'failed';

/** The map: `ready` once it has drawn the data set and is still; `lost` from a WebGL context loss until rebuilt. */
export type KioskMapStatus = 'loading' | 'ready' | 'lost';

export interface KioskState {
  mode: KioskMode;
  /** The tour: the whole district (the city summary), then communities; repeats. */
  stops: KioskStop[];
  /** Position in `stops` of the stop shown (or last shown before a pause). */
  index: number;
  /** Completed rounds of the tour. */
  round: number;
  /** Stops shown since the kiosk opened (grows by one per stop; a test can wait for "the next stop"). */
  shown: number;
  map: KioskMapStatus;
  /** Times the map was rebuilt after a WebGL context loss. */
  mapRebuilds: number;
  /** Times a failed run was retried (after a worker crash). */
  recoveries: number;
  /** Times a visitor paused the tour, and times the idle time resumed it. */
  pauses: number;
  resumes: number;
  precache: PrecacheStatus;
  /** Version (build hash) of the precache serving this page, once `precache` is `ready`. */
  precacheVersion: string | null;
}

/** What tests and the soak script read from `window.__greenreach.kiosk`. */
export interface KioskHook {
  state: KioskMode;
  index: number;
  /** Name of the stop shown: the community's name, or "summary". */
  name: string | null;
  round: number;
  stops: number;
  /** Names of the stops in tour order ("summary", then community names). */
  tour: string[];
  shown: number;
  map: KioskMapStatus;
  workerRestarts: number;
  recoveries: number;
  mapRebuilds: number;
  pauses: number;
  resumes: number;
  precache: PrecacheStatus;
  precacheVersion: string | null;
  /**
   * The latest tour events, oldest first, at most 50: `show:<index>`, `pause`, `resume`, `run-failed`,
   * `retry`, `map-ready`, `map-lost`, `map-rebuilt`. Tests read sequences from it (e.g. no stop shown between a
   * pause and its resume) instead of racing the tour with polls.
   */
  log: string[];
  /** Test hook: crashes the coverage worker in the middle of a run (the kiosk must recover). */
  crashWorker: () => void;
  /** Test hook: loses the map's WebGL context (the kiosk must rebuild the map). */
  loseWebGL: () => boolean;
}

/** Entries kept in the hook's event log (bounded: a day of tours must not grow it). */
const logLength = 50;

/** Events that count as a visitor touching the kiosk. */
const interactionEvents = ['pointerdown', 'touchstart', 'wheel', 'keydown'] as const;

/**
 * The kiosk's tour and its care for an unattended day: flies from community to community, pauses on
 * a touch and resumes after the idle time, retries a run that failed (a crashed worker is replaced
 * by CoverageClient), and counts map rebuilds after a WebGL context loss (the UI rebuilds the map).
 * Timers and listeners are created once (or replaced, never stacked), so a day of tours does not grow.
 */
export class KioskController {
  readonly store: Store<KioskState>;
  private map: PlannerMap | null = null;
  private tourTimer: ReturnType<typeof setTimeout> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retries = 0;
  /** A stop due while the map was lost: shown once the new map is ready. */
  private held: number | null = null;
  /** What tests and the soak script read (installed by the composition root in test builds). */
  readonly hook: KioskHook;
  private readonly log: string[] = [];
  /** Stops listening for the current map's readiness (when it is replaced). */
  private unwatchMap: (() => void) | null = null;
  private readonly disposers: (() => void)[] = [];
  /** Asks the UI to rebuild the map (set by the kiosk screen). */
  rebuildMap: (() => void) | null = null;

  constructor(
    readonly app: PlannerApp,
    readonly config: KioskConfig,
  ) {
    this.store = new Store<KioskState>({
      mode: 'loading',
      stops: [],
      index: 0,
      round: 0,
      shown: 0,
      map: 'loading',
      mapRebuilds: 0,
      recoveries: 0,
      pauses: 0,
      resumes: 0,
      precache: 'off',
      precacheVersion: null,
    });
    this.hook = {
      state: 'loading',
      index: 0,
      name: null,
      round: 0,
      stops: 0,
      tour: [],
      shown: 0,
      map: 'loading',
      workerRestarts: 0,
      recoveries: 0,
      mapRebuilds: 0,
      pauses: 0,
      resumes: 0,
      precache: 'off',
      precacheVersion: null,
      log: this.log,
      crashWorker: () => this.crashWorker(),
      loseWebGL: () => this.loseWebGL(),
    };
  }

  /** Starts listening: to the app (results, failures) and to visitors. */
  install(): void {
    this.disposers.push(this.app.store.subscribe((state, previous) => this.appChanged(state, previous)));
    this.disposers.push(this.store.subscribe(() => this.publish()));
    const interact = () => this.interaction();
    for (const type of interactionEvents) {
      window.addEventListener(type, interact, { capture: true, passive: true });
      this.disposers.push(() => window.removeEventListener(type, interact, { capture: true }));
    }
    const block = (event: Event) => event.preventDefault();
    document.addEventListener('contextmenu', block);
    document.addEventListener('selectstart', block);
    document.addEventListener('dragstart', block);
    // Links never leave the kiosk.
    const stayInApp = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (link && (link.origin !== location.origin || link.target)) event.preventDefault();
    };
    document.addEventListener('click', stayInApp, true);
    this.disposers.push(() => {
      document.removeEventListener('contextmenu', block);
      document.removeEventListener('selectstart', block);
      document.removeEventListener('dragstart', block);
      document.removeEventListener('click', stayInApp, true);
    });
    document.documentElement.dataset.kiosk = 'loading';
    this.appChanged(this.app.store.get(), null);
  }

  /**
   * The UI's map (null while it is rebuilt). The kiosk drives it once it has drawn the data set: its
   * `idle` event with the data's sources in place sets `map: ready` (`<html data-kiosk-map="ready">`),
   * and after a context loss that is when the rebuild counts.
   */
  setMap(map: PlannerMap | null): void {
    this.unwatchMap?.();
    this.unwatchMap = null;
    this.map = map;
    if (!map) return;
    const idle = () => {
      if (this.map !== map || !map.map.getSource('communities') || map.map.isMoving()) return;
      this.unwatchMap?.();
      this.unwatchMap = null;
      const rebuilt = this.store.get().map === 'lost';
      this.store.set((state) => ({ map: 'ready', mapRebuilds: state.mapRebuilds + (rebuilt ? 1 : 0) }));
      this.note(rebuilt ? 'map-rebuilt' : 'map-ready');
      const held = this.held;
      this.held = null;
      if (held !== null) this.show(held);
    };
    map.map.on('idle', idle);
    this.unwatchMap = () => map.map.off('idle', idle);
  }

  /**
   * A map canvas lost its WebGL context: MapLibre drops its style until the context comes back, and the
   * lost map throws when asked to change (deck.gl's overlay reads the style's projection). So the tour
   * holds: no stop is shown (a stop changes the selection, which the map follows) until the UI has
   * replaced the map (`setMap`) and the new one has drawn; then the tour goes on where it was.
   */
  mapLost(): void {
    this.unwatchMap?.();
    this.unwatchMap = null;
    this.map = null;
    if (this.store.get().map === 'lost') return;
    this.store.set({ map: 'lost' });
    this.note('map-lost');
  }

  setPrecache(precache: PrecacheStatus, version: string | null = null): void {
    this.store.set({ precache, precacheVersion: version });
    if (precache === 'ready') document.documentElement.dataset.precache = 'ready';
    else delete document.documentElement.dataset.precache;
  }

  /** Appends to the hook's bounded event log. */
  private note(event: string): void {
    this.log.push(event);
    if (this.log.length > logLength) this.log.splice(0, this.log.length - logLength);
  }

  private appChanged(state: AppState, previous: AppState | null): void {
    if (state.baseline && state.baseline !== previous?.baseline) this.resultChanged(state.baseline);
    if (state.status === previous?.status) return;
    if (state.status === 'ready') this.retries = 0;
    if (state.status === 'error') {
      this.note('run-failed');
      this.scheduleRetry();
    }
  }

  private resultChanged(result: CoverageResult): void {
    const stops = tourStops(result, this.config);
    const { mode, index } = this.store.get();
    this.store.set({ stops, index: Math.min(index, stops.length - 1) });
    if (mode === 'loading') {
      this.store.set({ mode: 'touring', index: 0 });
      // The first stop is the whole district, fitted clear of the panels (held until the map has drawn).
      this.show(0);
    }
  }

  /** A failed run (worker crash, busy machine): retry with a growing delay (2 s, 4 s … 60 s). */
  private scheduleRetry(): void {
    if (this.retryTimer) return;
    const delay = Math.min(60_000, 2000 * 2 ** this.retries);
    this.retries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.app.store.get().status !== 'error') return;
      this.store.set((state) => ({ recoveries: state.recoveries + 1 }));
      this.note('retry');
      if (this.app.store.get().data) void this.app.compute();
      else void this.app.start();
    }, delay);
  }

  private scheduleNext(delayMs: number, index: number): void {
    if (this.tourTimer) clearTimeout(this.tourTimer);
    this.tourTimer = setTimeout(() => {
      this.tourTimer = null;
      this.show(index);
    }, delayMs);
  }

  /** Shows stop `index` and schedules the next one. */
  private show(index: number): void {
    const { stops, mode, round, map } = this.store.get();
    if (mode !== 'touring' || stops.length === 0) return;
    if (map !== 'ready') {
      // Not drawn yet (start-up) or lost: shown once the map is ready (setMap's idle).
      this.held = index;
      return;
    }
    const position = index % stops.length;
    const stop = stops[position];
    this.app.selectCommunity(stop.kind === 'community' ? stop.community : null);
    this.fitStop(stop);
    const wrapped = index > 0 && position === 0;
    this.note(`show:${position}`);
    this.store.set((state) => ({ index: position, round: wrapped ? round + 1 : round, shown: state.shown + 1 }));
    this.scheduleNext(this.config.stopSeconds * 1000, position + 1);
  }

  /** Fits the map to a stop's area (a community, or the whole district), clear of the panels. */
  private fitStop(stop: KioskStop): void {
    const result = this.app.store.get().baseline;
    if (!result) return;
    const bbox = stop.kind === 'community' ? result.communities[stop.community]?.bbox : cityBounds(result);
    if (bbox) this.map?.fitBounds(bbox, { maxZoom: stop.kind === 'community' ? 15.5 : 14 });
  }

  /**
   * The panels changed size (a new caption, a resized screen): the stop on show is fitted again, so it is
   * never left under a caption that grew after it was fitted (or that was not there yet at start-up).
   */
  panelsResized(): void {
    const { mode, map, stops, index } = this.store.get();
    if (mode === 'touring' && map === 'ready' && stops[index]) this.fitStop(stops[index]);
  }

  /** A visitor touched the kiosk: pause the tour; (re)start the idle countdown. */
  private interaction(): void {
    const { mode } = this.store.get();
    if (mode === 'loading') return;
    if (mode === 'touring') {
      if (this.tourTimer) clearTimeout(this.tourTimer);
      this.tourTimer = null;
      this.held = null;
      this.note('pause');
      this.store.set((state) => ({ mode: 'paused', pauses: state.pauses + 1 }));
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.resume(), this.config.idleSeconds * 1000);
  }

  /** No touch for the idle time: the tour resumes from its first stop, the whole district. */
  resume(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.note('resume');
    this.store.set((state) => ({ mode: 'touring', index: 0, resumes: state.resumes + 1 }));
    this.show(0);
  }

  /**
   * The worker dies in the middle of a run: CoverageClient replaces the worker and rejects the run,
   * which the kiosk retries. It dies at the run's first progress report from the worker, i.e. once
   * the run is really in the worker: a restart before that (while the layers are on their way) is
   * absorbed by CoverageClient, which sends them again, so no run would fail.
   */
  private crashWorker(): void {
    const unsubscribe = this.app.store.subscribe((state, previous) => {
      if (state.status !== 'computing') unsubscribe();
      else if (previous.status === 'computing' && state.progress !== previous.progress) {
        unsubscribe();
        this.app.client.restart(new Error('the coverage worker crashed (simulated)'));
      }
    });
    void this.app.compute();
  }

  private loseWebGL(): boolean {
    const canvas = this.map?.map.getCanvas();
    const gl = (canvas?.getContext('webgl2') ?? canvas?.getContext('webgl')) as WebGLRenderingContext | null;
    const extension = gl?.getExtension('WEBGL_lose_context');
    if (!extension) return false;
    extension.loseContext();
    return true;
  }

  private publish(): void {
    const state = this.store.get();
    const stop = state.stops[state.index];
    const result = this.app.store.get().baseline;
    document.documentElement.dataset.kiosk = state.mode;
    document.documentElement.dataset.kioskMap = state.map;
    Object.assign(this.hook, {
      state: state.mode,
      index: state.index,
      name: !stop ? null : stop.kind === 'summary' ? 'summary' : (result?.communities[stop.community]?.name ?? null),
      round: state.round,
      stops: state.stops.length,
      tour: state.stops.map((entry) =>
        entry.kind === 'summary' ? 'summary' : (result?.communities[entry.community]?.name ?? ''),
      ),
      shown: state.shown,
      map: state.map,
      workerRestarts: this.app.client.restarts,
      recoveries: state.recoveries,
      mapRebuilds: state.mapRebuilds,
      pauses: state.pauses,
      resumes: state.resumes,
      precache: state.precache,
      precacheVersion: state.precacheVersion,
    });
  }

  dispose(): void {
    this.unwatchMap?.();
    this.unwatchMap = null;
    for (const timer of [this.tourTimer, this.idleTimer, this.retryTimer]) if (timer) clearTimeout(timer);
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}

/** The tour: the whole district first, then the configured communities (by Chinese or English name), else the most populous. */
export function tourStops(result: CoverageResult, config: KioskConfig): KioskStop[] {
  const { communities } = result;
  let chosen: number[] = [];
  if (config.tour.length > 0) {
    for (const name of config.tour) {
      const wanted = name.trim().toLowerCase();
      const index = communities.findIndex(
        (community) => community.name.toLowerCase() === wanted || community.nameEnglish?.toLowerCase() === wanted,
      );
      if (index >= 0) chosen.push(index);
      else console.warn(`GreenReach kiosk: no community named "${name}"`);
    }
  }
  if (chosen.length === 0) {
    const weight = (index: number) =>
      result.summary.communities[index]?.population ?? result.summary.communities[index]?.cells ?? 0;
    chosen = communities
      .map((_, index) => index)
      .filter((index) => (result.summary.communities[index]?.cells ?? 0) > 0)
      .sort((a, b) => weight(b) - weight(a))
      .slice(0, config.stops);
  }
  return [{ kind: 'summary' }, ...chosen.map((community): KioskStop => ({ kind: 'community', community }))];
}

/** Bounds of every community. */
export function cityBounds(result: CoverageResult): BoundingBox | null {
  const box: BoundingBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { bbox } of result.communities) {
    box[0] = Math.min(box[0], bbox[0]);
    box[1] = Math.min(box[1], bbox[1]);
    box[2] = Math.max(box[2], bbox[2]);
    box[3] = Math.max(box[3], bbox[3]);
  }
  return Number.isFinite(box[0]) ? box : null;
}
