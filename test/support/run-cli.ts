import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

/**
 * Runs the coverage CLI exactly as `npm run coverage -- …` does (scripts/run-cli.mjs), from the project root;
 * `node` adds Node options (a preload) and `env` variables.
 */
export function runCoverageCli(
  args: string[],
  options: { node?: string[]; env?: Record<string, string> } = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...(options.node ?? []), 'scripts/run-cli.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
}

/** Every output file of a run in `folder`, by name; summary.json without its timings (the one thing a tiled run may change). */
export function runOutputs(folder: string): Record<string, string> {
  const read: Record<string, string> = {};
  for (const name of readdirSync(folder).sort()) {
    const bytes = readFileSync(join(folder, name));
    if (name !== 'summary.json') read[name] = bytes.toString('base64');
    else {
      const { timings_ms: _, ...summary } = JSON.parse(bytes.toString('utf8'));
      read[name] = JSON.stringify(summary);
    }
  }
  return read;
}
