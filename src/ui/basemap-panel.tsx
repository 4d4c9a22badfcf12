import { useState } from 'preact/hooks';
import { type BasemapController, basemapDistanceKm } from '../state/basemap-controller';
import type { PlannerApp } from '../state/planner-app';
import { errorText } from './error-banner';
import { formatCount, t } from './i18n';
import { useStore } from './use-store';
import './messages-later';

/** `[west, south, east, north]` as "85.65°W – 85.59°W, 41.93°N – 41.97°N". */
function formatBounds([west, south, east, north]: readonly number[]): string {
  const longitude = (value: number) => `${Math.abs(value).toFixed(2)}°${value < 0 ? 'W' : 'E'}`;
  const latitude = (value: number) => `${Math.abs(value).toFixed(2)}°${value < 0 ? 'S' : 'N'}`;
  return `${longitude(west)} – ${longitude(east)}, ${latitude(south)} – ${latitude(north)}`;
}

/**
 * The planner's own basemap: pick a PMTiles file or paste a URL, see which one is in use (and whether
 * it lies anywhere near the data), remove it; a file that cannot be used is named with its problem.
 */
export function BasemapPanel({ app, basemap: controller }: { app: PlannerApp; basemap: BasemapController }) {
  const language = useStore(app.store, (state) => state.language);
  const data = useStore(app.store, (state) => state.data);
  const { basemap, loading, error, notKept } = useStore(controller.store, (state) => state);
  const [url, setUrl] = useState('');
  const distanceKm = basemap ? basemapDistanceKm(basemap.bounds, data) : null;
  return (
    <section class="panel basemap-panel" aria-labelledby="basemap-heading" data-testid="basemap-panel">
      <h2 id="basemap-heading">{t(language, 'basemapHeading')}</h2>
      <p class="muted small">{t(language, 'basemapHelp')}</p>
      <label class="file-button">
        <span>{t(language, 'basemapPick')}</span>
        <input
          type="file"
          accept=".pmtiles"
          data-testid="basemap-file"
          onChange={(event) => {
            const input = event.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            if (file) void controller.pickFile(file);
            input.value = '';
          }}
        />
      </label>
      <form
        class="import-url"
        onSubmit={(event) => {
          event.preventDefault();
          if (url.trim()) void controller.loadUrl(url.trim());
        }}
      >
        <label class="field">
          <span class="small">{t(language, 'basemapUrl')}</span>
          <input
            type="text"
            value={url}
            placeholder="https://…/city.pmtiles"
            data-testid="basemap-url"
            onInput={(event) => setUrl((event.currentTarget as HTMLInputElement).value)}
          />
        </label>{' '}
        <button type="submit">{t(language, 'load')}</button>
      </form>
      {loading && (
        <p class="muted small" aria-live="polite" data-testid="basemap-loading">
          {t(language, 'reading')}: {loading}
        </p>
      )}
      {error && (
        <p class="error small" role="alert" data-testid="basemap-error">
          <strong>{t(language, 'basemapFailed')}:</strong> {errorText(language, error)}{' '}
          <button type="button" class="link" onClick={() => controller.dismissError()}>
            {t(language, 'dismiss')}
          </button>
        </p>
      )}
      {basemap && (
        <div class="small" data-testid="basemap-in-use">
          <p>
            {t(language, 'basemapInUse', { name: basemap.name, minZoom: basemap.minZoom, maxZoom: basemap.maxZoom })}
          </p>
          {basemap.attribution && (
            <p class="muted" data-testid="basemap-attribution">
              {t(language, 'dataFrom')}: {basemap.attribution}
            </p>
          )}
          {distanceKm !== null && distanceKm > 0 && (
            <p class="error" role="note" data-testid="basemap-far">
              {t(language, 'basemapFar', {
                bounds: formatBounds(basemap.bounds),
                distance: formatCount(language, distanceKm),
              })}
            </p>
          )}
          {notKept && (
            <p class="error" role="alert">
              {t(language, 'layerNotKept')}
            </p>
          )}
          <button type="button" data-testid="basemap-remove" onClick={() => void controller.remove()}>
            {t(language, 'basemapRemove')}
          </button>
        </div>
      )}
    </section>
  );
}
