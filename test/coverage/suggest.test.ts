import fc from 'fast-check';
import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildCoverage, type CoverageLayers, presetRules } from '../../src/coverage';
import { measureSites, suggestSites } from '../../src/coverage/suggest';
import { SiteSearch } from '../../src/coverage/suggest-search';
import { siteSpec } from '../../src/coverage/suggest-sites';
import { at, collection, kx, ky, latitude, longitude, rectangle } from './local-frame';
import { randomScenario } from './random-scenario';

// "Suggest N sites": exact claims, greedy properties, and hand-checked cases.

const empty = collection([]);
const rules = presetRules('chengdu');
const options = { anywhere: true, maxCandidates: 300 };

function fields(model: ReturnType<typeof buildCoverage>) {
  return [model.fields.green!.squaredMeters.slice(), model.fields.park!.squaredMeters.slice()];
}

describe('suggest sites', () => {
  it('sizes a site from the rules: Chengdu gives a 1,000 m² pocket park, GB/T 51346 a 1 ha park', () => {
    expect(siteSpec({ rules })).toEqual({ kind: 'pocket_park', areaSquareMeters: 1000, sideMeters: 31.7 });
    expect(siteSpec({ rules: presetRules('gbt51346') })).toMatchObject({ kind: 'park', areaSquareMeters: 10_000 });
    expect(siteSpec({ rules: presetRules('who') })).toMatchObject({ kind: 'pocket_park', areaSquareMeters: 5000 });
  });

  it('hand-checked: of a site next to a lone block and one 3 km away, only the near one is suggested', () => {
    // One 100 m × 100 m community of 400 residents (four 50 m cells), no green at all. A site 50 m east of it
    // brings every cell within 300 m of green and 500 m of a park; one 3 km away brings none.
    const layers: CoverageLayers = {
      communities: collection([
        {
          type: 'Feature',
          properties: { population: 400 },
          geometry: { type: 'Polygon', coordinates: [rectangle(0, 0, 100, 100)] },
        },
      ]),
      greenways: empty,
      greenspaces: empty,
    };
    const model = buildCoverage(layers, rules, 50);
    expect(model.residentialCells.length).toBe(4);
    const point = (x: number, y: number): Feature => ({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: at(x, y) },
    });
    const result = suggestSites(model, 2, { candidates: collection([point(3000, 50), point(150, 50)]) });
    expect(result.candidateCount).toBe(2);
    expect(result.sites.length).toBe(1);
    expect(result.sites[0]).toMatchObject({ rank: 1, candidateIndex: 1, newCellsCovered: 4, newResidentsCovered: 400 });
    expect(result.sites[0].feature.properties).toMatchObject({
      rank: 1,
      kind: 'pocket_park',
      new_cells_covered: 4,
      new_residents_covered: 400,
    });
    expect(result.before).toEqual({ cellsMeetingBoth: 0, populationMeetingBoth: 0 });
    expect(result.after).toEqual({ cellsMeetingBoth: 4, populationMeetingBoth: 400 });
  });

  it('hand-checked: around a courtyard, the lattice puts the site in the courtyard and covers the cells within 300 m', () => {
    // A 1.2 km square of residential land with a 100 m courtyard in the middle; no green anywhere. The only
    // candidates are the courtyard's cells (and none on residential land), so the site goes there, and a
    // home newly meets both rules when its cell centre is within 300 m of the square (300 m < 500 m).
    const outer = rectangle(0, 0, 1200, 1200);
    const hole = rectangle(550, 550, 100, 100).reverse();
    const layers: CoverageLayers = {
      communities: collection([
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [outer, hole] } },
      ]),
      greenways: empty,
      greenspaces: empty,
    };
    const model = buildCoverage(layers, rules, 50);
    const result = suggestSites(model, 1);
    expect(result.objective).toBe('cells');
    expect(result.candidateCount).toBeGreaterThanOrEqual(4);
    const [site] = result.sites;
    const ring = site.feature.geometry.coordinates[0] as number[][];
    const centreX = ((ring[0][0] + ring[2][0]) / 2 - longitude) * kx;
    const centreY = ((ring[0][1] + ring[2][1]) / 2 - latitude) * ky;
    expect(centreX).toBeGreaterThan(550);
    expect(centreX).toBeLessThan(650);
    expect(centreY).toBeGreaterThan(550);
    expect(centreY).toBeLessThan(650);
    // Brute force in a local frame: residential cell centres within 300 m of the square.
    const half = 31.7 / 2;
    let expected = 0;
    for (const index of model.residentialCells) {
      const row = Math.floor(index / model.grid.columns);
      const column = index - row * model.grid.columns;
      const x = (model.grid.west + (column + 0.5) * model.grid.longitudeStep - longitude) * kx;
      const y = (model.grid.south + (row + 0.5) * model.grid.latitudeStep - latitude) * ky;
      const dx = Math.max(0, Math.abs(x - centreX) - half);
      const dy = Math.max(0, Math.abs(y - centreY) - half);
      const distance = Math.hypot(dx, dy);
      expect(Math.abs(distance - 300)).toBeGreaterThan(0.5); // no cell on the edge: the count is unambiguous
      if (distance <= 300) expected++;
    }
    expect(expected).toBeGreaterThan(50);
    expect(site.newCellsCovered).toBe(expected);
    expect(site.newResidentsCovered).toBeNull();
  });

  it('claims are exact, the model is left as it was, and the lazy greedy picks what a plain greedy picks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const model = buildCoverage(randomScenario(seed, latitude, longitude, 2500), rules, 50);
        const before = fields(model);
        const nextId = model.nextFeatureId;
        const result = suggestSites(model, 4, options);
        expect(result.estimatesExact).toBe(true);
        fields(model).forEach((field, f) => {
          expect(Buffer.from(field.buffer).equals(Buffer.from(before[f].buffer))).toBe(true);
        });
        expect(model.nextFeatureId).toBe(nextId);
        expect(model.features.size).toBe(nextId);
        // Measuring again (as a scenario would) gives the same figures.
        const again = measureSites(
          model,
          result.sites.map((site) => site.feature),
        );
        expect(again.gains).toEqual(
          result.sites.map((site) => ({ cells: site.newCellsCovered, population: site.newResidentsCovered })),
        );
        // A plain greedy: evaluate every candidate each round.
        const search = new SiteSearch(model, options);
        const plain: number[] = [];
        for (let round = 0; round < 4; round++) {
          let best = -1;
          let bestGain = { cells: 0, population: 0 };
          for (let i = 0; i < search.candidates.length; i++) {
            const gain = search.gainOf(i);
            if (
              gain.population > bestGain.population ||
              (gain.population === bestGain.population && gain.cells > bestGain.cells)
            ) {
              best = i;
              bestGain = gain;
            }
          }
          if (best < 0) break;
          plain.push(best);
          search.accept(best);
        }
        expect(result.sites.map((site) => site.candidateIndex)).toEqual(plain);
      }),
      { numRuns: 8 },
    );
  });

  it('coverage grows monotonically with N, N = 5 starts with the N = 3 sites, and beats the best single site', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const model = buildCoverage(randomScenario(seed, latitude, longitude, 2500), rules, 50);
        const three = suggestSites(model, 3, options);
        const five = suggestSites(model, 5, options);
        expect(five.sites.slice(0, 3).map((site) => site.feature)).toEqual(three.sites.map((site) => site.feature));
        // Coverage after the first k sites, measured by really adding them, for k = 0…5.
        const measured = measureSites(
          model,
          five.sites.map((site) => site.feature),
        );
        let covered = measured.before.populationMeetingBoth!;
        let cells = measured.before.cellsMeetingBoth;
        for (const gain of measured.gains) {
          expect(gain.cells).toBeGreaterThanOrEqual(0);
          expect(gain.population!).toBeGreaterThanOrEqual(0);
          covered += gain.population!;
          cells += gain.cells;
        }
        expect(cells).toBe(measured.after.cellsMeetingBoth);
        expect(Math.round(covered * 10)).toBe(Math.round(measured.after.populationMeetingBoth! * 10));
        // Greedy marginal gains never increase (the objective is submodular).
        const gains = five.sites.map((site) => site.newResidentsCovered!);
        for (let k = 1; k < gains.length; k++) expect(gains[k]).toBeLessThanOrEqual(gains[k - 1] + 0.1);
        // The greedy set is at least as good as the best single site.
        const search = new SiteSearch(model, options);
        let bestSingle = 0;
        for (let i = 0; i < search.candidates.length; i++) {
          bestSingle = Math.max(bestSingle, search.gainOf(i).population);
        }
        const total = five.after.populationMeetingBoth! - five.before.populationMeetingBoth!;
        expect(total).toBeGreaterThanOrEqual(bestSingle - 0.1);
        if (five.sites.length > 0)
          expect(Math.abs(five.sites[0].newResidentsCovered! - bestSingle)).toBeLessThanOrEqual(0.1);
      }),
      { numRuns: 8 },
    );
  });

  it('uses candidate parcels as they are when large enough and skips the rest', () => {
    const model = buildCoverage(randomScenario(7, latitude, longitude, 2500), rules, 50);
    const parcel = (x: number, size: number): Feature => ({
      type: 'Feature',
      properties: {},
      // Clockwise on purpose: the site is rewound counter-clockwise.
      geometry: { type: 'Polygon', coordinates: [rectangle(x, 0, size, size).reverse()] },
    });
    const result = suggestSites(model, 3, {
      candidates: collection([
        parcel(-200, 20),
        parcel(0, 60),
        { type: 'Feature', properties: {}, geometry: null as never },
      ]),
    });
    expect(result.candidateCount).toBe(1);
    expect(result.skippedCandidates).toBe(2);
    expect(result.sites.length).toBeLessThanOrEqual(1);
  });
});
