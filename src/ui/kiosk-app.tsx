import { useEffect, useRef, useState } from 'preact/hooks';
import { type CoverageTotals, share } from '../coverage';
import type { KioskController } from '../state/kiosk';
import type { ResultsView } from '../state/results';
import type { HoverState } from '../state/services';
import type { Store } from '../state/store';
import type { Language } from '../state/url-state';
import { cellStateColors, statesInUse } from '../theme/cell-colors';
import { MapView } from './map-view';
import { useStore } from './use-store';

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

/** Share of residents (or of homes, as residential cells, when population is unknown) meeting each criterion. */
function shares(totals: CoverageTotals) {
  const byPopulation = totals.population !== null && totals.population > 0;
  const whole = byPopulation ? totals.population : totals.cells;
  return {
    byPopulation,
    green: share(byPopulation ? totals.populationMeetingGreen : totals.cellsMeetingGreen, whole),
    park: share(byPopulation ? totals.populationMeetingPark : totals.cellsMeetingPark, whole),
    both: share(byPopulation ? totals.populationMeetingBoth : totals.cellsMeetingBoth, whole),
  };
}

/** Caption lines of one area in one language. */
function figureLines(
  language: Language,
  totals: CoverageTotals,
  radii: { green: number | null; park: number | null },
): string[] {
  const s = shares(totals);
  const lines: string[] = [];
  if (language === 'zh') {
    const who = s.byPopulation ? '居民' : '住宅';
    if (radii.green !== null) lines.push(`${percent(s.green)} 的${who}${radii.green}米内见绿`);
    if (radii.park !== null) lines.push(`${percent(s.park)} 的${who}${radii.park}米内见园`);
  } else {
    const who = s.byPopulation ? 'residents' : 'homes';
    if (radii.green !== null) lines.push(`${percent(s.green)} of ${who} within ${radii.green} m of green`);
    if (radii.park !== null) lines.push(`${percent(s.park)} of ${who} within ${radii.park} m of a park`);
  }
  return lines;
}

const stateNames: Record<string, { zh: string; en: string }> = {
  both: { zh: '都达标', en: 'both' },
  greenOnly: { zh: '仅见绿', en: 'green only' },
  parkOnly: { zh: '仅见园', en: 'park only' },
  neither: { zh: '都未达标', en: 'neither' },
};

const rgba = ([r, g, b, a]: readonly number[]) => `rgba(${r},${g},${b},${(a / 255).toFixed(2)})`;

/** The kiosk screen: the map full-screen, a bilingual caption, a legend; nothing to edit. */

/** Screen space panels cover, from each edge of the map (CSS pixels). */
export interface PanelInsets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** What the kiosk screen is given by its composition root (src/app/kiosk.tsx). */
export interface KioskServices {
  kiosk: KioskController;
  results: ResultsView;
  hover: Store<HoverState>;
  /** The map view hands its element over (null when it unmounts) with the space the panels cover. */
  attachMap: (container: HTMLElement | null, insets: () => PanelInsets) => void;
}

/** Screen space the kiosk's panels cover, from each edge of the kiosk (CSS pixels). */
function panelInsets(element: HTMLElement | null): PanelInsets {
  if (!element) return { top: 0, right: 0, bottom: 0, left: 0 };
  const frame = element.getBoundingClientRect();
  const rectOf = (selector: string) => element.querySelector(selector)?.getBoundingClientRect() ?? null;
  const title = rectOf('.kiosk-title');
  const caption = rectOf('.kiosk-caption');
  const legend = rectOf('.kiosk-legend');
  return {
    top: title ? title.bottom - frame.top : 0,
    bottom: caption ? frame.bottom - caption.top : 0,
    right: legend ? frame.right - legend.left : 0,
    left: 0,
  };
}

