import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoverageSummary, describeRules, type RuleSet } from '../../src/coverage';
import { cellStateColors } from '../../src/theme/cell-colors';
import { formatCount, formatShare } from '../../src/ui/i18n';
import { totalsShares, uncoveredResidents } from '../../src/ui/summary-panel';
import {
  browserSuiteOptions,
  chromiumForTests,
  openPage,
  root,
  startServer,
  stopProcess,
  testBuild,
  waitForCoverage,
  waitForGaps,
} from './harness';
import { browserSuite } from './suite';

// The printable report (?report): a PDF from headless Chromium, read back as text (pdftotext) and as
// pictures (pdftoppm), as a planner would print it.

const executable = chromiumForTests();
const poppler = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Decodes a PNG in the page: width, height and RGBA bytes. */
async function decodePng(page: Page, path: string): Promise<{ width: number; height: number; data: number[] }> {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    return {
      width: bitmap.width,
      height: bitmap.height,
      data: Array.from(context.getImageData(0, 0, bitmap.width, bitmap.height).data),
    };
  }, readFileSync(path).toString('base64'));
}

/** A legend swatch's colour as printed on white paper. */
function onWhite([r, g, b, a]: readonly number[]): [number, number, number] {
  const alpha = a / 255;
  return [r, g, b].map((value) => Math.round(value * alpha + 255 * (1 - alpha))) as [number, number, number];
}

function countNear(data: number[], colour: readonly number[], tolerance = 14): number {
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
}

