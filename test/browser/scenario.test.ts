import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import geographiclib from 'geographiclib-geodesic';
import type { Feature, FeatureCollection, Geometry, LineString, Polygon, Position } from 'geojson';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  addFeature,
  buildCoverage,
  type CoverageModel,
  type CoverageTotals,
  prepareGreenFeature,
  type RuleSet,
  summarizeCoverage,
} from '../../src/coverage';
import { SitePlaces } from '../../src/coverage/site-places';
import type { SuggestedSite } from '../../src/coverage/suggest';
import { squareSite } from '../../src/coverage/suggest-sites';
import { editableParts, hasCrossingRings, ringsCross } from '../../src/geometry/vertex-handles';
import { writeFlatGeobuf } from '../../src/io/flatgeobuf-write';
import { cellState, cellStateColors } from '../../src/theme/cell-colors';
import { formatCount, t } from '../../src/ui/i18n';
import '../../src/ui/messages-later';
import {
  browserSuiteOptions,
  buildIfStale,
  centreMapOn,
  chromiumForTests,
  launchBrowser,
  openPage,
  type RecordedPage,
  readDemoLayer,
  root,
  screenshotPixels,
  startServer,
  stopProcess,
  unnamedControls,
  waitForCoverage,
  waitForGaps,
  waitForMapIdle,
} from './harness';

const testTimeoutMs = 300_000;
const executable = chromiumForTests();

const readLayer = readDemoLayer;
const wgs84 = geographiclib.Geodesic.WGS84;

/** The demo data's model in Node (the CLI's path), for the same rules and cell size as the page. */
function engineModel(rules: RuleSet, cellMeters: number): CoverageModel {
  return buildCoverage(
    {
      communities: readLayer('communities')!,
      residential: readLayer('residential'),
      greenways: readLayer('greenways')!,
      greenspaces: readLayer('greenspaces')!,
    },
    rules,
    cellMeters,
  );
}

function addToModel(model: CoverageModel, layer: 'greenspaces' | 'greenways', feature: Feature): void {
  const prepared = prepareGreenFeature(feature, model.nextFeatureId, layer, 0);
  if (prepared) addFeature(model, prepared);
}

function uncovered(totals: CoverageTotals): number {
  return totals.population !== null && totals.populationMeetingBoth !== null
    ? totals.population - totals.populationMeetingBoth
    : totals.cells - totals.cellsMeetingBoth;
}

interface PageScenario {
  features: number;
  synced: boolean;
  city: CoverageTotals | null;
  baselineCity: CoverageTotals | null;
  changed: number;
}

function scenarioState(page: Page): Promise<PageScenario> {
  return page.evaluate(() => {
    const controller = window.__greenreach!.scenario!.controller;
    const state = controller.store.get();
    // The scenario's result (the baseline's while the worker holds none of its features).
    const baseline = window.__greenreach!.app.store.get().baseline;
    return {
      features: state.features.length,
      synced: state.synced && window.__greenreach!.state().status === 'ready',
      city: (state.result ?? baseline)?.summary.city ?? null,
      baselineCity: baseline?.summary.city ?? null,
      changed: state.changedCells?.length ?? 0,
    };
  });
}

/** Waits until the worker holds the scenario's `count` features and the page shows their result. */
async function waitForScenario(page: Page, count: number): Promise<PageScenario> {
  await page.waitForFunction(
    (expected) => {
      const hook = window.__greenreach?.scenario;
      if (!hook) return false;
      const state = hook.controller.store.get();
      return (
        state.features.length === expected &&
        state.synced &&
        state.result !== null &&
        window.__greenreach!.state().status === 'ready' &&
        window.__greenreach!.state().result === state.result
      );
    },
    count,
    { polling: 50, timeout: 60_000 },
  );
  return scenarioState(page);
}

/** Waits until the worker holds the scenario as it is now (also in the middle of a drag) and returns its figures. */
async function waitForSynced(page: Page): Promise<{ city: CoverageTotals; features: Feature[] }> {
  await page.waitForFunction(
    () => {
      const state = window.__greenreach?.scenario?.controller.store.get();
      return Boolean(state?.synced && state.result && window.__greenreach!.state().status === 'ready');
    },
    null,
    { polling: 50, timeout: 60_000 },
  );
  return page.evaluate(() => {
    const state = window.__greenreach!.scenario!.controller.store.get();
    return { city: state.result!.summary.city, features: state.features.map((f) => f.feature) };
  });
}

/** The page's scenario features (GeoJSON, in order). */
function pageFeatures(page: Page): Promise<{ key: string; layer: 'greenspaces' | 'greenways'; feature: Feature }[]> {
  return page.evaluate(() =>
    window.__greenreach!.scenario!.controller.store.get().features.map((f) => ({
      key: f.key,
      layer: f.layer,
      feature: f.feature,
    })),
  );
}

/** The vertices of a feature's first ring or line (a ring without its closing repeat). */
function verticesOf(geometry: Geometry): Position[] {
  return editableParts(geometry)[0].vertices;
}

/** Viewport pixel of a longitude/latitude on the map. */
async function viewportPixel(page: Page, position: Position): Promise<[number, number]> {
  const box = (await page.locator('section.map').boundingBox())!;
  const [x, y] = await page.evaluate(([lng, lat]) => window.__greenreachMap!.project(lng, lat), position);
  return [box.x + x, box.y + y];
}

/** Longitude/latitude under a viewport pixel. */
async function lngLatAt(page: Page, pixel: [number, number]): Promise<Position> {
  const box = (await page.locator('section.map').boundingBox())!;
  return page.evaluate(
    ([x, y]) => {
      const point = window.__greenreachMap!.map.unproject([x, y]);
      return [point.lng, point.lat];
    },
    [pixel[0] - box.x, pixel[1] - box.y],
  );
}

/** Opens a new, empty scenario and waits until it is in step and the gap areas are known. */
async function startNewScenario(page: Page): Promise<void> {
  await page.evaluate(() => window.__greenreach!.scenario!.controller.newScenario());
  await waitForScenario(page, 0);
  await waitForGaps(page);
}

/** Centre of the cell of a gap area nearest the area's bounding-box centre (longitude, latitude). */
function gapCentre(page: Page, rank: number): Promise<Position> {
  return page.evaluate((rank) => {
    const state = window.__greenreach!.state();
    const result = state.result!;
    const gaps = state.gaps!;
    const area = gaps.areas[rank];
    const cx = (area.bbox[0] + area.bbox[2]) / 2;
    const cy = (area.bbox[1] + area.bbox[3]) / 2;
    const { grid, cellIndex } = result;
    let best: [number, number] | null = null;
    let bestDistance = Infinity;
    for (let k = 0; k < cellIndex.length; k++) {
      if (gaps.cellGap[k] !== rank) continue;
      const row = Math.floor(cellIndex[k] / grid.columns);
      const column = cellIndex[k] - row * grid.columns;
      const x = grid.west + (column + 0.5) * grid.longitudeStep;
      const y = grid.south + (row + 0.5) * grid.latitudeStep;
      const distance = Math.hypot((x - cx) * Math.cos((cy * Math.PI) / 180), y - cy);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = [x, y];
      }
    }
    return best!;
  }, rank);
}

/** Points at the centres of six gap areas, two 50 m parcels at two more, and a 10 m parcel (too small). */
async function gapCandidates(
  page: Page,
): Promise<{ points: Position[]; parcels: Polygon[]; candidates: FeatureCollection }> {
  const points: Position[] = [];
  for (let rank = 0; rank < 6; rank++) points.push(await gapCentre(page, rank));
  const parcels: Polygon[] = [];
  for (const [rank, side] of [
    [6, 50],
    [7, 50],
    [8, 10],
  ]) {
    const [lng, lat] = await gapCentre(page, rank);
    parcels.push(squareSite(lng, lat, side, 'pocket_park').geometry);
  }
  const candidates: FeatureCollection = {
    type: 'FeatureCollection',
    features: [
      ...points.map(
        (coordinates, i): Feature => ({
          type: 'Feature',
          properties: { name: `point ${i}` },
          geometry: { type: 'Point', coordinates },
        }),
      ),
      ...parcels.map((geometry, i): Feature => ({ type: 'Feature', properties: { name: `parcel ${i}` }, geometry })),
    ],
  };
  return { points, parcels, candidates };
}

/** The candidate file input's button: its text, the input's opacity and whether focusing the input rings the button. */
async function candidateFileButton(page: Page): Promise<{ text: string; opacity: string; focused: boolean }> {
  const input = page.getByTestId('candidate-file');
  await input.focus();
  return input.evaluate((element) => {
    const button = element.closest('label.file-button');
    return {
      text: button?.textContent ?? '(no .file-button)',
      opacity: getComputedStyle(element).opacity,
      focused: button?.matches(':focus-within') ?? false,
    };
  });
}

/**
 * Which candidate each suggested site lies on ("parcel 0", "point 3"): a parcel's site is the parcel (the same
 * vertices), a point's site a square centred on it. Fails the test for a site on no candidate.
 */
function sitesOnCandidates(
  sites: { rank: number; feature: Feature }[],
  points: Position[],
  parcels: Polygon[],
): string[] {
  const vertexSet = (geometry: Geometry) =>
    verticesOf(geometry)
      .map(([x, y]) => `${x.toFixed(7)},${y.toFixed(7)}`)
      .sort()
      .join(' ');
  // The 10 m parcel is below the park area: never a site.
  const parcelSets = parcels.slice(0, 2).map(vertexSet);
  const on: string[] = [];
  for (const site of sites) {
    const parcel = parcelSets.indexOf(vertexSet(site.feature.geometry));
    if (parcel >= 0) {
      on.push(`parcel ${parcel}`);
      continue;
    }
    const corners = verticesOf(site.feature.geometry);
    const centre = [(corners[0][0] + corners[2][0]) / 2, (corners[0][1] + corners[2][1]) / 2];
    const point = points.findIndex((p) => Math.abs(p[0] - centre[0]) < 1e-6 && Math.abs(p[1] - centre[1]) < 1e-6);
    expect(point, `site ${site.rank} lies on no candidate`).toBeGreaterThanOrEqual(0);
    on.push(`point ${point}`);
  }
  return on;
}

