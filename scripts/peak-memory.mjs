/**
 * Preload for benchmarks (`node --import ./scripts/peak-memory.mjs …`): on exit, writes the process's
 * peak resident set size in kilobytes (VmHWM: the whole process, every worker thread included) to the
 * file named by GREENREACH_PEAK_FILE.
 */
import { readFileSync, writeFileSync } from 'node:fs';

process.on('exit', () => {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (process.env.GREENREACH_PEAK_FILE && match) writeFileSync(process.env.GREENREACH_PEAK_FILE, match[1]);
});
