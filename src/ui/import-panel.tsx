import '../../styles/import-export.css';
import { useEffect, useState } from 'preact/hooks';
import type { ImportController } from '../state/import-controller';
import { type ImportRole, importRoles } from '../state/import-layers';
import { OsmImportController } from '../state/osm-import';
import type { PlannerApp } from '../state/planner-app';
import { importErrorText } from './error-banner';
import { t } from './i18n';
import { lazyComponent } from './lazy-component';

const ImportDialog = lazyComponent(() => import('./import-dialog').then((module) => module.ImportDialog));

import { useStore } from './use-store';

/**
 * Import: a file picker, drag-and-drop anywhere on the page, a FlatGeobuf URL box, the layers of the
 * planner's own in use, import errors (naming file, feature and problem) and "reset to demo".
 */
export function ImportPanel({
  app,
  imports: controller,
  osmImport,
}: {
  app: PlannerApp;
  imports: ImportController;
  osmImport: OsmImportController;
}) {
  const osmInUse = useStore(osmImport.store, (state) => state.inUse);
  // An OpenStreetMap extract goes to its own dialog (one file gives every layer); the rest to the role dialog.
  const addFiles = (files: File[]) => {
    const extract = files.find((file) => OsmImportController.isExtract(file.name));
    if (extract) void osmImport.open(extract);
    controller.addFiles(files.filter((file) => !OsmImportController.isExtract(file.name)));
  };
  const language = useStore(app.store, (state) => state.language);
  const imported = useStore(controller.store, (state) => state.imported);
  const errors = useStore(controller.store, (state) => state.errors);
  const failedUrls = useStore(controller.store, (state) => state.failedUrls);
  const loadingUrls = useStore(controller.store, (state) => state.loadingUrls);
  const reading = useStore(controller.store, (state) => state.reading);
  const [dragging, setDragging] = useState(false);
  const [urlRole, setUrlRole] = useState<ImportRole>('greenspaces');
  const [url, setUrl] = useState('');

  useEffect(() => {
    let depth = 0;
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth++;
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (event: DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const drop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      addFiles([...(event.dataTransfer?.files ?? [])]);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [controller, osmImport]);

  return (
    <section class="panel import-panel" aria-labelledby="import-heading" data-testid="import-panel">
      <h2 id="import-heading">{t(language, 'importHeading')}</h2>
      <p class="muted small">{t(language, 'importHelp')}</p>
      <label class="file-button">
        <span>{t(language, 'chooseFiles')}</span>
        <input
          type="file"
          multiple
          accept=".geojson,.json,.ndjson,.geojsonl,.fgb,.zip,.csv,.tsv,.txt,.osm,.pbf,.gz,.bz2"
          data-testid="import-file"
          onChange={(event) => {
            const input = event.currentTarget as HTMLInputElement;
            addFiles([...(input.files ?? [])]);
            input.value = '';
          }}
        />
      </label>
      {osmInUse && (
        <p class="small" data-testid="osm-in-use">
          {t(language, 'osmInUse', {
            name: osmInUse.name,
            layers: osmInUse.layers.map((layer) => t(language, `osmLayer_${layer}`)).join(', '),
          })}
          {osmInUse.notKept && (
            <span class="error" role="alert" data-testid="osm-not-kept">
              {' '}
              {t(language, 'layerNotKept')}
            </span>
          )}
        </p>
      )}
      {loadingUrls.length > 0 && (
        <p class="muted small" aria-live="polite" data-testid="import-loading-urls">
          {t(language, 'loadingUrls', { urls: loadingUrls.join(', ') })}
        </p>
      )}
      {reading && (
        <p class="muted small" aria-live="polite" data-testid="import-reading">
          {t(language, 'reading')}: {reading}
        </p>
      )}
      {errors.length > 0 && (
        <ul class="import-errors" role="alert" data-testid="import-errors">
          {errors.map((error, index) => (
            <li key={error.message}>
              <strong>{t(language, 'importFailed')}:</strong> {importErrorText(language, error)}{' '}
              {failedUrls.some((entry) => entry.url === error.fileName) && (
                <button
                  type="button"
                  class="link"
                  data-testid="import-retry"
                  onClick={() => void controller.retryUrl(error.fileName)}
                >
                  {t(language, 'retry')}
                </button>
              )}{' '}
              <button type="button" class="link" onClick={() => controller.dismissError(index)}>
                {t(language, 'dismiss')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {(imported.length > 0 || osmInUse) && (
        <div data-testid="imported-layers">
          <h3>{t(language, 'importedLayers')}</h3>
          <ul>
            {imported.map((layer) => (
              <li key={layer.role}>
                {t(language, `role_${layer.role}`)}: {layer.source} ({layer.featureCount} {t(language, 'features')}
                {layer.skippedCount > 0 ? `, ${layer.skippedCount} ${t(language, 'skippedCount')}` : ''}){' '}
                <button
                  type="button"
                  class="link"
                  data-testid={`remove-layer-${layer.role}`}
                  aria-label={t(language, 'removeLayer', { layer: t(language, `role_${layer.role}`) })}
                  onClick={() => void controller.remove(layer.role)}
                >
                  {t(language, 'remove')}
                </button>
                {layer.notKept && (
                  <p class="error small" role="alert" data-testid={`imported-not-kept-${layer.role}`}>
                    {t(language, 'layerNotKept')}
                  </p>
                )}
                {layer.warnings.length > 0 && (
                  <ul class="muted small" data-testid={`imported-warnings-${layer.role}`}>
                    {layer.warnings.slice(0, 6).map((warning) => (
                      <li key={warning}>{warning}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
          <button
            type="button"
            data-testid="reset-demo"
            onClick={() => {
              osmImport.forget();
              void controller.resetToDemo();
            }}
          >
            {t(language, 'resetDemo')}
          </button>
        </div>
      )}
      <form
        class="import-url"
        onSubmit={(event) => {
          event.preventDefault();
          if (url.trim()) void controller.loadUrl(url.trim(), urlRole);
        }}
      >
        <label class="field">
          <span class="small">{t(language, 'fromUrl')}</span>
          <input
            type="text"
            value={url}
            placeholder="https://…/parks.fgb"
            data-testid="import-url"
            onInput={(event) => setUrl((event.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <select
          aria-label={t(language, 'role')}
          value={urlRole}
          onChange={(event) => setUrlRole((event.currentTarget as HTMLSelectElement).value as ImportRole)}
        >
          {importRoles.map((role) => (
            <option key={role} value={role}>
              {t(language, `role_${role}`)}
            </option>
          ))}
        </select>{' '}
        <button type="submit">{t(language, 'load')}</button>
      </form>
      {dragging && (
        <div class="drop-overlay" aria-hidden="true">
          {t(language, 'dropHere')}
        </div>
      )}
      <ImportDialog controller={controller} language={language} />
    </section>
  );
}

/** The data note above the map when the planner's own layers are in use (replaces the demo note). */
export function ImportBanner({ app, imports: controller }: { app: PlannerApp; imports: ImportController }) {
  const language = useStore(app.store, (state) => state.language);
  const imported = useStore(controller.store, (state) => state.imported);
  const missing = useStore(controller.store, (state) => state.linkedLayersMissing);
  if (missing.length > 0)
    return (
      <p class="synthetic imported error" role="alert" data-testid="linked-layers-missing">
        {t(language, 'linkedLayersMissing', {
          roles: missing.map((role) => t(language, `role_${role}`)).join(language === 'zh' ? '、' : ', '),
        })}
      </p>
    );
  if (imported.length === 0) return null;
  const all = importRoles.every((role) => role === 'residential' || imported.some((layer) => layer.role === role));
  return (
    <p class="synthetic imported" role="note" data-testid="imported-note">
      {t(language, 'userBanner')}
      {imported.map((layer) => `${layer.source} (${t(language, `role_${layer.role}`)})`).join(', ')}
      {all ? '' : `. ${t(language, 'demoRest')}`}
    </p>
  );
}

/** Whether the planner's own layers are in use (the app hides the demo note then). */
export function useImported(controller: ImportController): boolean {
  return useStore(controller.store, (state) => state.imported.length > 0);
}
