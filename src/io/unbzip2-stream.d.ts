/**
 * Types for the two files of `unbzip2-stream` 1.4 we use: its bzip2 block decoder and its bit reader
 * (the package's own entry wraps them in a Node `through` stream, which a worker has no use for).
 */
declare module 'unbzip2-stream/lib/bzip2.js' {
  /** Reads `count` bits (MSB first); `null` skips to the next byte boundary. */
  type BitReader = (count: number | null) => number;
  const bzip2: {
    /** Reads a stream header ("BZh1"–"BZh9") and returns its block size in units of 100 kB. */
    header(bits: BitReader): number;
    /**
     * Decodes one block into `write` (byte by byte) and returns the stream CRC so far; at the end-of-stream
     * marker it checks the stream CRC, skips to the byte boundary and returns null. Throws a `Bzip2Error`
     * (a CRC mismatch: "crc32 do not match") on damaged data.
     */
    decompress(
      bits: BitReader,
      write: (byte: number) => void,
      buffer: Int32Array,
      bufferSize: number,
      streamCrc: number | null,
    ): number | null;
    Bzip2Error: new (message: string) => Error;
  };
  export default bzip2;
}

declare module 'unbzip2-stream/lib/bit_iterator.js' {
  /** A bit reader over the buffers `nextBuffer` hands out in turn; `bytesRead` counts the bytes begun. */
  export default function bitIterator(
    nextBuffer: () => Uint8Array,
  ): ((count: number | null) => number) & { bytesRead: number };
}
