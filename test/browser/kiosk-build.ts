import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Helpers of the kiosk's browser tests: a build to change or stop serving, its precache list, its server.

/** A copy of the build (without source maps) that a test may change or stop serving. */
export function copyBuild(from: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'greenreach-kiosk-'));
  cpSync(from, directory, { recursive: true, filter: (source) => !source.endsWith('.map') });
  return directory;
}

/** The precache list and version written into a build's sw.js by scripts/kiosk-precache.ts. */
export function precacheList(directory: string): { version: string; files: string[] } {
  const source = readFileSync(join(directory, 'sw.js'), 'utf8');
  const version = /const PRECACHE_VERSION = ("[^"]+");/.exec(source);
  const files = /const PRECACHE_FILES = (\[[^\]]*\]);/.exec(source);
  if (!version || !files) throw new Error(`${directory}/sw.js has no precache list`);
  return { version: JSON.parse(version[1]), files: JSON.parse(files[1]) };
}

export const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Kills a server we started, by its PID, and waits until it is gone (no connection can reach it). */
export async function killServer(child: ChildProcess): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid!, 'SIGKILL');
  await exited;
}
