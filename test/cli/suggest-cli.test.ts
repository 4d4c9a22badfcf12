import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metersPerDegreeLatitude, metersPerDegreeLongitude } from '../../src/coverage';
import { writeFlatGeobuf } from '../../src/io/flatgeobuf-write';
import { at, collection, latitude0, longitude0, polygon, rectangle } from '../support/metre-fixtures';
import { runCoverageCli } from '../support/run-cli';

// `--suggest N` and `--add FILE`: the suggested sites, added back as a scenario, must reproduce exactly
// the gains they claim (summary.json differences), site by site and together.

const directory = mkdtempSync(join(tmpdir(), 'greenreach-suggest-'));

// Two communities of 1.5 × 1.5 km; residential land leaves a 200 m strip between them (where sites can go).
const layers = {
  communities: collection([
    polygon(rectangle(0, 0, 1500, 1500), { name: '东社区', population: 9000 }),
    polygon(rectangle(1500, 0, 1500, 1500), { name: '西社区', population: 3000 }),
  ]),
  residential: collection([polygon(rectangle(0, 0, 1400, 1500)), polygon(rectangle(1600, 0, 1400, 1500))]),
  greenways: collection([
    { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [at(0, -200), at(1000, -200)] } },
  ]),
  greenspaces: collection([polygon(rectangle(100, 100, 200, 200), { kind: 'park' })]),
};
const files: Record<string, string> = {};
for (const [name, value] of Object.entries(layers)) {
  files[name] = join(directory, `${name}.geojson`);
  writeFileSync(files[name], JSON.stringify(value));
}

function run(out: string, extra: string[] = []) {
  const args: string[] = [];
  for (const name of Object.keys(layers)) args.push(`--${name}`, files[name]);
  args.push('--out', join(directory, out), ...extra);
  return runCoverageCli(args);
}

const summaryOf = (out: string) => JSON.parse(readFileSync(join(directory, out, 'summary.json'), 'utf8'));
interface Site {
  properties: Record<string, number | string>;
  geometry: { type: 'Polygon'; coordinates: number[][][] };
}

