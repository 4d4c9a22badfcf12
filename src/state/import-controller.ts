import { InputError } from '../coverage/input-error';
import { type ImportProblem, readFileInWorker } from '../worker/import-client';
import { type ImportRole, importRoles } from './import-layers';
import type { ExtentChoice, ImportedLayer, ImportState, PendingImport, UrlOutcome } from './import-state';
import { checkAgainstStudyArea, globeSpanProblem, layersBounds, layersElsewhere } from './layer-extent';
import type { DataSet } from './load-data';
import {
  clearLayers,
  defaultLayerChunkBytes,
  forgetLayer,
  loadLayers,
  type StoredLayer,
  saveLayer,
} from './persist-layers';
import type { PlannerApp } from './planner-app';
import { Store } from './store';
import {
  defaultUrlDeadlines,
  loadFlatGeobufUrl,
  startUrlLayers,
  studyArea,
  type UrlDeadlines,
  urlLayer,
} from './url-layers';
import { defaultCellMeters } from './url-state';

export type { ExtentChoice, ImportedLayer, ImportState, PendingImport } from './import-state';

type EngineLayers = Pick<DataSet, ImportRole>;

/**
 * Imports the planner's own layers: each file is read in the import worker, its role and attribute
 * mapping are confirmed in the dialog, then it replaces the demo layer of that role and coverage
 * recomputes. Imported layers are kept in IndexedDB and restored on reload; "reset to demo" forgets them.
 * A bad file only adds an error: the layers in use stay.
 */
export class ImportController {
  readonly store = new Store<ImportState>({
    pending: null,
    queue: [],
    imported: [],
    errors: [],
    reading: null,
    loadingUrls: [],
    failedUrls: [],
    linkedLayersMissing: [],
  });
  /** Deadlines of URL layers; how long start-up waits for them before it runs on what it has. */
  urlDeadlines: UrlDeadlines = defaultUrlDeadlines;
  startupWaitMs = 8_000;
  /** The largest record a saved layer is cut into (tests make it small to exercise the chunking). */
  storageChunkBytes = defaultLayerChunkBytes;
  /** The demo (data set) layers, to go back to. */
  /** The data set as loaded (every layer and its manifest), to go back to: an OSM extract replaces more than the four roles. */
  private demo: Omit<DataSet, 'bytes'> | null = null;
  /** The data set's own cell size, restored by "reset to demo". */
  private demoCellMeters = defaultCellMeters;

  /** The confirmed layer waiting for the planner's choice about its extent. */
  private held: { layer: StoredLayer; skippedCount: number; warnings: string[] } | null = null;
  private guessModule: Promise<typeof import('./import-guess')> | null = null;
  /** A `next()` waiting for the guessing code (a second call meanwhile must not take a second file). */
  private advancing = false;

  constructor(private readonly app: PlannerApp) {
    // The address says which layers are imported, so a recipient without them is told (not shown the demo silently).
    this.store.subscribe((state, previous) => {
      if (state.imported === previous.imported) return;
      const roles = state.imported.map((layer) => layer.role);
      if (roles.join() !== app.store.get().importedRoles.join()) app.store.set({ importedRoles: roles });
    });
  }

  /** Queues files (drop or picker); the dialog opens for the first. */
  addFiles(files: File[]): void {
    if (files.length === 0) return;
    this.store.set((state) => ({ queue: [...state.queue, ...files] }));
    if (!this.store.get().pending) void this.next();
  }

  /** The guessing code (and the OSM tag table it reads), loaded with the first import. */
  private guessing(): Promise<typeof import('./import-guess')> {
    this.guessModule ??= import('./import-guess');
    return this.guessModule;
  }

