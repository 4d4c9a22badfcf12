import type { Language } from '../state/url-state';
import { formatCount, t } from './i18n';
import './messages-later';

/** "sits on 12 residential cells (≈ 340 residents)": the homes a suggested or drawn park covers. */
export function homesLabel(language: Language, cells: number, residents: number | null): string {
  const count =
    cells === 1 ? t(language, 'siteHomesOne') : t(language, 'siteHomes', { cells: formatCount(language, cells) });
  const people =
    cells > 0 && residents !== null
      ? t(language, 'siteHomesResidents', { residents: formatCount(language, residents) })
      : '';
  return count + people;
}