describe('CLI --suggest and --add', () => {
  const count = 4;
  let sites: Site[] = [];

  it('writes the suggested sites in rank order with their marginal gains', () => {
    const done = run('suggested', ['--suggest', String(count)]);
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    expect(done.stdout).toMatch(/suggested 4 sites of 1000 m² \(pocket_park\)/);
    expect(readdirSync(join(directory, 'suggested')).sort()).toEqual([
      'cells.geojson',
      'communities.csv',
      'communities.geojson',
      'gaps.geojson',
      'suggestions.geojson',
      'summary.json',
    ]);
    sites = JSON.parse(readFileSync(join(directory, 'suggested/suggestions.geojson'), 'utf8')).features;
    expect(sites.length).toBe(count);
    sites.forEach((site, index) => {
      expect(Object.keys(site.properties)).toEqual([
        'rank',
        'kind',
        'area_m2',
        'new_residents_covered',
        'new_cells_covered',
        'residential_cells_on_site',
        'residents_on_site',
        'community',
        'community_en',
        'nearest_street',
        'nearest_street_en',
        'nearest_street_m',
      ]);
      // The lattice's sites are off residential land; without --streets no street is named.
      expect(site.properties.residential_cells_on_site).toBe(0);
      expect(site.properties.nearest_street).toBeNull();
      expect(site.properties.rank).toBe(index + 1);
      expect(site.properties.kind).toBe('pocket_park');
      expect(site.properties.area_m2).toBeGreaterThanOrEqual(1000);
      expect(site.properties.new_cells_covered).toBeGreaterThan(0);
      // No site is centred on residential land (the strip between the blocks, or the grid's edge beyond them).
      const [[west, south], [east, , north]] = [site.geometry.coordinates[0][0], site.geometry.coordinates[0][2]];
      const x = ((west + east) / 2 - longitude0) * metersPerDegreeLongitude(latitude0);
      const y = ((south + north) / 2 - latitude0) * metersPerDegreeLatitude(latitude0);
      const inBlock = y > 0 && y < 1500 && ((x > 0 && x < 1400) || (x > 1600 && x < 3000));
      expect(inBlock).toBe(false);
    });
    // Greedy: marginal gains never increase with rank.
    const gains = sites.map((site) => site.properties.new_residents_covered as number);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
    expect(summaryOf('suggested').suggestions_file).toBe('suggestions.geojson');
  });

  it('adding the first k sites with --add reproduces exactly the gains they claim, for every k', () => {
    const baseline = summaryOf('suggested');
    for (let k = 1; k <= count; k++) {
      const file = join(directory, `first-${k}.geojson`);
      writeFileSync(file, JSON.stringify(collection(sites.slice(0, k))));
      const done = run(`added-${k}`, ['--add', file]);
      expect(done.stderr).toBe('');
      expect(done.status).toBe(0);
      const summary = summaryOf(`added-${k}`);
      expect(summary.inputs.add).toBe(`first-${k}.geojson`);
      const claimedCells = sites
        .slice(0, k)
        .reduce((sum, site) => sum + (site.properties.new_cells_covered as number), 0);
      const claimedResidents = sites
        .slice(0, k)
        .reduce((sum, site) => sum + (site.properties.new_residents_covered as number), 0);
      expect(summary.cells_meeting_both - baseline.cells_meeting_both).toBe(claimedCells);
      expect(Math.round((summary.population_meeting_both - baseline.population_meeting_both) * 10)).toBe(
        Math.round(claimedResidents * 10),
      );
    }
  });

  it('reads the scenario from FlatGeobuf too, lines as greenways, and names a bad feature', () => {
    const fgb = join(directory, 'scenario.fgb');
    writeFileSync(fgb, writeFlatGeobuf(collection(sites) as never));
    expect(run('added-fgb', ['--add', fgb]).status).toBe(0);
    expect(summaryOf('added-fgb').cells_meeting_both).toBe(summaryOf(`added-${count}`).cells_meeting_both);

    const greenway = join(directory, 'greenway.geojson');
    writeFileSync(
      greenway,
      JSON.stringify(
        collection([
          {
            type: 'Feature',
            properties: {},
            geometry: { type: 'LineString', coordinates: [at(0, 1200), at(3000, 1200)] },
          },
        ]),
      ),
    );
    expect(run('added-greenway', ['--add', greenway]).status).toBe(0);
    expect(summaryOf('added-greenway').cells_meeting_green).toBeGreaterThan(summaryOf('suggested').cells_meeting_green);

    const bad = join(directory, 'bad.geojson');
    writeFileSync(bad, JSON.stringify(collection([polygon(rectangle(10, 10, 40, 40), { kind: 'lawn' })])));
    const refused = run('bad', ['--add', bad]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^greenreach: bad\.geojson: feature 0: kind "lawn" is not/);
  });

  it('suggests from a candidate layer of points, and refuses --candidates without --suggest', () => {
    const candidates = join(directory, 'candidates.geojson');
    const points = [at(1500, 200), at(1500, 750), at(1500, 1300)];
    writeFileSync(
      candidates,
      JSON.stringify(
        collection(
          points.map((coordinates) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates } })),
        ),
      ),
    );
    const done = run('from-layer', ['--suggest', '2', '--candidates', candidates]);
    expect(done.status).toBe(0);
    expect(done.stdout).toMatch(/from 3 candidates/);
    const chosen: Site[] = JSON.parse(readFileSync(join(directory, 'from-layer/suggestions.geojson'), 'utf8')).features;
    expect(chosen.length).toBe(2);
    expect(run('no-suggest', ['--candidates', candidates]).stderr).toMatch(/--candidates needs --suggest N/);
    expect(run('bad-count', ['--suggest', '0']).status).toBe(2);
  });

  it('names each site’s community and nearest named street, and warns of a site on homes (cells and residents)', () => {
    // A parcel at x 410–540, y 410–490 m on 东社区's residential land holds 3 × 2 cell centres (50 m cells at
    // 25, 75, … m); 东社区's 9,000 residents spread over its 28 × 30 residential cells, so ≈ 64.3 on the parcel.
    // A point at (1450, 750) m in the strip between the blocks sits on none. 建设路 runs along y = 600 m:
    // 110 m from the parcel's north edge; the unnamed lane at y = 500 m is no name to give.
    const candidates = join(directory, 'named-candidates.geojson');
    writeFileSync(
      candidates,
      JSON.stringify(
        collection([
          polygon(rectangle(410, 410, 130, 80)),
          { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: at(1450, 750) } },
        ]),
      ),
    );
    const streets = join(directory, 'named-streets.geojson');
    const line = (points: number[][], properties: Record<string, unknown>) => ({
      type: 'Feature',
      properties,
      geometry: { type: 'LineString', coordinates: points },
    });
    writeFileSync(
      streets,
      JSON.stringify(
        collection([
          line([at(0, 600), at(3000, 600)], { name: '建设路', name_en: 'Jianshe Road' }),
          line([at(0, 500), at(3000, 500)], { highway: 'service' }),
        ]),
      ),
    );
    const done = run('named', ['--suggest', '2', '--candidates', candidates, '--streets', streets]);
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    const chosen: Site[] = JSON.parse(readFileSync(join(directory, 'named/suggestions.geojson'), 'utf8')).features;
    expect(chosen.length).toBe(2);
    const parcel = chosen.find((site) => site.properties.residential_cells_on_site !== 0)!;
    expect(parcel.properties).toMatchObject({
      community: '东社区',
      community_en: null,
      nearest_street: '建设路',
      nearest_street_en: 'Jianshe Road',
      residential_cells_on_site: 6,
      residents_on_site: 64.3,
    });
    expect(parcel.properties.nearest_street_m as number).toBeCloseTo(110, 1);
    const square = chosen.find((site) => site !== parcel)!;
    expect(square.properties).toMatchObject({
      community: '东社区',
      residential_cells_on_site: 0,
      residents_on_site: 0,
    });
    expect(done.stdout).toContain(
      `warning: site ${parcel.properties.rank} sits on 6 residential cells (≈ 64 residents)`,
    );
  });
});
