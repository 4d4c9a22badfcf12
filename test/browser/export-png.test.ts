import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellStateColors } from '../../src/theme/cell-colors';
import { legendColumnWidth } from '../../src/ui/export-png-size';
import { browserSuiteOptions, chromiumForTests, openPage, root, waitForCoverage, waitForGaps } from './harness';
import { browserSuite } from './suite';

// The PNG export at a chosen size: drawn on a map of its own at that size, the district fitted clear
// of the legend's column, the "neither" swatch hatched as on the map.

const executable = chromiumForTests();

/** A colour with alpha as it shows over white. */
function onWhite([r, g, b, a]: readonly number[]): number[] {
  return [r, g, b].map((value) => Math.round((value * a) / 255 + 255 * (1 - a / 255)));
}

/** PNG width and height from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Counts, in the page, pixels of `png` near `colour` inside each rectangle. */
function countIn(
  page: Page,
  png: Buffer,
  colour: number[],
  tolerance: number,
  rects: { x: number; y: number; width: number; height: number }[],
): Promise<number[]> {
  return page.evaluate(
    async ({ base64, colour, tolerance, rects }) => {
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      return rects.map((rect) => {
        const { data } = context.getImageData(rect.x, rect.y, rect.width, rect.height);
        let count = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (
            Math.abs(data[i] - colour[0]) <= tolerance &&
            Math.abs(data[i + 1] - colour[1]) <= tolerance &&
            Math.abs(data[i + 2] - colour[2]) <= tolerance
          )
            count++;
        }
        return count;
      });
    },
    { base64: png.toString('base64'), colour, tolerance, rects },
  );
}

describe.skipIf(!executable)('PNG export at a chosen size in Chromium', browserSuiteOptions, () => {
  const suite = browserSuite(executable);
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'greenreach-png-'));
  }, 300_000);

  afterAll(async () => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('exports 1600 × 1200 and 3000 × 2000 with the district clear of the legend and a hatched swatch', async () => {
    const { page, context, consoleErrors } = await openPage(suite.browser, `${suite.url}?lang=en`, { locale: 'en-GB' });
    await waitForCoverage(page, 180_000);
    await waitForGaps(page);
    const save = async (size: string): Promise<Buffer> => {
      await page.getByTestId('png-size').selectOption(size);
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 240_000 }),
        page.getByTestId('export-png').click(),
      ]);
      expect(download.suggestedFilename()).toContain(size);
      const path = join(work, download.suggestedFilename());
      await download.saveAs(path);
      mkdirSync(join(root, 'test-output'), { recursive: true });
      copyFileSync(path, join(root, `test-output/export-${size}.png`));
      return readFileSync(path);
    };

    const png = await save('1600x1200');
    expect(pngSize(png)).toEqual({ width: 1600, height: 1200 });
    const column = legendColumnWidth(1600);
    const both = onWhite(cellStateColors.both);
    // Below the legend box, the legend's column holds no cells; right of it the district is drawn.
    const [inColumn, beside] = await countIn(page, png, both, 16, [
      { x: 0, y: 260, width: column, height: 1200 - 260 - 60 },
      { x: column + 10, y: 0, width: 1600 - column - 10, height: 1200 },
    ]);
    expect(inColumn).toBeLessThan(50);
    expect(beside).toBeGreaterThan(20_000);
    // The "neither" swatch (4th row of the legend) shows its colour and the white hatching.
    const swatch = { x: 21, y: 101, width: 20, height: 12 };
    const [neither] = await countIn(page, png, onWhite(cellStateColors.neither), 30, [swatch]);
    const [white] = await countIn(page, png, [255, 255, 255], 40, [swatch]);
    expect(neither).toBeGreaterThan(20);
    expect(white).toBeGreaterThan(20);

    const large = await save('3000x2000');
    expect(pngSize(large)).toEqual({ width: 3000, height: 2000 });
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 600_000);
});
