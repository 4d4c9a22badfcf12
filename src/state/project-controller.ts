import type { BasemapController } from './basemap-controller';
import type { ImportController } from './import-controller';
import type { PlannerApp } from './planner-app';
import type { Project, ProjectBasemap } from './project-file';
import { rulesFor } from './rule-editing';
import type { ScenarioController } from './scenario';
import { type MapView, parseScreen } from './url-state';

/** What opening a project did, for the panel's message. */
export interface ProjectOpened {
  layers: number;
  scenarios: number;
  dataPath: string;
  /**
   * The project's basemap file when it is not in the project (over the size limit) and not the one in
   * use: the planner is asked to pick it again. Null otherwise.
   */
  basemapToPick: { name: string; bytes: number; limitBytes: number } | null;
}

/**
 * Saves the whole working state as one project file (the screen: rules, cell size, layers shown, view,
 * language, data set; the four engine layers as they are, imported files included; every scenario of
 * the data set) and opens one, so a colleague sees exactly what the planner saw. The zip code loads
 * on first use. `jumpTo` moves the map to the project's view (the composition root owns the map). The
 * opened layers are kept in IndexedDB by `imports` (as imported files are), the rules in the URL and the
 * scenarios by their autosave, so a reload shows the project, not the data set.
 */
export class ProjectController {
  constructor(
    private readonly app: PlannerApp,
    private readonly scenarios: ScenarioController,
    private readonly imports: Pick<ImportController, 'adopt' | 'remove'>,
    private readonly jumpTo: (view: MapView) => void,
    private readonly basemap: Pick<BasemapController, 'store' | 'pickFile' | 'loadSharedUrl' | 'remove'> | null = null,
  ) {}

  /** The project file of the current state (a zip). */
  async save(): Promise<Blob> {
    const { writeProject } = await import('./project-file');
    const state = this.app.store.get();
    const data = state.data;
    if (!data) throw new Error('no data loaded');
    const scenarioState = this.scenarios.store.get();
    const project: Project = {
      search: this.app.screenSearch(),
      dataPath: state.dataPath,
      layers: {
        communities: data.communities,
        greenways: data.greenways,
        greenspaces: data.greenspaces,
        ...(data.residential ? { residential: data.residential } : {}),
        ...(data.population ? { population: data.population } : {}),
      },
      scenarios: scenarioState.scenarios
        .map((scenario) => ({
          name: scenario.name,
          features: scenario.id === scenarioState.activeId ? scenarioState.features : scenario.features,
        }))
        .filter((scenario) => scenario.features.length > 0),
      ...(this.basemap ? { basemap: await this.basemapRecord() } : {}),
    };
    return new Blob([writeProject(project) as BlobPart], { type: 'application/zip' });
  }

  /**
   * Opens a project file: its screen and rules, its layers in place of the data set's (the data set's
   * basemap and streets stay), its scenarios as new scenarios, its view. Resolves once computed.
   */
  async open(file: Blob): Promise<ProjectOpened> {
    const { readProject } = await import('./project-file');
    const project = readProject(new Uint8Array(await file.arrayBuffer()));
    const current = this.app.store.get();
    const screen = parseScreen(project.search, current);
    const source = file instanceof File ? file.name : 'project';
    // Residents as the project counted them: its population layer, or none (the data set's counts).
    if (current.data?.population && !project.layers.population) await this.imports.remove('population');
    const layers = { ...project.layers, ...(project.layers.population ? { populationName: source } : {}) };
    this.app.store.set({
      language: screen.language,
      presetId: screen.presetId,
      numbers: screen.numbers,
      rules: rulesFor(screen.presetId, screen.numbers),
      ruleError: null,
      cellMeters: screen.cellMeters,
      layers: screen.layers,
    });
    if (project.dataPath !== current.dataPath) {
      this.app.store.set({ dataPath: project.dataPath, data: null, baseline: null });
      await this.app.start(async (data) => ({ ...data, ...layers }));
    } else {
      this.app.replaceLayers(layers);
      await waitFor(this.app, () => this.app.store.get().status === 'ready' || this.app.store.get().status === 'error');
    }
    this.app.store.set({ selectedCommunity: screen.selectedCommunity, selectedGap: screen.selectedGap });
    if (screen.view) {
      this.app.setView(screen.view);
      this.jumpTo(screen.view);
    }
    for (const scenario of project.scenarios) {
      this.scenarios.newScenario();
      this.scenarios.rename(scenario.name);
      this.scenarios.commit(scenario.features);
    }
    await this.imports.adopt(project.layers, source);
    const basemapToPick = project.basemap === undefined ? null : await this.openBasemap(project.basemap);
    return {
      layers: Object.keys(layers).length,
      scenarios: project.scenarios.length,
      dataPath: project.dataPath,
      basemapToPick,
    };
  }

  /** The basemap in use as the project records it (a small file's bytes included). */
  private async basemapRecord(): Promise<ProjectBasemap | null> {
    const source = this.basemap?.store.get().source ?? null;
    if (!source) return null;
    if (source.kind === 'url') return { kind: 'url', url: source.url };
    const { projectBasemapEmbedBytes } = await import('./project-file');
    const { name, size } = source.file;
    if (size > projectBasemapEmbedBytes) return { kind: 'file', name, bytes: size };
    return { kind: 'file', name, bytes: size, data: new Uint8Array(await source.file.arrayBuffer()) };
  }

  /**
   * Puts the project's basemap in use: its URL, its embedded file, or none; a file not in the project
   * stays to be picked again (unless the one in use has its name and size), which the panel says.
   */
  private async openBasemap(recorded: ProjectBasemap | null): Promise<ProjectOpened['basemapToPick']> {
    const basemap = this.basemap;
    if (!basemap) return null;
    if (!recorded) {
      if (basemap.store.get().source) await basemap.remove();
      return null;
    }
    if (recorded.kind === 'url') {
      await basemap.loadSharedUrl(recorded.url);
      return null;
    }
    if (recorded.data) {
      await basemap.pickFile(new File([recorded.data as BlobPart], recorded.name));
      return null;
    }
    const inUse = basemap.store.get().source;
    const same = inUse?.kind === 'file' && inUse.file.name === recorded.name && inUse.file.size === recorded.bytes;
    const { projectBasemapEmbedBytes } = await import('./project-file');
    return same ? null : { name: recorded.name, bytes: recorded.bytes, limitBytes: projectBasemapEmbedBytes };
  }
}

function waitFor(app: PlannerApp, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve();
    const unsubscribe = app.store.subscribe(() => {
      if (!done()) return;
      unsubscribe();
      resolve();
    });
  });
}
