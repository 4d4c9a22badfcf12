import type { Community, RuleSet } from '../coverage';
import type { Language } from '../state/url-state';
import { messages } from './messages';
import type { laterMessages } from './messages-later';

/** A key of either table: the first page's (messages.ts) or the lazily loaded one (messages-later.ts). */
export type MessageKey = keyof typeof messages | keyof typeof laterMessages;

type MessageRow = { readonly zh: string; readonly en: string };

/** The later table once src/ui/messages-later.ts has been imported (it registers itself); null before. */
let later: Readonly<Record<string, MessageRow>> | null = null;

/**
 * Makes the rows of the later table available to `t`; src/ui/messages-later.ts calls it when it is
 * imported (a setter, so this module, on the first page, never imports the later table's code).
 */
export function registerLaterMessages(table: Readonly<Record<string, MessageRow>>): void {
  later = table;
}

/** The row of `key` in whichever loaded table has it. */
function rowOf(key: string): MessageRow | undefined {
  if (Object.hasOwn(messages, key)) return messages[key as keyof typeof messages];
  return later && Object.hasOwn(later, key) ? later[key] : undefined;
}

/**
 * The text of `key` in `language`, with `{name}` placeholders filled from `values`. A key whose table is
 * not loaded yet reads as the key itself and logs an error (never a crash): the module showing it must
 * import './messages-later' (the browser tests fail on console errors).
 */
export function t(language: Language, key: MessageKey, values?: Record<string, string | number>): string {
  const row = rowOf(key);
  if (!row) {
    console.error(
      `message "${key}" is in neither loaded table: it is in src/ui/messages-later.ts and the module showing it does not import that file, or it is in no table`,
    );
    return key;
  }
  const text = row[language];
  return values ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? '')) : text;
}

/** Whether `key` is a key of a loaded table (for keys built at run time such as `kind_${kind}`). */
export function isMessageKey(key: string): key is MessageKey {
  return rowOf(key) !== undefined;
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
