import { describe, expect, it } from 'vitest';
import {
  addFeature,
  buildCoverage,
  type CoverageLayers,
  prepareGreenFeature,
  presetRules,
  snapshotCoverage,
} from '../../src/coverage';
import { compareWalk } from '../../src/coverage/walk-comparison';
import { walkStateColors } from '../../src/theme/cell-colors';
import {
  browserSuiteOptions,
  centreMapOn,
  chromiumForTests,
  openPage,
  readDemoLayer,
  screenshotPixels,
  waitForCoverage,
  waitForMapIdle,
} from './harness';
import { browserSuite } from './suite';

// Walking distance on the demo district (its streets, a river with few bridges, a railway with few
// crossings): the planner switches to it, the figures change to the engine's, the "walk vs straight
// line" view shows the cells the walk loses, and hover gives both distances.

const executable = chromiumForTests();

describe.skipIf(!executable)('walking distance in Chromium', browserSuiteOptions, () => {
  const suite = browserSuite(executable);

  it('switches to the walk: the engine’s figures, the cells the walk loses, both distances on hover', async () => {
    const { page, consoleErrors } = await openPage(suite.browser, `${suite.url}?lang=en&cell=40`);
    await waitForCoverage(page);
    const straight = await page.evaluate(() => window.__greenreach!.summary!.city);
    await page.getByTestId('distance-network').check();
    await page.waitForFunction(() => window.__greenreach?.rules?.distance === 'network', null, { polling: 50 });
    await waitForCoverage(page, 120_000);
    const walk = await page.evaluate(() => window.__greenreach!.summary!.city);
    expect(page.url()).toContain('distance=network');

    // The same figures as the engine computes in Node on the demo's layers.
    const layers: CoverageLayers = {
      communities: readDemoLayer('communities')!,
      residential: readDemoLayer('residential'),
      greenways: readDemoLayer('greenways')!,
      greenspaces: readDemoLayer('greenspaces')!,
      streets: readDemoLayer('streets'),
      barriers: readDemoLayer('barriers'),
      entrances: readDemoLayer('entrances'),
    };
    const rules = { ...presetRules('chengdu'), distance: 'network' as const };
    const result = snapshotCoverage(buildCoverage(layers, rules, 40), {});
    expect(walk).toEqual(result.summary.city);
    // Walking never reaches more homes than the straight line.
    expect(walk.cellsMeetingBoth).toBeLessThan(straight.cellsMeetingBoth);
    const comparison = compareWalk(result)!;
    expect(comparison.city.cellsLostOnFoot).toBeGreaterThan(0);

    // The "walk vs straight line" view: its legend counts the lost cells, and they are drawn.
    await page.getByTestId('layer-walkDifference').check();
    await expect
      .poll(() => page.getByTestId('walk-lost-cells').textContent())
      .toContain(new Intl.NumberFormat('en-GB').format(comparison.city.cellsLostOnFoot));
    // Centre on a lost cell and look for its colour on screen.
    const lost = comparison.lostOnFoot.indexOf(1);
    const index = result.cellIndex[lost];
    const { grid } = result;
    const centre = [
      grid.west + ((index % grid.columns) + 0.5) * grid.longitudeStep,
      grid.south + (Math.floor(index / grid.columns) + 0.5) * grid.latitudeStep,
    ];
    await centreMapOn(page, centre, 16);
    await page.waitForFunction(() => window.__greenreachMap?.isCellsDrawn(), null, { polling: 50 });
    await waitForMapIdle(page);
    const box = (await page.locator('section.map').boundingBox())!;
    const size = 12;
    const pixels = await screenshotPixels(page, {
      x: box.x + box.width / 2 - size / 2,
      y: box.y + box.height / 2 - size / 2,
      width: size,
      height: size,
    });
    const [r, g, b] = walkStateColors.lostOnFoot;
    let purple = 0;
    for (let p = 0; p < pixels.length; p += 4) {
      // Blended over the light basemap: redder and bluer than green, as the lost colour is.
      if (pixels[p] > pixels[p + 1] + 20 && pixels[p + 2] > pixels[p + 1] + 20) purple++;
    }
    expect([r, b].every((channel) => channel > g)).toBe(true);
    expect(purple).toBeGreaterThan((size * size) / 4);

    // Hover over that cell: both distances, on foot and in a straight line.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('cell-park').textContent()).toMatch(/on foot, .* straight/);

    // A pocket park drawn where the walk fails: the worker's incremental walk equals the engine's.
    const [longitude, latitude] = centre;
    await page.evaluate(
      ([lng, lat]) => window.__greenreach!.scenario!.controller.addPocketPark(lng, lat, 'walk park'),
      [longitude, latitude],
    );
    await page.waitForFunction(
      () => {
        const state = window.__greenreach!.scenario!.controller.store.get();
        return (
          state.synced && state.features.length === 1 && state.result !== window.__greenreach!.app.store.get().baseline
        );
      },
      null,
      { polling: 50, timeout: 60_000 },
    );
    const added = await page.evaluate(() => window.__greenreach!.scenario!.lastAdded!.feature);
    const scenarioCity = await page.evaluate(
      () => window.__greenreach!.scenario!.controller.store.get().result!.summary.city,
    );
    const model = buildCoverage(layers, rules, 40);
    const prepared = prepareGreenFeature(added, model.nextFeatureId, 'greenspaces', 0);
    if (prepared) addFeature(model, prepared);
    expect(scenarioCity).toEqual(snapshotCoverage(model, {}).summary.city);
    expect(scenarioCity.cellsMeetingBoth).toBeGreaterThan(walk.cellsMeetingBoth);
    expect(consoleErrors).toEqual([]);
  }, 300_000);
});
