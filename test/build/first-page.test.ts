import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildIfStale, testBuild } from '../browser/harness';

// The first page a planner loads stays small: heavy code (the workers, the drawing tool, the kiosk, the
// export writers, the OSM readers) loads when it is needed. The JavaScript index.html loads and preloads,
// gzipped, stays within 600 kB (the test build adds only the test hooks, a few hundred bytes).

describe('first page', () => {
  it('loads at most 600 kB of gzipped JavaScript', () => {
    buildIfStale();
    const html = readFileSync(join(testBuild, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
    expect(scripts.length).toBeGreaterThan(0);
    const bytes = scripts.reduce(
      (sum, file) => sum + gzipSync(readFileSync(join(testBuild, file)), { level: 9 }).length,
      0,
    );
    expect(bytes).toBeLessThanOrEqual(600 * 1000);
  }, 300_000);
});
