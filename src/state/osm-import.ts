import type { FeatureCollection } from 'geojson';
import { collectionBounds } from '../coverage/geometry';
import { OSM_ATTRIBUTION } from '../io/osm/attribution';
import { browserBudget } from '../io/osm/browser-budget';
import type { OsmLayerName } from '../io/osm/index';
import { OsmError } from '../io/osm/osm-error';
import { type OsmClient, type OsmDerivation, revokePreviewUrls } from '../worker/osm-client';
import type { OsmFailure, OsmProgress } from '../worker/osm-protocol';
import { CancelledError } from '../worker/worker-client';
import type { DataSet } from './load-data';
import { osmPreview, previewBounds } from './osm-preview';
import { saveLayer } from './persist-layers';
import type { PlannerApp } from './planner-app';
import { Store } from './store';
import type { MapView } from './url-state';

/** Extracts over this size are for the CLI: a browser tab cannot hold the parse (`browser-budget.ts`). */
export const maxBrowserOsmBytes = browserBudget.maxBytes;

/** The derived layers a planner can use, in the order the dialog lists them. */
export const osmUsableLayers: readonly OsmLayerName[] = [
  'communities',
  'residential',
  'greenspaces',
  'greenways',
  'streets',
  'entrances',
  'barriers',
  'buildings',
  'basemap',
];

export interface OsmImportState {
  file: { name: string; size: number } | null;
  phase: 'idle' | 'reading' | 'deriving' | 'ready' | 'failed';
  progress: OsmProgress | null;
  counts: { nodes: number; ways: number; relations: number } | null;
  derivation: OsmDerivation | null;
  /** Tag rules switched off (their features leave the layers on the next derivation). */
  disabledRules: string[];
  /** Layers the planner chose not to use. */
  droppedLayers: OsmLayerName[];
  failure: OsmFailure | null;
  /** The extract whose layers are in use, once used; `notKept` once one of them could not be saved. */
  inUse: { name: string; layers: OsmLayerName[]; notKept?: boolean } | null;
}

/** The state of a newly opened extract (nothing read yet). */
function freshExtract(file: OsmImportState['file']): Omit<OsmImportState, 'inUse'> {
  return {
    file,
    phase: 'reading',
    progress: null,
    counts: null,
    derivation: null,
    disabledRules: [],
    droppedLayers: [],
    failure: null,
  };
}

/**
 * A city from an OpenStreetMap extract, in one step: the file is read in the OSM worker (streaming,
 * progress, cancellable), its layers derived by the tag table, shown with their counts, the rules that
 * made them and what was guessed; the planner switches rules or drops layers, then uses them in place
 * of the data set's (engine layers, the walking network and the basemap). The engine layers are kept
 * in IndexedDB like imported files.
 */
export class OsmImportController {
  readonly store = new Store<OsmImportState>({ ...freshExtract(null), phase: 'idle', inUse: null });
  private client: OsmClient | null = null;
  private abort: AbortController | null = null;
  /** The camera before the preview moved it to the extract (restored when the dialog is cancelled). */
  private viewBeforePreview: MapView | null = null;

  constructor(
    private readonly app: PlannerApp,
    private readonly createClient: () => OsmClient,
  ) {}

  /**
   * Whether a file is an OpenStreetMap extract (by its name: .osm, .osm.pbf, .pbf, .osm.gz, any .bz2: no
   * layer format is bzip2-compressed, and the reader finds what the bytes hold).
   */
  static isExtract(name: string): boolean {
    return /\.(osm|pbf|osm\.gz|bz2|osm\.json|overpass\.json)$/i.test(name);
  }

  /** Reads an extract and derives its layers (a newer file replaces one in progress). */
  async open(file: Blob & { name: string }): Promise<void> {
    this.stop();
    this.store.set(freshExtract({ name: file.name, size: file.size }));
    if (file.size > maxBrowserOsmBytes) {
      const mib = Math.round(file.size / 2 ** 20);
      this.fail({
        fileName: file.name,
        code: 'osm.too-large',
        en: `the extract is ${mib} MiB, more than this browser tab can parse (${maxBrowserOsmBytes / 2 ** 20} MiB); derive its layers with the CLI: npm run coverage -- --osm ${file.name} --out DIR, then import DIR/derived/*.fgb`,
        zh: `该数据 ${mib} MiB，超过浏览器可解析的 ${maxBrowserOsmBytes / 2 ** 20} MiB；请用命令行推导：npm run coverage -- --osm ${file.name} --out DIR，再导入 DIR/derived/*.fgb`,
      });
      return;
    }
    const client = this.createClient();
    this.client = client;
    const abort = new AbortController();
    this.abort = abort;
    try {
      const counts = await client.read(file, {
        signal: abort.signal,
        onProgress: (progress) => this.client === client && this.store.set({ progress }),
      });
      if (this.client !== client) return;
      this.store.set({ counts });
      await this.derive();
      if (this.client === client) this.showExtract();
    } catch (error) {
      this.failed(error, client);
    }
  }

  /**
   * Moves the camera to the derived layers' extent (the map previews them there), keeping the camera
   * from before the first extract of this dialog to go back to on cancel.
   */
  private showExtract(): void {
    // The collections, not the URLs the map takes: the extent is measured on the page.
    const state = this.store.get();
    const derivation = state.derivation && { ...state.derivation, previewUrls: {} };
    const preview = osmPreview({ ...state, derivation });
    const bounds = preview && previewBounds(preview);
    if (!bounds) return;
    this.viewBeforePreview ??= this.app.store.get().view;
    this.app.focus(bounds);
  }

