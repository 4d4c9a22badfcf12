import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/coverage/input-error';
import { readLayerFile } from '../../src/io/read-layer';
import type { LayerRole } from '../../src/io/validate';

/**
 * The bad-or-tricky import corpus: one file per case in test/io/corpus/ (made by make-corpus.ts), each
 * with its role, options and expected outcome in expected.json: an InputError matching `error`, or a layer
 * with `features` kept, `skipped` counted and `warnings` that match.
 */
interface Case {
  file: string;
  role: LayerRole;
  options?: { crs?: string; gcj02?: boolean };
  error?: string;
  features?: number;
  skipped?: number;
  warnings?: string[];
  crs?: string;
  name?: string | null;
  kinds?: string[];
  property?: [string, unknown];
  ownKeys?: string[];
}

const directory = new URL('./corpus/', import.meta.url).pathname;
const cases: Case[] = JSON.parse(readFileSync(join(directory, 'expected.json'), 'utf8'));

describe('import corpus', () => {
  it('has at least 30 files, every one of them in expected.json', () => {
    const files = readdirSync(directory).filter((name) => !/\.(ts|json)$/.test(name) || name.endsWith('.geojson'));
    expect(files.length).toBeGreaterThanOrEqual(30);
    const covered = new Set(cases.map((c) => c.file));
    expect(files.filter((file) => !covered.has(file))).toEqual([]);
  });

  for (const c of cases) {
    const label = `${c.file} as ${c.role}${c.options ? ` ${JSON.stringify(c.options)}` : ''}: ${c.error ? `refused (${c.error})` : `${c.features} features`}`;
    it(label, async () => {
      const bytes = new Uint8Array(readFileSync(join(directory, c.file)));
      const reading = readLayerFile(bytes, c.file, { role: c.role, ...c.options });
      if (c.error) {
        const error = await reading.then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(InputError);
        expect((error as Error).message).toMatch(new RegExp(c.error));
        expect((error as Error).message).not.toMatch(/\n/);
        return;
      }
      const result = await reading;
      expect(result.collection.features.length).toBe(c.features);
      expect(result.skipped.length).toBe(c.skipped ?? 0);
      expect(result.sourceIndex.length).toBe(c.features);
      for (const pattern of c.warnings ?? []) expect(result.warnings.join('\n')).toMatch(new RegExp(pattern));
      if (c.crs) expect(result.crs.code).toBe(c.crs);
      const properties = result.collection.features.map((f) => f.properties ?? {});
      if (c.name) expect(properties.map((p) => p.name)).toContain(c.name);
      if (c.kinds) expect(properties.map((p) => p.kind)).toEqual(c.kinds);
      if (c.property) expect(properties.map((p) => p[c.property![0]])).toContain(c.property[1]);
      if (c.ownKeys) {
        expect(Object.keys(properties[0]).sort()).toEqual(c.ownKeys);
        expect(Object.getPrototypeOf(properties[0])).toBe(Object.prototype);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }
      // Everything that comes out is WGS84 longitude/latitude, 2D, with closed rings.
      for (const feature of result.collection.features) {
        const text = JSON.stringify(feature.geometry);
        expect(text).not.toMatch(/\[[^[\]]*,[^[\]]*,[^[\]]*\]/);
        const numbers = (text.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);
        for (let i = 0; i + 1 < numbers.length; i += 2) {
          expect(Math.abs(numbers[i])).toBeLessThanOrEqual(180);
          expect(Math.abs(numbers[i + 1])).toBeLessThanOrEqual(90);
        }
      }
    });
  }
});
