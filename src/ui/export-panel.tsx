import { useState } from 'preact/hooks';
import { type BasemapController, basemapCredit } from '../state/basemap-controller';
import type { ImportController } from '../state/import-controller';
import type { PlannerApp } from '../state/planner-app';
import type { ResultsView } from '../state/results';
import type { MapSnapshot, PlannerServices } from '../state/services';
import { legendColumnWidth, type PngSize, PngSizePicker, pngPixels, pngSizes } from './export-png-size';
import { type MessageKey, t } from './i18n';
import { ReportLinks } from './report/report-links';
import { useStore } from './use-store';
import './messages-later';

type ExportKind =
  | 'cellsGeojson'
  | 'cellsFgb'
  | 'cellsTif'
  | 'verdictsTif'
  | 'gaps'
  | 'communitiesGeojson'
  | 'communitiesCsv'
  | 'png';
const kinds: ExportKind[] = [
  'cellsGeojson',
  'cellsFgb',
  'cellsTif',
  'verdictsTif',
  'gaps',
  'communitiesGeojson',
  'communitiesCsv',
  'png',
];

/** Starts a download of `blob` through a Blob URL (revoked a minute later). */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Export buttons: cells, gaps and community statistics for GIS and Excel, and a PNG of the map. */
export function ExportPanel({
  app,
  imports,
  results,
  mapSnapshot,
  renderMap,
  basemap,
}: {
  app: PlannerApp;
  imports: ImportController;
  results: ResultsView;
  mapSnapshot: () => MapSnapshot | null;
  renderMap?: PlannerServices['renderMap'];
  /** The planner's basemap: drawn in the PNG, credited in its sources. */
  basemap?: BasemapController;
}) {
  const [pngSize, setPngSize] = useState<PngSize>(pngSizes[0]);
  const language = useStore(app.store, (state) => state.language);
  const result = useStore(results.store, (state) => state.shown?.result ?? null);
  // A result of rules since changed is not exported: the file would carry figures that no longer hold.
  const outOfDate = useStore(results.store, (state) => state.shown?.outOfDate ?? false);
  const [busy, setBusy] = useState<ExportKind | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (kind: ExportKind) => {
    const state = app.store.get();
    const { shown, gaps } = results.get();
    const current = shown?.result;
    if (!current || !state.data) return;
    if (shown.outOfDate) {
      setError(t(language, 'exportOutOfDate'));
      return;
    }
    // Still the result on screen, and current (the inputs may change while the writers load). The shown
    // result stands for its inputs: other layers drop it and other rules mark it, so a data set that only
    // gains what the run does not read (the buildings, loaded after the first answer) keeps it.
    const stillShown = () => {
      const now = results.get().shown;
      return now?.result === current && !now.outOfDate;
    };
    setBusy(kind);
    setError(null);
    const stem = `greenreach-${current.rules.id}-${current.grid.cellMeters}m`;
    try {
      // The writers load on the first export (they are not needed to see coverage); the busy state paints meanwhile.
      const [{ findGapAreas }, exports, { flatGeobufChunks }, { writeGeoJson }] = await Promise.all([
        import('../coverage/gap-areas'),
        import('../io/coverage-export'),
        import('../io/flatgeobuf-write'),
        import('../io/geojson'),
      ]);
      const {
        cellColumns,
        cellFeatures,
        cellGeoJsonChunks,
        communityCollection,
        communityCsv,
        gapCollection,
        rulesRecord,
      } = exports;
      if (!stillShown()) throw new Error(t(language, 'exportOutOfDate'));
      if (kind === 'cellsGeojson') {
        download(new Blob([...cellGeoJsonChunks(current)], { type: 'application/geo+json' }), `${stem}-cells.geojson`);
      } else if (kind === 'cellsFgb') {
        const pieces = [
          ...flatGeobufChunks(cellFeatures(current), {
            layerName: 'cells',
            columns: cellColumns,
            description: `GreenReach cells: ${rulesRecord(current).description.en}; cell ${current.grid.cellMeters} m`,
            metadata: JSON.stringify({ rules: rulesRecord(current) }),
          }),
        ];
        download(new Blob(pieces as BlobPart[], { type: 'application/octet-stream' }), `${stem}-cells.fgb`);
      } else if (kind === 'gaps') {
        download(
          new Blob([writeGeoJson(gapCollection(current, gaps ?? findGapAreas(current)))], {
            type: 'application/geo+json',
          }),
          `${stem}-gaps.geojson`,
        );
      } else if (kind === 'communitiesGeojson') {
        const collection = communityCollection(current, state.data.communities);
        download(new Blob([writeGeoJson(collection)], { type: 'application/geo+json' }), `${stem}-communities.geojson`);
      } else if (kind === 'cellsTif' || kind === 'verdictsTif') {
        // The grid as Cloud-Optimized GeoTIFFs: distances (Float32 bands) or verdicts (UInt8, colour table).
        const { geotiffBytes } = await import('../io/geotiff-cells');
        const files = geotiffBytes(current);
        const bytes = kind === 'cellsTif' ? files.cells : files.verdicts;
        download(
          new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/tiff' }),
          `${stem}-${kind === 'cellsTif' ? 'cells' : 'cells-verdicts'}.tif`,
        );
      } else if (kind === 'communitiesCsv') {
        download(new Blob([communityCsv(current)], { type: 'text/csv;charset=utf-8' }), `${stem}-communities.csv`);
      } else {
        const snapshot = mapSnapshot();
        if (!snapshot) throw new Error('no map on screen');
        // The PNG drawing code loads on first use (not on the first page).
        const [{ mapPng }, { composeMapCanvas }] = await Promise.all([
          import('./export-png'),
          import('./report/compose-map'),
        ]);
        const pixels = renderMap ? pngPixels(pngSize) : null;
        const ratio = window.devicePixelRatio || 1;
        const drawn = pixels
          ? await renderMap!({
              ...pixels,
              insets: (width) => ({ top: 0, right: 40, bottom: 30, left: legendColumnWidth(width) }),
            })
          : {
              canvas: composeMapCanvas(snapshot.container, ratio),
              pixelRatio: ratio,
              metresPerPixel: snapshot.metresPerPixel,
            };
        const imported = imports.store.get().imported;
        // The basemap's credit only when it is drawn (the streets switch shows or hides it).
        const archive = state.layers.streets ? basemap?.store.get().basemap : null;
        const sources = [
          ...imported.map((layer) => `${layer.source} (${layer.role})`),
          imported.length < 3 ? `${t(language, 'demoData')}` : '',
          archive ? `${t(language, 'basemapHeading')}: ${basemapCredit(archive)}` : '',
        ]
          .filter(Boolean)
          .join(', ');
        const png = await mapPng({
          image: drawn.canvas,
          pixelRatio: drawn.pixelRatio,
          metresPerPixel: drawn.metresPerPixel,
          result: current,
          language,
          sources,
        });
        if (!stillShown()) throw new Error(t(language, 'exportOutOfDate'));
        download(png, `${stem}-map${pixels ? `-${pngSize}` : ''}.png`);
      }
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="panel export-panel" aria-labelledby="export-heading" data-testid="export-panel">
      <h2 id="export-heading">{t(language, 'exportHeading')}</h2>
      <p class="muted small">{t(language, 'exportHelp')}</p>
      <div class="export-buttons">
        {kinds.map((kind) => (
          <button
            type="button"
            key={kind}
            disabled={!result || outOfDate || busy !== null}
            data-testid={`export-${kind}`}
            onClick={() => void run(kind)}
          >
            {t(language, `export_${kind}` as MessageKey)}
          </button>
        ))}
      </div>
      {(outOfDate || !result) && (
        <p class="muted small" data-testid="export-waits">
          {t(language, 'exportWaits')}
        </p>
      )}
      {renderMap && <PngSizePicker language={language} value={pngSize} onChange={setPngSize} />}
      <ReportLinks app={app} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
