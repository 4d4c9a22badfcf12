import { type SpawnSyncReturns, spawnSync } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;

/** Runs the coverage CLI exactly as `npm run coverage -- …` does (scripts/run-cli.mjs), from the project root. */
export function runCoverageCli(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['scripts/run-cli.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
}
