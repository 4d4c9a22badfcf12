import type { Community, RuleSet } from '../coverage';
import type { Language } from '../state/url-state';
import { messages } from './messages';

export type MessageKey = keyof typeof messages;

/** The text of `key` in `language`, with `{name}` placeholders filled from `values`. */
export function t(language: Language, key: MessageKey, values?: Record<string, string | number>): string {
  const text: string = messages[key][language];
  return values ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? '')) : text;
}

/** Whether `key` is a message key (for keys built at run time such as `kind_${kind}`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(messages, key);
}

/** A feature kind in words. */
export function kindLabel(language: Language, kind: string): string {
  const key = `kind_${kind}`;
  return isMessageKey(key) ? t(language, key) : kind;
}

/** A whole number with thousands separators. */
export function formatCount(language: Language, value: number | null): string {
  return value === null ? '—' : countFormats[language].format(Math.round(value));
}

/** One formatter per language: `toLocaleString` builds a new one on every call (milliseconds each). */
const countFormats: Record<Language, Intl.NumberFormat> = {
  zh: new Intl.NumberFormat('zh-CN'),
  en: new Intl.NumberFormat('en-GB'),
};

/** A share as a percentage with one decimal. */
export function formatShare(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** A distance in metres; `Infinity` reads "beyond <reach> m". */
export function formatMeters(_language: Language, value: number | null, reach: number | null): string {
  if (value === null) return '—';
  if (!Number.isFinite(value)) return reach === null ? '—' : `> ${reach} m`;
  return `${Math.round(value)} m`;
}

/** A community's name in the interface language (the other language's name when it has none; '' for none). */
export function communityName(
  community: Pick<Community, 'name' | 'nameEnglish'> | null | undefined,
  language: Language,
): string {
  if (!community) return '';
  return language === 'en'
    ? (community.nameEnglish ?? community.name)
    : community.name || (community.nameEnglish ?? '');
}

/**
 * The header's subtitle: the rules in force in the policy's own words ("300米见绿、500米见园" under
 * Chengdu's rules, "800米见园（步行）" under ParkServe's), never a fixed slogan.
 */
export function rulesTagline(language: Language, rules: RuleSet): string {
  const parts: string[] = [];
  if (rules.green) parts.push(t(language, 'taglineGreen', { radius: rules.green.radiusMeters }));
  if (rules.park) parts.push(t(language, 'taglinePark', { radius: rules.park.radiusMeters }));
  const text = parts.join(language === 'zh' ? '、' : ', ');
  return rules.distance === 'network' ? `${text}${t(language, 'taglineWalking')}` : text;
}
