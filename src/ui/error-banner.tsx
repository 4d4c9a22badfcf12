import type { InputErrorJSON } from '../coverage/input-error';
import type { PlannerApp } from '../state/planner-app';
import type { Language } from '../state/url-state';
import { formatCount, isMessageKey, t } from './i18n';
import { useStore } from './use-store';

/**
 * The failure of the last computation or load, in the interface language: a coded input error is
 * translated by its `code` (the English detail follows), and a grid too large offers the cell size that
 * fits as a button. The figures it replaces were cleared by the app (see `PlannerApp.fail`).
 */
export function ErrorBanner({ app }: { app: PlannerApp }) {
  const language = useStore(app.store, (state) => state.language);
  const error = useStore(app.store, (state) => state.error);
  const detail = useStore(app.store, (state) => state.errorDetail);
  if (!error) return null;
  const fitting = detail?.code === 'grid.too-many-cells' ? numberValue(detail.values?.fittingCellMeters) : null;
  return (
    <div class="error banner" role="alert" data-testid="app-error">
      <p>
        {t(language, 'error')}: {detail ? errorText(language, detail) : error}
      </p>
      <p class="small">{t(language, 'errorStale')}</p>
      {fitting !== null && (
        <button type="button" data-testid="app-error-fix" onClick={() => app.setCellMeters(fitting)}>
          {t(language, 'errorUseCells', { size: fitting })}
        </button>
      )}
    </div>
  );
}

/**
 * An input error in words of the interface language, by its code: a code with its own detail message
 * (`errorDetail_<code>`) is said wholly in the language ("garbage.geojson：不是 GeoJSON 文件：文件开头是二进制字节"),
 * any other under its code's title with the English detail after it.
 */
export function errorText(language: Language, error: InputErrorJSON): string {
  if (error.code === 'grid.too-many-cells' && error.values) {
    const { cellMeters, cells, limit, fittingCellMeters } = error.values;
    const head = t(language, 'errorGridTooLarge', {
      cellMeters,
      cells: largeCount(language, Number(cells)),
      limit: largeCount(language, Number(limit)),
    });
    return `${head}${
      fittingCellMeters !== undefined
        ? t(language, 'errorGridFits', { size: fittingCellMeters })
        : t(language, 'errorGridNoFit')
    }`;
  }
  const where =
    error.featureIndex === null
      ? error.fileName
      : `${error.fileName} · ${t(language, 'errorFeature', { index: error.featureIndex })}`;
  const detailKey = `errorDetail_${letters(error.code)}`;
  if (isMessageKey(detailKey)) {
    const values = { ...error.values };
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === 'number') values[name] = formatCount(language, value);
    }
    // A file no reader knows: first what its name promised, then what it holds.
    const lead = error.code.startsWith('unsupported-format.')
      ? `${values.format ? t(language, 'errorNotFormat', values) : t(language, 'errorUnknownFormat', values)}${t(language, 'colon')}`
      : '';
    return `${where}${t(language, 'colon')}${lead}${t(language, detailKey, values)}`;
  }
  const family = error.code.split('.')[0];
  const key = [`errorCode_${letters(error.code)}`, `errorCode_${letters(family)}`].find(isMessageKey);
  const title = t(language, key ?? 'errorCode_invalid');
  return `${title} (${where}): ${error.problem}`;
}

/** A code's letters, as message keys carry it (`unsupported-format.json-array` → `unsupportedformatjsonarray`). */
function letters(code: string): string {
  return code.replace(/[^a-z]/gi, '');
}

function numberValue(value: number | string | undefined): number | null {
  return typeof value === 'number' ? value : null;
}

/** 68,000,000 as "68 million" / "6,800万": the size of a number at a glance. */
function largeCount(language: Language, value: number): string {
  if (language === 'zh')
    return value >= 10_000 ? `${formatCount(language, Math.round(value / 10_000))}万` : formatCount(language, value);
  return value >= 1_000_000
    ? `${formatCount(language, Math.round(value / 1_000_000))} million`
    : formatCount(language, value);
}

/** An import problem in the interface language (by its code), or its message when it has no known code. */
export function importErrorText(language: Language, problem: InputErrorJSON): string {
  const code = problem.code ?? 'invalid';
  const known = [
    `errorDetail_${letters(code)}`,
    `errorCode_${letters(code)}`,
    `errorCode_${letters(code.split('.')[0])}`,
  ];
  return problem.code && known.some(isMessageKey) ? errorText(language, problem) : problem.message;
}