  /** Derives the layers again with the current rules (after a rule was switched). */
  private async derive(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.store.set({ phase: 'deriving', progress: null });
    try {
      const derivation = await client.derive(this.store.get().disabledRules, {
        signal: abort.signal,
        onProgress: (progress) => this.abort === abort && this.store.set({ progress }),
      });
      if (this.abort !== abort) return revokePreviewUrls(derivation);
      revokePreviewUrls(this.store.get().derivation);
      this.store.set({ derivation, phase: 'ready', progress: null });
    } catch (error) {
      if (this.abort === abort) this.failed(error, client);
    }
  }

  private failed(error: unknown, client: OsmClient): void {
    if (this.client !== client || error instanceof CancelledError) return;
    if (error instanceof OsmError)
      this.fail({ fileName: error.fileName, code: error.code, en: error.en, zh: error.zh });
    else {
      const text = error instanceof Error ? error.message : String(error);
      const fileName = this.store.get().file?.name ?? '';
      this.fail({ fileName, code: 'osm.failed', en: text, zh: `无法读取：${text}` });
    }
  }

  private fail(failure: OsmFailure): void {
    console.warn('GreenReach OSM:', failure.en);
    this.store.set({ phase: 'failed', failure, progress: null });
  }

  /** Switches a tag rule on or off and derives the layers again. */
  toggleRule(ruleId: string): void {
    const { disabledRules } = this.store.get();
    const next = disabledRules.includes(ruleId)
      ? disabledRules.filter((id) => id !== ruleId)
      : [...disabledRules, ruleId];
    this.store.set({ disabledRules: next });
    void this.derive();
  }

  /** Uses or drops a derived layer. */
  toggleLayer(layer: OsmLayerName): void {
    const { droppedLayers } = this.store.get();
    this.store.set({
      droppedLayers: droppedLayers.includes(layer)
        ? droppedLayers.filter((l) => l !== layer)
        : [...droppedLayers, layer],
    });
  }

  /** The layers that will be used: derived, with features, not dropped. */
  usedLayers(): OsmLayerName[] {
    const { derivation, droppedLayers } = this.store.get();
    if (!derivation) return [];
    return osmUsableLayers.filter(
      (layer) => !droppedLayers.includes(layer) && (derivation.layers[layer]?.features.length ?? 0) > 0,
    );
  }

  /**
   * Puts the derived layers in place of the data set's, shows their extent and recomputes. A dropped or
   * empty engine layer keeps the data set's; the demo's district outline and river give way to the extract.
   */
  use(): void {
    const { derivation, file } = this.store.get();
    const data = this.app.store.get().data;
    if (!derivation || !file || !data) return;
    const used = this.usedLayers();
    const layer = (name: OsmLayerName): FeatureCollection | undefined =>
      used.includes(name) ? derivation.layers[name] : undefined;
    const patch: Partial<Omit<DataSet, 'bytes'>> = {
      district: null,
      river: null,
      streets: layer('streets') ?? null,
      barriers: layer('barriers') ?? null,
      entrances: layer('entrances') ?? null,
      buildings: layer('buildings') ?? null,
      basemap: layer('basemap') ?? null,
      manifest: { name: file.name, synthetic: false, attribution: OSM_ATTRIBUTION },
    };
    for (const role of ['communities', 'residential', 'greenways', 'greenspaces'] as const) {
      const collection = layer(role);
      if (!collection) continue;
      patch[role] = collection;
      void saveLayer({
        role,
        source: `${file.name} (OpenStreetMap)`,
        collection,
        mapping: null,
        crs: 'EPSG:4326',
        gcj02: false,
        featureCount: collection.features.length,
        savedAt: Date.now(),
      }).catch((error) => {
        // Storage full: said beside the extract in use, as for an imported file.
        console.warn('GreenReach: could not save the layer', error);
        const inUse = this.store.get().inUse;
        if (inUse?.name === file.name) this.store.set({ inUse: { ...inUse, notKept: true } });
      });
    }
    this.app.replaceLayers(patch);
    const bounds = collectionBounds(patch.communities ?? patch.residential ?? data.communities);
    if (bounds) this.app.focus(bounds);
    this.store.set({ inUse: { name: file.name, layers: used } });
    this.viewBeforePreview = null;
    this.stop();
  }

  /**
   * The derived layers as one zip of FlatGeobuf files (`<layer>.fgb`, the derivation in each file's
   * metadata, ODbL in its description), for a planner to fix in QGIS and load back; null before a derivation.
   */
  async derivedZip(): Promise<Blob | null> {
    const { derivation, file } = this.store.get();
    if (!derivation || !file) return null;
    // The writers load only for this download.
    const [{ derivedFlatGeobufFiles }, { zipSync }] = await Promise.all([
      import('../io/osm/derived-files'),
      import('fflate'),
    ]);
    const files = derivedFlatGeobufFiles(derivation as Parameters<typeof derivedFlatGeobufFiles>[0]);
    const zip = zipSync(Object.fromEntries(files), { level: 6 });
    return new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
  }

  /** Forgets which extract is in use (the planner went back to the data set's own layers). */
  forget(): void {
    this.store.set({ inUse: null });
  }

  /**
   * Closes the dialog without using its layers (cancel, Escape): stops what is in flight, frees the
   * worker, and takes the camera back to where it was before the preview moved it.
   */
  close(): void {
    this.stop();
    const view = this.viewBeforePreview;
    this.viewBeforePreview = null;
    if (view) this.app.returnTo(view);
  }

  /** Stops a read or derivation in flight and frees the worker (and the extract it holds); the dialog closes. */
  private stop(): void {
    this.abort?.abort();
    this.abort = null;
    this.client?.dispose();
    this.client = null;
    revokePreviewUrls(this.store.get().derivation);
    this.store.set({ phase: 'idle', progress: null, derivation: null, failure: null });
  }
}
