import type { SearchController } from '../state/search-controller';
import type { SearchEntry } from '../state/search-index';
import type { Language } from '../state/url-state';
import { t } from './i18n';
import { useStore } from './use-store';
import './messages-later';

/** A result's name in the interface language (the other language's name beside it). */
function entryLabel(entry: SearchEntry, language: Language): { main: string; other: string | null } {
  if (language === 'en' && entry.nameEnglish) {
    return { main: entry.nameEnglish, other: entry.nameEnglish !== entry.name ? entry.name : null };
  }
  return { main: entry.name, other: entry.nameEnglish && entry.nameEnglish !== entry.name ? entry.nameEnglish : null };
}

/**
 * The header's search box (a combobox): type a name (zh, en or pinyin initials), ↑/↓ to move, Enter
 * to fly to and select the highlighted result, Escape to close the list (again to clear).
 */
export function SearchBox({ search, language }: { search: SearchController; language: Language }) {
  const state = useStore(search.store, (value) => value);
  const listId = 'search-results';
  const expanded = state.open && state.query.trim() !== '';
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      search.move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      search.choose();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      search.escape();
    }
  };
  return (
    <div class="search" data-testid="search">
      <input
        type="search"
        // biome-ignore lint/a11y/noRedundantRoles: without a datalist the input is a searchbox; this makes it a combobox
        role="combobox"
        list={undefined}
        aria-label={t(language, 'search')}
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && state.active >= 0 ? `search-result-${state.active}` : undefined}
        placeholder={t(language, 'searchPlaceholder')}
        value={state.query}
        data-testid="search-input"
        onInput={(event) => void search.setQuery((event.currentTarget as HTMLInputElement).value)}
        onKeyDown={onKeyDown}
      />
      {expanded && (
        <div class="search-results" id={listId} role="listbox" aria-label={t(language, 'search')}>
          {state.results.length === 0 && <div class="search-none">{t(language, 'searchNone')}</div>}
          {state.results.map((entry, index) => {
            const label = entryLabel(entry, language);
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the input owns the keyboard (combobox pattern)
              <div
                key={`${entry.kind}-${entry.name}-${entry.gap ?? entry.community ?? index}`}
                id={`search-result-${index}`}
                role="option"
                tabIndex={-1}
                aria-selected={index === state.active}
                class={index === state.active ? 'active' : undefined}
                data-testid="search-result"
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => search.choose(index)}
              >
                <span>{label.main}</span>
                {label.other && <span class="muted"> {label.other}</span>}
                <span class="search-kind">{t(language, `searchKind_${entry.kind}`)}</span>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
