import type { BoundingBox, CoverageResult } from '../coverage';
import type { PlannerMap } from '../map/planner-map';
import type { KioskConfig } from './kiosk-config';
import type { AppState, PlannerApp } from './planner-app';
import { Store } from './store';

export type KioskMode = 'loading' | 'touring' | 'paused';

/** One stop of the tour: a community (index into the engine's communities) or the city summary. */
export type KioskStop = { kind: 'community'; community: number } | { kind: 'summary' };

export type PrecacheStatus = 'off' | 'installing' | 'ready' | 'failed';

export interface KioskState {
  mode: KioskMode;
  /** The tour: communities, then the city summary; repeats. */
  stops: KioskStop[];
  /** Position in `stops` of the stop shown (or last shown before a pause). */
  index: number;
  /** Completed rounds of the tour. */
  round: number;
  /** Times the map was rebuilt after a WebGL context loss. */
  mapRebuilds: number;
  /** Times a failed run was retried (after a worker crash). */
  recoveries: number;
  /** Times a visitor paused the tour, and times the idle time resumed it. */
  pauses: number;
  resumes: number;
  precache: PrecacheStatus;
}

/** What tests and the soak script read from `window.__greenreach.kiosk`. */
export interface KioskHook {
  state: KioskMode;
  index: number;
  /** Name of the stop shown: the community's name, or "summary". */
  name: string | null;
  round: number;
  stops: number;
  workerRestarts: number;
  recoveries: number;
  mapRebuilds: number;
  pauses: number;
  resumes: number;
  precache: PrecacheStatus;
  /** Test hook: crashes the coverage worker in the middle of a run (the kiosk must recover). */
  crashWorker: () => void;
  /** Test hook: loses the map's WebGL context (the kiosk must rebuild the map). */
  loseWebGL: () => boolean;
}

declare module './planner-app' {
  interface TestHook {
    kiosk?: KioskHook;
  }
}

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
  private readonly hook: KioskHook;
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
      mapRebuilds: 0,
      recoveries: 0,
      pauses: 0,
      resumes: 0,
      precache: 'off',
    });
    this.hook = {
      state: 'loading',
      index: 0,
      name: null,
      round: 0,
      stops: 0,
      workerRestarts: 0,
      recoveries: 0,
      mapRebuilds: 0,
      pauses: 0,
      resumes: 0,
      precache: 'off',
      crashWorker: () => this.crashWorker(),
      loseWebGL: () => this.loseWebGL(),
    };
  }

  /** Starts listening: to the app (results, failures), to visitors, and publishes the test hook. */
  install(): void {
    this.attachHook();
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
   * Keeps `kiosk` on `window.__greenreach`: the app replaces that object whenever it publishes, so
   * the property is re-attached on every assignment.
   */
  private attachHook(): void {
    let current = window.__greenreach;
    if (current) current.kiosk = this.hook;
    const hook = this.hook;
    Object.defineProperty(window, '__greenreach', {
      configurable: true,
      get: () => current,
      set: (value) => {
        current = value;
        if (current) current.kiosk = hook;
      },
    });
  }

  /** The UI's map (null while it is rebuilt). */
  setMap(map: PlannerMap | null): void {
    this.map = map;
  }

  /** The UI rebuilt the map after a WebGL context loss. */
  mapRebuilt(): void {
    this.store.set((state) => ({ mapRebuilds: state.mapRebuilds + 1 }));
  }

  setPrecache(precache: PrecacheStatus): void {
    this.store.set({ precache });
    if (precache === 'ready') document.documentElement.dataset.precache = 'ready';
  }

  private appChanged(state: AppState, previous: AppState | null): void {
    if (state.result && state.result !== previous?.result) this.resultChanged(state.result);
    if (state.status === previous?.status) return;
    if (state.status === 'ready') this.retries = 0;
    if (state.status === 'error') this.scheduleRetry();
  }

  private resultChanged(result: CoverageResult): void {
    const stops = tourStops(result, this.config);
    const { mode, index } = this.store.get();
    this.store.set({ stops, index: Math.min(index, stops.length - 1) });
    if (mode === 'loading') {
      this.store.set({ mode: 'touring', index: 0 });
      // The first stop once the map shows the whole city for a moment.
      this.scheduleNext(Math.min(this.config.stopSeconds, 3) * 1000, 0);
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
    const { stops, mode, round } = this.store.get();
    if (mode !== 'touring' || stops.length === 0) return;
    const position = index % stops.length;
    const stop = stops[position];
    const result = this.app.store.get().result;
    if (stop.kind === 'community') {
      this.app.selectCommunity(stop.community);
      const bbox = result?.communities[stop.community]?.bbox;
      if (bbox) this.map?.fitBounds(bbox, { maxZoom: 15.5 });
    } else {
      this.app.selectCommunity(null);
      const bbox = result ? cityBounds(result) : null;
      if (bbox) this.map?.fitBounds(bbox, { maxZoom: 14 });
    }
    const wrapped = index > 0 && position === 0;
    this.store.set({ index: position, round: wrapped ? round + 1 : round });
    this.scheduleNext(this.config.stopSeconds * 1000, position + 1);
  }

  /** A visitor touched the kiosk: pause the tour; (re)start the idle countdown. */
  private interaction(): void {
    const { mode } = this.store.get();
    if (mode === 'loading') return;
    if (mode === 'touring') {
      if (this.tourTimer) clearTimeout(this.tourTimer);
      this.tourTimer = null;
      this.store.set((state) => ({ mode: 'paused', pauses: state.pauses + 1 }));
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.resume(), this.config.idleSeconds * 1000);
  }

  /** No touch for the idle time: back to the start view, the tour resumes from its first stop. */
  resume(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const result = this.app.store.get().result;
    this.app.selectCommunity(null);
    const bbox = result ? cityBounds(result) : null;
    if (bbox) this.map?.fitBounds(bbox, { animate: false, maxZoom: 14 });
    this.store.set((state) => ({ mode: 'touring', index: 0, resumes: state.resumes + 1 }));
    this.scheduleNext(Math.min(this.config.stopSeconds, 2) * 1000, 0);
  }

  private crashWorker(): void {
    // A run in flight when the worker dies: CoverageClient replaces the worker and rejects the run.
    void this.app.compute();
    this.app.coverage.restart(new Error('the coverage worker crashed (simulated)'));
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
    const result = this.app.store.get().result;
    document.documentElement.dataset.kiosk = state.mode;
    Object.assign(this.hook, {
      state: state.mode,
      index: state.index,
      name: !stop ? null : stop.kind === 'summary' ? 'summary' : (result?.communities[stop.community]?.name ?? null),
      round: state.round,
      stops: state.stops.length,
      workerRestarts: this.app.coverage.restarts,
      recoveries: state.recoveries,
      mapRebuilds: state.mapRebuilds,
      pauses: state.pauses,
      resumes: state.resumes,
      precache: state.precache,
    });
  }

  dispose(): void {
    for (const timer of [this.tourTimer, this.idleTimer, this.retryTimer]) if (timer) clearTimeout(timer);
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}

/** The tour: the configured communities (by Chinese or English name), else the most populous; then the city. */
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
  return [...chosen.map((community): KioskStop => ({ kind: 'community', community })), { kind: 'summary' }];
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
