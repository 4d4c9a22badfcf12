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
  const fitting = detail?.code === 'grid.too-many-cells' ? (detail.values?.fittingCellMeters ?? null) : null;
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

/** An input error in words of the interface language, by its code. */
export function errorText(language: Language, error: InputErrorJSON): string {
  if (error.code === 'grid.too-many-cells' && error.values) {
    const { cellMeters, cells, limit, fittingCellMeters } = error.values;
    const head = t(language, 'errorGridTooLarge', {
      cellMeters,
      cells: largeCount(language, cells),
      limit: largeCount(language, limit),
    });
    return `${head}${
      fittingCellMeters !== undefined
        ? t(language, 'errorGridFits', { size: fittingCellMeters })
        : t(language, 'errorGridNoFit')
    }`;
  }
  const key = `errorCode_${error.code.replace(/[^a-z]/gi, '')}`;
  const title = isMessageKey(key) ? t(language, key) : t(language, 'errorCode_invalid');
  const where =
    error.featureIndex === null
      ? error.fileName
      : `${error.fileName} · ${t(language, 'errorFeature', { index: error.featureIndex })}`;
  return `${title} (${where}): ${error.problem}`;
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
  const key = `errorCode_${(problem.code ?? 'invalid').replace(/[^a-z]/gi, '')}`;
  return problem.code && isMessageKey(key) ? errorText(language, problem) : problem.message;
}
