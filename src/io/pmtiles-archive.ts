import {
  bytesToHeader,
  Compression,
  FetchSource,
  FileSource,
  type Header,
  PMTiles,
  type Source,
  TileType,
} from 'pmtiles';
import { InputError } from '../coverage/input-error';

/**
 * Opens a planner's PMTiles basemap (a file picked on disk, read by `File.slice`, or a URL, read by HTTP
 * range requests; both through the `pmtiles` package) and checks it before the map is given it: spec
 * version 3, vector tiles (MVT), a compression the browser decompresses, sane bounds and zooms, every
 * byte the header promises present, a root directory that parses. A problem is an `InputError` naming
 * the file, with a `pmtiles.*` code the interface translates. Loaded only when a basemap is given.
 */

/** An archive that passed the checks: what the map draws it from. */
export interface PlannerArchive {
  /** The file's name or the URL, as the planner gave it. */
  name: string;
  /** Unique to this opening: the `pmtiles://` protocol's key (two files of one name never mix). */
  key: string;
  archive: PMTiles;
  /** `[west, south, east, north]` in degrees. */
  bounds: [number, number, number, number];
  minZoom: number;
  maxZoom: number;
  /** The archive's own credit line (its metadata's `attribution`, tags removed), or null. */
  attribution: string | null;
}

const headerBytes = 127;
const magic = 'PMTiles';
let openings = 0;

/** pmtiles' FileSource under a key of its own (its own key is the file name, which two files can share). */
class KeyedFileSource extends FileSource {
  constructor(
    file: File,
    private readonly key: string,
  ) {
    super(file);
  }

  override getKey(): string {
    return this.key;
  }
}

/** The same for a URL. */
class KeyedFetchSource extends FetchSource {
  constructor(
    url: string,
    private readonly key: string,
  ) {
    super(url);
  }

  override getKey(): string {
    return this.key;
  }
}

const tileTypeNames: Record<number, string> = {
  [TileType.Png]: 'PNG',
  [TileType.Jpeg]: 'JPEG',
  [TileType.Webp]: 'WebP',
  [TileType.Avif]: 'AVIF',
  [TileType.Mlt]: 'MLT',
};

/** Reads `length` bytes at `offset`; an unreachable URL becomes the `pmtiles.unreachable` problem. */
async function bytesAt(source: Source, name: string, offset: number, length: number): Promise<Uint8Array> {
  try {
    return new Uint8Array((await source.getBytes(offset, length)).data);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(name, null, `could not be read: ${reason}`, {
      code: 'pmtiles.unreachable',
      values: { reason },
    });
  }
}

const fail = (name: string, code: string, problem: string, values?: Record<string, number | string>) =>
  new InputError(name, null, problem, { code: `pmtiles.${code}`, ...(values ? { values } : {}) });

/** The header's problems, in the order a planner can act on them; null when it is usable. */
function headerProblem(name: string, header: Header): InputError | null {
  if (header.tileType !== TileType.Mvt) {
    const type = tileTypeNames[header.tileType] ?? `type ${header.tileType}`;
    return fail(name, 'tile-type', `holds ${type} tiles, not vector tiles (MVT)`, { type });
  }
  const readable = [Compression.None, Compression.Gzip, Compression.Unknown];
  if (!readable.includes(header.internalCompression) || !readable.includes(header.tileCompression)) {
    const method = Compression[header.tileCompression] ?? Compression[header.internalCompression] ?? 'unknown';
    return fail(name, 'compression', `is compressed with ${method}, which the browser cannot read`, { method });
  }
  const { minLon, minLat, maxLon, maxLat } = header;
  const inRange = minLon >= -180 && maxLon <= 180 && minLat >= -90 && maxLat <= 90;
  if (!(minLon < maxLon && minLat < maxLat && inRange))
    return fail(name, 'bounds', `bounds ${minLon}, ${minLat}, ${maxLon}, ${maxLat} are not an area on Earth`);
  if (header.minZoom > header.maxZoom || header.maxZoom > 30)
    return fail(name, 'zooms', `zoom levels ${header.minZoom}–${header.maxZoom} are not valid`, {
      minZoom: header.minZoom,
      maxZoom: header.maxZoom,
    });
  return null;
}

/** The byte just past the last section the header points to (what a whole archive is at least long). */
function archiveEnd(header: Header): number {
  return Math.max(
    header.rootDirectoryOffset + header.rootDirectoryLength,
    header.jsonMetadataOffset + header.jsonMetadataLength,
    header.leafDirectoryOffset + (header.leafDirectoryLength ?? 0),
    header.tileDataOffset + (header.tileDataLength ?? 0),
  );
}

/** Opens and checks a basemap archive; throws an `InputError` (file named, `pmtiles.*` code) when unusable. */
export async function openPmtilesArchive(input: { file: File } | { url: string }): Promise<PlannerArchive> {
  const name = 'file' in input ? input.file.name : input.url;
  const key = `basemap-${++openings}`;
  const source = 'file' in input ? new KeyedFileSource(input.file, key) : new KeyedFetchSource(input.url, key);
  const head = await bytesAt(source, name, 0, headerBytes);
  // The magic first: random bytes and other formats are "not PMTiles", not "damaged PMTiles".
  const start = new TextDecoder('latin1').decode(head.subarray(0, magic.length));
  if (!magic.startsWith(start) || start.length === 0)
    throw fail(name, 'not-pmtiles', 'is not a PMTiles archive (it does not start with "PMTiles")');
  if (head.length < headerBytes)
    throw fail(name, 'truncated', `is cut short: ${head.length} bytes, less than the 127-byte header`, {
      bytes: head.length,
      expected: headerBytes,
    });
  const version = head[7];
  if (version !== 3) throw fail(name, 'version', `is PMTiles version ${version}; only version 3 is read`, { version });
  const header = bytesToHeader(head.slice().buffer);
  const problem = headerProblem(name, header);
  if (problem) throw problem;
  // A truncated download: the last byte the header points to is missing.
  const end = archiveEnd(header);
  const size = 'file' in input ? input.file.size : null;
  const last = size === null ? await bytesAt(source, name, end - 1, 1).catch(() => new Uint8Array()) : null;
  if ((size !== null && size < end) || (last !== null && last.length !== 1))
    throw fail(
      name,
      'truncated',
      `is cut short: the header points to ${end} bytes, the archive has ${size ?? 'fewer'}`,
      {
        bytes: size ?? 0,
        expected: end,
      },
    );
  const archive = new PMTiles(source);
  try {
    // Reads the header and the root directory as the map will (decompressed and decoded).
    await archive.getHeader();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw fail(name, 'corrupt', `its directory cannot be read: ${reason}`, { reason });
  }
  // Its credit (OpenStreetMap data must be credited), as plain text: Protomaps writes it as HTML links.
  const metadata = (await archive.getMetadata().catch(() => null)) as { attribution?: unknown } | null;
  const credit = typeof metadata?.attribution === 'string' ? metadata.attribution.replace(/<[^>]*>/g, '').trim() : '';
  return {
    name,
    key,
    attribution: credit || null,
    archive,
    bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
    minZoom: header.minZoom,
    maxZoom: header.maxZoom,
  };
}