export function KioskApp({ services }: { services: KioskServices }) {
  const { kiosk, results } = services;
  const { app, config } = kiosk;
  const root = useRef<HTMLDivElement>(null);
  const [generation, setGeneration] = useState(0);
  const mode = useStore(kiosk.store, (state) => state.mode);
  const index = useStore(kiosk.store, (state) => state.index);
  const stops = useStore(kiosk.store, (state) => state.stops.length);
  const result = useStore(results.store, (state) => state.shown?.result ?? null);
  const selected = useStore(app.store, (state) => state.selectedCommunity);
  const status = useStore(app.store, (state) => state.status);
  const synthetic = useStore(app.store, (state) => state.data?.manifest?.synthetic ?? false);

  // A lost WebGL context (GPU reset, driver update, memory pressure): rebuild the map, no reload. The
  // kiosk stops driving the lost map at once (MapLibre has dropped its style); the rebuild counts when
  // the new map has drawn (KioskController.setMap), which `<html data-kiosk-map="ready">` tells.
  useEffect(() => {
    const element = root.current!;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const lost = (event: Event) => {
      if (!(event.target instanceof HTMLCanvasElement) || pending) return;
      console.warn('GreenReach kiosk: WebGL context lost; rebuilding the map');
      kiosk.mapLost();
      // Both canvases (MapLibre's and deck.gl's) may report the loss: one rebuild for both.
      pending = setTimeout(() => {
        pending = null;
        setGeneration((value) => value + 1);
      }, 250);
    };
    element.addEventListener('webglcontextlost', lost, true);
    return () => {
      element.removeEventListener('webglcontextlost', lost, true);
      if (pending) clearTimeout(pending);
    };
  }, [kiosk]);

  // A stop's community is fitted into the map's free middle: not under the title, caption or legend.
  const [attachMap] = useState(
    () => (container: HTMLElement | null) => services.attachMap(container, () => panelInsets(root.current)),
  );
  const languages = config.languages;
  const community = selected !== null ? result?.communities[selected] : undefined;
  const totals = community ? result?.summary.communities[selected!] : result?.summary.city;
  const radii = {
    green: result?.rules.green?.radiusMeters ?? null,
    park: result?.rules.park?.radiusMeters ?? null,
  };
  const titles: Record<Language, string> = community
    ? { zh: community.name, en: community.nameEnglish ?? community.name }
    : { zh: '全区', en: 'Whole district' };
  const inUse = result ? (['green', 'park'] as const).filter((id) => result.rules[id]) : [];

  return (
    <div class={`kiosk kiosk-${mode}`} ref={root} data-testid="kiosk">
      <main class="kiosk-map">
        <MapView key={generation} app={app} results={results} hover={services.hover} attachMap={attachMap} />
      </main>
      <header class="kiosk-title">
        <h1>
          {languages.includes('zh') && <span lang="zh-CN">300米见绿、500米见园</span>}
          {languages.includes('en') && <span lang="en">300 m to green, 500 m to a park</span>}
        </h1>
        {synthetic && (
          <p class="kiosk-note" data-testid="synthetic-note">
            {languages.includes('zh') && <span lang="zh-CN">虚构示范数据</span>}
            {languages.includes('en') && <span lang="en">Synthetic demo data</span>}
          </p>
        )}
      </header>
      {totals && (
        <section
          class="kiosk-caption"
          aria-live="polite"
          data-testid="kiosk-caption"
          data-stop={mode === 'touring' ? index : undefined}
        >
          <h2>{languages.map((language) => titles[language]).join(' · ')}</h2>
          {languages.map((language) => (
            <p key={language} lang={language === 'zh' ? 'zh-CN' : 'en'} data-figures={language}>
              {figureLines(language, totals, radii).join(' · ')}
            </p>
          ))}
          <p class="kiosk-step">
            {mode === 'paused'
              ? languages
                  .map((language) =>
                    language === 'zh'
                      ? '轻触社区查看数据，稍后自动继续'
                      : 'Tap a community; the tour resumes by itself',
                  )
                  .join(' · ')
              : stops > 0
                ? `${index + 1} / ${stops}`
                : ''}
          </p>
        </section>
      )}
      {!result && (
        <p class="kiosk-loading" data-testid="kiosk-loading">
          {status === 'error' ? '正在恢复… · Recovering…' : '正在加载… · Loading…'}
        </p>
      )}
      {inUse.length > 0 && (
        <ul class="kiosk-legend" aria-label="图例 Legend">
          {statesInUse(inUse).map((state) => (
            <li key={state}>
              <span class={`swatch swatch-${state}`} style={{ background: rgba(cellStateColors[state]) }} />
              {languages.map((language) => stateNames[state][language]).join(' · ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
