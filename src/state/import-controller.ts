import type { FeatureCollection } from 'geojson';
import { InputError } from '../coverage/input-error';
import { normalizeGreenKinds } from '../io/osm';
import { type ImportProblem, readFileInWorker } from '../worker/import-client';
import type { ImportedRead } from '../worker/import-protocol';
import {
  type AttributeMapping,
  applyMapping,
  guessMapping,
  guessRole,
  guessRoleWithReasons,
  type ImportRole,
  importRoles,
  previewLines,
  type RoleReason,
} from './import-layers';
import { checkLayerExtent, type ExtentCheck, layersBounds } from './layer-extent';
import type { DataSet } from './load-data';
import { clearLayers, loadLayers, type StoredLayer, saveLayer } from './persist-layers';
import type { PlannerApp } from './planner-app';
import { Store } from './store';
import { loadFlatGeobufUrl, studyArea, urlLayer } from './url-layers';

/** The file the role dialog is about. */
export interface PendingImport {
  file: File;
  /** The file read without a role (for the preview and guesses), or null while reading / on error. */
  read: ImportedRead | null;
  /** Why the file could not be read as it is (e.g. projected coordinates with no CRS). */
  error: ImportProblem | null;
  role: ImportRole;
  /** The role the file's content suggested and why (shown in the dialog), or null before reading. */
  guess: { role: ImportRole; reasons: RoleReason[] } | null;
  mapping: AttributeMapping;
  attributes: string[];
  preview: string[];
  /** A coordinate system chosen by the planner ("EPSG:4544"), or "" for the file's own. */
  crs: string;
  gcj02: boolean;
  busy: boolean;
  /**
   * Set when the confirmed layer does not lie (wholly) where the layers it is measured against lie:
   * the dialog then asks to use it anyway, to replace the other layers, or to cancel.
   */
  extent: { check: ExtentCheck; reference: ExtentReference } | null;
}

/** What an imported layer's extent is compared with. */
export type ExtentReference = 'communities' | 'residential' | 'greenLayers';

/** What to do with a layer lying elsewhere: use it as it is, or use it and drop the layers elsewhere. */
export type ExtentChoice = 'useAnyway' | 'replaceOthers';

/** A layer of the planner's own in use. */
export interface ImportedLayer {
  role: ImportRole;
  source: string;
  featureCount: number;
  skippedCount: number;
  warnings: string[];
}

export interface ImportState {
  pending: PendingImport | null;
  queue: File[];
  imported: ImportedLayer[];
  errors: ImportProblem[];
  /** What is being read right now (a file name), for the status line. */
  reading: string | null;
}

type EngineLayers = Pick<DataSet, ImportRole>;

/**
 * Imports the planner's own layers: each file is read in the import worker, its role and attribute
 * mapping are confirmed in the dialog, then it replaces the demo layer of that role and coverage
 * recomputes. Imported layers are kept in IndexedDB and restored on reload; "reset to demo" forgets them.
 * A bad file only adds an error: the layers in use stay.
 */
export class ImportController {
  readonly store = new Store<ImportState>({ pending: null, queue: [], imported: [], errors: [], reading: null });
  /** The demo (data set) layers, to go back to. */
  /** The data set as loaded (every layer and its manifest), to go back to: an OSM extract replaces more than the four roles. */
  private demo: Omit<DataSet, 'bytes'> | null = null;

  /** The confirmed layer waiting for the planner's choice about its extent. */
  private held: { layer: StoredLayer; skippedCount: number; warnings: string[] } | null = null;

  constructor(private readonly app: PlannerApp) {}

  /** Queues files (drop or picker); the dialog opens for the first. */
  addFiles(files: File[]): void {
    if (files.length === 0) return;
    this.store.set((state) => ({ queue: [...state.queue, ...files] }));
    if (!this.store.get().pending) void this.next();
  }

  private async next(): Promise<void> {
    const [file, ...rest] = this.store.get().queue;
    if (!file) return;
    this.store.set({
      queue: rest,
      pending: {
        file,
        read: null,
        error: null,
        role: guessRole({ type: 'FeatureCollection', features: [] }, file.name),
        guess: null,
        mapping: { name: null, name_en: null, population: null, kind: null },
        attributes: [],
        preview: [],
        crs: '',
        gcj02: false,
        busy: true,
        extent: null,
      },
    });
    await this.inspect();
  }

