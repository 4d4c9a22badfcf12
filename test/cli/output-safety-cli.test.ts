import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticCity } from '../../scripts/synthetic-city';
import { chengduLayers } from '../io/chengdu-layers';
import { runCoverageCli } from '../support/run-cli';

// Issue 13's CLI points: the output folder checked first, no partial output after an interrupt or a
// kill, an output size refused before writing, decimal numbers only, no stale files beside new
// results, and a layer with no usable feature refused.

const directory = mkdtempSync(join(tmpdir(), 'greenreach-safety-cli-'));
const files: Record<string, string> = {};
for (const [name, layer] of Object.entries(chengduLayers())) {
  files[name] = join(directory, `${name}.geojson`);
  writeFileSync(files[name], JSON.stringify(layer));
}
const root = new URL('../../', import.meta.url).pathname;

function args(out: string, extra: string[] = [], swap: Record<string, string> = {}): string[] {
  const list: string[] = [];
  for (const name of ['communities', 'greenways', 'greenspaces']) list.push(`--${name}`, swap[name] ?? files[name]);
  return [...list, '--out', out, ...extra];
}

const staged = (out: string) => readdirSync(out).filter((name) => name.startsWith('.greenreach-'));

describe('coverage CLI: output folder and numbers', () => {
  it('a file as --out: exit 2 with a clear message, before the inputs are read', () => {
    const file = join(directory, 'a-file');
    writeFileSync(file, 'x');
    const done = runCoverageCli(args(file, [], { greenspaces: join(directory, 'missing.geojson') }));
    expect(done.status).toBe(2);
    expect(done.stderr).toBe(`greenreach: --out ${file}: is a file, not a folder\n`);
    const under = runCoverageCli(args(join(file, 'out')));
    expect(under.status).toBe(2);
    expect(under.stderr).toMatch(/--out .*a-file\/out: lies under a file, not a folder/);
  });

  it('takes decimal numbers only: --cell 0x20, 1e2 and --suggest 0x3 are refused', () => {
    for (const extra of [
      ['--cell', '0x20'],
      ['--cell', '1e2'],
      ['--cell', ' '],
      ['--suggest', '0x3'],
    ]) {
      const done = runCoverageCli(args(join(directory, 'hex'), extra));
      expect(done.status, extra.join(' ')).toBe(2);
      expect(done.stderr).toContain(`${extra[0]} ${extra[1]}`);
    }
    expect(runCoverageCli(args(join(directory, 'decimal'), ['--cell', '62.5'])).status).toBe(0);
  });

  it('removes a stale suggestions.geojson and another format’s cells file of an earlier run', () => {
    const out = join(directory, 'stale');
    expect(runCoverageCli(args(out, ['--suggest', '1', '--format', 'fgb'])).status).toBe(0);
    expect(existsSync(join(out, 'suggestions.geojson'))).toBe(true);
    const again = runCoverageCli(args(out));
    expect(again.status, again.stderr).toBe(0);
    expect(existsSync(join(out, 'suggestions.geojson'))).toBe(false);
    expect(existsSync(join(out, 'cells.fgb'))).toBe(false);
    expect(existsSync(join(out, 'cells.geojson'))).toBe(true);
    expect(again.stdout).toContain('removed files of an earlier run: cells.fgb, suggestions.geojson');
  });

  it('removes staging folders of killed runs (a dead PID, or an older version without one) and keeps live ones', () => {
    const out = join(directory, 'leftovers');
    mkdirSync(join(out, '.greenreach-999999999-abc'), { recursive: true });
    writeFileSync(join(out, '.greenreach-999999999-abc', 'cells.geojson'), 'partial');
    mkdirSync(join(out, '.greenreach-XyZ123'));
    const live = `.greenreach-${process.pid}-live`;
    mkdirSync(join(out, live));
    const done = runCoverageCli(args(out));
    expect(done.status, done.stderr).toBe(0);
    expect(staged(out)).toEqual([live]);
  });

  it('refuses an output past --max-output-mb before writing, with a --format tif hint', () => {
    const out = join(directory, 'too-big');
    const done = runCoverageCli(args(out, ['--cell', '10', '--max-output-mb', '1']));
    expect(done.status).toBe(2);
    expect(done.stderr).toMatch(
      /cells\.geojson would be about [\d,]+ MB \(\d+ cells\), over the limit of --max-output-mb 1; --format tif/,
    );
    expect(readdirSync(out)).toEqual([]);
    expect(runCoverageCli(args(out, ['--cell', '10', '--max-output-mb', '1', '--format', 'tif'])).status).toBe(0);
  });

  it('refuses a layer whose only feature has a null geometry, with the count skipped and why', () => {
    const nulls = join(directory, 'null-parks.geojson');
    writeFileSync(
      nulls,
      JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: null }] }),
    );
    const done = runCoverageCli(args(join(directory, 'nulls'), [], { greenspaces: nulls }));
    expect(done.status).toBe(2);
    expect(done.stderr).toMatch(/^greenreach: null-parks\.geojson: no usable feature: all 1 were skipped \(1 null/);
    // An empty layer (no features at all) stays allowed: nothing was skipped.
    const empty = join(directory, 'empty.geojson');
    writeFileSync(empty, JSON.stringify({ type: 'FeatureCollection', features: [] }));
    expect(runCoverageCli(args(join(directory, 'empty'), [], { greenways: empty })).status).toBe(0);
  });
});

describe('coverage CLI: interrupted while writing', () => {
  // A city big enough that writing GeoJSON takes a few seconds (1M cells of 10 m).
  const city = syntheticCity({ seed: 2, sizeMeters: 10_000, communitiesPerSide: 2, greenwayCount: 4, parkCount: 8 });
  const cityFiles: Record<string, string> = {};
  for (const name of ['communities', 'greenways', 'greenspaces'] as const) {
    cityFiles[name] = join(directory, `city-${name}.geojson`);
    writeFileSync(cityFiles[name], JSON.stringify(city[name]));
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while the staging folder exists: it is removed, exit ${signal === 'SIGINT' ? 130 : 143}`, async () => {
      const out = join(directory, `interrupted-${signal}`);
      const child = spawn(process.execPath, ['scripts/run-cli.mjs', ...args(out, ['--cell', '10'], cityFiles)], {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (data) => {
        stderr += data;
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Wait for the staging folder, then interrupt.
      const started = Date.now();
      while (!(existsSync(out) && staged(out).length > 0) && Date.now() - started < 60_000) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(staged(out).length).toBe(1);
      child.kill(signal);
      expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(stderr).toContain(`interrupted (${signal})`);
      expect(readdirSync(out)).toEqual([]);
    }, 90_000);
  }
});
