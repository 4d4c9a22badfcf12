import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chengduLayers } from '../io/chengdu-layers';
import { runCoverageCli } from '../support/run-cli';

// Issue 13's "messages that do not help", in the CLI: a layer that is not what its name says is refused
// by what it holds, and a huge file from its size and first bytes, without reading it (sparse files of
// 1 and 3 GiB take no disk space).

const directory = mkdtempSync(join(tmpdir(), 'greenreach-bad-files-cli-'));
const layers = chengduLayers();
const communities = join(directory, 'communities.geojson');
const greenways = join(directory, 'greenways.geojson');
writeFileSync(communities, JSON.stringify(layers.communities));
writeFileSync(greenways, JSON.stringify(layers.greenways));

afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

function sparse(name: string, bytes: number): string {
  const path = file(name, '');
  truncateSync(path, bytes);
  return path;
}

function refusal(greenspaces: string): { stderr: string } {
  const done = runCoverageCli([
    '--communities',
    communities,
    '--greenways',
    greenways,
    '--greenspaces',
    greenspaces,
    '--out',
    join(directory, 'out'),
  ]);
  expect(done.status, done.stderr).toBe(2);
  return { stderr: done.stderr };
}

describe('coverage CLI: bad files are said by what they hold', () => {
  it('random bytes, a JSON array, an HTML page and an empty .fgb', () => {
    const noise = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    expect(refusal(file('garbage.geojson', noise)).stderr).toBe(
      'greenreach: garbage.geojson: not GeoJSON: the file starts with binary bytes (00 9e 3c da 78 17 b5 53), not text\n',
    );
    expect(refusal(file('array.geojson', '[1, 2, 3]')).stderr).toMatch(
      /^greenreach: array\.geojson: not GeoJSON: the file is a JSON array, not a GeoJSON object/,
    );
    expect(refusal(file('page.json', '<html><body>502 Bad Gateway</body></html>')).stderr).toMatch(
      /^greenreach: page\.json: not GeoJSON: the file is an HTML page/,
    );
    expect(refusal(file('empty.fgb', '')).stderr).toBe('greenreach: empty.fgb: the file is empty (0 bytes)\n');
  });

  it('deep nesting names the feature and the attribute', () => {
    const tags = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const text = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"tags":${tags}},"geometry":null}]}`;
    expect(refusal(file('deep_nesting.geojson', text)).stderr).toBe(
      'greenreach: deep_nesting.geojson: feature 0: "tags" is nested 100,000 levels deep (limit 100), more than can be handled\n',
    );
  });

  it('1 GiB of zeros and a 3 GiB file are refused from their first bytes and size, unread', () => {
    // Before, 1 GiB of zeros was read whole (5 s, 1.1 GB of memory) and 3 GiB "cannot be read".
    const zeros = refusal(sparse('zeros.geojson', 2 ** 30));
    expect(zeros.stderr).toMatch(/^greenreach: zeros\.geojson: not GeoJSON: the file holds only zero bytes/);
    const huge = refusal(sparse('huge.geojson', 3 * 2 ** 30));
    expect(huge.stderr).toBe(
      'greenreach: huge.geojson: the file is 3 GiB, over the 1 GiB limit; clip it to the study area\n',
    );
    const justOver = refusal(sparse('over.fgb', 2 ** 30 + 1));
    expect(justOver.stderr).toMatch(/the file is 1,073,741,825 bytes, over the 1 GiB limit/);
  });
});
