import { useEffect, useRef, useState } from 'preact/hooks';
import { type CoverageTotals, share } from '../coverage';
import type { KioskController } from '../state/kiosk';
import type { ResultsView } from '../state/results';
import type { HoverState } from '../state/services';
import type { Store } from '../state/store';
import type { Language } from '../state/url-state';
import { cellStateColors, statesInUse } from '../theme/cell-colors';
import { t } from './i18n';
import { MapView } from './map-view';
import { useStore } from './use-store';
import './messages-later';

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
  const who = t(language, s.byPopulation ? 'kioskResidents' : 'kioskHomes');
  const lines: string[] = [];
  if (radii.green !== null)
    lines.push(t(language, 'kioskGreenLine', { share: percent(s.green), who, radius: radii.green }));
  if (radii.park !== null)
    lines.push(t(language, 'kioskParkLine', { share: percent(s.park), who, radius: radii.park }));
  return lines;
}

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

  // When a panel changes size (the caption of a new stop, the first caption at start-up), the stop is
  // fitted again into the space left free.
  useEffect(() => {
    const element = root.current!;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => kiosk.panelsResized());
    });
    const observed = new Set<Element>();
    const watch = () => {
      for (const panel of element.querySelectorAll('.kiosk-title, .kiosk-caption, .kiosk-legend')) {
        if (observed.has(panel)) continue;
        observed.add(panel);
        observer.observe(panel);
      }
    };
    watch();
    // The caption and legend appear with the first result: watch them once they are in the page.
    const added = new MutationObserver(watch);
    added.observe(element, { childList: true, subtree: true });
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      added.disconnect();
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
    : { zh: t('zh', 'kioskWholeDistrict'), en: t('en', 'kioskWholeDistrict') };
  const inUse = result ? (['green', 'park'] as const).filter((id) => result.rules[id]) : [];

  return (
    <div class={`kiosk kiosk-${mode}`} ref={root} data-testid="kiosk">
      <main class="kiosk-map">
        <MapView key={generation} app={app} results={results} hover={services.hover} attachMap={attachMap} />
      </main>
      <header class="kiosk-title">
        <h1>
          {languages.includes('zh') && <span lang="zh-CN">{t('zh', 'tagline')}</span>}
          {languages.includes('en') && <span lang="en">{t('en', 'tagline')}</span>}
        </h1>
        {synthetic && (
          <p class="kiosk-note" data-testid="synthetic-note">
            {languages.includes('zh') && <span lang="zh-CN">{t('zh', 'kioskSynthetic')}</span>}
            {languages.includes('en') && <span lang="en">{t('en', 'kioskSynthetic')}</span>}
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
              ? languages.map((language) => t(language, 'kioskPaused')).join(' · ')
              : stops > 0
                ? `${index + 1} / ${stops}`
                : ''}
          </p>
        </section>
      )}
      {!result && (
        <p class="kiosk-loading" data-testid="kiosk-loading">
          {(['zh', 'en'] as const)
            .map((language) => t(language, status === 'error' ? 'kioskRecovering' : 'kioskLoading'))
            .join(' · ')}
        </p>
      )}
      {inUse.length > 0 && (
        <ul class="kiosk-legend" aria-label={`${t('zh', 'legend')} ${t('en', 'legend')}`}>
          {statesInUse(inUse).map((state) => (
            <li key={state}>
              <span class={`swatch swatch-${state}`} style={{ background: rgba(cellStateColors[state]) }} />
              {languages.map((language) => t(language, `kioskState_${state}`)).join(' · ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
