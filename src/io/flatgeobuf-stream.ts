import type { Feature, FeatureCollection } from 'geojson';
import { InputError } from '../coverage/input-error';
import { MAGIC_LENGTH_BYTES, PREAMBLE_BYTES, SIZE_PREFIX_BYTES } from './flatgeobuf-format';
import { indexSizeBytes } from './flatgeobuf-index';
import {
  checkFeatureCount,
  decodeFeature,
  decodeHeader,
  readPreamble,
  readUint32,
  truncatedAfter,
  truncatedHeader,
} from './flatgeobuf-read';

/**
 * Reads FlatGeobuf from a stream (e.g. `fetch(url).body`), calling `onFeature` as each feature arrives,
 * and resolves to the whole collection. Same checks and messages as {@link readFlatGeobuf}; the stream is
 * framed here (header validated before any feature is decoded) rather than handed to the npm package's
 * `deserialize`, so an empty or cut stream ends with an InputError instead of hanging. The stream is
 * cancelled on error.
 */
export async function readFlatGeobufStream(
  stream: ReadableStream<Uint8Array>,
  fileName: string,
  onFeature?: (feature: Feature, featureIndex: number) => void | Promise<void>,
): Promise<FeatureCollection> {
  const reader = stream.getReader();
  const queue = new ByteQueue(reader);
  try {
    await queue.fill(PREAMBLE_BYTES);
    const headerLengthBytes = readPreamble(queue.peek(Math.min(queue.size, PREAMBLE_BYTES)), fileName);
    await queue.fill(PREAMBLE_BYTES + headerLengthBytes);
    if (queue.size < PREAMBLE_BYTES + headerLengthBytes) {
      throw new InputError(fileName, null, truncatedHeader(headerLengthBytes, queue.size - PREAMBLE_BYTES), {
        code: 'corrupt',
      });
    }
    queue.take(MAGIC_LENGTH_BYTES);
    const header = decodeHeader(queue.take(SIZE_PREFIX_BYTES + headerLengthBytes), fileName);
    const indexBytes = indexSizeBytes(header, fileName);
    await queue.fill(indexBytes);
    if (queue.size < indexBytes) {
      throw new InputError(
        fileName,
        null,
        `truncated spatial index (${indexBytes} bytes expected, ${queue.size} present)`,
        { code: 'corrupt' },
      );
    }
    queue.take(indexBytes);
    const features: Feature[] = [];
    for (;;) {
      await queue.fill(SIZE_PREFIX_BYTES);
      if (queue.size === 0) break;
      const lengthBytes = queue.size >= SIZE_PREFIX_BYTES ? readUint32(queue.peek(SIZE_PREFIX_BYTES), 0) : -1;
      if (lengthBytes >= 0) await queue.fill(SIZE_PREFIX_BYTES + lengthBytes);
      if (lengthBytes < 0 || queue.size < SIZE_PREFIX_BYTES + lengthBytes) {
        throw new InputError(
          fileName,
          null,
          truncatedAfter(features.length, header.featuresCount, lengthBytes, queue.size),
          { code: 'corrupt' },
        );
      }
      const feature = decodeFeature(queue.take(SIZE_PREFIX_BYTES + lengthBytes), header, features.length, fileName);
      features.push(feature);
      if (onFeature) await onFeature(feature, features.length - 1);
    }
    checkFeatureCount(header, features.length, fileName);
    return { type: 'FeatureCollection', features };
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
}

/** Bytes read from a stream, consumed from the front. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  private done = false;
  size = 0;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Reads until at least `bytes` are buffered or the stream ends. */
  async fill(bytes: number): Promise<void> {
    while (this.size < bytes && !this.done) {
      const { value, done } = await this.reader.read();
      if (done) this.done = true;
      else if (value.length > 0) {
        this.chunks.push(value);
        this.size += value.length;
      }
    }
  }

  /** A fresh (8-aligned) copy of the first `bytes` bytes, left in the queue. */
  peek(bytes: number): Uint8Array {
    const out = new Uint8Array(bytes);
    let offset = 0;
    for (const chunk of this.chunks) {
      if (offset === bytes) break;
      const part = chunk.subarray(0, bytes - offset);
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  /** Removes and returns the first `bytes` bytes (a fresh, 8-aligned copy). */
  take(bytes: number): Uint8Array {
    const out = this.peek(bytes);
    let left = bytes;
    while (left > 0) {
      const chunk = this.chunks[0];
      if (chunk.length <= left) {
        this.chunks.shift();
        left -= chunk.length;
      } else {
        this.chunks[0] = chunk.subarray(left);
        left = 0;
      }
    }
    this.size -= bytes;
    return out;
  }
}
