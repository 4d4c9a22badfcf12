import type { OsmLayerName } from '../io/osm/index';
import { type OsmImportController, osmUsableLayers } from '../state/osm-import';
import { osmPreview } from '../state/osm-preview';
import type { Language } from '../state/url-state';
import { formatCount, type MessageKey, t } from './i18n';
import { laterMessages } from './messages-later';
import { ModalDialog } from './modal-dialog';
import { useStore } from './use-store';

/**
 * The dialog of an OpenStreetMap extract: reading progress (bytes, nodes, ways, relations), then every
 * derived layer with its count, the tag rules that made it (each can be switched off, which derives the
 * layers again) and what was guessed; a layer can be dropped; "use" puts them in place of the data set's.
 * A panel beside the map, which previews the derived layers meanwhile (`MapBinding`, `osm-preview.ts`).
 */
export function OsmImportDialog({ controller, language }: { controller: OsmImportController; language: Language }) {
  const state = useStore(controller.store, (s) => s);
  if (state.phase === 'idle' || !state.file) return null;
  const { derivation, progress, failure } = state;
  const busy = state.phase === 'reading' || state.phase === 'deriving';
  const preview = osmPreview(state);
  return (
    <ModalDialog labelledBy="osm-dialog-title" testId="osm-dialog" docked onClose={() => controller.close()}>
      <h2 id="osm-dialog-title">
        {t(language, 'osmTitle')}: {state.file.name}
      </h2>
      {busy && (
        <p aria-live="polite" data-testid="osm-progress">
          {t(language, state.phase === 'reading' ? 'osmReading' : 'osmDeriving')}{' '}
          {progress?.bytesRead !== undefined && `${(progress.bytesRead / 2 ** 20).toFixed(1)} MiB · `}
          {progress?.nodes !== undefined &&
            t(language, 'osmElements', {
              nodes: formatCount(language, progress.nodes),
              ways: formatCount(language, progress.ways ?? 0),
              relations: formatCount(language, progress.relations ?? 0),
            })}
          <progress max={1} value={progress?.fraction ?? 0} />
        </p>
      )}
      {failure && (
        <p class="error" role="alert" data-testid="osm-error">
          {failure.fileName}: {language === 'zh' ? failure.zh : failure.en}
        </p>
      )}
      {state.counts && (
        <p class="muted small" data-testid="osm-counts">
          {t(language, 'osmElements', {
            nodes: formatCount(language, state.counts.nodes),
            ways: formatCount(language, state.counts.ways),
            relations: formatCount(language, state.counts.relations),
          })}
          {derivation && derivation.report.skipped.length > 0 && (
            <> · {t(language, 'osmSkipped', { count: derivation.report.skipped.length })}</>
          )}
        </p>
      )}
      {derivation && derivation.leftOut.length > 0 && state.counts && state.file && (
        <p class="small" role="status" data-testid="osm-left-out">
          {t(language, 'osmLeftOut', { ways: formatCount(language, state.counts.ways), file: state.file.name })}
        </p>
      )}
      {preview && (
        <p class="small" role="status" data-testid="osm-preview-note">
          {t(language, 'osmPreview')}
          {preview.partial.map(({ layer, drawn, total }) => (
            <span key={layer} class="osm-preview-partial" data-testid={`osm-preview-partial-${layer}`}>
              {' '}
              {t(language, 'osmPreviewPartial', {
                layer: t(language, `osmLayer_${layer}` as MessageKey),
                drawn: formatCount(language, drawn),
                total: formatCount(language, total),
              })}
            </span>
          ))}
        </p>
      )}
      {derivation && (
        <table class="osm-layers small" data-testid="osm-layers">
          <thead>
            <tr>
              <th>{t(language, 'osmUse')}</th>
              <th>{t(language, 'osmLayer')}</th>
              <th>{t(language, 'osmFeatures')}</th>
              <th>{t(language, 'osmRules')}</th>
            </tr>
          </thead>
          <tbody>
            {osmUsableLayers.map((layer) => (
              <LayerRow key={layer} controller={controller} layer={layer} language={language} />
            ))}
          </tbody>
        </table>
      )}
      <p class="muted small">{t(language, 'osmNote')}</p>
      <div class="dialog-actions">
        <button
          type="button"
          disabled={!derivation || busy}
          data-testid="osm-download"
          onClick={async () => {
            const zip = await controller.derivedZip();
            if (!zip || !state.file) return;
            const url = URL.createObjectURL(zip);
            const anchor = document.createElement('a');
            anchor.href = url;
            anchor.download = `${state.file.name.replace(/\.(osm\.pbf|osm\.gz|osm\.bz2|osm|pbf|json)$/i, '')}-layers.zip`;
            anchor.click();
            setTimeout(() => URL.revokeObjectURL(url), 60_000);
          }}
        >
          {t(language, 'osmDownload')}
        </button>
        <button type="button" onClick={() => controller.close()} data-testid="osm-cancel">
          {t(language, 'cancel')}
        </button>
        <button
          type="button"
          class="primary"
          disabled={!derivation || busy || controller.usedLayers().length === 0}
          onClick={() => controller.use()}
          data-testid="osm-use"
        >
          {t(language, 'osmUseLayers')}
        </button>
      </div>
    </ModalDialog>
  );
}

function LayerRow({
  controller,
  layer,
  language,
}: {
  controller: OsmImportController;
  layer: OsmLayerName;
  language: Language;
}) {
  const state = useStore(controller.store, (s) => s);
  const report = state.derivation?.report.layers[layer];
  const features = state.derivation?.layers[layer]?.features.length ?? 0;
  const rules = Object.entries(report?.rules ?? {});
  const disabled = state.disabledRules.filter((id) => id.startsWith(`${layer}/`));
  return (
    <tr data-layer={layer}>
      <td>
        <input
          type="checkbox"
          aria-label={t(language, `osmLayer_${layer}` as MessageKey)}
          data-testid={`osm-layer-${layer}`}
          checked={features > 0 && !state.droppedLayers.includes(layer)}
          disabled={features === 0}
          onChange={() => controller.toggleLayer(layer)}
        />
      </td>
      <th scope="row">{t(language, `osmLayer_${layer}` as MessageKey)}</th>
      <td data-testid={`osm-count-${layer}`}>{formatCount(language, features)}</td>
      <td>
        {[...rules.map(([id]) => id), ...disabled].map((id) => (
          <label key={id} class="osm-rule">
            <input
              type="checkbox"
              checked={!state.disabledRules.includes(id)}
              disabled={state.phase !== 'ready'}
              onChange={() => controller.toggleRule(id)}
            />{' '}
            {id.replace(`${layer}/`, '')} {report?.rules[id] !== undefined && `(${report.rules[id]})`}
          </label>
        ))}
        {report?.guessed.map((guess) => (
          <p key={guess} class="osm-guess">
            {t(language, 'osmGuessed')}: {guessText(language, guess)}
          </p>
        ))}
      </td>
    </tr>
  );
}

/** A guess of the OSM derivation in the interface language (the engine says it in English; unknown ones stay so). */
export function guessText(language: Language, guess: string): string {
  for (const key of Object.keys(laterMessages) as (keyof typeof laterMessages)[])
    if (key.startsWith('osmGuess_') && laterMessages[key].en === guess) return t(language, key);
  return guess;
}
