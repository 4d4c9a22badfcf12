import { useMemo, useState } from 'preact/hooks';
import {
  cellColumns,
  cellFeatures,
  cellGeoJsonChunks,
  communityCollection,
  communityCsv,
  gapCollection,
  rulesRecord,
} from '../io/coverage-export';
import { flatGeobufChunks } from '../io/flatgeobuf-write';
import { writeGeoJson } from '../io/geojson';
import { importControllerFor } from '../state/import-controller';
import type { PlannerApp } from '../state/planner-app';
import { mapPng } from './export-png';
import { type ImportMessageKey, ti } from './import-i18n';
import { useStore } from './use-store';

type ExportKind = 'cellsGeojson' | 'cellsFgb' | 'gaps' | 'communitiesGeojson' | 'communitiesCsv' | 'png';
const kinds: ExportKind[] = ['cellsGeojson', 'cellsFgb', 'gaps', 'communitiesGeojson', 'communitiesCsv', 'png'];

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
export function ExportPanel({ app }: { app: PlannerApp }) {
  const language = useStore(app.store, (state) => state.language);
  const result = useStore(app.store, (state) => state.result);
  const controller = useMemo(() => importControllerFor(app), [app]);
  const [busy, setBusy] = useState<ExportKind | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (kind: ExportKind) => {
    const state = app.store.get();
    const current = state.result;
    if (!current || !state.data) return;
    setBusy(kind);
    setError(null);
    const stem = `greenreach-${current.rules.id}-${current.grid.cellMeters}m`;
    try {
      // Let the busy state paint before a long synchronous encode.
      await new Promise((resolve) => setTimeout(resolve, 0));
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
          new Blob([writeGeoJson(gapCollection(current))], { type: 'application/geo+json' }),
          `${stem}-gaps.geojson`,
        );
      } else if (kind === 'communitiesGeojson') {
        const collection = communityCollection(current, state.data.communities);
        download(new Blob([writeGeoJson(collection)], { type: 'application/geo+json' }), `${stem}-communities.geojson`);
      } else if (kind === 'communitiesCsv') {
        download(new Blob([communityCsv(current)], { type: 'text/csv;charset=utf-8' }), `${stem}-communities.csv`);
      } else {
        const container = document.querySelector<HTMLElement>('.maplibregl-map');
        if (!container) throw new Error('no map on screen');
        const imported = controller.store.get().imported;
        const sources = [
          ...imported.map((layer) => `${layer.source} (${layer.role})`),
          imported.length < 3 ? `${ti(language, 'demoData')}` : '',
        ]
          .filter(Boolean)
          .join(', ');
        download(
          await mapPng({ container, result: current, language, sources, metresPerPixel: metresPerPixel(app) }),
          `${stem}-map.png`,
        );
      }
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="panel export-panel" aria-labelledby="export-heading" data-testid="export-panel">
      <h2 id="export-heading">{ti(language, 'exportHeading')}</h2>
      <p class="muted small">{ti(language, 'exportHelp')}</p>
      <div class="export-buttons">
        {kinds.map((kind) => (
          <button
            type="button"
            key={kind}
            disabled={!result || busy !== null}
            data-testid={`export-${kind}`}
            onClick={() => void run(kind)}
          >
            {ti(language, `export_${kind}` as ImportMessageKey)}
          </button>
        ))}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** Metres per CSS pixel at the map's centre (from the screen positions of two points 1 km apart). */
function metresPerPixel(app: PlannerApp): number | null {
  const map = window.__greenreachMap;
  const state = app.store.get();
  const centre = state.view ?? null;
  const bbox = state.result?.communities[0]?.bbox;
  const latitude = centre?.latitude ?? (bbox ? (bbox[1] + bbox[3]) / 2 : null);
  const longitude = centre?.longitude ?? (bbox ? (bbox[0] + bbox[2]) / 2 : null);
  if (!map || latitude === null || longitude === null) return null;
  const dLon = 1000 / (111_320 * Math.cos((latitude * Math.PI) / 180));
  const a = map.project(longitude, latitude);
  const b = map.project(longitude + dLon, latitude);
  const pixels = Math.hypot(b[0] - a[0], b[1] - a[1]);
  return pixels > 0 ? 1000 / pixels : null;
}
