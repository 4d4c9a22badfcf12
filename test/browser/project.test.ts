import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection } from 'geojson';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionBounds } from '../../src/coverage/geometry';
import {
  browserSuiteOptions,
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  openPage,
  readDemoLayer,
  startServer,
  stopProcess,
  waitForCoverage,
} from './harness';

// The project file: the planner saves the working state; a colleague (a fresh browser profile, no
// IndexedDB) opens it and sees the same rules, figures, scenario and view, and still sees them after a
// reload (the opened layers are kept in IndexedDB like imported ones).

const executable = chromiumForTests();

/** A pocket park at the centre of every demo community: the planner's own layer, unlike the demo's. */
function ownParks(): FeatureCollection {
  const features = readDemoLayer('communities')!.features.map((community, index): Feature => {
    const [west, south, east, north] = collectionBounds({ type: 'FeatureCollection', features: [community] })!;
    const lng = (west + east) / 2;
    const lat = (south + north) / 2;
    const half = 0.0006;
    return {
      type: 'Feature',
      properties: { name: `Own park ${index}`, kind: 'park' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [lng - half, lat - half],
            [lng + half, lat - half],
            [lng + half, lat + half],
            [lng - half, lat + half],
            [lng - half, lat - half],
          ],
        ],
      },
    };
  });
  return { type: 'FeatureCollection', features };
}

describe.skipIf(!executable)('project file in Chromium', browserSuiteOptions, () => {
  let browser: Browser;
  let server: { url: string; process: ChildProcess };
  let work: string;

  beforeAll(async () => {
    buildIfStale();
    server = await startServer();
    browser = await launchBrowser(executable!);
    work = mkdtempSync(join(tmpdir(), 'greenreach-project-'));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    stopProcess(server?.process);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('saves the state as one zip and opens it in another browser as it was', async () => {
    const planner = await openPage(browser, `${server.url}?lang=en`, { locale: 'en-GB' });
    const { page } = planner;
    await waitForCoverage(page, 180_000);
    const parks = ownParks();
    await page.getByTestId('import-file').setInputFiles({
      name: 'own-parks.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify(parks)),
    });
    await page.waitForFunction(
      () => !document.querySelector<HTMLButtonElement>('[data-testid=import-confirm]')?.disabled,
    );
    await page.getByTestId('import-role').selectOption('greenspaces');
    await page.getByTestId('import-confirm').click();
    await page.waitForFunction(
      (count) => window.__greenreach!.state().data!.greenspaces.features.length === count,
      parks.features.length,
    );
    await page.evaluate(() => window.__greenreach!.app.setPreset('who'));
    await page.waitForFunction(
      () => window.__greenreach!.rules?.id === 'who' && window.__greenreach!.state().status === 'ready',
    );
    await page.evaluate(() => {
      const hook = window.__greenreach!;
      const [west, south, east, north] = hook.state().result!.communities[3].bbox;
      hook.scenario!.controller.addPocketPark((west + east) / 2, (south + north) / 2, 'Shared park');
    });
    const saved = await page.evaluate(() => ({
      summary: window.__greenreach!.app.store.get().baseline!.summary.city,
      scenario: window.__greenreach!.scenario!.controller.store.get().features.map((f) => f.feature.properties),
      view: window.__greenreach!.state().view,
    }));
    expect(saved.scenario).toHaveLength(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('project-save').click()]);
    expect(download.suggestedFilename()).toMatch(/^greenreach-project-.*\.zip$/);
    const path = join(work, download.suggestedFilename());
    await download.saveAs(path);
    expect(planner.consoleErrors).toEqual([]);
    await planner.context.close();

    const colleague = await openPage(browser, `${server.url}?lang=zh`, { locale: 'zh-CN' });
    const other = colleague.page;
    await waitForCoverage(other, 180_000);
    expect(await other.evaluate(() => window.__greenreach!.rules!.id)).toBe('chengdu');
    await other.getByTestId('project-open').setInputFiles(path);
    await other.getByTestId('project-message').waitFor({ timeout: 180_000 });
    expect(await other.getByTestId('project-message').getAttribute('role')).toBe('status');
    await waitForCoverage(other, 180_000);
    const opened = await other.evaluate(() => ({
      rules: window.__greenreach!.rules!.id,
      language: window.__greenreach!.state().language,
      summary: window.__greenreach!.app.store.get().baseline!.summary.city,
      scenarios: window.__greenreach!.scenario!.controller.store.get().scenarios.map((s) => s.name),
      features: window.__greenreach!.scenario!.controller.store.get().features.map((f) => f.feature.properties),
      view: window.__greenreach!.state().view,
    }));
    expect(opened.rules).toBe('who');
    expect(opened.language).toBe('en');
    expect(opened.summary).toEqual(saved.summary);
    expect(opened.features).toEqual(saved.scenario);
    expect(opened.scenarios.length).toBeGreaterThanOrEqual(1);
    if (saved.view) {
      expect(opened.view!.zoom).toBeCloseTo(saved.view.zoom, 1);
      expect(opened.view!.longitude).toBeCloseTo(saved.view.longitude, 3);
    }
    expect(await other.evaluate(() => window.__greenreach!.state().data!.greenspaces.features.length)).toBe(
      parks.features.length,
    );

    // A reload: the project's layers, rules and scenario, not the demo.
    await other.evaluate(() => window.__greenreach!.scenario!.controller.flushSave());
    await other.reload();
    await waitForCoverage(other, 180_000);
    const reloaded = await other.evaluate(() => ({
      rules: window.__greenreach!.rules!.id,
      greenspaces: window.__greenreach!.state().data!.greenspaces.features.length,
      summary: window.__greenreach!.app.store.get().baseline!.summary.city,
      scenarios: window
        .__greenreach!.scenario!.controller.store.get()
        .scenarios.map((scenario) => scenario.features.map((feature) => feature.feature.properties)),
    }));
    expect(reloaded.rules).toBe('who');
    expect(reloaded.greenspaces).toBe(parks.features.length);
    expect(reloaded.summary).toEqual(saved.summary);
    expect(reloaded.scenarios).toContainEqual(saved.scenario);
    expect(await other.getByTestId('imported-note').textContent()).toContain(download.suggestedFilename());
    expect(colleague.consoleErrors).toEqual([]);
    await colleague.context.close();
  }, 500_000);
});
