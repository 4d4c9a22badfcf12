import type { CoverageResult } from '../coverage';
import type { Language } from '../state/url-state';
import { formatCount } from './i18n';

/** The props every section of the scenario panel gets. */
export interface SectionProps {
  app: import('../state/planner-app').PlannerApp;
  controller: import('../state/scenario').ScenarioController;
  language: Language;
}

/** A community's name in the interface language (its English name when there is one), or its number. */
export function communityName(result: CoverageResult, index: number, language: Language): string {
  const community = result.communities[index];
  if (!community) return `#${index + 1}`;
  return language === 'en' && community.nameEnglish ? community.nameEnglish : community.name;
}

export function signed(language: Language, value: number | null): string {
  if (value === null) return '—';
  const text = formatCount(language, Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : '0';
}