  /** Reads the pending file (without a role) for the preview and the guesses. */
  async inspect(): Promise<void> {
    const pending = this.store.get().pending;
    if (!pending) return;
    this.setPending({ busy: true, error: null });
    this.store.set({ reading: pending.file.name });
    try {
      const read = await readFileInWorker(pending.file, {
        ...(pending.crs ? { crs: pending.crs } : {}),
        gcj02: pending.gcj02,
      });
      if (this.store.get().pending?.file !== pending.file) return;
      const firstRead = pending.read === null;
      const guess = firstRead ? guessRoleWithReasons(read.collection, pending.file.name) : pending.guess;
      this.setPending({
        guess,
        read,
        busy: false,
        attributes: attributeList(read.collection),
        preview: previewLines(read.collection),
        ...(firstRead ? { role: guess!.role, mapping: guessMapping(read.collection) } : {}),
      });
    } catch (error) {
      if (this.store.get().pending?.file !== pending.file) return;
      const problem = toProblem(error, pending.file.name);
      // A file that cannot be read at all (bad JSON, too big) closes the dialog; a coordinate-system
      // problem keeps it open so the planner can choose the system.
      // A file read again after a choice in the dialog keeps the dialog open with the message.
      const again = pending.read !== null || pending.error !== null;
      if (again || /longitude\/latitude|coordinate system|crs|projected/i.test(problem.problem)) {
        this.setPending({ read: null, error: problem, busy: false, preview: [] });
      } else {
        this.fail(problem);
        this.closePending();
      }
    } finally {
      this.store.set({ reading: null });
    }
  }

  setPending(patch: Partial<PendingImport>): void {
    this.store.set((state) => (state.pending ? { pending: { ...state.pending, ...patch } } : {}));
  }

  /** Changes the coordinate system or the GCJ-02 choice and reads the file again. */
  setCoordinates(crs: string, gcj02: boolean): void {
    this.setPending({ crs: crs.trim(), gcj02 });
    void this.inspect();
  }

  cancel(): void {
    this.closePending();
  }

  private closePending(): void {
    this.held = null;
    this.store.set({ pending: null });
    if (this.store.get().queue.length > 0) void this.next();
  }

  /** Reads the pending file for its role, maps its attributes and puts it in use. */
  async confirm(): Promise<void> {
    const pending = this.store.get().pending;
    if (!pending || pending.busy) return;
    this.setPending({ busy: true });
    this.store.set({ reading: pending.file.name });
    try {
      const read = await readFileInWorker(pending.file, {
        role: pending.role,
        ...(pending.crs ? { crs: pending.crs } : {}),
        gcj02: pending.gcj02,
      });
      if (read.collection.features.length === 0) {
        throw new InputError(
          pending.file.name,
          null,
          `no feature can be used as ${pending.role} (${read.skippedCount} skipped${read.skipped[0] ? `; feature ${read.skipped[0].featureIndex}: ${read.skipped[0].reason}` : ''})`,
          { layer: pending.role, code: 'empty' },
        );
      }
      let collection = applyMapping(read.collection, pending.mapping, pending.role);
      let warnings = read.warnings;
      if (pending.role === 'greenspaces' && pending.mapping.kind) {
        // The mapped column (e.g. OSM `leisure`) goes through the same alias/OSM table as a `kind` column.
        const kinds = normalizeGreenKinds(collection.features, pending.mapping.kind);
        collection = { ...collection, features: kinds.features };
        warnings = [...warnings, ...kinds.warnings];
      }
      const layer: StoredLayer = {
        role: pending.role,
        source: pending.file.name,
        collection,
        mapping: pending.mapping,
        crs: read.crs.code,
        gcj02: read.gcj02,
        featureCount: collection.features.length,
        savedAt: Date.now(),
      };
      const extent = this.checkExtent(layer);
      if (extent && extent.check.status !== 'inside' && extent.check.status !== 'unknown') {
        // A layer elsewhere would silently turn every figure to 0 %: ask before it is used.
        this.held = { layer, skippedCount: read.skippedCount, warnings };
        this.setPending({ busy: false, extent });
        return;
      }
      await this.finish(layer, read.skippedCount, warnings);
    } catch (error) {
      this.fail(toProblem(error, pending.file.name));
      this.closePending();
    } finally {
      this.store.set({ reading: null });
    }
  }

  /** The planner's answer to the extent warning: use the held layer (and maybe drop the layers elsewhere). */
  async resolveExtent(choice: ExtentChoice): Promise<void> {
    const held = this.held;
    if (!held) return;
    if (choice === 'replaceOthers') {
      const data = this.app.store.get().data;
      const box = layersBounds([held.layer.collection]);
      const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
      const patch: Partial<Record<ImportRole, FeatureCollection | null>> = {};
      for (const role of importRoles) {
        if (role === held.layer.role || !data?.[role] || !box) continue;
        // Only the layers that do not meet the new one go: those of the old study area.
        if (checkLayerExtent(data[role]!, [held.layer.collection]).status !== 'outside') continue;
        patch[role] = role === 'residential' ? null : empty;
      }
      this.app.replaceLayers(patch as Partial<EngineLayers>);
      this.store.set((state) => ({ imported: state.imported.filter((entry) => !(entry.role in patch)) }));
    }
    await this.finish(held.layer, held.skippedCount, held.warnings, true);
  }

  /** Compares a confirmed layer with the layers it will be measured against. */
  private checkExtent(layer: StoredLayer): PendingImport['extent'] {
    const data = this.app.store.get().data;
    if (!data) return null;
    const [reference, collections]: [ExtentReference, (FeatureCollection | null)[]] =
      layer.role === 'communities'
        ? data.residential
          ? ['residential', [data.residential]]
          : ['greenLayers', [data.greenspaces, data.greenways]]
        : layer.role === 'residential'
          ? ['communities', [data.communities]]
          : ['communities', [data.communities, data.residential]];
    return { check: checkLayerExtent(layer.collection, collections), reference };
  }

