import type { Language } from '../state/url-state';
import { formatCount } from './i18n';

/** The props every section of the scenario panel gets. */
export interface SectionProps {
  app: import('../state/planner-app').PlannerApp;
  controller: import('../state/scenario').ScenarioController;
  language: Language;
}

export function signed(language: Language, value: number | null): string {
  if (value === null) return '—';
  const text = formatCount(language, Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : '0';
}
