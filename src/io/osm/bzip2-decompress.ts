/**
 * bzip2 decompression for OSM extracts (`.osm.bz2`, also several streams one after another as pbzip2 and
 * lbzip2 write them), block by block with `unbzip2-stream`'s block decoder and bit reader. A block is
 * decoded only once enough compressed bytes are in hand for all of it, so memory stays at about two
 * blocks of input (≤ 2 MB), the decoder's table (3.6 MB for 900 kB blocks) and one block's output; each
 * block's CRC is checked before its bytes are handed on, and the AbortSignal is looked at between blocks.
 * Loaded on first use by `read-osm.ts` (dynamic import): the first page and a .pbf read never load it.
 */

import bitIterator from 'unbzip2-stream/lib/bit_iterator.js';
import bzip2 from 'unbzip2-stream/lib/bzip2.js';
import { OsmError, throwIfAborted } from './osm-error';

/** Compressed bytes held before a block is decoded: twice the largest block plus a margin (see the file comment). */
const bytesBeforeBlock = (blockSize100k: number) => blockSize100k * 200_000 + 65_536;
/** Size of the output pieces handed on. */
const OUTPUT_PIECE_BYTES = 64 * 1024;

/** Thrown by the bit reader when it needs a byte the input has not got. */
class OutOfInput extends Error {}

/** Decompresses bzip2 chunks into the bytes they hold (see the file comment); throws an OsmError on bad data. */
export async function* bunzip2Chunks(
  compressed: AsyncIterable<Uint8Array>,
  fileName: string,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const queue: Uint8Array[] = [];
  let received = 0;
  let bits: ReturnType<typeof bitIterator> | null = null;
  let blockSize100k = 0;
  let table = new Int32Array(0);
  let streamCrc: number | null = null;
  let blocks = 0;
  let streams = 0;
  let pieces: Uint8Array[] = [];
  let piece = new Uint8Array(OUTPUT_PIECE_BYTES);
  let pieceLength = 0;
  const write = (byte: number) => {
    piece[pieceLength++] = byte;
    if (pieceLength === OUTPUT_PIECE_BYTES) {
      pieces.push(piece);
      piece = new Uint8Array(OUTPUT_PIECE_BYTES);
      pieceLength = 0;
    }
  };
  const unread = () => (bits ? received - bits.bytesRead : received);
  const fail = (error: unknown, inputEnded: boolean): OsmError => {
    const at = (bits?.bytesRead ?? 0).toLocaleString('en-US');
    if (error instanceof OutOfInput && inputEnded) return truncated(fileName, blocks);
    const crc = error instanceof Error && /crc/i.test(error.message);
    const what = crc ? `block ${blocks + 1} fails its CRC check` : `block ${blocks + 1} cannot be decoded`;
    const whatZh = crc ? `第 ${blocks + 1} 块 CRC 校验失败` : `第 ${blocks + 1} 块无法解码`;
    return new OsmError(
      fileName,
      'osm.bzip2-corrupt',
      `the bzip2 data is damaged near byte ${at}: ${what}`,
      `bzip2 数据已损坏（约第 ${at} 字节处）：${whatZh}`,
    );
  };
  /** One step: a stream header, a block, or an end-of-stream marker. False: trailing bytes after a stream, ignored. */
  const step = (): boolean => {
    if (!bits) {
      bits = bitIterator(() => {
        const next = queue.shift();
        if (!next) throw new OutOfInput();
        return next;
      });
    }
    if (blockSize100k === 0) {
      // Between streams: what follows the first one is another stream, or padding bzip2 itself ignores.
      try {
        blockSize100k = bzip2.header(bits);
      } catch (error) {
        if (streams > 0) return false;
        throw error;
      }
      if (table.length !== blockSize100k * 100_000) table = new Int32Array(blockSize100k * 100_000);
      streamCrc = 0;
      return true;
    }
    streamCrc = bzip2.decompress(bits, write, table, table.length, streamCrc);
    if (streamCrc === null) {
      blockSize100k = 0;
      streams++;
    } else blocks++;
    return true;
  };
  /** The pieces of the block just decoded, and a fresh list. */
  const output = (): Uint8Array[] => {
    if (pieceLength > 0) {
      pieces.push(piece.slice(0, pieceLength));
      pieceLength = 0;
    }
    const done = pieces;
    pieces = [];
    return done;
  };
  let trailing = false;
  for await (const chunk of compressed) {
    throwIfAborted(signal);
    if (trailing || chunk.length === 0) continue;
    queue.push(chunk);
    received += chunk.length;
    // Decode only while a whole block surely is in hand: the decoder cannot wait for bytes halfway.
    while (!trailing && unread() >= (blockSize100k === 0 ? 4 : bytesBeforeBlock(blockSize100k))) {
      try {
        trailing = !step();
      } catch (error) {
        throw fail(error, false);
      }
      yield* output();
      throwIfAborted(signal);
    }
  }
  while (!trailing && unread() > 0) {
    try {
      trailing = !step();
    } catch (error) {
      throw fail(error, true);
    }
    yield* output();
    throwIfAborted(signal);
  }
  if (streams === 0 || blockSize100k !== 0) throw truncated(fileName, blocks);
}

function truncated(fileName: string, blocks: number): OsmError {
  return new OsmError(
    fileName,
    'osm.bzip2-truncated',
    `the bzip2 data ends early, after ${blocks} complete block${blocks === 1 ? '' : 's'}: the file is truncated (copy or download it again)`,
    `bzip2 数据提前结束（仅 ${blocks} 个完整数据块）：文件不完整，请重新复制或下载`,
  );
}

/** The decompressed bytes of a bzip2 byte stream, as a stream (cancelling it stops the decoder). */
export function bunzip2Stream(
  compressed: ReadableStream<Uint8Array>,
  fileName: string,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const reader = compressed.getReader();
  async function* input(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  const chunks = bunzip2Chunks(input(), fileName, signal);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await chunks.return(undefined);
      await compressed.cancel().catch(() => {});
    },
  });
}