/**
 * What a suggested site's list entry must say, worked out in Node from the demo layers: the community holding
 * the site's centre (turf's point-in-polygon), the nearest named street, and the homes it sits on (a
 * brute-force count of the residential cells whose centre lies in the site, and their residents).
 */
function expectedSiteEntry(site: SuggestedSite, model: CoverageModel) {
  const ring = (site.feature.geometry as Polygon).coordinates[0];
  const centre = [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2];
  const community = readLayer('communities')!.features.find((feature) =>
    booleanPointInPolygon(centre, feature as Feature<Polygon>),
  );
  const street = new SitePlaces(readLayer('communities'), readLayer('streets')).placeOf(site.feature).street;
  let cells = 0;
  let residents = 0;
  model.residentialCells.forEach((index, k) => {
    const row = Math.floor(index / model.grid.columns);
    const column = index - row * model.grid.columns;
    const cellCentre = [
      model.grid.west + (column + 0.5) * model.grid.longitudeStep,
      model.grid.south + (row + 0.5) * model.grid.latitudeStep,
    ];
    if (!booleanPointInPolygon(cellCentre, site.feature)) return;
    cells++;
    residents += model.cellPopulation?.[k] ?? 0;
  });
  return { community: community?.properties ?? null, street, cells, residents: Math.round(residents * 10) / 10 };
}

/** The homes line of a site's entry in the interface language, for `cells` residential cells and `residents`. */
function homesText(language: 'zh' | 'en', cells: number, residents: number): string {
  const text =
    cells === 1 ? t(language, 'siteHomesOne') : t(language, 'siteHomes', { cells: formatCount(language, cells) });
  return cells === 0
    ? text
    : `⚠ ${text}${t(language, 'siteHomesResidents', { residents: formatCount(language, residents) })}`;
}

