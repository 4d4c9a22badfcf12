/**
 * Reads an OpenStreetMap extract of any supported format into an `OsmExtract`, streaming: `.osm.pbf`,
 * `.osm` XML, either gzip-compressed (DecompressionStream, in browsers, workers and Node ≥ 18) or
 * bzip2-compressed (`bzip2-decompress.ts`, loaded on first use; multi-stream files too), and Overpass JSON. The format is found from the bytes, not the name. Progress (bytes read, elements
 * counted) is reported at most every `progressIntervalMs`; an AbortSignal stops the read between
 * chunks or blocks. No Node-only API is used, so the same code runs in a Web Worker and in Node (pass a
 * Blob: a File in the browser, `await fs.openAsBlob(path)` in Node, or the bytes).
 */

import { osmKeepFilter } from './keep-filter';
import { OsmError, throwIfAborted } from './osm-error';
import { type OsmExtract, type OsmKeepFilter, OsmStore } from './osm-store';
import { readOverpassJson } from './read-overpass-json';
import { readPbf } from './read-pbf';
import { readOsmXml } from './read-xml';

/** Where the bytes come from: a Blob/File, bytes in memory, or anything with a byte stream. */
export type OsmSource = Blob | Uint8Array | { size?: number; stream(): ReadableStream<Uint8Array> };

/** Detected container and format. */
export type OsmFormat = 'pbf' | 'xml' | 'overpass-json';

/** A progress report of a read. */
export interface OsmReadProgress {
  phase: 'read';
  format: OsmFormat | null;
  /** The compression around the format, if any. */
  compression: 'gzip' | 'bzip2' | null;
  /** Bytes of the file consumed so far (compressed bytes for a .gz or .bz2). */
  bytesRead: number;
  /** The file's size when known, else null. */
  bytesTotal: number | null;
  nodes: number;
  ways: number;
  relations: number;
}

/** Options of `readOsmExtract`. */
export interface OsmReadOptions {
  /** The name used in messages (default "extract.osm"). */
  fileName?: string;
  signal?: AbortSignal;
  onProgress?: (progress: OsmReadProgress) => void;
  /** Which tags to keep (default: those the tag table can use). */
  keep?: OsmKeepFilter;
  /** Minimum time between progress reports and event-loop yields (default 100 ms). */
  progressIntervalMs?: number;
}

const PBF_MAGIC = ['OSMHeader', 'OSMData'];

/** The format of a file from its first bytes (at least 16 of them when the file has as many). */
export function detectOsmFormat(head: Uint8Array): { format: OsmFormat | 'gzip' | 'bzip2' | null } {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { format: 'gzip' };
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return { format: 'bzip2' };
  if (head.length >= 6 && head[4] === 0x0a) {
    const text = String.fromCharCode(...head.subarray(6, 6 + head[5]));
    if (PBF_MAGIC.includes(text)) return { format: 'pbf' };
  }
  let at = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (at < head.length && (head[at] === 0x20 || head[at] === 0x0a || head[at] === 0x0d || head[at] === 0x09)) at++;
  if (head[at] === 0x3c) return { format: 'xml' };
  if (head[at] === 0x7b) return { format: 'overpass-json' };
  return { format: null };
}

function streamOf(source: OsmSource): ReadableStream<Uint8Array> {
  if (source instanceof Uint8Array) return new Blob([source as Uint8Array<ArrayBuffer>]).stream();
  return source.stream() as ReadableStream<Uint8Array>;
}

/** Pulls chunks until at least `count` bytes are in hand (or the stream ends); returns them and the rest. */
async function peek(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  count: number,
): Promise<{ head: Uint8Array; first: Uint8Array[] }> {
  const first: Uint8Array[] = [];
  let length = 0;
  while (length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    first.push(value);
    length += value.length;
  }
  const head = new Uint8Array(Math.min(length, 64));
  let at = 0;
  for (const chunk of first) {
    if (at >= head.length) break;
    const n = Math.min(chunk.length, head.length - at);
    head.set(chunk.subarray(0, n), at);
    at += n;
  }
  return { head, first };
}

