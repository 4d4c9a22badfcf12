import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstPageModules, firstPageTable, keysBySourceFile, laterTable, tableKeys } from '../../scripts/message-keys';
import { root } from '../browser/harness';

// The first page a planner loads stays small: heavy code (the workers, the drawing and measuring tools,
// the kiosk, the report, the export writers, the OSM readers, panels not needed for the first answer)
// loads when it is needed. The JavaScript index.html loads and preloads in the production build (as
// `npm start` makes it, without test hooks), gzipped, stays within 600 kB. The build writes hidden
// source maps (the scripts are byte for byte those of a build without maps) so the second test can see
// which src/ modules are on the first page.

describe('first page', () => {
  let out = '';
  let scripts: string[] = [];

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'greenreach-build-'));
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--logLevel',
        'warn',
        '--outDir',
        out,
        '--emptyOutDir',
        '--sourcemap',
        'hidden',
      ],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, NODE_ENV: 'production', VITE_TEST_HOOKS: '', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      },
    );
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    scripts = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
  }, 300_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('loads at most 600 kB of gzipped JavaScript', () => {
    expect(scripts.length).toBeGreaterThan(0);
    const bytes = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(out, file)), { level: 9 }).length, 0);
    expect(bytes).toBeLessThanOrEqual(600 * 1000);
  });

  // A text the first page shows must not wait for the later table (src/ui/messages-later.ts), which only
  // lazily loaded modules import: every key a first-page module names is in src/ui/messages.ts.
  it('has every message key its modules use in the first-page table', () => {
    const modules = firstPageModules(out);
    // The maps were read: the planner's root component and i18n are on the first page, the later table is not.
    expect(modules).toContain(join(root, 'src/ui/app.tsx'));
    expect(modules).toContain(join(root, 'src/ui/i18n.ts'));
    expect(modules).not.toContain(join(root, laterTable));
    const firstKeys = new Set(tableKeys(readFileSync(join(root, firstPageTable), 'utf8')));
    const laterKeys = tableKeys(readFileSync(join(root, laterTable), 'utf8'));
    const missing: string[] = [];
    for (const [path, keys] of keysBySourceFile(join(root, 'src'), [...firstKeys, ...laterKeys]))
      if (modules.has(path))
        for (const key of keys) if (!firstKeys.has(key)) missing.push(`${relative(root, path)}: ${key}`);
    expect(missing, `move these rows from ${laterTable} to ${firstPageTable}`).toEqual([]);
  });
});