  private async finish(layer: StoredLayer, skippedCount: number, warnings: string[], focus = false): Promise<void> {
    const fileName = this.store.get().pending?.file.name;
    this.use(layer, skippedCount, warnings, focus);
    this.store.set((state) => ({ errors: state.errors.filter((e) => e.fileName !== fileName) }));
    this.closePending();
    await saveLayer(layer).catch((error) => console.warn('GreenReach: could not save the layer', error));
  }

  private use(layer: StoredLayer, skippedCount: number, warnings: string[], focus = false): void {
    this.app.replaceLayers({ [layer.role]: layer.collection });
    // New communities or residential land may lie elsewhere than the demo: show them.
    if (focus || layer.role === 'communities' || layer.role === 'residential') {
      const area = studyArea({ communities: layer.collection, residential: null });
      if (area.maxX - area.minX < 360) this.app.focus([area.minX, area.minY, area.maxX, area.maxY]);
    }
    this.store.set((state) => ({
      imported: [
        ...state.imported.filter((entry) => entry.role !== layer.role),
        { role: layer.role, source: layer.source, featureCount: layer.featureCount, skippedCount, warnings },
      ].sort((a, b) => importRoles.indexOf(a.role) - importRoles.indexOf(b.role)),
    }));
  }

  private fail(problem: ImportProblem): void {
    console.warn('GreenReach import:', problem.message);
    this.store.set((state) => ({ errors: [...state.errors.filter((e) => e.message !== problem.message), problem] }));
  }

  dismissError(index: number): void {
    this.store.set((state) => ({ errors: state.errors.filter((_, i) => i !== index) }));
  }

  /** Forgets every imported layer and goes back to the demo layers. */
  async resetToDemo(): Promise<void> {
    await clearLayers().catch((error) => console.warn('GreenReach: could not clear saved layers', error));
    this.store.set({ imported: [], errors: [] });
    if (this.demo) this.app.replaceLayers(this.demo);
  }

  /**
   * Called once the data set is loaded, before the first computation: puts the saved layers (IndexedDB)
   * and the FlatGeobuf layers named in the URL (`?layer:greenspaces=parks.fgb`) in place of the demo's.
   */
  async restore(data: DataSet, search = location.search): Promise<DataSet> {
    const { bytes: _bytes, ...layers } = data;
    this.demo = layers;
    const patch: Partial<EngineLayers> = {};
    const imported: ImportedLayer[] = [];
    for (const layer of await loadLayers()) {
      if (!importRoles.includes(layer.role) || !layer.collection?.features) continue;
      patch[layer.role] = layer.collection;
      imported.push({
        role: layer.role,
        source: layer.source,
        featureCount: layer.featureCount,
        skippedCount: 0,
        warnings: [],
      });
    }
    const params = new URLSearchParams(search);
    for (const role of importRoles) {
      const url = params.get(`layer:${role}`);
      if (!url) continue;
      try {
        const study = studyArea({ ...data, ...patch });
        const collection = await loadFlatGeobufUrl(url, role, study);
        patch[role] = collection;
        // Kept like an imported file, so a reload (whose URL no longer names the layer) keeps it.
        await saveLayer(urlLayer(role, url, collection)).catch((error) =>
          console.warn('GreenReach: could not save the layer', error),
        );
        const entry = { role, source: url, featureCount: collection.features.length, skippedCount: 0, warnings: [] };
        imported.splice(0, imported.length, ...imported.filter((e) => e.role !== role), entry);
      } catch (error) {
        this.fail(toProblem(error, url));
      }
    }
    this.store.set({ imported: imported.sort((a, b) => importRoles.indexOf(a.role) - importRoles.indexOf(b.role)) });
    return { ...data, ...patch };
  }

  /** Loads a FlatGeobuf layer from a URL now (the input box) and puts it in use. */
  async loadUrl(url: string, role: ImportRole): Promise<void> {
    const data = this.app.store.get().data;
    if (!data) return;
    this.store.set({ reading: url });
    try {
      const collection = await loadFlatGeobufUrl(url, role, studyArea(data));
      const layer = urlLayer(role, url, collection);
      this.use(layer, 0, []);
      await saveLayer(layer).catch((error) => console.warn('GreenReach: could not save the layer', error));
    } catch (error) {
      this.fail(toProblem(error, url));
    } finally {
      this.store.set({ reading: null });
    }
  }
}

function attributeList(collection: FeatureCollection): string[] {
  const keys = new Set<string>();
  for (const feature of collection.features.slice(0, 200))
    for (const key of Object.keys(feature.properties ?? {})) keys.add(key);
  return [...keys];
}

function toProblem(error: unknown, fileName: string): ImportProblem {
  if (error instanceof InputError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  const problem = message.startsWith(`${fileName}: `) ? message.slice(fileName.length + 2) : message;
  return new InputError(fileName, null, problem).toJSON();
}
