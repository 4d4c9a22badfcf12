import { type CoverageResult, describeRules } from '../coverage';
import type { Language } from '../state/url-state';
import { cellStateColors, statesInUse } from '../theme/cell-colors';
import { t } from './i18n';

/**
 * A PNG of the map as it is on screen: the MapLibre canvas and the deck.gl canvas (both keep their
 * drawing buffer) composed on a 2D canvas, with a drawn legend, a scale bar and a note on the rules and
 * the data sources.
 */
export async function mapPng(options: {
  container: HTMLElement;
  result: CoverageResult;
  language: Language;
  sources: string;
  /** Screen pixels of two points 1 km apart east–west at the map centre's latitude, for the scale. */
  metresPerPixel: number | null;
}): Promise<Blob> {
  const { container, result, language } = options;
  const box = container.getBoundingClientRect();
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(box.width * ratio);
  canvas.height = Math.round(box.height * ratio);
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  for (const source of container.querySelectorAll('canvas')) {
    const rect = source.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    context.drawImage(
      source,
      (rect.left - box.left) * ratio,
      (rect.top - box.top) * ratio,
      rect.width * ratio,
      rect.height * ratio,
    );
  }
  context.scale(ratio, ratio);
  const font = '13px system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  context.font = font;
  const inUse = (['green', 'park'] as const).filter((id) => result.rules[id]);
  const single = inUse.length < 2;
  const states = statesInUse(inUse);
  const lines = [
    `${t(language, 'rulesInForce')}: ${result.rules.name[language]} — ${describeRules(result.rules, language)}`,
    `${t(language, 'cellMeters')}: ${result.grid.cellMeters}`,
  ];
  const width = Math.min(box.width - 20, Math.max(260, ...lines.map((line) => context.measureText(line).width + 24)));
  const height = 34 + states.length * 20 + lines.length * 18;
  context.fillStyle = 'rgba(255,255,255,0.92)';
  context.fillRect(10, 10, width, height);
  context.strokeStyle = '#999';
  context.strokeRect(10, 10, width, height);
  context.fillStyle = '#222';
  context.font = `bold ${font}`;
  context.fillText(t(language, 'legend'), 20, 28);
  context.font = font;
  states.forEach((state, index) => {
    const y = 40 + index * 20;
    const [r, g, b, a] = cellStateColors[state];
    context.fillStyle = `rgba(${r},${g},${b},${a / 255})`;
    context.fillRect(20, y, 14, 14);
    context.fillStyle = '#222';
    context.fillText(single ? t(language, state === 'both' ? 'meets' : 'notMeets') : t(language, state), 42, y + 12);
  });
  lines.forEach((line, index) => {
    context.fillText(line, 20, 40 + states.length * 20 + 14 + index * 18, width - 20);
  });

  // Scale bar: a round length of about 120 px.
  if (options.metresPerPixel && Number.isFinite(options.metresPerPixel)) {
    const target = options.metresPerPixel * 120;
    const step =
      [1, 2, 5]
        .map((m) => m * 10 ** Math.floor(Math.log10(target)))
        .filter((v) => v <= target)
        .pop() ?? target;
    const pixels = step / options.metresPerPixel;
    const x = 20;
    const y = box.height - 50;
    context.fillStyle = 'rgba(255,255,255,0.9)';
    context.fillRect(x - 6, y - 18, pixels + 70, 28);
    context.strokeStyle = '#222';
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(x, y - 6);
    context.lineTo(x, y);
    context.lineTo(x + pixels, y);
    context.lineTo(x + pixels, y - 6);
    context.stroke();
    context.fillStyle = '#222';
    context.fillText(step >= 1000 ? `${step / 1000} km` : `${step} m`, x + pixels + 6, y);
  }
  const note = `${t(language, 'dataSources')}: ${options.sources} · GreenReach · ${new Date().toISOString().slice(0, 10)}`;
  context.fillStyle = 'rgba(255,255,255,0.9)';
  context.fillRect(0, box.height - 18, box.width, 18);
  context.fillStyle = '#333';
  context.font = '11px system-ui, sans-serif';
  context.fillText(note, 8, box.height - 5, box.width - 16);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the map could not be drawn to PNG'))),
      'image/png',
    ),
  );
}
