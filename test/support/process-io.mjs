/**
 * Preload for tests (`node --import ./test/support/process-io.mjs …`): on exit, writes what the process
 * read and held to the file named by GREENREACH_IO_FILE, as JSON: `readBytes` (/proc/self/io rchar:
 * every byte any read call returned, files and pipes alike) and `peakKilobytes` (VmHWM, the peak
 * resident set). The kernel counts both, not the program under test.
 */
import { readFileSync, writeFileSync } from 'node:fs';

process.on('exit', () => {
  const io = /rchar:\s+(\d+)/.exec(readFileSync('/proc/self/io', 'utf8'));
  const peak = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (process.env.GREENREACH_IO_FILE && io && peak) {
    writeFileSync(
      process.env.GREENREACH_IO_FILE,
      JSON.stringify({ readBytes: Number(io[1]), peakKilobytes: Number(peak[1]) }),
    );
  }
});
