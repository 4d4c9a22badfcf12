import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { at, collection, polygon, rectangle } from '../support/metre-fixtures';
import { runCoverageCli } from '../support/run-cli';

// The CLI as other tools see it: a process, files in, files out, exit status and one line on stderr.

const directory = mkdtempSync(join(tmpdir(), 'greenreach-cli-'));

const layers = {
  communities: collection([
    polygon(rectangle(0, 0, 1000, 1000), { name: '和美社区', name_en: 'Hemei', population: 8000 }),
    polygon(rectangle(1000, 0, 1000, 1000), { name: '双桥子社区', name_en: 'Shuangqiaozi', population: 4000 }),
  ]),
  greenways: collection([
    {
      type: 'Feature',
      properties: { name: '沙河绿道' },
      geometry: { type: 'LineString', coordinates: [at(0, 480), at(2000, 490)] },
    },
  ]),
  greenspaces: collection([
    polygon(rectangle(600, 100, 100, 100), { name: '小游园', kind: 'pocket_park' }),
    polygon(rectangle(1500, 800, 300, 150), { name: '公园', kind: '公园' }),
    { type: 'Feature', properties: { name: 'null geometry' }, geometry: null },
  ]),
};
const files: Record<string, string> = {};
for (const [name, value] of Object.entries(layers)) {
  files[name] = join(directory, `${name}.geojson`);
  writeFileSync(files[name], JSON.stringify(value));
}

function run(out: string, extra: string[] = [], swap: Record<string, string> = {}) {
  const args: string[] = [];
  for (const name of ['communities', 'greenways', 'greenspaces']) args.push(`--${name}`, swap[name] ?? files[name]);
  args.push('--out', join(directory, out), ...extra);
  return runCoverageCli(args);
}

