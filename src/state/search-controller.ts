import { loadPinyinKeys } from './pinyin-keys';
import type { PlannerApp } from './planner-app';
import type { ResultsView } from './results';
import type { PinyinKeys, SearchEntry } from './search-index';
import { Store } from './store';

/** The search box's state: the query, its results and the highlighted one (-1: none). */
export interface SearchState {
  query: string;
  results: SearchEntry[];
  active: number;
  open: boolean;
}

type SearchModule = typeof import('./search-index');

/**
 * Search by name over the shown data and result (communities, green spaces, greenways, streets, gap
 * areas): keeps the index (rebuilt when the data, the result or its gaps change), loads the index code
 * and then pinyin lazily on the first query (neither is on the first page), and flies to and selects
 * what is chosen.
 */
export class SearchController {
  readonly store = new Store<SearchState>({ query: '', results: [], active: -1, open: false });
  private module: SearchModule | null = null;
  private loading: Promise<void> | null = null;
  private index: SearchEntry[] | null = null;
  private indexed: unknown[] = [];
  private pinyin: PinyinKeys | null = null;

  constructor(
    private readonly app: PlannerApp,
    private readonly results: ResultsView,
    private readonly pinyinLoader: () => Promise<PinyinKeys> = loadPinyinKeys,
  ) {}

  private entries(module: SearchModule): SearchEntry[] {
    const data = this.app.store.get().data;
    const { shown, gaps } = this.results.get();
    const inputs = [data, shown?.result, gaps, this.pinyin];
    if (!this.index || inputs.some((input, i) => input !== this.indexed[i])) {
      this.indexed = inputs;
      this.index = module.buildSearchIndex({
        communities: shown?.result.communities ?? [],
        greenspaces: data?.greenspaces ?? null,
        greenways: data?.greenways ?? null,
        streets: data?.streets ?? null,
        gaps: gaps?.areas ?? [],
        pinyin: this.pinyin,
      });
    }
    return this.index;
  }

  /** Finds the current query's results (once the index code has loaded). */
  private refresh(): void {
    if (!this.module) return;
    const results = this.module.searchEntries(this.entries(this.module), this.store.get().query);
    this.store.set({ results, active: results.length > 0 ? 0 : -1 });
  }

  /** Loads the index code, then pinyin, refreshing the results after each. */
  private load(): Promise<void> {
    this.loading ??= import('./search-index').then(async (module) => {
      this.module = module;
      this.refresh();
      try {
        this.pinyin = await this.pinyinLoader();
        this.refresh();
      } catch {
        // Without pinyin, names still match in Chinese and English.
      }
    });
    return this.loading;
  }

  /** Sets the query and finds its results; resolves once they are in the store. */
  setQuery(query: string): Promise<void> {
    this.store.set({ query, open: query.trim() !== '' });
    this.refresh();
    return this.load();
  }

  /** Moves the highlight by `delta` (wrapping). */
  move(delta: number): void {
    const { results, active } = this.store.get();
    if (results.length === 0) return;
    this.store.set({ active: (active + delta + results.length) % results.length, open: true });
  }

  /** Chooses result `index` (default the highlighted one): flies there and selects it. */
  choose(index = this.store.get().active): SearchEntry | null {
    const entry = this.store.get().results[index];
    if (!entry) return null;
    // The found green space, greenway or street is outlined on the map (a community or gap is selected instead).
    this.app.highlightFeatures(entry.features);
    if (entry.kind === 'gap' && entry.gap !== null) {
      this.app.selectGap(entry.gap);
      this.app.focus(entry.bbox, { maxZoom: 16 });
    } else if (entry.kind === 'community' && entry.community !== null) {
      this.app.selectCommunity(entry.community);
      this.app.focus(entry.bbox);
    } else {
      this.app.focus(entry.bbox, { maxZoom: 17 });
    }
    this.store.set({ open: false, active: index });
    return entry;
  }

  /** Closes the list (Escape); a second Escape clears the query. */
  escape(): void {
    const { open } = this.store.get();
    if (open) this.store.set({ open: false });
    else this.store.set({ query: '', results: [], active: -1 });
  }
}
