/**
 * A file read by ranges: what a reader asks of a file it does not need whole (a GeoTIFF population grid
 * reads its header, its block offsets and the blocks under the study area only). The same reader takes
 * bytes already in memory, a browser `File` (or any `Blob`), or the CLI's file on disk
 * (`scripts/cli/file-source.ts`, which this module does not import: `node:fs` is not in a browser).
 */
export interface ByteSource {
  /** The file's length in bytes. */
  readonly size: number;
  /** Bytes `offset` to `offset + length`, fewer at the end of the file (none beyond it). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Bytes handed out by `read` so far (what the reader made the file give). */
  readonly bytesRead: number;
}

/** Bytes, a Blob or a source: all three as a source. */
export type ByteInput = Uint8Array | Blob | ByteSource;

/** Whether an input is already a {@link ByteSource}. */
export function isByteSource(input: ByteInput): input is ByteSource {
  return !(input instanceof Uint8Array) && typeof (input as ByteSource).read === 'function';
}

/** Any input as a source: bytes in memory as views of them, a Blob by `slice().arrayBuffer()`. */
export function byteSource(input: ByteInput): ByteSource {
  if (isByteSource(input)) return input;
  if (input instanceof Uint8Array) {
    return countedSource(input.length, async (offset, end) => input.subarray(offset, end));
  }
  const blob = input;
  return countedSource(blob.size, async (offset, end) => new Uint8Array(await blob.slice(offset, end).arrayBuffer()));
}

/** A source over `readRange(offset, end)` (end clamped to the size), counting what it hands out. */
export function countedSource(
  size: number,
  readRange: (offset: number, end: number) => Promise<Uint8Array>,
): ByteSource {
  let bytesRead = 0;
  return {
    size,
    get bytesRead() {
      return bytesRead;
    },
    async read(offset, length) {
      const start = Math.min(size, Math.max(0, offset));
      const end = Math.min(size, start + Math.max(0, length));
      const bytes = end > start ? await readRange(start, end) : new Uint8Array(0);
      bytesRead += bytes.length;
      return bytes;
    },
  };
}

/** The whole file: for the formats read whole. */
export async function readAll(input: ByteInput): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input;
  const source = byteSource(input);
  return source.read(0, source.size);
}