async function* chunksOf(
  first: Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  for (const chunk of first) yield chunk;
  for (;;) {
    throwIfAborted(signal);
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/**
 * Reads an OSM extract (see the file comment). Throws an OsmError (code, en, zh, the file name) for an
 * empty, truncated, malformed or unsupported file, and `signal.reason` when cancelled.
 */
export async function readOsmExtract(source: OsmSource, options: OsmReadOptions = {}): Promise<OsmExtract> {
  const fileName = options.fileName ?? ((source as { name?: string }).name || 'extract.osm');
  const { signal } = options;
  throwIfAborted(signal);
  const store = new OsmStore(options.keep ?? osmKeepFilter());
  const bytesTotal = source instanceof Uint8Array ? source.length : (source.size ?? null);
  const progress: OsmReadProgress = {
    phase: 'read',
    format: null,
    compression: null,
    bytesRead: 0,
    bytesTotal,
    nodes: 0,
    ways: 0,
    relations: 0,
  };
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      progress.bytesRead += chunk.length;
      controller.enqueue(chunk);
    },
  });
  let stream = streamOf(source).pipeThrough(counter);
  let reader = stream.getReader();
  let { head, first } = await peek(reader, 16);
  if (head.length === 0) throw new OsmError(fileName, 'osm.empty', 'the file is empty', '文件为空');
  let detected = detectOsmFormat(head).format;
  if (detected === 'gzip' || detected === 'bzip2') {
    progress.compression = detected;
    reader.releaseLock();
    // Re-join the peeked chunks with the rest of the stream, then decompress.
    const joined = concatStreams(streamOfChunks(first), stream);
    if (detected === 'gzip') {
      stream = joined.pipeThrough(
        new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>,
      );
    } else {
      // Loaded on first use: only a .bz2 needs the decoder.
      const { bunzip2Stream } = await import('./bzip2-decompress');
      stream = bunzip2Stream(joined, fileName, signal);
    }
    reader = stream.getReader();
    try {
      ({ head, first } = await peek(reader, 16));
    } catch (error) {
      if (error instanceof OsmError || signal?.aborted) throw error;
      throw new OsmError(
        fileName,
        'osm.gzip-corrupt',
        `the gzip data is damaged: ${error instanceof Error ? error.message : error}`,
        `gzip 数据已损坏：${error instanceof Error ? error.message : error}`,
      );
    }
    if (head.length === 0) throw new OsmError(fileName, 'osm.empty', 'the file is empty', '文件为空');
    detected = detectOsmFormat(head).format;
    if (detected === 'gzip' || detected === 'bzip2') {
      throw new OsmError(
        fileName,
        'osm.unknown-format',
        `the ${progress.compression} data holds ${detected} data again: decompress it once first (${detected === 'gzip' ? 'gunzip' : 'bunzip2'})`,
        `${progress.compression} 数据里又是 ${detected} 压缩数据：请先解压一层（${detected === 'gzip' ? 'gunzip' : 'bunzip2'}）`,
      );
    }
  }
  if (detected !== 'pbf' && detected !== 'xml' && detected !== 'overpass-json') {
    throw new OsmError(
      fileName,
      'osm.unknown-format',
      'not an OpenStreetMap file: expected .osm.pbf, .osm XML (optionally .gz or .bz2) or Overpass JSON; .o5m, .osm.xz and .osm.zst are not read: convert them first with `osmium cat FILE -o FILE.osm.pbf`',
      '不是 OpenStreetMap 文件：应为 .osm.pbf、.osm XML（可为 .gz 或 .bz2）或 Overpass JSON；不支持 .o5m、.osm.xz 和 .osm.zst：请先用 `osmium cat FILE -o FILE.osm.pbf` 转换',
    );
  }
  progress.format = detected;
  const interval = options.progressIntervalMs ?? 100;
  let last = 0;
  const report = async (force = false) => {
    throwIfAborted(signal);
    const now = Date.now();
    if (!force && now - last < interval) return;
    last = now;
    progress.nodes = store.counts.nodes;
    progress.ways = store.counts.ways;
    progress.relations = store.counts.relations;
    options.onProgress?.({ ...progress });
    // Let a worker's message loop run (a cancel message fires the AbortSignal there).
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    throwIfAborted(signal);
  };
  const chunks = chunksOf(first, reader, signal);
  try {
    if (detected === 'pbf') await readPbf(chunks, fileName, store, () => report());
    else if (detected === 'xml') await readOsmXml(chunks, fileName, store, () => report());
    else {
      const decoder = new TextDecoder();
      let text = '';
      for await (const chunk of chunks) {
        text += decoder.decode(chunk, { stream: true });
        await report();
      }
      readOverpassJson(text + decoder.decode(), fileName, store);
    }
  } catch (error) {
    if (error instanceof OsmError || signal?.aborted) throw error;
    if (progress.compression === 'gzip') {
      throw new OsmError(
        fileName,
        'osm.gzip-corrupt',
        `the gzip data is damaged or truncated: ${error instanceof Error ? error.message : error}`,
        `gzip 数据已损坏或不完整：${error instanceof Error ? error.message : error}`,
      );
    }
    throw error;
  }
  await report(true);
  if (store.counts.nodes + store.counts.ways + store.counts.relations === 0) {
    throw new OsmError(
      fileName,
      'osm.no-data',
      'the file holds no nodes, ways or relations',
      '文件中没有任何节点、路径或关系',
    );
  }
  return store.finish(fileName);
}

/** A stream of chunks already in hand. */
function streamOfChunks(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

function concatStreams(a: ReadableStream<Uint8Array>, b: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const readers = [a.getReader(), b.getReader()];
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (readers.length > 0) {
        const { done, value } = await readers[0].read();
        if (!done) {
          controller.enqueue(value);
          return;
        }
        readers.shift();
      }
      controller.close();
    },
  });
}
