import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { runCoverageCli } from '../support/run-cli';

// The CLI's walking-distance flags on the hand-checked scenes of test/network/in (see make-fixtures.ts
// for how each expected figure is worked out).

const directory = mkdtempSync(join(tmpdir(), 'greenreach-network-cli-'));

function scene(name: string): Record<string, string> {
  const fixture = JSON.parse(
    readFileSync(new URL(`../network/in/${name}.geojson`, import.meta.url), 'utf8'),
  ) as FeatureCollection;
  const byLayer = new Map<string, Feature[]>();
  for (const feature of fixture.features) {
    const layer = feature.properties!.layer as string;
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), feature]);
  }
  const files: Record<string, string> = {};
  for (const [layer, features] of byLayer) {
    files[layer] = join(directory, `${name}-${layer}.geojson`);
    writeFileSync(files[layer], JSON.stringify({ type: 'FeatureCollection', features }));
  }
  return files;
}

const river = scene('river-one-bridge');
const gate = scene('gate-on-far-side');
const empty = join(directory, 'empty-greenways.geojson');
writeFileSync(empty, JSON.stringify({ type: 'FeatureCollection', features: [] }));

function run(files: Record<string, string>, out: string, extra: string[]) {
  return runCoverageCli([
    '--communities',
    files.communities,
    '--greenways',
    files.greenways ?? empty,
    '--greenspaces',
    files.greenspaces,
    '--cell',
    '10',
    '--out',
    join(directory, out),
    ...extra,
  ]);
}

function cellsOf(out: string) {
  const cells = JSON.parse(readFileSync(join(directory, out, 'cells.geojson'), 'utf8')) as FeatureCollection;
  return new Map(cells.features.map((f) => [f.properties!.community as string, f.properties!]));
}

describe('coverage CLI: walking distance', () => {
  it('--distance network with --streets and --barriers: walks, straight lines and off-network cells', () => {
    const result = run(river, 'river', [
      '--rules',
      'parkserve',
      '--distance',
      'network',
      '--streets',
      river.streets,
      '--barriers',
      river.barriers,
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const cells = cellsOf('river');
    expect(cells.get('A')!.park_m).toBeCloseTo(785, 0);
    expect(cells.get('A')!.park_straight_m).toBeCloseTo(185, 0);
    expect(cells.get('B')!.park_m).toBeCloseTo(875, 0);
    expect(cells.get('B')!.meets_park).toBe(false);
    expect(cells.get('C')).toMatchObject({ park_m: null, off_network: true });
    expect(cells.get('A')!.off_network).toBe(false);
    const summary = JSON.parse(readFileSync(join(directory, 'river', 'summary.json'), 'utf8'));
    expect(summary.distance).toBe('network');
    expect(summary.rules.distance).toBe('network');
    expect(summary.cells_meeting_park).toBe(1);
    expect(summary.cells_meeting_both_straight).toBe(2);
    expect(summary.network).toMatchObject({
      nodes: 6,
      edges: 5,
      lines_not_walkable: 1,
      entrances_given: 0,
      entrances_generated: 2,
      unreachable_areas: 0,
      cells_off_network: 1,
      snap_max_m: 150,
    });
    // Three streets of 1,000 m plus the 180 m bridge; the motorway is not walkable.
    expect(summary.network.walkable_length_km).toBeCloseTo(2.18, 2);
    expect(summary.inputs).toMatchObject({ streets: 'river-one-bridge-streets.geojson' });
  });

  it('--entrances: the park is entered only at its gate, on the far side', () => {
    const result = run(gate, 'gate', [
      '--rules',
      'parkserve',
      '--streets',
      gate.streets,
      '--entrances',
      gate.entrances,
    ]);
    expect(result.status).toBe(0);
    expect(cellsOf('gate').get('S')!.park_m).toBeCloseTo(830, 0);
    const summary = JSON.parse(readFileSync(join(directory, 'gate', 'summary.json'), 'utf8'));
    expect(summary.network.entrances_given).toBe(1);
    expect(summary.network.entrances_generated).toBe(0);
  });

  it('FlatGeobuf cells carry the walking-distance columns', () => {
    const result = run(river, 'river-fgb', ['--rules', 'parkserve', '--streets', river.streets, '--format', 'fgb']);
    expect(result.status).toBe(0);
    const bytes = readFileSync(join(directory, 'river-fgb', 'cells.fgb'));
    const read = readFlatGeobuf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'cells.fgb');
    const a = read.features.find((f) => f.properties?.community === 'A')!;
    expect(a.properties!.park_straight_m).toBeCloseTo(185, 0);
    expect(a.properties!.off_network).toBe(false);
  });

  it('--distance straight keeps the straight line and names it', () => {
    const result = run(river, 'straight', ['--rules', 'parkserve', '--distance', 'straight']);
    expect(result.status).toBe(0);
    const cells = cellsOf('straight');
    expect(cells.get('B')!.park_m).toBeCloseTo(95, 0);
    expect('off_network' in cells.get('B')!).toBe(false);
    const summary = JSON.parse(readFileSync(join(directory, 'straight', 'summary.json'), 'utf8'));
    expect(summary.distance).toBe('straight');
    expect(summary.network).toBeNull();
    expect('cells_meeting_both_straight' in summary).toBe(false);
  });

  it('walking distance without --streets is a clear error, exit 2, nothing written', () => {
    for (const [out, extra] of [
      ['no-streets', ['--distance', 'network']],
      ['no-streets-preset', ['--rules', 'parkserve']],
    ] as const) {
      const result = run(river, out, [...extra]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/needs --streets FILE/);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(join(directory, out, 'cells.geojson'))).toBe(false);
    }
  });

  it('a streets file without lines, or a bad --distance, is refused with exit 2', () => {
    const noLines = run(river, 'no-lines', ['--distance', 'network', '--streets', river.communities]);
    expect(noLines.status).toBe(2);
    expect(noLines.stderr).toMatch(/river-one-bridge-communities\.geojson: a streets layer needs LineString/);
    const bad = run(river, 'bad-mode', ['--distance', 'walk']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--distance walk: use network or straight/);
  });
});
