import { type CoverageResult, describeRules } from '../coverage';
import type { Language } from '../state/url-state';
import { cellStateColors, statesInUse } from '../theme/cell-colors';
import { legendColumnWidth } from './export-png-size';
import { t } from './i18n';
import './messages-later';

/** Splits `text` into lines no wider than `width` (at spaces, or anywhere in CJK text). */
export function wrapText(context: CanvasRenderingContext2D, text: string, width: number): string[] {
  const tokens = text.match(/[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+/g) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (line && context.measureText(line + token).width > width) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** A legend swatch, "neither" with the map's white diagonal hatching. */
function drawSwatch(
  context: CanvasRenderingContext2D,
  colour: readonly number[],
  hatched: boolean,
  x: number,
  y: number,
): void {
  const [r, g, b, a] = colour;
  context.fillStyle = `rgba(${r},${g},${b},${a / 255})`;
  context.fillRect(x, y, 22, 14);
  if (hatched) {
    context.save();
    context.beginPath();
    context.rect(x, y, 22, 14);
    context.clip();
    context.strokeStyle = 'rgba(255,255,255,0.9)';
    context.lineWidth = 1.6;
    for (let offset = -14; offset < 26; offset += 4) {
      context.beginPath();
      context.moveTo(x + offset, y + 14);
      context.lineTo(x + offset + 14, y);
      context.stroke();
    }
    context.restore();
  }
  context.strokeStyle = '#555';
  context.lineWidth = 1;
  context.strokeRect(x + 0.5, y + 0.5, 21, 13);
}

/**
 * A PNG of a drawn map (`image`, e.g. the screen's canvases composed, or a map drawn off screen at a
 * chosen size) with a legend in a column at the left (the map is fitted clear of it), a scale bar, a
 * north arrow and a note on the rules and the data sources.
 */
export async function mapPng(options: {
  image: HTMLCanvasElement;
  /** Device pixels per CSS pixel of `image`; the legend is drawn in CSS pixels. */
  pixelRatio: number;
  result: CoverageResult;
  language: Language;
  sources: string;
  /** Metres per CSS pixel at the map centre, for the scale. */
  metresPerPixel: number | null;
}): Promise<Blob> {
  const { image: canvas, result, language, pixelRatio: ratio } = options;
  const width = canvas.width / ratio;
  const height = canvas.height / ratio;
  const context = canvas.getContext('2d')!;
  context.save();
  context.scale(ratio, ratio);
  const font = '13px system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  context.font = font;
  const inUse = (['green', 'park'] as const).filter((id) => result.rules[id]);
  const single = inUse.length < 2;
  const states = statesInUse(inUse);
  const column = Math.min(legendColumnWidth(width), width - 20);
  const lines = [
    ...wrapText(
      context,
      `${t(language, 'rulesInForce')}: ${result.rules.name[language]} — ${describeRules(result.rules, language)}`,
      column - 24,
    ),
    `${t(language, 'cellMeters')}: ${result.grid.cellMeters}`,
  ];
  const boxHeight = 34 + states.length * 20 + lines.length * 17 + 10;
  context.fillStyle = 'rgba(255,255,255,0.94)';
  context.fillRect(10, 10, column, boxHeight);
  context.strokeStyle = '#999';
  context.strokeRect(10.5, 10.5, column - 1, boxHeight - 1);
  context.fillStyle = '#222';
  context.font = `bold ${font}`;
  context.fillText(t(language, 'legend'), 20, 28);
  context.font = font;
  states.forEach((state, index) => {
    const y = 40 + index * 20;
    drawSwatch(context, cellStateColors[state], state === 'neither', 20, y);
    context.fillStyle = '#222';
    context.fillText(single ? t(language, state === 'both' ? 'meets' : 'notMeets') : t(language, state), 50, y + 12);
  });
  lines.forEach((line, index) => {
    context.fillText(line, 20, 40 + states.length * 20 + 14 + index * 17);
  });

  // North arrow, top right (the map never rotates).
  context.fillStyle = 'rgba(255,255,255,0.9)';
  context.fillRect(width - 44, 10, 34, 46);
  context.fillStyle = '#222';
  context.beginPath();
  context.moveTo(width - 27, 15);
  context.lineTo(width - 18, 40);
  context.lineTo(width - 27, 34);
  context.lineTo(width - 36, 40);
  context.closePath();
  context.fill();
  context.font = `bold ${font}`;
  context.textAlign = 'center';
  context.fillText(t(language, 'reportNorth'), width - 27, 53);
  context.textAlign = 'start';
  context.font = font;

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
    const y = height - 34;
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
  context.fillRect(0, height - 18, width, 18);
  context.fillStyle = '#333';
  context.font = '11px system-ui, sans-serif';
  context.fillText(note, 8, height - 5, width - 16);
  context.restore();
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the map could not be drawn to PNG'))),
      'image/png',
    ),
  );
}
