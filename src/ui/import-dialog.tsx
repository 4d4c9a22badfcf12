import type { ImportController, PendingImport } from '../state/import-controller';
import { type AttributeMapping, type ImportRole, importRoles, roleAttributes } from '../state/import-layers';
import type { Language } from '../state/url-state';
import { formatCount, formatShare, t } from './i18n';
import { ModalDialog } from './modal-dialog';
import { useStore } from './use-store';
import './messages-later';

const COMMON_CRS = ['EPSG:4326', 'EPSG:4490', 'EPSG:4544', 'EPSG:4545', 'EPSG:4509', 'EPSG:32648', 'EPSG:3857'];

/**
 * The role dialog for one imported file: the guessed role, the attribute mapping, the detected
 * coordinate system (with a choice and the GCJ-02 conversion) and a text preview of the first features.
 */
export function ImportDialog({ controller, language }: { controller: ImportController; language: Language }) {
  const pending = useStore(controller.store, (state) => state.pending);
  if (!pending) return null;
  const { read, error } = pending;
  const setMapping = (field: keyof AttributeMapping, value: string) =>
    controller.setPending({ mapping: { ...pending.mapping, [field]: value || null } });
  return (
    <ModalDialog labelledBy="import-dialog-title" testId="import-dialog" onClose={() => controller.cancel()}>
      <h2 id="import-dialog-title">{pending.file.name}</h2>
      {read && (
        <p class="muted" data-testid="import-summary">
          {read.format} · {read.featuresRead} {t(language, 'features')}
          {read.skippedCount > 0 ? ` · ${read.skippedCount} ${t(language, 'skippedCount')}` : ''}
        </p>
      )}
      {pending.busy && <p aria-live="polite">{t(language, 'reading')}…</p>}
      {error && (
        <p class="error" role="alert" data-testid="import-dialog-error">
          {error.message}
        </p>
      )}
      <label class="field">
        <span>{t(language, 'role')}</span>
        <select
          data-testid="import-role"
          value={pending.role}
          onChange={(event) =>
            controller.setPending({ role: (event.currentTarget as HTMLSelectElement).value as ImportRole })
          }
        >
          {importRoles.map((role) => (
            <option key={role} value={role}>
              {t(language, `role_${role}`)}
            </option>
          ))}
        </select>
      </label>
      {pending.guess && (
        <p class="muted small" data-testid="import-role-reason">
          {t(language, 'roleGuess', { role: t(language, `role_${pending.guess.role}`) })}{' '}
          {pending.guess.reasons.map((reason) => t(language, `roleReason_${reason.code}`, reason.values)).join('; ')}
        </p>
      )}
      <fieldset>
        <legend>{t(language, 'mapping')}</legend>
        {roleAttributes[pending.role].map((field) => (
          <label class="field" key={field}>
            <span>{t(language, `field_${field}`)}</span>
            <select
              data-testid={`import-map-${field}`}
              value={pending.mapping[field] ?? ''}
              onChange={(event) => setMapping(field, (event.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">{t(language, 'none')}</option>
              {pending.attributes.map((key) => (
                <option key={key} value={key}>
                  {key}
                </option>
              ))}
            </select>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t(language, 'crs')}</legend>
        <p data-testid="import-crs">
          {t(language, 'crsDetected')}: {read ? `${read.crs.name} (${read.crs.code})` : '—'}
        </p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            controller.setCoordinates(pending.crs, pending.gcj02);
          }}
        >
          <label class="field">
            <span>{t(language, 'crsChoose')}</span>
            <input
              name="crs"
              list="import-crs-list"
              value={pending.crs}
              onInput={(event) => controller.setPending({ crs: (event.currentTarget as HTMLInputElement).value })}
              data-testid="import-crs-input"
              placeholder="EPSG:…"
            />
            <datalist id="import-crs-list">
              {COMMON_CRS.map((code) => (
                <option key={code} value={code} />
              ))}
            </datalist>
          </label>
          <label class="check">
            <input
              type="checkbox"
              name="gcj02"
              checked={pending.gcj02}
              onChange={(event) => controller.setPending({ gcj02: (event.currentTarget as HTMLInputElement).checked })}
              data-testid="import-gcj02"
            />
            <span>{t(language, 'gcj02')}</span>
          </label>
          <p class="muted small">{t(language, 'gcj02Help')}</p>
          <button type="submit" disabled={pending.busy}>
            {t(language, 'reread')}
          </button>
        </form>
      </fieldset>
      {pending.preview.length > 0 && (
        <details open>
          <summary>{t(language, 'preview')}</summary>
          <pre class="import-preview" data-testid="import-preview">
            {pending.preview.join('\n')}
          </pre>
        </details>
      )}
      {read && read.warnings.length > 0 && (
        <ul class="muted small">
          {read.warnings.slice(0, 8).map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {pending.extent && <ExtentWarning controller={controller} language={language} extent={pending.extent} />}
      <div class="dialog-actions">
        <button type="button" onClick={() => controller.cancel()} data-testid="import-cancel">
          {t(language, 'cancel')}
        </button>
        <button
          type="button"
          class="primary"
          disabled={pending.busy || !read}
          hidden={pending.extent !== null}
          onClick={() => void controller.confirm()}
          data-testid="import-confirm"
        >
          {t(language, 'confirm')}
        </button>
      </div>
    </ModalDialog>
  );
}

/** Where the confirmed layer lies against the planner's other layers, and what to do about it. */
function ExtentWarning({
  controller,
  language,
  extent,
}: {
  controller: ImportController;
  language: Language;
  extent: NonNullable<PendingImport['extent']>;
}) {
  const { check } = extent;
  const reference = t(language, `extentRef_${extent.reference}`);
  const role = controller.store.get().pending?.role;
  const text =
    check.status === 'outside'
      ? t(language, 'extentOutside', { reference, distance: formatCount(language, check.distanceKm) })
      : check.status === 'partial'
        ? t(language, 'extentPartial', {
            reference,
            share: formatShare(check.shareInside),
            inside: formatCount(language, check.featuresInside),
            total: formatCount(language, check.features),
          })
        : '';
  // Replacing the other layers makes sense when the file sets a new study area.
  const canReplace = check.status === 'outside' && (role === 'communities' || role === 'residential');
  return (
    <div class="extent-warning" role="alert" data-testid="import-extent">
      <p class="error">{text}</p>
      {canReplace && <p class="muted small">{t(language, 'extentReplaceHelp')}</p>}
      <div class="dialog-actions">
        <button
          type="button"
          onClick={() => void controller.resolveExtent('useAnyway')}
          data-testid="import-extent-use"
        >
          {t(language, 'extentUseAnyway')}
        </button>
        {canReplace && (
          <button
            type="button"
            onClick={() => void controller.resolveExtent('replaceOthers')}
            data-testid="import-extent-replace"
          >
            {t(language, 'extentReplaceOthers')}
          </button>
        )}
      </div>
    </div>
  );
}