describe.skipIf(!executable || !poppler)('printable report in Chromium', browserSuiteOptions, () => {
  const suite = browserSuite(executable);
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'greenreach-report-'));
  }, 300_000);

  afterAll(async () => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Opens a report URL, waits until it is ready, prints it and converts its pages. */
  async function printReport(search: string, name: string, origin = suite.url) {
    const { page, context, consoleErrors } = await openPage(suite.browser, `${origin}${search}`, { locale: 'en-GB' });
    await page.waitForFunction(() => document.documentElement.dataset.report, null, { timeout: 240_000, polling: 100 });
    expect(await page.evaluate(() => document.documentElement.dataset.report)).toBe('ready');
    const summary = (await page.evaluate(() => window.__greenreach!.summary)) as CoverageSummary;
    const rules = (await page.evaluate(() => window.__greenreach!.rules)) as RuleSet;
    const pdf = join(work, `${name}.pdf`);
    writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    execFileSync('pdftoppm', ['-png', '-r', '110', pdf, join(work, name)]);
    const pages = readdirSync(work)
      .filter((file) => file.startsWith(`${name}-`) && file.endsWith('.png'))
      .sort()
      .map((file) => join(work, file));
    if (process.env.REPORT_KEEP) for (const file of pages) execFileSync('cp', [file, process.env.REPORT_KEEP]);
    return { page, context, consoleErrors, summary, rules, text, pages };
  }

  it('prints the district report: map, legend colours, title, rules and the app’s figures', async () => {
    const report = await printReport('?report&lang=en&paper=a4&orientation=landscape', 'district');
    const { page, summary, rules, text, pages } = report;
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('Green-space access report');
    expect(text).toContain(rules.name.en);
    const description = describeRules(rules, 'en').replace(/\s+/g, ' ');
    expect(text).toContain(description.slice(0, 40));
    const shares = totalsShares(summary.city);
    for (const figure of [shares.green, shares.park, shares.both]) expect(text).toContain(formatShare(figure));
    expect(text).toContain(formatCount('en', summary.city.population));
    expect(text).toContain(formatCount('en', uncoveredResidents(summary.city)));
    expect(text).toContain('Top 10 gap areas by residents');
    expect(text).toContain('Synthetic demo data');

    const first = await decodePng(page, pages[0]);
    // A4 landscape at 110 dpi.
    expect(first.width).toBeGreaterThan(first.height);
    // The map frame (left part of the page under the title) is drawn: mostly not white paper, and its
    // residential cells are there in the state colours (over a near-white basemap).
    const { width, height, data } = first;
    const region: number[] = [];
    for (let y = Math.round(height * 0.25); y < Math.round(height * 0.85); y += 2) {
      for (let x = Math.round(width * 0.06); x < Math.round(width * 0.66); x += 2) {
        const i = (y * width + x) * 4;
        region.push(data[i], data[i + 1], data[i + 2], 255);
      }
    }
    const samples = region.length / 4;
    let drawn = 0;
    for (let i = 0; i < region.length; i += 4)
      if (region[i] < 245 || region[i + 1] < 245 || region[i + 2] < 245) drawn++;
    expect(drawn / samples).toBeGreaterThan(0.5);
    expect(countNear(region, onWhite(cellStateColors.both), 22) / samples).toBeGreaterThan(0.05);
    expect(countNear(region, onWhite(cellStateColors.neither), 30) / samples).toBeGreaterThan(0.003);
    // Every legend swatch's colour is on the page (the "neither" swatch between its hatching).
    for (const state of ['both', 'greenOnly', 'parkOnly', 'neither'] as const) {
      expect(countNear(data, onWhite(cellStateColors[state])), state).toBeGreaterThan(40);
    }
    // The map image itself is at print resolution (≥ 200 dpi over the frame's millimetres).
    const image = await page.evaluate(() => {
      const element = document.querySelector<HTMLImageElement>('[data-testid=report-map-image]')!;
      return { natural: element.naturalWidth, css: element.getBoundingClientRect().width };
    });
    expect((image.natural / (image.css / 96)) | 0).toBeGreaterThanOrEqual(200);
    expect(report.consoleErrors).toEqual([]);
    await report.context.close();
  }, 400_000);

  it('prints a community page in Chinese on A3 portrait: its figures and nearest parks', async () => {
    const report = await printReport('?report&lang=zh&community=0&paper=a3&orientation=portrait', 'community');
    const { page, summary, text, pages } = report;
    const first = await decodePng(page, pages[0]);
    expect(first.height).toBeGreaterThan(first.width);
    const name = await page.evaluate(() => window.__greenreach!.state().result!.communities[0].name);
    expect(text).toContain(`社区报告：${name}`);
    const shares = totalsShares(summary.communities[0]);
    for (const figure of [shares.green, shares.park, shares.both]) expect(text).toContain(formatShare(figure));
    expect(text).toContain('最近的公园');
    expect(await page.getByTestId('report-parks').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(report.consoleErrors).toEqual([]);
    await report.context.close();
  }, 400_000);

  it('credits OpenStreetMap under the ODbL when the data set comes from OSM (Three Rivers)', async () => {
    // The app build with the Three Rivers sample beside the demo, served from a copy.
    const site = join(work, 'site');
    cpSync(testBuild, site, { recursive: true });
    cpSync(join(root, 'data/three-rivers'), join(site, 'data/three-rivers'), { recursive: true });
    const other = await startServer(site);
    try {
      const report = await printReport('?report&lang=en&data=data/three-rivers/', 'osm', other.url);
      expect(report.text).toContain('© OpenStreetMap contributors, ODbL 1.0');
      expect(report.text).toContain('ODbL-1.0');
      expect(report.text).toContain('Three Rivers');
      expect(report.text).not.toContain('Synthetic demo data');
      expect(report.consoleErrors).toEqual([]);
      await report.context.close();
    } finally {
      stopProcess(other.process);
    }
  }, 400_000);
  it('the link carries the open scenario: its report shows the scenario’s figures; a browser without it (or without the imported layers) is told', async () => {
    const { page, context, consoleErrors } = await openPage(suite.browser, `${suite.url}?lang=en`, { locale: 'en-GB' });
    await waitForCoverage(page, 180_000);
    await waitForGaps(page);
    // Two pocket parks at the centres of the two largest gap areas, then the scenario saved.
    const added = await page.evaluate(async () => {
      const hooks = window.__greenreach!;
      const controller = hooks.scenario!.controller;
      controller.rename('Riverside plan');
      for (const area of hooks.state().gaps!.areas.slice(0, 2))
        controller.addPocketPark((area.bbox[0] + area.bbox[2]) / 2, (area.bbox[1] + area.bbox[3]) / 2, 'New park');
      return controller.store.get().features.length;
    });
    expect(added).toBe(2);
    await page.waitForFunction(() => {
      const state = window.__greenreach!.scenario!.controller.store.get();
      return state.synced && state.features.length === 2 && state.result !== state.resultBaseline;
    });
    const scenario = await page.evaluate(async () => {
      const controller = window.__greenreach!.scenario!.controller;
      await controller.flushSave();
      const state = controller.store.get();
      return { id: state.activeId!, city: state.result!.summary.city, baseline: state.resultBaseline!.summary.city };
    });
    expect(scenario.city.cellsMeetingBoth).toBeGreaterThan(scenario.baseline.cellsMeetingBoth);
    await expect.poll(() => new URL(page.url()).searchParams.get('scenario')).toBe(scenario.id);
    const link = new URL(page.url()).search.slice(1);

    // The report of that link in the same browser: the scenario named, its figures (not the baseline's).
    const reportPage = await context.newPage();
    await reportPage.goto(`${suite.url}?report&${link}`);
    await reportPage.waitForFunction(() => document.documentElement.dataset.report, null, { timeout: 240_000 });
    expect(await reportPage.evaluate(() => document.documentElement.dataset.report)).toBe('ready');
    expect(await reportPage.getByTestId('report-scenario').textContent()).toContain(
      'Scenario: Riverside plan (2 planned green spaces',
    );
    expect(await reportPage.evaluate(() => window.__greenreach!.summary!.city)).toEqual(scenario.city);
    const pdf = join(work, 'scenario.pdf');
    writeFileSync(pdf, await reportPage.pdf({ preferCSSPageSize: true, printBackground: true }));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Scenario: Riverside plan');
    expect(text).toContain(formatShare(totalsShares(scenario.city).both));
    expect(consoleErrors).toEqual([]);
    await context.close();

    // A colleague's browser (a fresh profile): the report says the scenario is missing and shows the baseline…
    const elsewhere = await printReport(`?report&${link}`, 'scenario-missing');
    expect(await elsewhere.page.getByTestId('report-scenario-missing').textContent()).toContain(scenario.id);
    expect(elsewhere.summary.city).toEqual(scenario.baseline);
    await elsewhere.context.close();
    // …and so does the planner, in the interface language.
    const planner = await openPage(suite.browser, `${suite.url}?${link.replace('lang=en', 'lang=zh')}`);
    await waitForCoverage(planner.page, 180_000);
    await expect
      .poll(() => planner.page.getByTestId('scenario-link-missing').textContent())
      .toContain(`此链接打开的方案（${scenario.id}）未保存在本浏览器中`);
    await planner.context.close();

    // A link made with imported layers: the sender's address says so, a recipient without them is told.
    const sender = await openPage(suite.browser, `${suite.url}?lang=en&layer:greenspaces=data/demo/greenspaces.fgb`);
    await waitForCoverage(sender.page, 180_000);
    await sender.page.getByTestId('imported-note').waitFor();
    await expect.poll(() => new URL(sender.page.url()).searchParams.get('imported')).toBe('greenspaces');
    const importedLink = new URL(sender.page.url()).search;
    await sender.context.close();
    const recipient = await openPage(suite.browser, `${suite.url}${importedLink}`, { locale: 'en-GB' });
    await waitForCoverage(recipient.page, 180_000);
    expect(await recipient.page.getByTestId('linked-layers-missing').textContent()).toContain(
      'This link was made with imported layers (Green spaces and parks)',
    );
    expect(recipient.consoleErrors).toEqual([]);
    await recipient.context.close();
  }, 600_000);
});