  private async next(): Promise<void> {
    if (this.advancing) return;
    this.advancing = true;
    let guessRole: typeof import('./import-guess')['guessRole'];
    try {
      ({ guessRole } = await this.guessing());
    } finally {
      this.advancing = false;
    }
    if (this.store.get().pending) return;
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
        clipBounds: this.residentialBounds(),
      });
      const { guessRoleWithReasons, attributeKeys, previewLines, guessMapping } = await this.guessing();
      if (this.store.get().pending?.file !== pending.file) return;
      const firstRead = pending.read === null;
      const guess = firstRead ? guessRoleWithReasons(read.collection, pending.file.name) : pending.guess;
      this.setPending({
        guess,
        read,
        busy: false,
        attributes: attributeKeys(read.collection),
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

  /** The residential land's extent (else the communities'): a GeoTIFF population grid is read over it only. */
  private residentialBounds(): [number, number, number, number] | null {
    const data = this.app.store.get().data;
    return data ? layersBounds([data.residential ?? data.communities]) : null;
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
        clipBounds: this.residentialBounds(),
      });
      if (read.collection.features.length === 0) {
        // Features none of which can be used are refused by the reader (the count skipped and why); here
        // the file holds none at all: an empty layer would replace the data set's without a word.
        throw new InputError(pending.file.name, null, 'the file holds no features', {
          layer: pending.role,
          code: 'empty.no-features',
        });
      }
      const span = globeSpanProblem(read.collection);
      if (span) {
        // Refused before it is saved: saved, it would fail (or freeze the labels) at every reload.
        throw new InputError(pending.file.name, span.featureIndex, span.detail, {
          layer: pending.role,
          code: `geometry.${span.code}`,
        });
      }
      const { applyMapping, normalizeGreenKinds } = await this.guessing();
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
      const data = this.app.store.get().data;
      const extent = data ? checkAgainstStudyArea(layer.role, layer.collection, data) : null;
      // Population partly outside is expected (a grid's margin): those residents are counted as unplaced.
      const expected = pending.role === 'population' && extent?.check.status === 'partial';
      if (extent && extent.check.status !== 'inside' && extent.check.status !== 'unknown' && !expected) {
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
      const patch = data ? layersElsewhere(held.layer.role, held.layer.collection, data) : {};
      this.app.replaceLayers(patch);
      this.store.set((state) => ({ imported: state.imported.filter((entry) => !(entry.role in patch)) }));
    }
    await this.finish(held.layer, held.skippedCount, held.warnings, true);
  }

  private async finish(layer: StoredLayer, skippedCount: number, warnings: string[], focus = false): Promise<void> {
    const fileName = this.store.get().pending?.file.name;
    this.use(layer, skippedCount, warnings, focus);
    this.store.set((state) => ({ errors: state.errors.filter((e) => e.fileName !== fileName) }));
    this.closePending();
    await this.keep(layer);
  }

  private use(layer: StoredLayer, skippedCount: number, warnings: string[], focus = false): void {
    this.app.replaceLayers({
      [layer.role]: layer.collection,
      ...(layer.role === 'population' ? { populationName: layer.source } : {}),
    });
    // New communities or residential land may lie elsewhere than the demo: show them.
    if (focus || layer.role === 'communities' || layer.role === 'residential') {
      const area = studyArea({ communities: layer.collection, residential: null });
      if (area.maxX - area.minX < 360) this.app.focus([area.minX, area.minY, area.maxX, area.maxY]);
    }
    this.list(layer, skippedCount, warnings);
  }

  /** Lists a layer in use in the import panel, in place of any of its role. */
  private list(layer: StoredLayer, skippedCount: number, warnings: string[]): void {
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

  /**
   * Removes the planner's layer of one role and goes back to the data set's (for population: residents
   * come again from the residential land or the communities, as before it was given).
   */
  async remove(role: ImportRole): Promise<void> {
    this.store.set((state) => ({ imported: state.imported.filter((layer) => layer.role !== role) }));
    this.app.replaceLayers({
      [role]: this.demo?.[role] ?? null,
      ...(role === 'population' ? { populationName: null } : {}),
    });
    await forgetLayer(role).catch((error) => console.warn('GreenReach: could not forget the saved layer', error));
  }

  /** Forgets every imported layer and goes back to the demo layers. */
  async resetToDemo(): Promise<void> {
    await clearLayers().catch((error) => console.warn('GreenReach: could not clear saved layers', error));
    this.store.set({ imported: [], errors: [], failedUrls: [] });
    if (!this.demo) return;
    this.app.replaceLayers(this.demo);
    // The demo as it first opened: its default cells and its view, not the imported area's.
    if (this.app.store.get().cellMeters !== this.demoCellMeters) this.app.setCellMeters(this.demoCellMeters);
    const area = studyArea(this.demo);
    this.app.focus([area.minX, area.minY, area.maxX, area.maxY]);
  }

  /**
   * Called once the data set is loaded, before the first computation: puts the saved layers (IndexedDB)
   * and the FlatGeobuf layers named in the URL (`?layer:greenspaces=parks.fgb`) in place of the demo's.
   */
  async restore(data: DataSet, search = this.app.openedSearch): Promise<DataSet> {
    this.demoCellMeters = data.manifest?.cellMeters ?? defaultCellMeters;
    const { bytes: _bytes, ...layers } = data;
    this.demo = layers;
    const patch: Partial<EngineLayers> = {};
    const imported: ImportedLayer[] = [];
    const saved = await loadLayers();
    if (saved.skipped > 0) {
      // A damaged record is skipped and said, never a page error; the good layers are kept.
      this.fail(
        new InputError('IndexedDB', null, `skipped ${saved.skipped} damaged saved layer(s)`, {
          code: 'storage.corrupt',
          values: { count: saved.skipped },
        }).toJSON(),
      );
    }
    for (const layer of saved.incomplete) {
      // Written in part (or altered on disk): never used in part; the demo's layer stays, and the planner is told.
      this.fail(
        new InputError(layer.source, null, `the saved ${layer.role} layer: ${layer.problem}`, {
          layer: layer.role,
          code: 'storage.incomplete',
        }).toJSON(),
      );
    }
    for (const layer of saved.records) {
      // A layer saved by an older version that spans the globe would fail every start: skip it, say so.
      const span = globeSpanProblem(layer.collection);
      if (span) {
        this.fail(
          new InputError(layer.source, span.featureIndex, span.detail, { code: `geometry.${span.code}` }).toJSON(),
        );
        continue;
      }
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
    const study = studyArea({ ...data, ...patch });
    const loads = await startUrlLayers(params, study, this.urlDeadlines, this.startupWaitMs);
    for (const load of loads) {
      const { outcome, role, url } = load;
      if (outcome && 'collection' in outcome) {
        patch[role] = outcome.collection;
        // Kept like an imported file, so a reload (whose URL no longer names the layer) keeps it.
        void this.keep(urlLayer(role, url, outcome.collection));
        const entry = {
          role,
          source: url,
          featureCount: outcome.collection.features.length,
          skippedCount: 0,
          warnings: [],
        };
        imported.splice(0, imported.length, ...imported.filter((e) => e.role !== role), entry);
      } else if (outcome) this.failUrl(url, role, outcome.error);
      else {
        this.store.set((state) => ({ loadingUrls: [...state.loadingUrls, url] }));
        void load.promise.then((late) => this.landLate(url, role, late));
      }
    }
    const linked = new URLSearchParams(search).get('imported')?.split(',') ?? [];
    this.store.set({
      imported: imported.sort((a, b) => importRoles.indexOf(a.role) - importRoles.indexOf(b.role)),
      linkedLayersMissing: importRoles.filter(
        (role) => linked.includes(role) && !imported.some((layer) => layer.role === role),
      ),
    });
    const populationName = patch.population
      ? (imported.find((layer) => layer.role === 'population')?.source ?? null)
      : null;
    return { ...data, ...patch, populationName };
  }

  /** A URL layer that arrived after start-up: put in use then (once the data set is there), or its failure. */
  private async landLate(url: string, role: ImportRole, outcome: UrlOutcome): Promise<void> {
    this.store.set((state) => ({ loadingUrls: state.loadingUrls.filter((entry) => entry !== url) }));
    if ('error' in outcome) {
      this.failUrl(url, role, outcome.error);
      return;
    }
    if (!this.app.store.get().data) {
      await new Promise<void>((resolve) => {
        const stop = this.app.store.subscribe((state) => {
          if (state.data) {
            stop();
            resolve();
          }
        });
      });
    }
    const layer = urlLayer(role, url, outcome.collection);
    this.use(layer, 0, []);
    await this.keep(layer);
  }

  private failUrl(url: string, role: ImportRole, error: unknown): void {
    this.fail(toProblem(error, url));
    this.store.set((state) => ({
      failedUrls: [...state.failedUrls.filter((entry) => entry.url !== url), { url, role }],
    }));
  }

  /** Tries a URL layer that failed again (the retry button beside its message). */
  async retryUrl(url: string): Promise<void> {
    const failed = this.store.get().failedUrls.find((entry) => entry.url === url);
    if (!failed) return;
    this.store.set((state) => ({
      failedUrls: state.failedUrls.filter((entry) => entry.url !== url),
      errors: state.errors.filter((error) => error.fileName !== url),
    }));
    await this.loadUrl(url, failed.role);
  }

  /**
   * Layers put in use by someone else (a project file opened): listed and kept like imported files, so a
   * reload shows them and not the data set's.
   */
  async adopt(layers: Partial<EngineLayers>, source: string): Promise<void> {
    const adopted = importRoles.flatMap((role) => {
      const collection = layers[role];
      return collection ? [urlLayer(role, source, collection)] : [];
    });
    // Listed as `use` lists an import (the layers are already in place), each then kept in turn.
    for (const layer of adopted) this.list(layer, 0, []);
    for (const layer of adopted) await this.keep(layer);
  }

  /** Saves a layer for the next visit; a failure is logged (persistence is handled in persist-layers). */
  private async keep(layer: StoredLayer): Promise<void> {
    try {
      await saveLayer(layer, this.storageChunkBytes);
    } catch (error) {
      // Too large for IndexedDB, quota, private mode: the planner must know it will not survive a reload.
      console.warn('GreenReach: could not save the layer', error);
      this.store.set((state) => ({
        imported: state.imported.map((entry) =>
          entry.role === layer.role && entry.source === layer.source ? { ...entry, notKept: true } : entry,
        ),
      }));
    }
  }

  /** Loads a FlatGeobuf layer from a URL now (the input box) and puts it in use. */
  async loadUrl(url: string, role: ImportRole): Promise<void> {
    const data = this.app.store.get().data;
    if (!data) return;
    this.store.set({ reading: url });
    try {
      const collection = await loadFlatGeobufUrl(url, role, studyArea(data), this.urlDeadlines);
      const layer = urlLayer(role, url, collection);
      this.use(layer, 0, []);
      await this.keep(layer);
    } catch (error) {
      this.failUrl(url, role, error);
    } finally {
      this.store.set({ reading: null });
    }
  }
}

function toProblem(error: unknown, fileName: string): ImportProblem {
  if (error instanceof InputError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  const problem = message.startsWith(`${fileName}: `) ? message.slice(fileName.length + 2) : message;
  return new InputError(fileName, null, problem).toJSON();
}
