/**
 * Where the page's main thread stalls while an OpenStreetMap extract is imported: a DevTools-protocol
 * CPU profile of the page during the drop (until the dialog lists the layers) and during the "Use these
 * layers" click (until the coverage is ready). Each run of busy samples over 50 ms is a long task; the
 * report lists the longest with the functions that took their time (self time, and the task's entry).
 * Same extract as bench-osm-browser (seeded synthetic PBF; needs osmium-tool).
 *
 *   tsx scripts/profile-osm-browser.ts [--mb 100] [--seed 12] [--top 8]
 */
import type { CDPSession } from 'playwright-core';
import {
  buildIfStale,
  chromiumForTests,
  launchBrowser,
  openPage,
  startServer,
  stopProcess,
  waitForCoverage,
} from '../test/browser/harness';
import { syntheticPbf } from './bench-osm';

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A frame's name as a person reads it: function, file and line. */
const frameName = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const file =
    url
      .split('/')
      .pop()
      ?.replace(/-[\w-]{8}\.js$/, '.js') ?? '';
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
};

/**
 * The long tasks of a profile: maximal runs of samples that are not idle, longer than 50 ms, each with
 * its milliseconds by self-time frame and by the outermost frames below the root.
 */
function longTasks(profile: Profile, top: number) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const idle = (id: number) => byId.get(id)?.callFrame.functionName === '(idle)';
  // The stack of a sample from the outermost frame in (the root left out).
  const stack = (id: number) => {
    const frames: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.unshift(byId.get(at)!);
    return frames.slice(1);
  };
  const tasks: { ms: number; self: Map<string, number>; entry: Map<string, number> }[] = [];
  let current: (typeof tasks)[number] | null = null;
  for (let index = 0; index < profile.samples.length; index++) {
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const id = profile.samples[index];
    if (idle(id)) {
      if (current && current.ms > 50) tasks.push(current);
      current = null;
      continue;
    }
    current ??= { ms: 0, self: new Map(), entry: new Map() };
    current.ms += ms;
    const frames = stack(id);
    const self = frameName(frames[frames.length - 1] ?? byId.get(id)!);
    current.self.set(self, (current.self.get(self) ?? 0) + ms);
    // The entry: the first frames of the app's code (skipping the root's "(program)" wrappers).
    const entry = frames.slice(0, 4).map(frameName).join(' > ');
    current.entry.set(entry, (current.entry.get(entry) ?? 0) + ms);
  }
  if (current && current.ms > 50) tasks.push(current);
  const busyMs = tasks.reduce((sum, task) => sum + task.ms, 0);
  const sorted = tasks.sort((a, b) => b.ms - a.ms).slice(0, top);
  const heaviest = (map: Map<string, number>, count: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, ms]) => `${Math.round(ms)} ms ${name}`);
  return {
    count: tasks.length,
    busyMs,
    tasks: sorted.map((task) => ({
      ms: Math.round(task.ms),
      self: heaviest(task.self, 6),
      entry: heaviest(task.entry, 3),
    })),
  };
}

async function profiled(cdp: CDPSession, run: () => Promise<void>): Promise<Profile> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  await run();
  const { profile } = await cdp.send('Profiler.stop');
  return profile as unknown as Profile;
}

const top = option('--top', 8);
const file = syntheticPbf(option('--mb', 100), option('--seed', 12));
const executable = chromiumForTests();
if (!executable) process.exit(1);
buildIfStale();
const server = await startServer();
const browser = await launchBrowser(executable);
try {
  const { page } = await openPage(browser, `${server.url}?lang=en`);
  await waitForCoverage(page);
  const cdp = await page.context().newCDPSession(page);
  const started = performance.now();
  const importProfile = await profiled(cdp, async () => {
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('osm-layers').waitFor({ timeout: 15 * 60_000 });
  });
  console.log(`layers listed after ${((performance.now() - started) / 1000).toFixed(1)} s (profiled)`);
  console.log('import:', JSON.stringify(longTasks(importProfile, top), null, 1));
  const useStarted = performance.now();
  const useProfile = await profiled(cdp, async () => {
    await page.getByTestId('osm-use').click();
    await page
      .waitForFunction(() => document.documentElement.dataset.coverage === 'computing', null, { timeout: 30_000 })
      .catch(() => {});
    await waitForCoverage(page, 5 * 60_000);
  });
  console.log(`coverage ready after ${((performance.now() - useStarted) / 1000).toFixed(1)} s (profiled)`);
  console.log('use:', JSON.stringify(longTasks(useProfile, top), null, 1));
} finally {
  await browser.close();
  stopProcess(server.process);
}
