import type { Language } from '../state/url-state';
import { t } from './i18n';
import './messages-later';

/** A PNG size: the screen's map as it is, or width × height pixels drawn on a map of its own. */
export type PngSize = 'screen' | `${number}x${number}`;

/** The sizes offered (the first is the default). */
export const pngSizes: PngSize[] = ['1600x1200', '2400x1800', '3000x2000', '1920x1080', 'screen'];

/** Width and height of a size, or null for the screen's. */
export function pngPixels(size: PngSize): { width: number; height: number } | null {
  if (size === 'screen') return null;
  const [width, height] = size.split('x').map(Number);
  return { width, height };
}

/** The legend column's width in CSS pixels for a map `cssWidth` wide (the map is fitted to its right). */
export function legendColumnWidth(cssWidth: number): number {
  return Math.round(Math.min(340, Math.max(200, cssWidth * 0.28)));
}

/** The PNG size selector of the export panel. */
export function PngSizePicker({
  language,
  value,
  onChange,
}: {
  language: Language;
  value: PngSize;
  onChange: (size: PngSize) => void;
}) {
  return (
    <label class="field">
      <span>{t(language, 'pngSize')}</span>
      <select
        data-testid="png-size"
        value={value}
        onChange={(event) => onChange((event.currentTarget as HTMLSelectElement).value as PngSize)}
      >
        {pngSizes.map((size) => (
          <option key={size} value={size}>
            {size === 'screen' ? t(language, 'pngScreen') : size.replace('x', ' × ')}
          </option>
        ))}
      </select>
    </label>
  );
}
