import { gzipSync } from 'fflate';
import { zxyToTileId } from 'pmtiles';

/**
 * A small PMTiles v3 writer (spec: github.com/protomaps/PMTiles, spec/v3/spec.md) for tests and sample
 * archives: a 127-byte header, one root directory (no leaf directories: fine up to a few thousand
 * tiles), the JSON metadata and the tiles in tile-id order (a "clustered" archive).
 */

/** One tile's bytes at z/x/y (already encoded: MVT, PNG, …; compressed here if the archive says so). */
export interface ArchiveTile {
  z: number;
  x: number;
  y: number;
  data: Uint8Array;
}

export interface ArchiveOptions {
  tiles: ArchiveTile[];
  /** 1 MVT, 2 PNG, 3 JPEG, 4 WebP, 5 AVIF, 6 MLT, 0 unknown. */
  tileType: number;
  /** `[west, south, east, north]` in degrees. */
  bounds: [number, number, number, number];
  minZoom: number;
  maxZoom: number;
  /** `[longitude, latitude, zoom]`; the bounds' centre at `minZoom` when absent. */
  center?: [number, number, number];
  metadata?: Record<string, unknown>;
  /** Gzip the directory, the metadata and the tiles (what Protomaps builds do); else none. */
  gzip?: boolean;
  /** The spec version written in byte 7 (3; tests write others). */
  specVersion?: number;
}

/** Appends `value` as an unsigned LEB128 varint (the spec's directory encoding). */
function pushVarint(bytes: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
}

/**
 * The directory as the spec lays it out: the entry count, then per entry the tile-id delta, then the run
 * lengths, then the lengths, then the offsets (0 = right after the previous entry's bytes, else offset + 1).
 */
function encodeDirectory(entries: { tileId: number; offset: number; length: number }[]): Uint8Array {
  const bytes: number[] = [];
  pushVarint(bytes, entries.length);
  let lastId = 0;
  for (const entry of entries) {
    pushVarint(bytes, entry.tileId - lastId);
    lastId = entry.tileId;
  }
  for (const _ of entries) pushVarint(bytes, 1);
  for (const entry of entries) pushVarint(bytes, entry.length);
  entries.forEach((entry, index) => {
    const previous = entries[index - 1];
    const contiguous = previous !== undefined && previous.offset + previous.length === entry.offset;
    pushVarint(bytes, contiguous ? 0 : entry.offset + 1);
  });
  return new Uint8Array(bytes);
}

const setUint64 = (view: DataView, offset: number, value: number) => {
  view.setUint32(offset, value % 2 ** 32, true);
  view.setUint32(offset + 4, Math.floor(value / 2 ** 32), true);
};

/** The whole archive's bytes. */
export function writePmtiles(options: ArchiveOptions): Uint8Array {
  const compress = (data: Uint8Array) => (options.gzip ? gzipSync(data) : data);
  // Tiles sorted by tile id: the spec's clustered order, which the directory's deltas need anyway.
  const sorted = options.tiles
    .map((tile) => ({ tileId: zxyToTileId(tile.z, tile.x, tile.y), data: compress(tile.data) }))
    .sort((a, b) => a.tileId - b.tileId);
  let offset = 0;
  const entries = sorted.map(({ tileId, data }) => {
    const entry = { tileId, offset, length: data.length };
    offset += data.length;
    return entry;
  });
  const directory = compress(encodeDirectory(entries));
  const metadata = compress(new TextEncoder().encode(JSON.stringify(options.metadata ?? {})));
  const headerBytes = 127;
  const directoryOffset = headerBytes;
  const metadataOffset = directoryOffset + directory.length;
  const tileDataOffset = metadataOffset + metadata.length;
  const total = tileDataOffset + offset;
  const archive = new Uint8Array(total);
  const view = new DataView(archive.buffer);
  archive.set(new TextEncoder().encode('PMTiles'), 0);
  view.setUint8(7, options.specVersion ?? 3);
  setUint64(view, 8, directoryOffset);
  setUint64(view, 16, directory.length);
  setUint64(view, 24, metadataOffset);
  setUint64(view, 32, metadata.length);
  setUint64(view, 40, tileDataOffset);
  setUint64(view, 48, 0);
  setUint64(view, 56, tileDataOffset);
  setUint64(view, 64, offset);
  setUint64(view, 72, entries.length);
  setUint64(view, 80, entries.length);
  setUint64(view, 88, entries.length);
  view.setUint8(96, 1);
  const compression = options.gzip ? 2 : 1;
  view.setUint8(97, compression);
  view.setUint8(98, compression);
  view.setUint8(99, options.tileType);
  view.setUint8(100, options.minZoom);
  view.setUint8(101, options.maxZoom);
  const [west, south, east, north] = options.bounds;
  const center = options.center ?? [(west + east) / 2, (south + north) / 2, options.minZoom];
  const e7 = (degrees: number) => Math.round(degrees * 1e7);
  view.setInt32(102, e7(west), true);
  view.setInt32(106, e7(south), true);
  view.setInt32(110, e7(east), true);
  view.setInt32(114, e7(north), true);
  view.setUint8(118, center[2]);
  view.setInt32(119, e7(center[0]), true);
  view.setInt32(123, e7(center[1]), true);
  archive.set(directory, directoryOffset);
  archive.set(metadata, metadataOffset);
  let tileOffset = tileDataOffset;
  for (const { data } of sorted) {
    archive.set(data, tileOffset);
    tileOffset += data.length;
  }
  return archive;
}
