import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitForBasemap, writeSampleBasemap } from './basemap-sample';
import { browserSuiteOptions, chromiumForTests, openPage, waitForCoverage } from './harness';
import { browserSuite } from './suite';

// A planner's basemap travels: by URL in the shareable link (a recipient with a fresh browser sees it),
// and in the project file (a small archive inside it; a large one named, and the colleague is told, in
// their language, which file to pick again). Each recipient is a new browser profile (no IndexedDB).

const executable = chromiumForTests();

/** Whether the page's map draws the planner's basemap, and which one the panel says is in use. */
const inUse = (page: import('playwright-core').Page) => page.getByTestId('basemap-in-use').textContent();

describe.skipIf(!executable)('the basemap in the link and the project file', browserSuiteOptions, () => {
  const suite = browserSuite(executable);
  let sample: ReturnType<typeof writeSampleBasemap>;

  beforeAll(async () => {
    sample = writeSampleBasemap('basemap-link');
  }, 300_000);

  it('a basemap by URL goes into the link and comes back when the link is opened elsewhere', async () => {
    const planner = await openPage(suite.browser, `${suite.url}?lang=en&data=data/three-rivers/`, { offline: true });
    await waitForCoverage(planner.page);
    const url = `${suite.url}test-basemap/three-rivers.pmtiles`;
    await planner.page.getByTestId('basemap-url').fill(url);
    await planner.page.getByTestId('basemap-url').press('Enter');
    await waitForBasemap(planner.page, true);
    await expect.poll(() => planner.page.evaluate(() => new URLSearchParams(location.search).get('basemap'))).toBe(url);
    const link = planner.page.url();
    // A picked file cannot travel in a link: the address drops the basemap.
    await planner.page.getByTestId('basemap-file').setInputFiles(sample.path);
    await expect.poll(() => inUse(planner.page)).toContain('three-rivers.pmtiles');
    await expect
      .poll(() => planner.page.evaluate(() => new URLSearchParams(location.search).has('basemap')))
      .toBe(false);
    await planner.page.getByTestId('basemap-remove').click();
    expect(planner.consoleErrors).toEqual([]);
    await planner.context.close();

    const recipient = await openPage(suite.browser, link, { offline: true, locale: 'en-GB' });
    await waitForCoverage(recipient.page);
    await waitForBasemap(recipient.page, true);
    expect(await inUse(recipient.page)).toContain(url);
    expect(await recipient.page.getByTestId('layer-streets').locator('xpath=..').textContent()).toBe('Basemap');
    expect(recipient.requests.filter((address) => address === url).length).toBeGreaterThan(1);
    await recipient.page.screenshot({ path: join(sample.output, 'link-recipient.png') });
    expect(recipient.consoleErrors).toEqual([]);
    await recipient.context.close();

    // A link naming another host over plain http is refused, said, and nothing is fetched from it.
    const foreign = 'http://tiles.example.invalid/city.pmtiles';
    const refused = await openPage(
      suite.browser,
      `${suite.url}?lang=zh&data=data/three-rivers/&basemap=${encodeURIComponent(foreign)}`,
      { offline: true },
    );
    await waitForCoverage(refused.page);
    await expect
      .poll(() => refused.page.getByTestId('basemap-error').textContent())
      .toContain('链接中的底图只能来自 https 网址或本服务器');
    expect(await refused.page.getByTestId('basemap-error').textContent()).toContain(foreign);
    expect(refused.requests.filter((address) => new URL(address).hostname === 'tiles.example.invalid')).toEqual([]);
    await refused.context.close();
  }, 600_000);

  it('the project file holds a small archive and names a large one, which the colleague is asked to pick again', async () => {
    const save = async (page: import('playwright-core').Page, name: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('project-save').click()]);
      const path = join(sample.output, name);
      await download.saveAs(path);
      return path;
    };
    const planner = await openPage(suite.browser, `${suite.url}?lang=en&data=data/three-rivers/`, { offline: true });
    await waitForCoverage(planner.page);
    await planner.page.getByTestId('basemap-file').setInputFiles(sample.path);
    await waitForBasemap(planner.page, true);
    const small = await save(planner.page, 'project-small-basemap.zip');
    // Past the 8 MiB limit: the same archive with padding after its tiles (still a valid archive).
    const padded = Buffer.concat([Buffer.from(sample.archive), Buffer.alloc(9 * 1024 * 1024)]);
    await planner.page
      .getByTestId('basemap-file')
      .setInputFiles({ name: 'big-city.pmtiles', mimeType: 'application/octet-stream', buffer: padded });
    await expect.poll(() => inUse(planner.page)).toContain('big-city.pmtiles');
    const large = await save(planner.page, 'project-large-basemap.zip');
    expect(planner.consoleErrors).toEqual([]);
    await planner.context.close();

    const colleague = await openPage(suite.browser, `${suite.url}?lang=en&data=data/three-rivers/`, { offline: true });
    const { page } = colleague;
    await waitForCoverage(page);
    await page.getByTestId('project-open').setInputFiles(small);
    await page.getByTestId('project-message').waitFor({ timeout: 180_000 });
    await waitForBasemap(page, true);
    expect(await inUse(page)).toContain('three-rivers.pmtiles');
    expect(await page.getByTestId('project-message').textContent()).not.toContain('pick that file again');

    await page.getByTestId('project-open').setInputFiles(large);
    await expect
      .poll(() => page.getByTestId('project-message').textContent(), { timeout: 180_000 })
      .toContain('big-city.pmtiles (9.1 MB), too large (over 8.0 MB) to be kept in the project: pick that file again');
    // In Chinese too (opening the project then puts its own language, English, back).
    await page.getByTestId('language').click();
    await page.getByTestId('project-open').setInputFiles(large);
    await expect
      .poll(() => page.getByTestId('project-message').textContent(), { timeout: 180_000 })
      .toContain('big-city.pmtiles（9.1 MB），文件太大（超过 8.0 MB）未存入项目：请在“底图”面板中重新选择该文件');
    await waitForCoverage(page);
    // Picked again: the same name and size are taken as that file, and opening the project asks no more.
    await page
      .getByTestId('basemap-file')
      .setInputFiles({ name: 'big-city.pmtiles', mimeType: 'application/octet-stream', buffer: padded });
    await expect.poll(() => inUse(page)).toContain('big-city.pmtiles');
    await page.getByTestId('project-open').setInputFiles(large);
    await expect
      .poll(() => page.getByTestId('project-message').textContent(), { timeout: 180_000 })
      .toMatch(/^Opened project-large-basemap\.zip/);
    expect(await page.getByTestId('project-message').textContent()).not.toContain('pick that file again');
    expect(await inUse(page)).toContain('big-city.pmtiles');
    await page.getByTestId('basemap-remove').click();
    await waitForBasemap(page, false);
    expect(colleague.consoleErrors).toEqual([]);
  }, 600_000);
});
