// `npm run coverage -- --osm FILE.osm.bz2`: the Three Rivers extract compressed with the `bzip2` command
// gives the run of the plain XML (the same features in derived/*.fgb, the same figures), and a
// truncated one ends with exit 2 and one line naming the file and the problem.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { bzip2 } from '../support/bzip2';
import { runCoverageCli } from '../support/run-cli';

const directory = mkdtempSync(join(tmpdir(), 'osm-bzip2-cli-'));
const xmlPath = 'data/three-rivers/three-rivers.osm';
const compressed = bzip2(new Uint8Array(readFileSync(xmlPath)), 1);

/** summary.json without what names the input or times the run. */
function figures(folder: string): Record<string, unknown> {
  const { timings_ms: _, inputs: __, ...summary } = JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8'));
  return { ...summary, osm: { ...summary.osm, file: undefined } };
}

describe('coverage CLI --osm FILE.osm.bz2', () => {
  it('derives the layers of the plain XML and computes the same run', () => {
    const bz2Path = join(directory, 'three-rivers.osm.bz2');
    writeFileSync(bz2Path, compressed);
    const fromBz2 = join(directory, 'bz2');
    const run = runCoverageCli(['--osm', bz2Path, '--cell', '25', '--out', fromBz2]);
    expect(run.stderr.replace(/\r[^\n]*/g, '').trim()).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/three-rivers\.osm\.bz2: 5015 nodes, 859 ways, 2 relations/);
    const fromXml = join(directory, 'xml');
    expect(runCoverageCli(['--osm', xmlPath, '--cell', '25', '--out', fromXml]).status).toBe(0);
    const layers = readdirSync(join(fromXml, 'derived')).sort();
    expect(layers).toContain('greenspaces.fgb');
    expect(readdirSync(join(fromBz2, 'derived')).sort()).toEqual(layers);
    // The files differ only in the source named in their metadata: their features are the same.
    for (const layer of layers) {
      const features = (folder: string) =>
        readFlatGeobuf(new Uint8Array(readFileSync(join(folder, 'derived', layer))), layer).features;
      expect(features(fromBz2), layer).toEqual(features(fromXml));
    }
    expect(figures(fromBz2)).toEqual(figures(fromXml));
  });

  it('a truncated .osm.bz2: exit 2, one line naming the file and the problem, nothing written', () => {
    const cut = join(directory, 'cut.osm.bz2');
    writeFileSync(cut, compressed.subarray(0, compressed.length >> 1));
    const out = join(directory, 'cut');
    const run = runCoverageCli(['--osm', cut, '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^greenreach: cut\.osm\.bz2: the bzip2 data ends early, after \d+ complete blocks: the file is truncated/,
    );
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });
});