describe.skipIf(!executable)('scenarios in Chromium', browserSuiteOptions, () => {
  let browser: Browser;
  let server: ChildProcess | undefined;
  let origin = '';
  let recorded: RecordedPage;
  let page: Page;
  let rules: RuleSet;
  let cellMeters: number;
  let parkFeature: Feature;

  beforeAll(async () => {
    buildIfStale();
    const started = await startServer();
    server = started.process;
    origin = started.url;
    browser = await launchBrowser(executable!);
    recorded = await openPage(browser, origin, { locale: 'en-GB' });
    page = recorded.page;
    await waitForCoverage(page);
    await waitForGaps(page);
  }, 240_000);

  afterAll(async () => {
    await recorded?.context.close().catch(() => undefined);
    await browser?.close();
    stopProcess(server);
  }, 30_000);

  // The suite shares one page: after a failure it is opened afresh, so one broken page (seen once in CI
  // at a high load) neither fails every later test nor the retry of the same one.
  let previousFailed = false;
  beforeEach(async (context) => {
    context.onTestFailed(() => {
      previousFailed = true;
    });
    if (!previousFailed) return;
    previousFailed = false;
    await recorded.context.close().catch(() => undefined);
    recorded = await openPage(browser, origin, { locale: 'en-GB' });
    page = recorded.page;
    await waitForCoverage(page);
    await waitForGaps(page);
  }, 240_000);

  it(
    'a pocket park placed in a gap with the tool lowers the uncovered count by exactly what the engine computes; undo and redo restore the figures',
    async () => {
      rules = (await page.evaluate(() => window.__greenreach!.rules))!;
      cellMeters = (await page.evaluate(() => window.__greenreach!.cellMeters))!;
      // The cell of the largest gap area nearest its centre.
      const target = await gapCentre(page, 0);
      await centreMapOn(page, target, 15.5);
      const box = (await page.locator('section.map').boundingBox())!;
      const [x, y] = await page.evaluate(([lng, lat]) => window.__greenreachMap!.project(lng, lat), target);
      const before = await scenarioState(page);
      expect(before.features).toBe(0);

      await page.getByTestId('tool-park').click();
      await page.mouse.click(box.x + x, box.y + y);
      const after = await waitForScenario(page, 1);
      parkFeature = (await page.evaluate(() => window.__greenreach!.scenario!.lastAdded!.feature))!;
      expect(parkFeature.geometry.type).toBe('Polygon');

      // The same square in Node: the engine's figures before and after.
      const model = engineModel(rules, cellMeters);
      const nodeBefore = summarizeCoverage(model).city;
      addToModel(model, 'greenspaces', parkFeature);
      const nodeAfter = summarizeCoverage(model).city;
      expect(after.baselineCity).toEqual(nodeBefore);
      expect(after.city).toEqual(nodeAfter);
      const drop = uncovered(nodeBefore) - uncovered(nodeAfter);
      expect(drop).toBeGreaterThan(0);
      expect(uncovered(after.baselineCity!) - uncovered(after.city!)).toBe(drop);
      expect(after.changed).toBeGreaterThan(0);
      console.log(
        `pocket park: uncovered ${uncovered(nodeBefore).toFixed(1)} → ${uncovered(nodeAfter).toFixed(1)} (−${drop.toFixed(1)}), ${after.changed} cells changed`,
      );

      // Undo (Ctrl+Z) returns exactly to the baseline's figures; redo (Ctrl+Shift+Z) to the park's.
      await page.getByTestId('tool-pan').click();
      await page.locator('section.map').focus();
      await page.keyboard.press('Control+z');
      const undone = await waitForScenario(page, 0);
      expect(undone.city).toEqual(nodeBefore);
      expect(undone.changed).toBe(0);
      await page.keyboard.press('Control+Shift+z');
      const redone = await waitForScenario(page, 1);
      expect(redone.city).toEqual(nodeAfter);
      // The buttons do the same.
      await page.getByTestId('undo').click();
      expect((await waitForScenario(page, 0)).city).toEqual(nodeBefore);
      await page.getByTestId('redo').click();
      expect((await waitForScenario(page, 1)).city).toEqual(nodeAfter);
      // Before/after toggle: the summary shows the baseline, then the scenario again.
      const shownCity = () => page.evaluate(() => window.__greenreach!.state().result!.summary.city);
      await page.getByTestId('show-baseline').check();
      await expect.poll(shownCity).toEqual(nodeBefore);
      await page.getByTestId('show-baseline').uncheck();
      await expect.poll(shownCity).toEqual(nodeAfter);
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'dragging the park sends edits at most once a frame and ends on the engine figures for the final position',
    async () => {
      const box = (await page.locator('section.map').boundingBox())!;
      const centre = (parkFeature.geometry as GeoJSON.Polygon).coordinates[0]
        .slice(0, 4)
        .reduce((sum, [lng, lat]) => [sum[0] + lng / 4, sum[1] + lat / 4], [0, 0]);
      const [x, y] = await page.evaluate(([lng, lat]) => window.__greenreachMap!.project(lng, lat), centre);
      const editsBefore = await page.evaluate(() => window.__greenreach!.scenario!.editTimesMs.length);
      await page.getByTestId('tool-select').click();
      await page.mouse.move(box.x + x, box.y + y);
      await page.mouse.down();
      const steps = 12;
      for (let step = 1; step <= steps; step++) {
        await page.mouse.move(box.x + x + step * 8, box.y + y + step * 4);
      }
      await page.mouse.up();
      const moved = await waitForScenario(page, 1);
      const { feature, editTimes } = await page.evaluate(() => ({
        feature: window.__greenreach!.scenario!.controller.store.get().features[0].feature,
        editTimes: window.__greenreach!.scenario!.editTimesMs,
      }));
      const dragEdits = editTimes.slice(editsBefore);
      expect(dragEdits.length).toBeGreaterThan(0);
      expect(dragEdits.length).toBeLessThanOrEqual(steps);
      expect(feature.geometry).not.toEqual(parkFeature.geometry);
      const model = engineModel(rules, cellMeters);
      addToModel(model, 'greenspaces', feature);
      expect(moved.city).toEqual(summarizeCoverage(model).city);
      const sorted = [...dragEdits].sort((a, b) => a - b);
      console.log(
        `drag: ${steps} pointer moves → ${dragEdits.length} edits (remove + add); engine time per edit median ${sorted[sorted.length >> 1].toFixed(2)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms`,
      );
      // One undo step for the whole drag.
      await page.getByTestId('undo').click();
      const back = await waitForScenario(page, 1);
      const original = engineModel(rules, cellMeters);
      addToModel(original, 'greenspaces', parkFeature);
      expect(back.city).toEqual(summarizeCoverage(original).city);
    },
    testTimeoutMs,
  );

  it(
    'reshaping with the mouse: a vertex drag updates coverage while dragging and is one undo step, a midpoint drag inserts a vertex, a double-click deletes one, a polygon keeps three',
    async () => {
      const [{ key, feature: original }] = await pageFeatures(page);
      expect(original.geometry).toEqual(parkFeature.geometry);
      const corners = verticesOf(original.geometry);
      expect(corners.length).toBe(4);
      const centre = corners.reduce((sum, [lng, lat]) => [sum[0] + lng / 4, sum[1] + lat / 4], [0, 0]);
      // Zoomed in so that the 32 m square is about 60 px wide: vertex and midpoint handles lie well apart.
      await centreMapOn(page, centre, 17);
      const cityOf = (geometry: Geometry) => {
        const model = engineModel(rules, cellMeters);
        addToModel(model, 'greenspaces', { ...original, geometry });
        return summarizeCoverage(model).city;
      };
      const before = await waitForSynced(page);
      expect(before.city).toEqual(cityOf(original.geometry));

      // Select the park (a click on it), then drag its north-east corner out.
      await page.getByTestId('tool-select').click();
      const [cx, cy] = await viewportPixel(page, centre);
      await page.mouse.click(cx, cy);
      await page.waitForFunction((k) => window.__greenreach!.scenario!.controller.store.get().selectedKey === k, key);
      await page.getByTestId('reshape-help').waitFor();
      const [vx, vy] = await viewportPixel(page, corners[2]);
      const editsBefore = await page.evaluate(() => window.__greenreach!.scenario!.editTimesMs.length);
      await page.mouse.move(vx, vy);
      await page.mouse.down();
      const steps = 10;
      for (let step = 1; step <= steps / 2; step++) await page.mouse.move(vx + step * 25, vy - step * 15);
      // Still dragging: the worker has already been brought to an intermediate shape, with the engine's figures.
      await page.waitForFunction(
        ([k, e, x]) => {
          const scenario = window.__greenreach!.scenario!;
          const feature = scenario.controller.store.get().features.find((f) => f.key === k)!.feature;
          return scenario.editTimesMs.length > e && (feature.geometry as GeoJSON.Polygon).coordinates[0][2][0] !== x;
        },
        [key, editsBefore, corners[2][0]] as const,
      );
      const during = await waitForSynced(page);
      const duringGeometry = during.features[0].geometry;
      expect(duringGeometry).not.toEqual(original.geometry);
      expect(during.city).toEqual(cityOf(duringGeometry));
      for (let step = steps / 2 + 1; step <= steps; step++) await page.mouse.move(vx + step * 25, vy - step * 15);
      await page.mouse.up();
      const reshaped = await waitForScenario(page, 1);
      const [{ feature: pulled }] = await pageFeatures(page);
      const pulledCorners = verticesOf(pulled.geometry);
      expect(pulledCorners.length).toBe(4);
      // Only the dragged corner moved, to where the pointer let go.
      expect([pulledCorners[0], pulledCorners[1], pulledCorners[3]]).toEqual([corners[0], corners[1], corners[3]]);
      const released = await lngLatAt(page, [vx + steps * 25, vy - steps * 15]);
      expect(Math.abs(pulledCorners[2][0] - released[0])).toBeLessThan(2e-5);
      expect(Math.abs(pulledCorners[2][1] - released[1])).toBeLessThan(2e-5);
      expect(reshaped.city).toEqual(cityOf(pulled.geometry));
      expect(reshaped.city).not.toEqual(before.city);
      const reshapeEdits = (await page.evaluate(() => window.__greenreach!.scenario!.editTimesMs)).slice(editsBefore);
      expect(reshapeEdits.length).toBeGreaterThan(1);
      expect(reshapeEdits.length).toBeLessThanOrEqual(steps);
      const sorted = [...reshapeEdits].sort((a, b) => a - b);
      console.log(
        `reshape (vertex drag): ${steps} pointer moves → ${reshapeEdits.length} edits; engine time per edit median ${sorted[sorted.length >> 1].toFixed(2)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms; cells meeting both ${before.city.cellsMeetingBoth} → ${reshaped.city!.cellsMeetingBoth}`,
      );

      // The whole drag is one undo step; redo brings the reshaped park back.
      await page.getByTestId('undo').click();
      expect((await waitForScenario(page, 1)).city).toEqual(before.city);
      expect((await pageFeatures(page))[0].feature.geometry).toEqual(original.geometry);
      await page.getByTestId('redo').click();
      expect((await waitForScenario(page, 1)).city).toEqual(reshaped.city);
      expect((await pageFeatures(page))[0].feature.geometry).toEqual(pulled.geometry);

      // Dragging the midpoint of the south side inserts a vertex there.
      await page.evaluate((k) => window.__greenreach!.scenario!.controller.select(k), key);
      const south: Position = [
        (pulledCorners[0][0] + pulledCorners[1][0]) / 2,
        (pulledCorners[0][1] + pulledCorners[1][1]) / 2,
      ];
      const [mx, my] = await viewportPixel(page, south);
      await page.mouse.move(mx, my);
      await page.mouse.down();
      for (let step = 1; step <= 6; step++) await page.mouse.move(mx + step * 2, my + step * 12);
      await page.mouse.up();
      const inserted = await waitForScenario(page, 1);
      const [{ feature: five }] = await pageFeatures(page);
      const fiveVertices = verticesOf(five.geometry);
      expect(fiveVertices.length).toBe(5);
      expect([fiveVertices[0], fiveVertices[2], fiveVertices[3], fiveVertices[4]]).toEqual(pulledCorners);
      expect(fiveVertices[1][1]).toBeLessThan(pulledCorners[0][1]);
      expect(inserted.city).toEqual(cityOf(five.geometry));
      expect(await page.getByTestId('selected-vertex').textContent()).toContain('Vertex 2 of 5');

      // A double-click on the new vertex deletes it: the shape is the one before the insertion again.
      const [nx, ny] = await viewportPixel(page, fiveVertices[1]);
      await page.mouse.dblclick(nx, ny);
      await page.waitForFunction(
        () =>
          (window.__greenreach!.scenario!.controller.store.get().features[0].feature.geometry as GeoJSON.Polygon)
            .coordinates[0].length === 5,
      );
      const deleted = await waitForScenario(page, 1);
      expect((await pageFeatures(page))[0].feature.geometry).toEqual(pulled.geometry);
      expect(deleted.city).toEqual(reshaped.city);

      // Down to a triangle; a triangle keeps its three vertices.
      const [wx, wy] = await viewportPixel(page, pulledCorners[3]);
      await page.mouse.dblclick(wx, wy);
      await page.waitForFunction(
        () =>
          (window.__greenreach!.scenario!.controller.store.get().features[0].feature.geometry as GeoJSON.Polygon)
            .coordinates[0].length === 4,
      );
      const triangle = await waitForScenario(page, 1);
      const [{ feature: three }] = await pageFeatures(page);
      expect(verticesOf(three.geometry)).toEqual(pulledCorners.slice(0, 3));
      expect(triangle.city).toEqual(cityOf(three.geometry));
      const [tx, ty] = await viewportPixel(page, pulledCorners[0]);
      const editsNow = await page.evaluate(() => window.__greenreach!.scenario!.editTimesMs.length);
      await page.mouse.dblclick(tx, ty);
      await page.getByTestId('selected-vertex').getByText('A polygon keeps at least 3 vertices').waitFor();
      // Delete with a vertex selected removes the vertex, not the feature; a triangle refuses.
      await page.locator('section.map').focus();
      await page.keyboard.press('Delete');
      expect(await waitForScenario(page, 1)).toEqual(triangle);
      expect((await pageFeatures(page))[0].feature.geometry).toEqual(three.geometry);
      expect(await page.evaluate(() => window.__greenreach!.scenario!.editTimesMs.length)).toBe(editsNow);
      parkFeature = three;
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'the scenario survives a reload (IndexedDB autosave), reshaped geometry included',
    async () => {
      const saved = await page.evaluate(async () => {
        const controller = window.__greenreach!.scenario!.controller;
        await controller.flushSave();
        return controller.store.get().activeId;
      });
      await page.reload();
      await waitForCoverage(page);
      const restored = await waitForScenario(page, 1);
      expect(await page.evaluate(() => window.__greenreach!.scenario!.controller.store.get().activeId)).toBe(saved);
      // The triangle left by the reshaping test, as it was.
      expect((await pageFeatures(page))[0].feature.geometry).toEqual(parkFeature.geometry);
      expect(verticesOf(parkFeature.geometry).length).toBe(3);
      const model = engineModel(rules, cellMeters);
      addToModel(model, 'greenspaces', parkFeature);
      expect(restored.city).toEqual(summarizeCoverage(model).city);
      // A crash-like reload (no pagehide flush needed): the debounced autosave already wrote it.
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'reshaping never makes a park cross itself (a drag across the opposite side stops at the last valid shape, with the reason shown); the keyboard selects a vertex with ] and moves it by 1 m (Shift: 10 m), one undo step a press, on the engine figures',
    async () => {
      // A second pocket park, in another gap, so that the shapes are plain squares.
      await waitForGaps(page);
      const target = await gapCentre(page, 1);
      await centreMapOn(page, target, 17);
      await page.getByTestId('tool-park').click();
      await page.mouse.click(...(await viewportPixel(page, target)));
      await waitForScenario(page, 2);
      const key = await page.evaluate(() => window.__greenreach!.scenario!.lastAdded!.key);
      const geometryOfPark = async () => (await pageFeatures(page)).find((f) => f.key === key)!.feature.geometry;
      const square = await geometryOfPark();
      const corners = verticesOf(square);
      expect(corners.length).toBe(4);
      await page.getByTestId('tool-select').click();
      await page.mouse.click(...(await viewportPixel(page, [(corners[0][0] + corners[2][0]) / 2, target[1]])));
      await page.waitForFunction((k) => window.__greenreach!.scenario!.controller.store.get().selectedKey === k, key);
      const help = await page.getByTestId('reshape-help').textContent();
      expect(help).toContain('[ and ] select the previous or next vertex');
      expect(help).toContain('arrow keys move it 1 m (Shift: 10 m)');

      // Drag the north-east corner west, past the west side at mid-height: the moves beyond it are refused.
      const [vx, vy] = await viewportPixel(page, corners[2]);
      const [westX] = await viewportPixel(page, corners[3]);
      const [, middleY] = await viewportPixel(page, [corners[3][0], (corners[0][1] + corners[3][1]) / 2]);
      const end: [number, number] = [westX - 30, middleY];
      const steps = 10;
      await page.mouse.move(vx, vy);
      await page.mouse.down();
      for (let step = 1; step <= steps; step++)
        await page.mouse.move(vx + ((end[0] - vx) * step) / steps, vy + ((end[1] - vy) * step) / steps);
      // Still dragging: the reason is shown and the shape is simple.
      await page.getByTestId('reshape-refused').getByText("A park's outline can't cross itself").waitFor();
      expect(ringsCross(await geometryOfPark(), [0])).toBe(false);
      await page.mouse.up();
      await waitForScenario(page, 2);
      const held = await geometryOfPark();
      const heldCorners = verticesOf(held);
      expect(hasCrossingRings(held)).toBe(false);
      // The corner moved (the valid part of the drag), but stayed east of the west side the pointer went past.
      const released = await lngLatAt(page, end);
      expect(released[0]).toBeLessThan(corners[3][0]);
      expect(heldCorners[2]).not.toEqual(corners[2]);
      expect(heldCorners[2][0]).toBeGreaterThan(corners[3][0]);
      expect([heldCorners[0], heldCorners[1], heldCorners[3]]).toEqual([corners[0], corners[1], corners[3]]);
      expect((await waitForSynced(page)).city).toEqual(await nodeCityOfPage());
      expect(await page.getByTestId('reshape-refused').count()).toBe(1);

      // A valid drag still works (out beyond the original corner) and clears the message.
      const [hx, hy] = await viewportPixel(page, heldCorners[2]);
      const outward: [number, number] = [vx + 20, vy - 20];
      await page.mouse.move(hx, hy);
      await page.mouse.down();
      for (let step = 1; step <= 6; step++)
        await page.mouse.move(hx + ((outward[0] - hx) * step) / 6, hy + ((outward[1] - hy) * step) / 6);
      await page.mouse.up();
      await page.getByTestId('reshape-refused').waitFor({ state: 'detached' });
      await waitForScenario(page, 2);
      const pulled = await geometryOfPark();
      const pulledCorners = verticesOf(pulled);
      const outwardLngLat = await lngLatAt(page, outward);
      expect(Math.abs(pulledCorners[2][0] - outwardLngLat[0])).toBeLessThan(2e-5);
      expect(Math.abs(pulledCorners[2][1] - outwardLngLat[1])).toBeLessThan(2e-5);
      expect(hasCrossingRings(pulled)).toBe(false);
      expect((await waitForSynced(page)).city).toEqual(await nodeCityOfPage());

      // Keyboard: a click on the north-west corner selects it; ] steps (wrapping) to the first vertex.
      await page.mouse.click(...(await viewportPixel(page, pulledCorners[3])));
      await expect.poll(() => page.getByTestId('selected-vertex').textContent()).toContain('Vertex 4 of 4');
      await page.keyboard.press(']');
      await expect.poll(() => page.getByTestId('selected-vertex').textContent()).toContain('Vertex 1 of 4');
      const mapCentre = () => page.evaluate(() => window.__greenreachMap!.map.getCenter().toArray());
      const centreBefore = await mapCentre();
      const metres = (from: Position, to: Position) => wgs84.Inverse(from[1], from[0], to[1], to[0]).s12!;
      /** Presses a key and waits until the first vertex has moved and the worker holds the new shape. */
      const pressAndWait = async (keys: string) => {
        const before = verticesOf(await geometryOfPark())[0];
        await page.keyboard.press(keys);
        await page.waitForFunction(
          ([k, x, y]) => {
            const feature = window.__greenreach!.scenario!.controller.store.get().features.find((f) => f.key === k)!;
            const first = (feature.feature.geometry as GeoJSON.Polygon).coordinates[0][0];
            return first[0] !== x || first[1] !== y;
          },
          [key, before[0], before[1]] as const,
        );
        const city = (await waitForSynced(page)).city;
        const after = await geometryOfPark();
        expect(hasCrossingRings(after)).toBe(false);
        expect(city).toEqual(await nodeCityOfPage());
        return { before, after: verticesOf(after)[0], geometry: after, city };
      };
      // ArrowRight: 1 m east (the latitude is kept exactly; 7 decimals put the step within 1 cm).
      const east = await pressAndWait('ArrowRight');
      expect(east.after[1]).toBe(east.before[1]);
      expect(east.after[0]).toBeGreaterThan(east.before[0]);
      expect(Math.abs(metres(east.before, east.after) - 1)).toBeLessThan(0.01);
      // Shift+ArrowDown: 10 m south.
      const south = await pressAndWait('Shift+ArrowDown');
      expect(south.after[0]).toBe(south.before[0]);
      expect(south.after[1]).toBeLessThan(south.before[1]);
      expect(Math.abs(metres(south.before, south.after) - 10)).toBeLessThan(0.01);
      // The other vertices did not move, and the arrow keys did not pan the map.
      expect(verticesOf(south.geometry).slice(1)).toEqual(pulledCorners.slice(1));
      expect(await mapCentre()).toEqual(centreBefore);
      console.log(
        `vertex keys: 1 m east ${metres(east.before, east.after).toFixed(4)} m, 10 m south ${metres(south.before, south.after).toFixed(4)} m; cells meeting both ${east.city.cellsMeetingBoth} → ${south.city.cellsMeetingBoth}`,
      );
      // One undo step per press: undo takes back the 10 m step only.
      await page.getByTestId('undo').click();
      await waitForScenario(page, 2);
      expect(await geometryOfPark()).toEqual(east.geometry);
      expect((await waitForSynced(page)).city).toEqual(east.city);
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'suggested sites: coverage grows monotonically with N, and accepting the sites one by one never lowers the figures and reproduces their gains',
    async () => {
      await page.evaluate(() => window.__greenreach!.scenario!.controller.newScenario());
      const empty = await waitForScenario(page, 0);
      const base = empty.baselineCity!;
      expect(empty.city).toEqual(base);
      const totals: number[] = [];
      for (const n of [1, 2, 3, 5]) {
        const after = await page.evaluate(
          async (count) => (await window.__greenreach!.scenario!.controller.suggest(count))!.after,
          n,
        );
        totals.push(after.populationMeetingBoth ?? after.cellsMeetingBoth);
      }
      for (let k = 1; k < totals.length; k++) expect(totals[k]).toBeGreaterThanOrEqual(totals[k - 1]);
      expect(totals[0]).toBeGreaterThan(base.populationMeetingBoth ?? base.cellsMeetingBoth);

      // The UI: N = 5, suggest, accept one by one.
      await page.getByTestId('suggest-count').fill('5');
      await page.getByTestId('suggest-count').dispatchEvent('change');
      const started = Date.now();
      await page.getByTestId('suggest').click();
      await page.getByTestId('suggestions').waitFor();
      const suggestMs = Date.now() - started;
      const sites = await page.evaluate(() =>
        window.__greenreach!.scenario!.controller.store.get().suggest.result!.sites.map((site) => ({
          rank: site.rank,
          residents: site.newResidentsCovered,
          cells: site.newCellsCovered,
        })),
      );
      expect(sites.length).toBe(5);
      // Each entry says where the site is and the homes it sits on, in the interface's language.
      const [first] = await page.evaluate(
        () => window.__greenreach!.scenario!.controller.store.get().suggest.result!.sites,
      );
      rules ??= (await page.evaluate(() => window.__greenreach!.rules))!;
      cellMeters ??= (await page.evaluate(() => window.__greenreach!.cellMeters))!;
      const expected = expectedSiteEntry(first, engineModel(rules, cellMeters));
      expect(expected.community).not.toBeNull();
      expect(expected.street).not.toBeNull();
      const place = page.getByTestId('site-place-1');
      const homes = page.getByTestId('site-homes-1');
      expect(await place.textContent()).toBe(
        `in ${expected.community!.name_en}, ${formatCount('en', expected.street!.distanceMeters)} m from ${expected.street!.nameEnglish}`,
      );
      expect(await homes.textContent()).toBe(homesText('en', expected.cells, expected.residents));
      await page.getByTestId('language').click();
      await expect
        .poll(() => place.textContent())
        .toBe(
          `位于${expected.community!.name}，距${expected.street!.name} ${formatCount('zh', expected.street!.distanceMeters)} 米`,
        );
      expect(await homes.textContent()).toBe(homesText('zh', expected.cells, expected.residents));
      await page.getByTestId('language').click();
      await expect.poll(() => place.textContent()).toMatch(/^in /);
      let previous = base;
      let expectedCells = base.cellsMeetingBoth;
      for (const site of sites) {
        await page.getByTestId(`accept-${site.rank}`).click();
        const now = await waitForScenario(page, site.rank);
        expect(now.city!.cellsMeetingBoth).toBeGreaterThanOrEqual(previous.cellsMeetingBoth);
        if (now.city!.populationMeetingBoth !== null) {
          expect(now.city!.populationMeetingBoth).toBeGreaterThanOrEqual(previous.populationMeetingBoth!);
          // Gains are stated at 0.1-resident resolution.
          const gained = now.city!.populationMeetingBoth - previous.populationMeetingBoth!;
          expect(Math.abs(gained - site.residents!)).toBeLessThanOrEqual(0.1 + 1e-9);
        }
        expectedCells += site.cells;
        expect(now.city!.cellsMeetingBoth).toBe(expectedCells);
        previous = now.city!;
      }
      console.log(
        `suggest 5 (UI round trip ${suggestMs} ms): residents meeting both ${base.populationMeetingBoth} → ${previous.populationMeetingBoth}; gains ${sites.map((s) => s.residents).join(', ')}`,
      );
      // An adopted site keeps where it is and what it sits on in the scenario (saved and exported with it).
      const adopted = await page.evaluate(
        () => window.__greenreach!.scenario!.controller.store.get().features[0].feature.properties,
      );
      expect(adopted).toMatchObject({
        community: expected.community!.name,
        community_en: expected.community!.name_en,
        nearest_street: expected.street!.name,
        nearest_street_m: expected.street!.distanceMeters,
        residential_cells_on_site: expected.cells,
      });
      // The compare table lists both scenarios and the baseline.
      await expect.poll(() => page.getByTestId('scenario-compare').locator('tbody tr').count()).toBe(3);
      // Every scenario is under the rules in force: figures for each, the open one's the live ones.
      const compare = page.getByTestId('scenario-compare');
      expect(await compare.textContent()).not.toContain('open to update');
      expect(await compare.locator('tbody tr.active td:nth-child(3)').textContent()).toBe(
        formatCount('en', previous.populationMeetingBoth),
      );
      // Exports: GeoJSON of the five sites and a CSV with a BOM.
      const geojson = await page.evaluate(async () => {
        const link = document.querySelector<HTMLAnchorElement>('[data-testid="export-geojson"]')!;
        return (await fetch(link.href)).text();
      });
      expect(JSON.parse(geojson).features.length).toBe(5);
      const csv = await page.evaluate(async () => {
        const link = document.querySelector<HTMLAnchorElement>('[data-testid="export-csv"]')!;
        return new Uint8Array(await (await fetch(link.href)).arrayBuffer()).slice(0, 3).join(',');
      });
      expect(csv).toBe('239,187,191');
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  /** The engine's city figures in Node with the page's scenario features added in order. */
  async function nodeCityOfPage(): Promise<CoverageTotals> {
    const features = await page.evaluate(() =>
      window
        .__greenreach!.scenario!.controller.store.get()
        .features.map((f) => ({ layer: f.layer, feature: f.feature })),
    );
    const model = engineModel(rules, cellMeters);
    for (const { layer, feature } of features) addToModel(model, layer, feature);
    return summarizeCoverage(model).city;
  }

  it(
    'greenway tool (click points, Enter ends), kind edit and delete each match the engine',
    async () => {
      const start = (await waitForScenario(page, 5)).features;
      const box = (await page.locator('section.map').boundingBox())!;
      await page.getByTestId('tool-greenway').click();
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      await page.mouse.click(cx - 150, cy + 40);
      await page.mouse.click(cx, cy + 120);
      await page.mouse.click(cx + 150, cy + 60);
      await page.keyboard.press('Enter');
      const drawn = await waitForScenario(page, start + 1);
      const greenway = await page.evaluate(() => window.__greenreach!.scenario!.lastAdded!);
      expect(greenway.layer).toBe('greenways');
      expect((greenway.feature.geometry as GeoJSON.LineString).coordinates.length).toBe(3);
      expect(drawn.city).toEqual(await nodeCityOfPage());

      // Kind of the first site: pocket park → micro-green (green, no longer a park).
      await page.getByTestId('tool-select').click();
      await page.evaluate(() => {
        const controller = window.__greenreach!.scenario!.controller;
        controller.select(controller.store.get().features[0].key);
      });
      await page.getByTestId('selected-feature').locator('select').selectOption('micro_green');
      await page.waitForFunction(
        () =>
          window.__greenreach!.scenario!.controller.store.get().features[0].feature.properties?.kind === 'micro_green',
      );
      const rekinded = await waitForScenario(page, start + 1);
      expect(rekinded.city).toEqual(await nodeCityOfPage());
      expect(rekinded.city!.cellsMeetingBoth).toBeLessThanOrEqual(drawn.city!.cellsMeetingBoth);

      await page.getByTestId('delete-feature').click();
      const deleted = await waitForScenario(page, start);
      expect(deleted.city).toEqual(await nodeCityOfPage());
      await waitForMapIdle(page);
      await page.screenshot({ path: join(root, 'test-output/scenario.png') });
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'reshaping a greenway: a midpoint drag adds a vertex, Delete and the panel button remove vertices, a line keeps two',
    async () => {
      const features = await pageFeatures(page);
      const greenway = features.find((f) => f.layer === 'greenways')!;
      const points = (greenway.feature.geometry as LineString).coordinates;
      expect(points.length).toBe(3);
      const lineOfPage = async () =>
        ((await pageFeatures(page)).find((f) => f.key === greenway.key)!.feature.geometry as LineString).coordinates;
      const waitForVertices = (count: number) =>
        page.waitForFunction(
          ([key, n]) =>
            (
              window.__greenreach!.scenario!.controller.store.get().features.find((f) => f.key === key)!.feature
                .geometry as GeoJSON.LineString
            ).coordinates.length === n,
          [greenway.key, count] as const,
        );
      await page.getByTestId('tool-select').click();
      await page.evaluate((key) => window.__greenreach!.scenario!.controller.select(key), greenway.key);

      // The midpoint of the second segment, dragged 80 px up, becomes vertex 3 of 4.
      const [mx, my] = await viewportPixel(page, [
        (points[1][0] + points[2][0]) / 2,
        (points[1][1] + points[2][1]) / 2,
      ]);
      await page.mouse.move(mx, my);
      await page.mouse.down();
      for (let step = 1; step <= 5; step++) await page.mouse.move(mx, my - step * 16);
      await page.mouse.up();
      await waitForVertices(4);
      const added = await waitForScenario(page, features.length);
      const four = await lineOfPage();
      expect([four[0], four[1], four[3]]).toEqual(points);
      expect(added.city).toEqual(await nodeCityOfPage());

      // Delete (the key) removes the selected vertex: the line is as drawn again.
      await page.locator('section.map').focus();
      await page.keyboard.press('Delete');
      await waitForVertices(3);
      const removed = await waitForScenario(page, features.length);
      expect(await lineOfPage()).toEqual(points);
      expect(removed.city).toEqual(await nodeCityOfPage());

      // A click on the first vertex selects it; the panel's button deletes it.
      const [fx, fy] = await viewportPixel(page, points[0]);
      await page.mouse.click(fx, fy);
      await expect.poll(() => page.getByTestId('selected-vertex').textContent()).toContain('Vertex 1 of 3');
      await page.getByTestId('delete-vertex').click();
      await waitForVertices(2);
      const short = await waitForScenario(page, features.length);
      expect(await lineOfPage()).toEqual(points.slice(1));
      expect(short.city).toEqual(await nodeCityOfPage());

      // Two vertices stay: no button, the reason instead, and Delete leaves the line (and the feature) alone.
      const [sx, sy] = await viewportPixel(page, points[1]);
      await page.mouse.click(sx, sy);
      await page.getByTestId('selected-vertex').getByText('A greenway keeps at least 2 vertices').waitFor();
      expect(await page.getByTestId('delete-vertex').count()).toBe(0);
      await page.locator('section.map').focus();
      await page.keyboard.press('Delete');
      expect((await waitForScenario(page, features.length)).city).toEqual(short.city);
      expect(await lineOfPage()).toEqual(points.slice(1));
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'suggestions from an imported candidate layer (FlatGeobuf of points and parcels) all lie on its features; a bad file is refused naming the file, the feature and the problem',
    async () => {
      await startNewScenario(page);
      const { points, parcels, candidates } = await gapCandidates(page);
      // The file input is drawn as a button in the interface's language (not the browser's "Choose File"),
      // the input itself invisible over it and still focusable.
      expect(await candidateFileButton(page)).toEqual({
        text: 'Choose a candidate file…',
        opacity: '0',
        focused: true,
      });
      await page.getByTestId('candidate-file').setInputFiles({
        name: 'candidates.fgb',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from(writeFlatGeobuf(candidates, { spatialIndex: false })),
      });
      await expect
        .poll(() => page.getByTestId('candidate-layer').textContent())
        .toContain('candidates.fgb: 6 points, 3 polygons');
      expect(await page.getByTestId('candidate-source').getAttribute('data-source')).toBe('layer');
      await page.getByTestId('suggest-count').fill('4');
      await page.getByTestId('suggest-count').dispatchEvent('change');
      await page.getByTestId('suggest').click();
      await page.getByTestId('suggestions').waitFor();
      const result = (await page.evaluate(() => window.__greenreach!.scenario!.controller.store.get().suggest.result))!;
      expect(result.latticeSpacing).toBeNull();
      expect(result.candidateCount).toBe(8);
      expect(result.skippedCandidates).toBe(1);
      expect(result.sites.length).toBeGreaterThan(0);
      expect(result.sites.length).toBeLessThanOrEqual(4);
      const on = sitesOnCandidates(result.sites, points, parcels);
      expect(result.after.cellsMeetingBoth).toBeGreaterThan(result.before.cellsMeetingBoth);
      // Candidates on gaps lie on homes: each entry warns with the cells and residents counted in Node.
      rules ??= (await page.evaluate(() => window.__greenreach!.rules))!;
      cellMeters ??= (await page.evaluate(() => window.__greenreach!.cellMeters))!;
      const model = engineModel(rules, cellMeters);
      let cellsOnHomes = 0;
      for (const site of result.sites) {
        const { cells, residents } = expectedSiteEntry(site, model);
        cellsOnHomes += cells;
        expect(await page.getByTestId(`site-homes-${site.rank}`).textContent()).toBe(homesText('en', cells, residents));
      }
      expect(cellsOnHomes).toBeGreaterThan(0);
      console.log(
        `candidate layer: ${result.sites.length} sites on ${on.join(', ')}; cells meeting both ${result.before.cellsMeetingBoth} → ${result.after.cellsMeetingBoth}`,
      );

      // A line among the candidates: the file, the feature and the problem; the loaded layer stays.
      await page.getByTestId('candidate-file').setInputFiles({
        name: 'bad.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(
          JSON.stringify({
            type: 'FeatureCollection',
            features: [
              { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: points[0] } },
              { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: points[1] } },
              {
                type: 'Feature',
                properties: {},
                geometry: { type: 'LineString', coordinates: [points[0], points[1]] },
              },
            ],
          }),
        ),
      });
      await expect
        .poll(() => page.getByTestId('candidate-error').textContent())
        .toBe(
          'bad.geojson: feature 2: geometry is LineString; candidates must be points (Point, MultiPoint) or polygons (Polygon, MultiPolygon)',
        );
      expect(await page.getByTestId('candidate-layer').textContent()).toContain('candidates.fgb');
      // Back to the default source.
      await page.getByTestId('source-land').check();
      expect(await page.getByTestId('candidate-source').getAttribute('data-source')).toBe('land');
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  /** Reloads the page and waits for the coverage and for the saved candidate layer to have been read. */
  async function reloadAndRestore(): Promise<void> {
    await page.reload();
    await waitForCoverage(page);
    await page.locator('[data-testid="candidate-source"][data-restoring="false"]').waitFor();
  }

  /** Waits until the candidate layer's last change is in IndexedDB. */
  function candidateLayerSaved(): Promise<void> {
    return page.evaluate(() => window.__greenreach!.scenario!.controller.candidateLayerSaved());
  }

  it(
    'the imported candidate layer and the chosen source survive a reload (suggestions from the restored layer lie on its features); "Forget this layer" removes it across a reload',
    async () => {
      await waitForGaps(page);
      const { points, parcels, candidates } = await gapCandidates(page);
      await page.getByTestId('candidate-file').setInputFiles({
        name: 'saved-candidates.fgb',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from(writeFlatGeobuf(candidates, { spatialIndex: false })),
      });
      const summary = 'saved-candidates.fgb: 6 points, 3 polygons';
      await expect.poll(() => page.getByTestId('candidate-layer').textContent()).toContain(summary);
      await candidateLayerSaved();

      const reloadStarted = Date.now();
      await reloadAndRestore();
      const restoreMs = Date.now() - reloadStarted;
      expect(await page.getByTestId('candidate-layer').textContent()).toContain(summary);
      expect(await page.getByTestId('candidate-source').getAttribute('data-source')).toBe('layer');
      expect(await page.getByTestId('source-layer').isChecked()).toBe(true);
      await page.getByTestId('suggest-count').fill('4');
      await page.getByTestId('suggest-count').dispatchEvent('change');
      await page.getByTestId('suggest').click();
      await page.getByTestId('suggestions').waitFor();
      const result = (await page.evaluate(() => window.__greenreach!.scenario!.controller.store.get().suggest.result))!;
      expect(result.latticeSpacing).toBeNull();
      expect(result.candidateCount).toBe(8);
      expect(result.sites.length).toBeGreaterThan(0);
      const on = sitesOnCandidates(result.sites, points, parcels);
      console.log(
        `restored candidate layer (reload to restored ${restoreMs} ms): ${result.sites.length} sites on ${on.join(', ')}`,
      );

      // The source is saved with the layer: non-residential land stays chosen, the layer stays offered.
      await page.getByTestId('source-land').check();
      await candidateLayerSaved();
      await reloadAndRestore();
      expect(await page.getByTestId('candidate-source').getAttribute('data-source')).toBe('land');
      expect(await page.getByTestId('candidate-layer').textContent()).toContain(summary);

      // Forget: gone now and after a reload, suggestions from non-residential land.
      await page.getByTestId('source-layer').check();
      await page.getByTestId('candidate-forget').click();
      await page.getByTestId('candidate-layer').waitFor({ state: 'detached' });
      expect(await page.getByTestId('candidate-source').getAttribute('data-source')).toBe('land');
      await candidateLayerSaved();
      await reloadAndRestore();
      expect(await page.getByTestId('candidate-layer').count()).toBe(0);
      expect(await page.getByTestId('candidate-source').getAttribute('data-source')).toBe('land');
      expect(await page.getByTestId('source-layer').isDisabled()).toBe(true);
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'a version-1 scenario database (before the candidate layer store) opens under the new version with its scenario intact; a corrupt saved candidate layer is ignored with a warning',
    async () => {
      await waitForGaps(page);
      rules ??= (await page.evaluate(() => window.__greenreach!.rules))!;
      cellMeters ??= (await page.evaluate(() => window.__greenreach!.cellMeters))!;
      const dataPath = await page.evaluate(() => window.__greenreach!.state().dataPath);
      const [lng, lat] = await gapCentre(page, 3);
      const legacyPark: Feature = {
        ...squareSite(lng, lat, 40, 'pocket_park'),
        properties: { kind: 'pocket_park', name: 'Legacy park' },
      };
      // A fresh profile: its storage is empty, as on a machine that only ever ran the version-1 app.
      // In Chinese: the candidate file button is checked in the interface's other language too.
      const context = await browser.newContext({
        viewport: { width: 1400, height: 900 },
        locale: 'zh-CN',
        reducedMotion: 'reduce',
      });
      context.setDefaultTimeout(120_000);
      const legacyPage = await context.newPage();
      const errors: string[] = [];
      const warnings: string[] = [];
      legacyPage.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
        if (message.type() === 'warning') warnings.push(message.text());
      });
      legacyPage.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      try {
        // A page of the app's origin that does not run the app (the server's 404): the database is written as
        // version 1 wrote it, a `scenarios` store keyed by id and nothing else.
        await legacyPage.goto(`${origin}no-app-here`);
        await legacyPage.evaluate(
          ({ dataPath, feature }) =>
            new Promise<void>((resolve, reject) => {
              const opening = indexedDB.open('greenreach-scenarios', 1);
              opening.onupgradeneeded = () => opening.result.createObjectStore('scenarios', { keyPath: 'id' });
              opening.onerror = () => reject(opening.error);
              opening.onsuccess = () => {
                const database = opening.result;
                const transaction = database.transaction('scenarios', 'readwrite');
                transaction.objectStore('scenarios').put({
                  id: '000000001-v1',
                  name: 'Legacy plan',
                  dataPath,
                  features: [{ key: 'legacy-1', layer: 'greenspaces', feature }],
                  figures: null,
                  updatedAt: 1,
                });
                transaction.oncomplete = () => {
                  database.close();
                  resolve();
                };
                transaction.onerror = () => reject(transaction.error);
              };
            }),
          { dataPath, feature: legacyPark },
        );
        // The 404 page (and its favicon) logged "Failed to load resource": only the app's messages count.
        errors.length = 0;
        await legacyPage.goto(origin);
        await waitForCoverage(legacyPage);
        await legacyPage.waitForFunction(
          () => {
            const state = window.__greenreach?.scenario?.controller.store.get();
            return state?.features.length === 1 && state.synced && window.__greenreach!.state().status === 'ready';
          },
          null,
          { polling: 50, timeout: 60_000 },
        );
        const opened = await legacyPage.evaluate(async () => {
          const state = window.__greenreach!.scenario!.controller.store.get();
          const database = (await indexedDB.databases()).find((d) => d.name === 'greenreach-scenarios');
          return {
            names: state.scenarios.map((scenario) => scenario.name),
            feature: state.features[0].feature,
            city: state.result!.summary.city,
            version: database?.version,
          };
        });
        expect(opened.version).toBe(2);
        expect(opened.names).toEqual(['Legacy plan']);
        expect(opened.feature).toEqual(legacyPark);
        const model = engineModel(rules, cellMeters);
        addToModel(model, 'greenspaces', legacyPark);
        expect(opened.city).toEqual(summarizeCoverage(model).city);

        // A candidate layer record of an unknown format (or corrupt): no layer, non-residential land, a warning.
        await legacyPage.evaluate(
          () =>
            new Promise<void>((resolve, reject) => {
              const opening = indexedDB.open('greenreach-scenarios', 2);
              opening.onerror = () => reject(opening.error);
              opening.onsuccess = () => {
                const database = opening.result;
                const transaction = database.transaction('candidate-layer', 'readwrite');
                transaction.objectStore('candidate-layer').put({ format: 0, features: 'garbage' }, 'current');
                transaction.oncomplete = () => {
                  database.close();
                  resolve();
                };
                transaction.onerror = () => reject(transaction.error);
              };
            }),
        );
        await legacyPage.reload();
        await waitForCoverage(legacyPage);
        await legacyPage.locator('[data-testid="candidate-source"][data-restoring="false"]').waitFor();
        expect(await legacyPage.getByTestId('candidate-layer').count()).toBe(0);
        expect(await legacyPage.getByTestId('candidate-source').getAttribute('data-source')).toBe('land');
        expect(await candidateFileButton(legacyPage)).toEqual({
          text: '选择候选图层文件…',
          opacity: '0',
          focused: true,
        });
        expect(
          warnings.some((text) => text.includes('the saved candidate layer is ignored: unknown record format 0')),
        ).toBe(true);
        // The scenario is still there after the second start under version 2.
        expect(
          await legacyPage.evaluate(() => window.__greenreach!.scenario!.controller.store.get().features.length),
        ).toBe(1);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    testTimeoutMs,
  );

  it(
    'a feature is selected with the keyboard alone: Tab to its entry in the list of new features, Enter selects it (select tool, handles, panel fields) and pans the map to it; Space on another entry; the list scrolls past 8 entries',
    async () => {
      await startNewScenario(page);
      // Ten named pocket parks at the centres of ten gap areas (set up through the controller; the test is the selection).
      const centres: Position[] = [];
      for (let rank = 0; rank < 10; rank++) centres.push(await gapCentre(page, rank));
      const keys = await page.evaluate((positions) => {
        const controller = window.__greenreach!.scenario!.controller;
        const added = positions.map(([lng, lat], i) => controller.addPocketPark(lng, lat, `Park ${i + 1}`)!);
        controller.select(null);
        controller.setMode('pan');
        return added;
      }, centres);
      await waitForScenario(page, 10);
      const list = page.getByTestId('feature-list');
      await expect.poll(() => list.locator('button').count()).toBe(10);
      expect(await page.getByTestId('feature-item-8').textContent()).toBe('Pocket park · Park 9');
      // Compact: about 8 entries show, the rest scroll.
      const listBox = await list.evaluate((element) => ({
        client: element.clientHeight,
        scroll: element.scrollHeight,
        row: element.querySelector('button')!.getBoundingClientRect().height,
      }));
      expect(listBox.scroll).toBeGreaterThan(listBox.client);
      expect(listBox.client / listBox.row).toBeGreaterThan(7);
      expect(listBox.client / listBox.row).toBeLessThan(9);

      // Park 9 off screen: the map 0.05° east of it.
      const target = centres[8];
      await centreMapOn(page, [target[0] + 0.05, target[1]], 17);
      const mapBox = (await page.locator('section.map').boundingBox())!;
      const onMap = async (position: Position) => {
        const [x, y] = await page.evaluate(([lng, lat]) => window.__greenreachMap!.project(lng, lat), position);
        return x >= 0 && y >= 0 && x <= mapBox.width && y <= mapBox.height;
      };
      expect(await onMap(target)).toBe(false);

      // From the scenario's name field, Tab (only) to Park 9's entry, then Enter.
      await page.getByTestId('scenario-name').focus();
      const focusedTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
      let presses = 0;
      while ((await focusedTestId()) !== 'feature-item-8') {
        expect(presses++, 'Tab reaches the list entry').toBeLessThan(40);
        await page.keyboard.press('Tab');
      }
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        (key) => window.__greenreach!.scenario!.controller.store.get().selectedKey === key,
        keys[8],
      );
      const selection = await page.evaluate(() => {
        const state = window.__greenreach!.scenario!.controller.store.get();
        return { mode: state.mode, vertex: state.selectedVertex };
      });
      expect(selection).toEqual({ mode: 'select', vertex: null });
      expect(await page.getByTestId('feature-item-8').getAttribute('aria-pressed')).toBe('true');
      expect(await list.locator('button[aria-pressed="true"]').count()).toBe(1);
      expect(await page.getByTestId('selected-feature').getByLabel('Name').inputValue()).toBe('Park 9');
      await page.getByTestId('reshape-help').waitFor();
      // The map panned to it (the zoom kept).
      await waitForMapIdle(page);
      expect(await onMap(target)).toBe(true);
      expect(await page.evaluate(() => window.__greenreachMap!.map.getZoom())).toBeCloseTo(17, 6);
      // Its handles are live: ] selects its first vertex, with the focus still on the list entry.
      await page.keyboard.press(']');
      await expect.poll(() => page.getByTestId('selected-vertex').textContent()).toContain('Vertex 1 of 4');
      expect(await focusedTestId()).toBe('feature-item-8');
      // With a feature and a vertex selected (kind, name, vertex controls shown), every control has a name.
      expect(await unnamedControls(page), 'unnamed controls in the scenario panel').toEqual([]);

      // Shift+Tab back to Park 4, Space selects it.
      while ((await focusedTestId()) !== 'feature-item-3') {
        expect(presses++, 'Shift+Tab reaches the list entry').toBeLessThan(60);
        await page.keyboard.press('Shift+Tab');
      }
      await page.keyboard.press('Space');
      await page.waitForFunction(
        (key) => window.__greenreach!.scenario!.controller.store.get().selectedKey === key,
        keys[3],
      );
      expect(await page.getByTestId('feature-item-3').getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByTestId('feature-item-8').getAttribute('aria-pressed')).toBe('false');
      expect(await page.getByTestId('selected-feature').getByLabel('Name').inputValue()).toBe('Park 4');
      await waitForMapIdle(page);
      expect(await onMap(centres[3])).toBe(true);
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'swipe: changed cells show the baseline colour left of the divider and the scenario colour right of it (divider dragged with the mouse and moved with the keys); the summary stays the scenario; exclusive with the before/after toggle',
    async () => {
      await startNewScenario(page);
      // A pocket park in a gap area the other tests leave alone.
      const target = await gapCentre(page, 2);
      await centreMapOn(page, target, 16);
      await page.getByTestId('tool-park').click();
      await page.mouse.click(...(await viewportPixel(page, target)));
      const placed = await waitForScenario(page, 1);
      expect(placed.changed).toBeGreaterThan(0);
      await page.getByTestId('tool-pan').click();

      // A changed cell whose 3 × 3 block changed alike, to a state of another colour, away from the park.
      const changes = await page.evaluate(() => {
        const state = window.__greenreach!.scenario!.controller.store.get();
        const { grid, cellIndex } = state.result!;
        return {
          grid: { ...grid },
          inUse: (['green', 'park'] as const).filter((id) => state.result!.rules[id]),
          cells: Array.from(state.changedCells!, (k) => [
            cellIndex[k],
            window.__greenreach!.app.store.get().baseline!.verdicts[k],
            state.result!.verdicts[k],
          ]),
        };
      });
      const { grid } = changes;
      const changeOf = new Map(changes.cells.map(([index, before, after]) => [index, `${before}>${after}`]));
      const metresPerDegree = 111_320;
      const candidates = changes.cells.filter(([index, before, after]) => {
        if (cellStateColors[cellState(before, changes.inUse)] === cellStateColors[cellState(after, changes.inUse)])
          return false;
        const row = Math.floor(index / grid.columns);
        const column = index - row * grid.columns;
        const east =
          (grid.west + (column + 0.5) * grid.longitudeStep - target[0]) * Math.cos((target[1] * Math.PI) / 180);
        const north = grid.south + (row + 0.5) * grid.latitudeStep - target[1];
        if (Math.hypot(east, north) * metresPerDegree < 80) return false;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++)
            if (changeOf.get(index + dy * grid.columns + dx) !== `${before}>${after}`) return false;
        return true;
      });
      expect(candidates.length, 'a 3 × 3 block of cells that changed colour alike').toBeGreaterThan(0);
      const [index, beforeVerdict, afterVerdict] = candidates[0];
      const row = Math.floor(index / grid.columns);
      const column = index - row * grid.columns;
      const cellCentre: Position = [
        grid.west + (column + 0.5) * grid.longitudeStep,
        grid.south + (row + 0.5) * grid.latitudeStep,
      ];
      // The cell at the map's centre, ~17 px wide at zoom 17.
      await centreMapOn(page, cellCentre, 17);

      const blend = (rgba: readonly number[], under = [251, 250, 246]) =>
        rgba.slice(0, 3).map((value, i) => value * (rgba[3] / 255) + under[i] * (1 - rgba[3] / 255));
      const baselineColour = blend(cellStateColors[cellState(beforeVerdict, changes.inUse)]);
      const scenarioColour = blend(cellStateColors[cellState(afterVerdict, changes.inUse)]);
      const distance = (pixels: number[], i: number, colour: number[]) =>
        Math.abs(pixels[i] - colour[0]) + Math.abs(pixels[i + 1] - colour[1]) + Math.abs(pixels[i + 2] - colour[2]);
      /** Waits until the map has drawn its cells (both rasters, the divider where it is), then a frame more. */
      const waitForCells = async () => {
        await waitForMapIdle(page);
        await page.waitForFunction(() => window.__greenreachMap!.isCellsDrawn(), null, { polling: 50 });
        await page.evaluate(
          () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
        );
      };
      /** Which state colour the cell at the map's centre is drawn in: the share of its pixels nearer each. */
      const centreColourShares = async () => {
        await waitForCells();
        const box = (await page.locator('section.map').boundingBox())!;
        const half = 5;
        const pixels = await screenshotPixels(page, {
          x: box.x + box.width / 2 - half,
          y: box.y + box.height / 2 - half,
          width: half * 2,
          height: half * 2,
        });
        let baseline = 0;
        let scenario = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          const toBaseline = distance(pixels, i, baselineColour);
          const toScenario = distance(pixels, i, scenarioColour);
          if (toBaseline <= 60 && toBaseline < toScenario) baseline++;
          if (toScenario <= 60 && toScenario < toBaseline) scenario++;
        }
        return { baseline: baseline / (pixels.length / 4), scenario: scenario / (pixels.length / 4) };
      };
      const expectColour = async (side: 'baseline' | 'scenario', what: string) => {
        const shares = await centreColourShares();
        const other = side === 'baseline' ? 'scenario' : 'baseline';
        expect(shares[side], `${what}: ${side} colour (${JSON.stringify(shares)})`).toBeGreaterThan(0.5);
        expect(shares[other], `${what}: not the ${other} colour`).toBeLessThan(0.1);
      };
      const uncoveredText = () => page.getByTestId('city-summary').locator('[data-figure="uncovered"]').textContent();
      const shownCity = () => page.evaluate(() => window.__greenreach!.state().result!.summary.city);

      // Without a swipe the map shows the scenario; the before/after toggle, the baseline.
      await expectColour('scenario', 'no swipe');
      const scenarioUncovered = await uncoveredText();
      await page.getByTestId('show-baseline').check();
      await expect.poll(shownCity).toEqual(placed.baselineCity);
      await expectColour('baseline', 'show baseline');
      const baselineUncovered = await uncoveredText();
      expect(baselineUncovered).not.toBe(scenarioUncovered);

      // Swipe on: the before/after toggle goes off, the summary is the scenario's again.
      await page.getByTestId('swipe').check();
      expect(await page.getByTestId('show-baseline').isChecked()).toBe(false);
      await expect.poll(shownCity).toEqual(placed.city);
      const divider = page.getByTestId('swipe-divider');
      expect(await divider.getAttribute('aria-valuenow')).toBe('50');
      await expect.poll(() => page.getByTestId('swipe-overlay').textContent()).toContain('Baseline');

      // The divider dragged with the mouse: the map does not pan; the cell is on one side, then the other.
      const mapBox = (await page.locator('section.map').boundingBox())!;
      const dragDividerTo = async (fraction: number) => {
        const handle = (await divider.boundingBox())!;
        const from: [number, number] = [handle.x + handle.width / 2, handle.y + handle.height * 0.25];
        const toX = mapBox.x + mapBox.width * fraction;
        await page.mouse.move(...from);
        await page.mouse.down();
        for (let step = 1; step <= 6; step++)
          await page.mouse.move(from[0] + ((toX - from[0]) * step) / 6, from[1] + step * 3);
        await page.mouse.up();
        await expect
          .poll(async () => Number(await divider.getAttribute('aria-valuenow')))
          .toBe(Math.round(fraction * 100));
      };
      const centreBefore = await page.evaluate(() => window.__greenreachMap!.map.getCenter().toArray());
      await dragDividerTo(0.25);
      expect(await page.evaluate(() => window.__greenreachMap!.map.getCenter().toArray())).toEqual(centreBefore);
      await expectColour('scenario', 'divider at 25 %, the cell right of it');
      await dragDividerTo(0.75);
      expect(await page.evaluate(() => window.__greenreachMap!.map.getCenter().toArray())).toEqual(centreBefore);
      await expectColour('baseline', 'divider at 75 %, the cell left of it');
      // The summary and the change figures stay the scenario's while swiping.
      expect(await shownCity()).toEqual(placed.city);
      expect(await uncoveredText()).toBe(scenarioUncovered);

      // The keys: the handle has the focus after the drag; ArrowLeft moves it left of the cell.
      expect(await divider.evaluate((element) => element === document.activeElement)).toBe(true);
      for (let press = 0; press < 15; press++) await page.keyboard.press('ArrowLeft');
      expect(await divider.getAttribute('aria-valuenow')).toBe('45');
      await expectColour('scenario', 'divider at 45 % by keys, the cell right of it');
      await page.keyboard.press('Shift+ArrowRight');
      expect(await divider.getAttribute('aria-valuenow')).toBe('55');
      await expectColour('baseline', 'divider at 55 % by keys, the cell left of it');
      expect(await uncoveredText()).toBe(scenarioUncovered);

      // The hover read-out follows the side: the baseline's cell left of the divider, the scenario's right.
      const cellInfoAtCentre = async () => {
        const x = mapBox.x + mapBox.width / 2;
        const y = mapBox.y + mapBox.height / 2;
        let wiggle = 0;
        let text = '';
        await expect
          .poll(async () => {
            wiggle = 1 - wiggle;
            await page.mouse.move(x + wiggle, y);
            text = (await page.getByTestId('cell-info').textContent()) ?? '';
            return (
              text.includes(t('en', cellState(beforeVerdict, changes.inUse))) ||
              text.includes(t('en', cellState(afterVerdict, changes.inUse)))
            );
          })
          .toBe(true);
        return text;
      };
      const leftOfDivider = await cellInfoAtCentre();
      expect(leftOfDivider).toContain(t('en', cellState(beforeVerdict, changes.inUse)));
      expect(leftOfDivider).toContain('Baseline');
      await divider.focus();
      for (let press = 0; press < 5; press++) await page.keyboard.press('ArrowLeft');
      expect(await divider.getAttribute('aria-valuenow')).toBe('45');
      const rightOfDivider = await cellInfoAtCentre();
      expect(rightOfDivider).toContain(t('en', cellState(afterVerdict, changes.inUse)));
      expect(rightOfDivider).not.toContain('Baseline');
      await page.keyboard.press('Shift+ArrowRight');
      expect(await divider.getAttribute('aria-valuenow')).toBe('55');

      // The before/after toggle ends the swipe; swipe off frees the baseline raster and shows the scenario.
      await page.getByTestId('show-baseline').check();
      expect(await page.getByTestId('swipe').isChecked()).toBe(false);
      expect(await page.getByTestId('swipe-overlay').count()).toBe(0);
      await expect.poll(shownCity).toEqual(placed.baselineCity);
      await expectColour('baseline', 'show baseline after a swipe');
      await page.getByTestId('swipe').check();
      expect(await page.getByTestId('show-baseline').isChecked()).toBe(false);
      await expect.poll(shownCity).toEqual(placed.city);
      await expectColour('baseline', 'swipe again, the divider kept at 55 %');
      await page.getByTestId('swipe').uncheck();
      expect(await page.getByTestId('swipe-overlay').count()).toBe(0);
      await expectColour('scenario', 'swipe off');
      expect(recorded.consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'touch: a pocket park placed by a tap, moved and reshaped with a finger (vertex drag, midpoint drag, long press), each step on the engine figures',
    async () => {
      const context: BrowserContext = await browser.newContext({
        viewport: { width: 1400, height: 900 },
        locale: 'en-GB',
        reducedMotion: 'reduce',
        hasTouch: true,
      });
      context.setDefaultTimeout(120_000);
      const touchPage = await context.newPage();
      const errors: string[] = [];
      touchPage.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      touchPage.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      try {
        await touchPage.goto(origin);
        await waitForCoverage(touchPage);
        await waitForGaps(touchPage);
        rules ??= (await touchPage.evaluate(() => window.__greenreach!.rules))!;
        cellMeters ??= (await touchPage.evaluate(() => window.__greenreach!.cellMeters))!;
        const target = await gapCentre(touchPage, 1);
        await centreMapOn(touchPage, target, 17.5);
        const engineCity = (geometry: Geometry) => {
          const model = engineModel(rules, cellMeters);
          addToModel(model, 'greenspaces', { type: 'Feature', properties: { kind: 'pocket_park' }, geometry });
          return summarizeCoverage(model).city;
        };
        const nodeBefore = summarizeCoverage(engineModel(rules, cellMeters)).city;
        const cdp = await context.newCDPSession(touchPage);
        const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x = 0, y = 0) =>
          cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
        const mapBox = (await touchPage.locator('section.map').boundingBox())!;
        const onMap = ([x, y]: [number, number]) =>
          x > mapBox.x + 20 &&
          x < mapBox.x + mapBox.width - 60 &&
          y > mapBox.y + 20 &&
          y < mapBox.y + mapBox.height - 20;
        /** A one-finger drag in `steps` moves. */
        const drag = async (from: [number, number], dx: number, dy: number, steps = 8) => {
          expect(
            onMap(from) && onMap([from[0] + dx, from[1] + dy]),
            `drag ${from} by ${dx}, ${dy} stays on the map`,
          ).toBe(true);
          await touch('touchStart', from[0], from[1]);
          for (let step = 1; step <= steps; step++)
            await touch('touchMove', from[0] + (dx * step) / steps, from[1] + (dy * step) / steps);
          await touch('touchEnd');
        };
        const shape = async () => (await pageFeatures(touchPage))[0].feature.geometry as Polygon;

        // A tap with the pocket-park tool places the park: the uncovered count drops by the engine's amount.
        await touchPage.getByTestId('tool-park').tap();
        await touchPage.touchscreen.tap(...(await viewportPixel(touchPage, target)));
        const placed = await waitForScenario(touchPage, 1);
        const square = await shape();
        expect(placed.baselineCity).toEqual(nodeBefore);
        expect(placed.city).toEqual(engineCity(square));
        expect(uncovered(nodeBefore) - uncovered(placed.city!)).toBeGreaterThan(0);

        // Move it with a finger.
        await touchPage.getByTestId('tool-select').tap();
        const corners = verticesOf(square);
        const centre: Position = [(corners[0][0] + corners[2][0]) / 2, (corners[0][1] + corners[2][1]) / 2];
        await drag(await viewportPixel(touchPage, centre), -160, 110);
        await touchPage.waitForFunction(
          (x) =>
            (window.__greenreach!.scenario!.controller.store.get().features[0].feature.geometry as GeoJSON.Polygon)
              .coordinates[0][0][0] !== x,
          corners[0][0],
        );
        const moved = await waitForScenario(touchPage, 1);
        const movedShape = await shape();
        expect(verticesOf(movedShape).length).toBe(4);
        expect(moved.city).toEqual(engineCity(movedShape));
        expect(moved.city).not.toEqual(placed.city);

        // Drag its north-east vertex out with a finger.
        const movedCorners = verticesOf(movedShape);
        await drag(await viewportPixel(touchPage, movedCorners[2]), 110, -90);
        await touchPage.waitForFunction(
          (x) =>
            (window.__greenreach!.scenario!.controller.store.get().features[0].feature.geometry as GeoJSON.Polygon)
              .coordinates[0][2][0] !== x,
          movedCorners[2][0],
        );
        const pulled = await waitForScenario(touchPage, 1);
        const pulledShape = await shape();
        const pulledCorners = verticesOf(pulledShape);
        expect([pulledCorners[0], pulledCorners[1], pulledCorners[3]]).toEqual([
          movedCorners[0],
          movedCorners[1],
          movedCorners[3],
        ]);
        expect(pulled.city).toEqual(engineCity(pulledShape));
        expect(pulled.city).not.toEqual(moved.city);

        // Drag the middle of its west side out: a fifth vertex.
        const west: Position = [
          (pulledCorners[3][0] + pulledCorners[0][0]) / 2,
          (pulledCorners[3][1] + pulledCorners[0][1]) / 2,
        ];
        await drag(await viewportPixel(touchPage, west), -120, 0);
        await touchPage.waitForFunction(
          () =>
            (window.__greenreach!.scenario!.controller.store.get().features[0].feature.geometry as GeoJSON.Polygon)
              .coordinates[0].length === 6,
        );
        const widened = await waitForScenario(touchPage, 1);
        const fiveShape = await shape();
        const five = verticesOf(fiveShape);
        expect(five.slice(0, 4)).toEqual(pulledCorners);
        expect(five[4][0]).toBeLessThan(pulledCorners[0][0]);
        expect(widened.city).toEqual(engineCity(fiveShape));

        // A long press on the new vertex deletes it (the finger stays down until the app has done so).
        await touch('touchStart', ...(await viewportPixel(touchPage, five[4])));
        await touchPage.waitForFunction(
          () =>
            (window.__greenreach!.scenario!.controller.store.get().features[0].feature.geometry as GeoJSON.Polygon)
              .coordinates[0].length === 5,
        );
        await touch('touchEnd');
        const pressed = await waitForScenario(touchPage, 1);
        expect(await shape()).toEqual(pulledShape);
        expect(pressed.city).toEqual(pulled.city);

        // Undo (a tap on the button) brings the fifth vertex back: one step per gesture.
        await touchPage.getByTestId('undo').tap();
        await touchPage.waitForFunction(
          () =>
            (window.__greenreach!.scenario!.controller.store.get().features[0].feature.geometry as GeoJSON.Polygon)
              .coordinates[0].length === 6,
        );
        expect((await waitForScenario(touchPage, 1)).city).toEqual(widened.city);
        expect(await shape()).toEqual(fiveShape);
        console.log(
          `touch: park placed (uncovered −${(uncovered(nodeBefore) - uncovered(placed.city!)).toFixed(1)}), moved, vertex dragged, vertex inserted and deleted by long press; cells meeting both ${placed.city!.cellsMeetingBoth} → ${moved.city!.cellsMeetingBoth} → ${pulled.city!.cellsMeetingBoth} → ${widened.city!.cellsMeetingBoth}`,
        );
        expect(errors).toEqual([]);
      } finally {
        await context.close().catch(() => undefined);
      }
    },
    testTimeoutMs,
  );
});
