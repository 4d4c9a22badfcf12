import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { root } from '../browser/harness';

// The first page a planner loads stays small: heavy code (the workers, the drawing and measuring tools,
// the kiosk, the report, the export writers, the OSM readers, panels not needed for the first answer)
// loads when it is needed. The JavaScript index.html loads and preloads in the production build (as
// `npm start` makes it, without test hooks), gzipped, stays within 600 kB.

describe('first page', () => {
  it('loads at most 600 kB of gzipped JavaScript', () => {
    const out = mkdtempSync(join(tmpdir(), 'greenreach-build-'));
    try {
      execFileSync(
        process.execPath,
        [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', out, '--emptyOutDir'],
        {
          cwd: root,
          stdio: ['ignore', 'ignore', 'inherit'],
          env: {
            ...process.env,
            NODE_ENV: 'production',
            VITE_TEST_HOOKS: '',
            VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true',
          },
        },
      );
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      const scripts = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
      expect(scripts.length).toBeGreaterThan(0);
      const bytes = scripts.reduce(
        (sum, file) => sum + gzipSync(readFileSync(join(out, file)), { level: 9 }).length,
        0,
      );
      expect(bytes).toBeLessThanOrEqual(600 * 1000);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
