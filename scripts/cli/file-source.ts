import { closeSync, openSync, read as readAt, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { type ByteSource, countedSource } from '../../src/io/byte-source';

const readRange = promisify(readAt);

/**
 * A file on disk read by ranges (`fs.read` at an offset), for the readers that need only part of a file
 * (a GeoTIFF population grid: its header and the blocks under the study area). Close it when done.
 */
export function openFileSource(path: string): ByteSource & { close(): void } {
  const descriptor = openSync(path, 'r');
  const source = countedSource(statSync(path).size, async (offset, end) => {
    const bytes = new Uint8Array(end - offset);
    let filled = 0;
    // A read may return fewer bytes than asked (a pipe, a network disk): read on until the range is full.
    while (filled < bytes.length) {
      const { bytesRead } = await readRange(descriptor, bytes, filled, bytes.length - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return bytes.subarray(0, filled);
  });
  return Object.assign(source, { close: () => closeSync(descriptor) });
}
