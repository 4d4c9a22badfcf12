// `npm run coverage -- --osm FILE`: layers derived from the Three Rivers extract, explicit flags win,
// derived/<layer>.fgb written, summary.json `osm`, --population spread by the extract's buildings, and a
// bad extract ends with exit 2 naming the file.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectionBounds } from '../../src/coverage/geometry';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { rectangle } from '../support/population-grid';
import { runCoverageCli } from '../support/run-cli';

/** [west, south, east, north] of a FlatGeobuf layer. */
function readLayerBounds(path: string): [number, number, number, number] {
  return collectionBounds(readFlatGeobuf(new Uint8Array(readFileSync(path)), path))!;
}

const directory = mkdtempSync(join(tmpdir(), 'osm-cli-'));

describe('coverage CLI --osm', () => {
  it('derives the layers, prints them, writes derived/*.fgb and summary.json osm', () => {
    const out = join(directory, 'three-rivers');
    const run = runCoverageCli(['--osm', 'data/three-rivers/three-rivers.osm.pbf', '--cell', '25', '--out', out]);
    expect(run.stderr.replace(/\r[^\n]*/g, '').trim()).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/three-rivers\.osm\.pbf: 5015 nodes, 859 ways, 2 relations/);
    expect(run.stdout).toMatch(/greenspaces: 17 features/);
    expect(run.stdout).toMatch(/guessed: no landuse=residential/);
    for (const layer of [
      'communities',
      'residential',
      'greenways',
      'greenspaces',
      'streets',
      'entrances',
      'barriers',
      'basemap',
    ]) {
      expect(existsSync(join(out, 'derived', `${layer}.fgb`))).toBe(true);
    }
    const streets = readFlatGeobuf(new Uint8Array(readFileSync(join(out, 'derived', 'streets.fgb'))), 'streets.fgb');
    expect(streets.features).toHaveLength(329);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.osm).toMatchObject({
      nodes: 5015,
      ways: 859,
      relations: 2,
      skipped: [],
      used: ['communities', 'residential', 'greenways', 'greenspaces'],
    });
    expect(summary.osm.layers.greenspaces.features).toBe(17);
    expect(summary.osm.layers.greenspaces.rules['greenspaces/leisure=park']).toBe(6);
    expect(summary.inputs.greenspaces).toBe('derived/greenspaces.fgb');
    expect(summary.import.greenspaces.format).toBe('flatgeobuf');
  });

  it('an explicit layer flag overrides the derived layer', () => {
    const out = join(directory, 'override');
    const run = runCoverageCli([
      '--osm',
      'data/three-rivers/three-rivers.osm',
      '--communities',
      'data/three-rivers/communities.fgb',
      '--out',
      out,
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/communities: 1 features .*not used: given as a flag/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.osm.overridden).toEqual(['communities']);
    expect(summary.inputs.communities).toBe('communities.fgb');
  });

  it('--population with an extract: its buildings spread the residents, as --buildings derived/buildings.fgb does', () => {
    const out = join(directory, 'population');
    const residential = readLayerBounds('data/three-rivers/residential.fgb');
    const population = join(directory, 'census.geojson');
    writeFileSync(
      population,
      JSON.stringify({ type: 'FeatureCollection', features: [rectangle(...residential, { population: 10_000 })] }),
    );
    const run = runCoverageCli([
      '--osm',
      'data/three-rivers/three-rivers.osm.pbf',
      '--population',
      population,
      '--cell',
      '25',
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/population spread by the floor area of the extract's \d+ buildings/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.inputs.buildings).toBe('derived/buildings.fgb');
    expect(summary.population_buildings).toBeGreaterThan(0);
    // The same layers and the written buildings given as flags: the same residents, cell by cell.
    const flagged = join(directory, 'population-flags');
    const layers = ['communities', 'residential', 'greenways', 'greenspaces'];
    const again = runCoverageCli([
      ...layers.flatMap((layer) => [`--${layer}`, join(out, 'derived', `${layer}.fgb`)]),
      '--buildings',
      join(out, 'derived', 'buildings.fgb'),
      '--population',
      population,
      '--cell',
      '25',
      '--out',
      flagged,
    ]);
    expect(again.status).toBe(0);
    const explicit = JSON.parse(readFileSync(join(flagged, 'summary.json'), 'utf8'));
    for (const key of ['population', 'population_meeting_both', 'population_unplaced', 'population_buildings']) {
      expect(summary[key], key).toBe(explicit[key]);
    }
  });

  it('a bad extract: exit 2, one line naming the file and the problem, nothing written', () => {
    const out = join(directory, 'bad');
    const run = runCoverageCli(['--osm', 'test/osm/in/relation-loop.osm', '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      'greenreach: relation-loop.osm: relations contain each other in a loop: relation 10 → relation 11 → relation 10',
    );
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });
});