describe('coverage CLI', () => {
  it('computes a small case and writes cells, communities and summary that agree', () => {
    const done = run('ok');
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    const cells = JSON.parse(readFileSync(join(directory, 'ok/cells.geojson'), 'utf8'));
    const summary = JSON.parse(readFileSync(join(directory, 'ok/summary.json'), 'utf8'));
    const communities = JSON.parse(readFileSync(join(directory, 'ok/communities.geojson'), 'utf8'));
    // Two 1 km² communities of 50 m cells.
    expect(cells.features.length).toBe(800);
    expect(summary.cells).toBe(800);
    const meets = (key: string) =>
      cells.features.filter((f: { properties: Record<string, unknown> }) => f.properties[key]).length;
    expect(summary.cells_meeting_green).toBe(meets('meets_green'));
    expect(summary.cells_meeting_park).toBe(meets('meets_park'));
    expect(summary.cells_meeting_both).toBe(meets('meets_both'));
    for (const { properties } of cells.features) {
      if (properties.green_m !== null) expect(properties.meets_green).toBe(properties.green_m <= 300);
      else expect(properties.meets_green).toBe(false);
    }
    expect(summary.population).toBeCloseTo(12000, 3);
    expect(summary.rules.id).toBe('chengdu');
    expect(summary.reach_meters).toEqual({ green: 400, park: 600 });
    expect(summary.skipped_features).toEqual([
      { layer: 'greenspaces', featureIndex: 2, reason: 'null or empty geometry' },
    ]);
    expect(Object.keys(summary.timings_ms)).toEqual(['read', 'compute', 'gaps', 'write', 'total']);
    expect(communities.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual([
      '和美社区',
      '双桥子社区',
    ]);
    const cellsOf = (name: string) =>
      cells.features.filter((f: { properties: { community: string } }) => f.properties.community === name);
    expect(communities.features[0].properties.cells).toBe(cellsOf('和美社区').length);
    expect(communities.features[1].properties.cells_meeting_both).toBe(
      cellsOf('双桥子社区').filter((f: { properties: { meets_both: boolean } }) => f.properties.meets_both).length,
    );
    // Nothing left behind but the three outputs.
    expect(readdirSync(join(directory, 'ok')).sort()).toEqual([
      'cells.geojson',
      'communities.csv',
      'communities.geojson',
      'gaps.geojson',
      'summary.json',
    ]);
  });

  it('writes the same cells as FlatGeobuf', () => {
    expect(run('fgb', ['--format', 'fgb']).status).toBe(0);
    const geojson = JSON.parse(readFileSync(join(directory, 'ok/cells.geojson'), 'utf8'));
    const bytes = readFileSync(join(directory, 'fgb/cells.fgb'));
    const fgb = readFlatGeobuf(new Uint8Array(bytes), 'cells.fgb');
    expect(fgb.features.length).toBe(geojson.features.length);
    // The FlatGeobuf writer orders features along its spatial index, so compare as sets.
    const key = (f: { properties: unknown; geometry: { coordinates: number[][][] } }) =>
      JSON.stringify([f.geometry.coordinates[0][0].map((v) => v.toFixed(7)), f.properties]);
    expect(fgb.features.map((f) => key(f as never)).sort()).toEqual(geojson.features.map(key).sort());
  });

  it('takes another preset and a custom rules file', () => {
    writeFileSync(join(directory, 'rules.json'), JSON.stringify({ extends: 'chengdu', park: { radiusMeters: 800 } }));
    expect(run('custom', ['--rules', join(directory, 'rules.json')]).status).toBe(0);
    const custom = JSON.parse(readFileSync(join(directory, 'custom/summary.json'), 'utf8'));
    const base = JSON.parse(readFileSync(join(directory, 'ok/summary.json'), 'utf8'));
    expect(custom.rules.park.radiusMeters).toBe(800);
    expect(custom.cells_meeting_park).toBeGreaterThan(base.cells_meeting_park);
    expect(run('who', ['--rules', 'who']).status).toBe(0);
    const who = JSON.parse(readFileSync(join(directory, 'who/summary.json'), 'utf8'));
    expect(who.cells_meeting_park).toBeNull();
  });

  it('counts an unknown kind as plain green space, with a warning (issue 13: never a failed run)', () => {
    const greenspaces = write(
      'kind.geojson',
      JSON.stringify(collection([polygon(rectangle(0, 0, 10, 10), { kind: 'parc' })])),
    );
    const result = run('kind', [], { greenspaces });
    expect(result.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(directory, 'kind/summary.json'), 'utf8'));
    expect(summary.import.greenspaces.warnings.join(' ')).toMatch(/kind "parc" .*plain green space/);
  });

  const bad: [string, string, () => string[] | Record<string, string>, RegExp][] = [
    [
      'truncated JSON',
      'greenspaces',
      () => ({
        greenspaces: write('truncated.geojson', '{"type": "FeatureCollection", "features": [{"type": "Feature", "geom'),
      }),
      /truncated\.geojson: .*(truncated|unexpected end)/i,
    ],
    [
      'invalid JSON with position',
      'greenspaces',
      () => ({ greenspaces: write('syntax.geojson', '{"type": "FeatureCollection",\n "features": [}') }),
      /syntax\.geojson: .*line 2/i,
    ],
    [
      'projected coordinates',
      'communities',
      () => ({
        communities: write(
          'projected.geojson',
          JSON.stringify(
            collection([
              polygon([
                [
                  [441000, 3392000],
                  [442000, 3392000],
                  [442000, 3393000],
                  [441000, 3392000],
                ],
              ]),
            ]),
          ),
        ),
      }),
      /projected\.geojson: feature 0: .*not longitude\/latitude/,
    ],
    [
      'a missing file',
      'greenways',
      () => ({ greenways: join(directory, 'nope.geojson') }),
      /nope\.geojson: no such file/,
    ],
    [
      'an unsupported format',
      'greenways',
      () => ({ greenways: write('roads.kml', '<kml/>') }),
      /roads\.kml: unsupported format/,
    ],
    ['an empty FlatGeobuf', 'greenways', () => ({ greenways: write('empty.fgb', '') }), /empty\.fgb: /],
    [
      'a lone FlatGeobuf header',
      'greenways',
      () => ({ greenways: write('header.fgb', Buffer.from([0x66, 0x67, 0x62, 3, 0x66, 0x67, 0x62, 0])) }),
      /header\.fgb: /,
    ],
    ['a bad cell size', '', () => ['--cell', '5'], /cell size/],
    [
      'a bad rules file',
      '',
      () => ['--rules', write('bad-rules.json', '{"green": {"radiusMeters": -3}}')],
      /bad-rules\.json: rules\.green\.radiusMeters/,
    ],
  ];
  function write(name: string, content: string | Buffer): string {
    writeFileSync(join(directory, name), content);
    return join(directory, name);
  }
  for (const [label, , make, message] of bad) {
    it(`refuses ${label} with exit 2, one clear line and no output`, () => {
      const arranged = make();
      const out = `bad-${label.replace(/\W+/g, '-')}`;
      const done = Array.isArray(arranged) ? run(out, arranged) : run(out, [], arranged);
      expect(done.status).toBe(2);
      expect(done.stderr).toMatch(message);
      expect(done.stderr.trim().split('\n')[0]).toMatch(/^greenreach: /);
      expect(done.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(existsSync(join(directory, out, 'cells.geojson'))).toBe(false);
    });
  }
});
