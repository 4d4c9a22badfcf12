import { type CoverageResult, describeRules } from '../../coverage';
import type { Language } from '../../state/url-state';
import { cssColor, statesInUse } from '../../theme/cell-colors';
import { t } from '../i18n';
import '../messages-later';

/** The rules in force and the legend of cell states, "neither" hatched as on the map. */
export function ReportLegend({ result, language }: { result: CoverageResult; language: Language }) {
  const inUse = (['green', 'park'] as const).filter((id) => result.rules[id]);
  const single = inUse.length < 2;
  return (
    <section class="report-legend" data-testid="report-legend">
      <h2>{t(language, 'legend')}</h2>
      <ul class="legend">
        {statesInUse(inUse).map((state) => (
          <li key={state}>
            <span class={`swatch swatch-${state}`} style={{ background: cssColor(state) }} aria-hidden="true" />
            <span>
              {single ? t(language, state === 'both' ? 'meets' : 'notMeets') : t(language, state)}
              {state === 'neither' && <span class="muted"> ({t(language, 'neitherPattern')})</span>}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One line: the rules' name and description, the distance mode and the cell size. */
export function rulesLine(result: CoverageResult, language: Language): string {
  return `${result.rules.name[language]} — ${describeRules(result.rules, language)}`;
}
