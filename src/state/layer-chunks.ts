/**
 * A large byte sequence kept as several IndexedDB records: IndexedDB refuses one value over ~133 MB
 * (Chromium), and a 150 MB layer is ordinary planning data. The bytes are cut into chunks of at most
 * `chunkBytes`; a manifest lists each chunk's length and CRC-32 and the total, so a chunk that is
 * missing, short or altered is found before anything is decoded. Pure: no IndexedDB here.
 */

/** What a reader needs to put the chunks together again and to know they are all there, unchanged. */
export interface ChunkManifest {
  /** The length of the whole byte sequence. */
  byteLength: number;
  /** The chunk size the writer used (every chunk but the last has this length). */
  chunkBytes: number;
  /** Each chunk's length and CRC-32, in order. */
  chunks: { byteLength: number; checksum: number }[];
}

/** The bytes put together, or why they cannot be (the chunk named counts from 1, as a person counts). */
export type JoinedChunks = { bytes: Uint8Array } | { problem: string };

const crcTable = (() => {
  // The reflected CRC-32 of zip and PNG (polynomial 0xEDB88320), one table entry per byte value.
  const table = new Uint32Array(256);
  for (let value = 0; value < 256; value++) {
    let crc = value;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
    table[value] = crc >>> 0;
  }
  return table;
})();

/** The CRC-32 (as zip computes it) of `bytes`, an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let index = 0; index < bytes.length; index++) crc = crcTable[(crc ^ bytes[index]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Cuts `bytes` into chunks of at most `chunkBytes` (each its own ArrayBuffer, ready to be one record)
 * and describes them. An empty input gives no chunk.
 */
export function splitIntoChunks(
  bytes: Uint8Array,
  chunkBytes: number,
): { manifest: ChunkManifest; chunks: ArrayBuffer[] } {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1)
    throw new Error(`chunk size ${chunkBytes} is not a positive integer`);
  const chunks: ArrayBuffer[] = [];
  const described: ChunkManifest['chunks'] = [];
  for (let start = 0; start < bytes.length; start += chunkBytes) {
    // A copy, not a view: IndexedDB would clone a view's whole underlying buffer into every record.
    const chunk = bytes.slice(start, Math.min(bytes.length, start + chunkBytes));
    chunks.push(chunk.buffer);
    described.push({ byteLength: chunk.length, checksum: crc32(chunk) });
  }
  return { manifest: { byteLength: bytes.length, chunkBytes, chunks: described }, chunks };
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The manifest of a stored record as it can be trusted, or null (not one, or its figures disagree). */
export function checkChunkManifest(value: unknown): ChunkManifest | null {
  if (typeof value !== 'object' || value === null) return null;
  const { byteLength, chunkBytes, chunks } = value as Record<string, unknown>;
  if (!isCount(byteLength) || !isCount(chunkBytes) || chunkBytes < 1 || !Array.isArray(chunks)) return null;
  const described: ChunkManifest['chunks'] = [];
  for (const chunk of chunks) {
    if (typeof chunk !== 'object' || chunk === null) return null;
    const { byteLength: length, checksum } = chunk as Record<string, unknown>;
    if (!isCount(length) || !isCount(checksum)) return null;
    described.push({ byteLength: length, checksum });
  }
  // The lengths must add up, else the manifest itself is damaged.
  if (described.reduce((sum, chunk) => sum + chunk.byteLength, 0) !== byteLength) return null;
  return { byteLength, chunkBytes, chunks: described };
}

function chunkBytesOf(value: unknown): Uint8Array | null {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return null;
}

/**
 * Puts the chunks (as read back, in order; `undefined` where a record is missing) together, checking each
 * against the manifest: a missing, truncated or altered chunk is a problem, never half a result.
 */
export function joinChunks(manifest: ChunkManifest, chunks: readonly unknown[]): JoinedChunks {
  const count = manifest.chunks.length;
  const bytes = new Uint8Array(manifest.byteLength);
  let offset = 0;
  for (let index = 0; index < count; index++) {
    const expected = manifest.chunks[index];
    const chunk = chunkBytesOf(chunks[index]);
    const name = `chunk ${index + 1} of ${count}`;
    if (!chunk) return { problem: `${name} is missing` };
    if (chunk.length !== expected.byteLength)
      return { problem: `${name} has ${chunk.length} bytes instead of ${expected.byteLength} (truncated)` };
    if (crc32(chunk) !== expected.checksum) return { problem: `${name} is damaged (its checksum differs)` };
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes };
}
