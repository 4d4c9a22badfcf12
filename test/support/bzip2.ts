import { spawnSync } from 'node:child_process';

/**
 * `bytes` compressed by the `bzip2` command (.ci/run installs it), with blocks of `blockSize100k` × 100 kB:
 * `-1` cuts a file of a few hundred kB into several blocks.
 */
export function bzip2(bytes: Uint8Array, blockSize100k = 9): Uint8Array {
  const result = spawnSync('bzip2', ['-c', `-${blockSize100k}`], { input: bytes, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`bzip2 failed: ${result.error ?? result.stderr}`);
  return new Uint8Array(result.stdout);
}

/** What pbzip2 and lbzip2 write: the input cut into `parts` pieces, each one bzip2 stream, one after another. */
export function bzip2Streams(bytes: Uint8Array, parts: number, blockSize100k = 9): Uint8Array {
  const streams: Uint8Array[] = [];
  for (let part = 0; part < parts; part++) {
    const from = Math.floor((bytes.length * part) / parts);
    streams.push(bzip2(bytes.subarray(from, Math.floor((bytes.length * (part + 1)) / parts)), blockSize100k));
  }
  return new Uint8Array(Buffer.concat(streams));
}

/** A source that hands out `bytes` in chunks of `chunkBytes` and counts how many bytes were pulled. */
export function countedSource(bytes: Uint8Array, chunkBytes: number) {
  const counted = { size: bytes.length, pulled: 0, stream: () => stream };
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const chunk = bytes.slice(at, at + chunkBytes);
      at += chunk.length;
      counted.pulled = at;
      controller.enqueue(chunk);
    },
  });
  return counted;
}
