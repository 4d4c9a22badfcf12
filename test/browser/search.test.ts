import { describe, expect, it } from 'vitest';
import {
  browserSuiteOptions,
  chromiumForTests,
  openPage,
  screenshotPixels,
  waitForCoverage,
  waitForGaps,
  waitForMapIdle,
} from './harness';
import { browserSuite } from './suite';

// The header's search, driven by keyboard only: pinyin initials find a community, arrows move,
// Enter flies there and selects it, Escape closes and then clears.

const executable = chromiumForTests();

describe.skipIf(!executable)('search in Chromium', browserSuiteOptions, () => {
  const suite = browserSuite(executable);

  it('finds a community by pinyin initials and a gap by number, by keyboard, and flies to them', async () => {
    const { page, context, consoleErrors } = await openPage(suite.browser, `${suite.url}?lang=en`, { locale: 'en-GB' });
    await waitForCoverage(page, 180_000);
    await waitForGaps(page);
    const target = await page.evaluate(() => {
      const communities = window.__greenreach!.state().result!.communities;
      const index = communities.findIndex((community) => community.name === '龙潭社区');
      return { index, bbox: communities[index].bbox };
    });
    expect(target.index).toBeGreaterThanOrEqual(0);

    const input = page.getByTestId('search-input');
    await input.focus();
    await page.keyboard.type('ltsq');
    // Pinyin loads on the first query; then the community is the first result.
    const first = page.getByTestId('search-result').first();
    await expect.poll(() => first.textContent(), { timeout: 30_000 }).toContain('Longtan');
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe('search-result-0');
    const count = await page.getByTestId('search-result').count();
    await page.keyboard.press('ArrowDown');
    expect(await input.getAttribute('aria-activedescendant')).toBe(count > 1 ? 'search-result-1' : 'search-result-0');
    await page.keyboard.press('ArrowUp');
    expect(await input.getAttribute('aria-activedescendant')).toBe('search-result-0');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => window.__greenreach!.state().selectedCommunity)).toBe(target.index);
    expect(await page.evaluate(() => window.__greenreach!.state().cameraRequest?.bbox)).toEqual(target.bbox);
    await waitForMapIdle(page);
    const centre = await page.evaluate(() => window.__greenreachMap!.map.getCenter().toArray());
    expect(centre[0]).toBeGreaterThan(target.bbox[0]);
    expect(centre[0]).toBeLessThan(target.bbox[2]);
    expect(centre[1]).toBeGreaterThan(target.bbox[1]);
    expect(centre[1]).toBeLessThan(target.bbox[3]);
    expect(await page.locator('#search-results').count()).toBe(0);

    // A gap area by number; Escape closes the list, a second Escape clears the box.
    await input.fill('');
    await page.keyboard.type('gap 1');
    await expect.poll(() => first.textContent()).toContain('Gap 1');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => window.__greenreach!.state().selectedGap)).toBe(0);
    await page.keyboard.type('0');
    expect(await page.locator('#search-results').count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(await page.locator('#search-results').count()).toBe(0);
    await page.keyboard.press('Escape');
    expect(await input.inputValue()).toBe('');
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 300_000);
  it('a green space or street found by name is outlined on the map (all parts of a street), until something else is chosen', async () => {
    const { page, context, consoleErrors } = await openPage(suite.browser, `${suite.url}?lang=en`, { locale: 'en-GB' });
    await waitForCoverage(page, 180_000);
    // A named green space and the street name with the most parts, from the page's own data.
    const targets = await page.evaluate(() => {
      const data = window.__greenreach!.state().data!;
      const park = data.greenspaces.features.findIndex((feature) => typeof feature.properties?.name_en === 'string');
      const parts = new Map<string, number[]>();
      for (const [index, feature] of (data.streets?.features ?? []).entries()) {
        const name = feature.properties?.name_en;
        if (typeof name === 'string') parts.set(name, [...(parts.get(name) ?? []), index]);
      }
      const [street, indexes] = [...parts.entries()].sort((a, b) => b[1].length - a[1].length)[0];
      return { park, parkName: data.greenspaces.features[park].properties!.name_en as string, street, indexes };
    });
    expect(targets.park).toBeGreaterThanOrEqual(0);
    expect(targets.indexes.length).toBeGreaterThan(1);
    const box = (await page.locator('section.map').boundingBox())!;
    const magenta = async () => {
      const pixels = await screenshotPixels(page, box);
      let count = 0;
      for (let i = 0; i < pixels.length; i += 4)
        if (pixels[i] > 200 && pixels[i + 1] < 60 && pixels[i + 2] > 100 && pixels[i + 2] < 180) count++;
      return count;
    };
    const input = page.getByTestId('search-input');
    const choose = async (query: string, expected: string) => {
      await input.fill('');
      await input.focus();
      await page.keyboard.type(query);
      await expect
        .poll(() => page.getByTestId('search-result').first().textContent(), { timeout: 30_000 })
        .toContain(expected);
      await page.keyboard.press('Enter');
      await waitForMapIdle(page);
    };
    expect(await magenta()).toBeLessThan(50);
    await choose(targets.parkName, targets.parkName);
    expect(await page.evaluate(() => window.__greenreach!.state().highlightedFeatures)).toEqual({
      layer: 'greenspaces',
      indexes: [targets.park],
    });
    expect(await magenta(), 'the green space is outlined').toBeGreaterThan(200);
    await choose(targets.street, targets.street);
    expect(await page.evaluate(() => window.__greenreach!.state().highlightedFeatures)).toEqual({
      layer: 'streets',
      indexes: targets.indexes,
    });
    expect(await magenta(), 'the street is drawn').toBeGreaterThan(200);
    // A community chosen next: the street's outline goes.
    await choose('ltsq', 'Longtan');
    expect(await page.evaluate(() => window.__greenreach!.state().highlightedFeatures)).toBeNull();
    expect(await magenta()).toBeLessThan(50);
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 300_000);
});
