/**
 * The `.osm.pbf` driver: cuts the stream into its blobs (4-byte big-endian BlobHeader length,
 * BlobHeader, Blob), inflates each with fflate and decodes the PrimitiveBlocks with `pbf` (Mapbox's
 * protocol-buffer reader; field numbers from OSM's fileformat.proto and osmformat.proto), streaming:
 * one blob in memory at a time. Works in a worker and in Node (no Node APIs).
 */
import { unzlibSync } from 'fflate';
import { PbfReader as Pbf } from 'pbf';
import { ByteQueue } from './byte-queue';
import { OsmError } from './osm-error';
import type { OsmMember, OsmSink, OsmTags } from './osm-store';

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;
const KNOWN_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes', 'Sort.Type_then_ID']);

interface BlobHeader {
  type: string;
  datasize: number;
}

interface RawBlob {
  raw: Uint8Array | null;
  rawSize: number;
  zlib: Uint8Array | null;
  other: number;
}

const utf8 = new TextDecoder();

function readBlobHeader(bytes: Uint8Array): BlobHeader {
  return new Pbf(bytes).readFields(
    (tag, header, pbf) => {
      if (tag === 1) header.type = pbf.readString();
      else if (tag === 3) header.datasize = pbf.readVarint();
    },
    { type: '', datasize: -1 },
  );
}

function readBlob(bytes: Uint8Array): RawBlob {
  return new Pbf(bytes).readFields(
    (tag, blob, pbf) => {
      if (tag === 1) blob.raw = pbf.readBytes();
      else if (tag === 2) blob.rawSize = pbf.readVarint();
      else if (tag === 3) blob.zlib = pbf.readBytes();
      else if (tag >= 4 && tag <= 7) blob.other = tag;
    },
    { raw: null, rawSize: 0, zlib: null, other: 0 } as RawBlob,
  );
}

/** Feeds the elements of one decoded PrimitiveBlock to the sink. Returns nothing; throws on bad data. */
function readPrimitiveBlock(bytes: Uint8Array, sink: OsmSink): void {
  const pbf = new Pbf(bytes);
  const strings: string[] = [];
  const groups: [number, number][] = [];
  let granularity = 100;
  let latOffset = 0;
  let lonOffset = 0;
  pbf.readFields((tag) => {
    if (tag === 1) {
      const end = pbf.readVarint() + pbf.pos;
      while (pbf.pos < end) {
        const field = pbf.readVarint();
        if (field >> 3 === 1) {
          const length = pbf.readVarint();
          strings.push(utf8.decode(pbf.buf.subarray(pbf.pos, pbf.pos + length)));
          pbf.pos += length;
        } else pbf.skip(field);
      }
    } else if (tag === 2) {
      const length = pbf.readVarint();
      groups.push([pbf.pos, pbf.pos + length]);
      pbf.pos += length;
    } else if (tag === 17) granularity = pbf.readVarint();
    else if (tag === 19) latOffset = pbf.readVarint(true);
    else if (tag === 20) lonOffset = pbf.readVarint(true);
  }, null);
  const scale = granularity / 100;
  const lon7 = (raw: number) => Math.round(lonOffset / 100 + raw * scale);
  const lat7 = (raw: number) => Math.round(latOffset / 100 + raw * scale);
  const tagsOf = (keys: number[], values: number[]): OsmTags | null => {
    if (keys.length === 0) return null;
    const tags: OsmTags = {};
    for (let k = 0; k < keys.length; k++) tags[strings[keys[k]]] = strings[values[k]];
    return tags;
  };
  const refs: number[] = [];
  for (const [start, end] of groups) {
    pbf.pos = start;
    while (pbf.pos < end) {
      const field = pbf.readVarint();
      const tag = field >> 3;
      if (tag < 1 || tag > 4) {
        pbf.skip(field);
        continue;
      }
      const elementEnd = pbf.readVarint() + pbf.pos;
      if (tag === 2) readDense(pbf, elementEnd, strings, lon7, lat7, sink);
      else if (tag === 1) {
        const node = pbf.readFields(
          (t, n) => {
            if (t === 1) n.id = pbf.readSVarint();
            else if (t === 2) pbf.readPackedVarint(n.keys);
            else if (t === 3) pbf.readPackedVarint(n.values);
            else if (t === 8) n.lat = pbf.readSVarint();
            else if (t === 9) n.lon = pbf.readSVarint();
          },
          { id: 0, lat: 0, lon: 0, keys: [] as number[], values: [] as number[] },
          elementEnd,
        );
        sink.node(node.id, lon7(node.lon), lat7(node.lat), tagsOf(node.keys, node.values));
      } else if (tag === 3) {
        refs.length = 0;
        const way = pbf.readFields(
          (t, w) => {
            if (t === 1) w.id = pbf.readVarint(true);
            else if (t === 2) pbf.readPackedVarint(w.keys);
            else if (t === 3) pbf.readPackedVarint(w.values);
            else if (t === 8) pbf.readPackedSVarint(refs);
          },
          { id: 0, keys: [] as number[], values: [] as number[] },
          elementEnd,
        );
        for (let k = 1; k < refs.length; k++) refs[k] += refs[k - 1];
        sink.way(way.id, refs, refs.length, tagsOf(way.keys, way.values));
      } else {
        const relation = pbf.readFields(
          (t, r) => {
            if (t === 1) r.id = pbf.readVarint(true);
            else if (t === 2) pbf.readPackedVarint(r.keys);
            else if (t === 3) pbf.readPackedVarint(r.values);
            else if (t === 8) pbf.readPackedVarint(r.roles, true);
            else if (t === 9) pbf.readPackedSVarint(r.ids);
            else if (t === 10) pbf.readPackedVarint(r.types);
          },
          {
            id: 0,
            keys: [] as number[],
            values: [] as number[],
            roles: [] as number[],
            ids: [] as number[],
            types: [] as number[],
          },
          elementEnd,
        );
        const members: OsmMember[] = [];
        let ref = 0;
        for (let k = 0; k < relation.ids.length; k++) {
          ref += relation.ids[k];
          members.push({ type: relation.types[k] ?? 0, ref, role: strings[relation.roles[k]] ?? '' });
        }
        sink.relation(relation.id, members, tagsOf(relation.keys, relation.values));
      }
      pbf.pos = elementEnd;
    }
  }
}

function readDense(
  pbf: Pbf,
  end: number,
  strings: string[],
  lon7: (raw: number) => number,
  lat7: (raw: number) => number,
  sink: OsmSink,
): void {
  const ids: number[] = [];
  const lats: number[] = [];
  const lons: number[] = [];
  const keysVals: number[] = [];
  pbf.readFields(
    (t) => {
      if (t === 1) pbf.readPackedSVarint(ids);
      else if (t === 8) pbf.readPackedSVarint(lats);
      else if (t === 9) pbf.readPackedSVarint(lons);
      else if (t === 10) pbf.readPackedVarint(keysVals, true);
    },
    null,
    end,
  );
  let id = 0;
  let lat = 0;
  let lon = 0;
  let kv = 0;
  for (let k = 0; k < ids.length; k++) {
    id += ids[k];
    lat += lats[k];
    lon += lons[k];
    let tags: OsmTags | null = null;
    if (kv < keysVals.length) {
      while (kv < keysVals.length && keysVals[kv] !== 0) {
        tags ??= {};
        tags[strings[keysVals[kv]]] = strings[keysVals[kv + 1]];
        kv += 2;
      }
      kv++;
    }
    sink.node(id, lon7(lon), lat7(lat), tags);
  }
}

/**
 * Reads a PBF stream chunk by chunk. `chunks` yields the file's bytes; `afterBlock` is called after each
 * blob (progress and cancellation happen there).
 */
export async function readPbf(
  chunks: AsyncIterable<Uint8Array>,
  fileName: string,
  sink: OsmSink,
  afterBlock: () => void | Promise<void>,
): Promise<void> {
  const queue = new ByteQueue();
  let header: BlobHeader | null = null;
  let headerLength = -1;
  let offset = 0;
  let blobs = 0;
  const fail = (code: 'osm.pbf-corrupt' | 'osm.pbf-truncated', en: string, zh: string): never => {
    throw new OsmError(fileName, code, en, zh);
  };
  const step = async (): Promise<boolean> => {
    if (headerLength < 0) {
      if (queue.length < 4) return false;
      const b = queue.take(4);
      headerLength = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
      if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) {
        fail(
          'osm.pbf-corrupt',
          `not a valid OSM PBF file: blob header of ${headerLength} bytes at byte ${offset}`,
          `不是有效的 OSM PBF 文件：第 ${offset} 字节处的块头长度为 ${headerLength}`,
        );
      }
    }
    if (!header) {
      if (queue.length < headerLength) return false;
      try {
        header = readBlobHeader(queue.take(headerLength));
      } catch {
        header = { type: '', datasize: -1 };
      }
      if (header.datasize < 0 || header.datasize > MAX_BLOB_BYTES || !header.type) {
        fail(
          'osm.pbf-corrupt',
          `not a valid OSM PBF file: unreadable blob header at byte ${offset}`,
          `不是有效的 OSM PBF 文件：第 ${offset} 字节处的块头无法读取`,
        );
      }
    }
    const current: BlobHeader = header!;
    if (queue.length < current.datasize) return false;
    const blob = readBlob(queue.take(current.datasize));
    offset += 4 + headerLength + current.datasize;
    header = null;
    headerLength = -1;
    let data: Uint8Array;
    if (blob.raw) data = blob.raw;
    else if (blob.zlib) {
      try {
        data = unzlibSync(blob.zlib, blob.rawSize > 0 ? { out: new Uint8Array(blob.rawSize) } : undefined);
      } catch {
        return fail(
          'osm.pbf-corrupt',
          `blob ${blobs} is damaged (zlib data does not inflate)`,
          `第 ${blobs} 个数据块已损坏（zlib 数据无法解压）`,
        );
      }
    } else {
      throw new OsmError(
        fileName,
        'osm.pbf-unsupported-compression',
        `blob ${blobs} uses a compression GreenReach does not read (field ${blob.other}); re-encode with \`osmium cat in.osm.pbf -o out.osm.pbf\``,
        `第 ${blobs} 个数据块使用了不支持的压缩方式（字段 ${blob.other}）；请用 \`osmium cat in.osm.pbf -o out.osm.pbf\` 重新编码`,
      );
    }
    if (current.type === 'OSMHeader') checkHeader(data, fileName);
    else if (current.type === 'OSMData') {
      try {
        readPrimitiveBlock(data, sink);
      } catch (error) {
        if (error instanceof OsmError) throw error;
        fail(
          'osm.pbf-corrupt',
          `blob ${blobs} is damaged (${error instanceof Error ? error.message : error})`,
          `第 ${blobs} 个数据块已损坏（${error instanceof Error ? error.message : error}）`,
        );
      }
    }
    blobs++;
    await afterBlock();
    return true;
  };
  for await (const chunk of chunks) {
    queue.push(chunk);
    while (await step()) {}
  }
  if (queue.length > 0 || header || headerLength >= 0) {
    fail(
      'osm.pbf-truncated',
      `the PBF file is truncated: it ends inside blob ${blobs}, after byte ${offset}`,
      `PBF 文件不完整：在第 ${blobs} 个数据块中（第 ${offset} 字节之后）意外结束`,
    );
  }
  if (blobs === 0) fail('osm.pbf-corrupt', 'the PBF file holds no blocks', 'PBF 文件中没有数据块');
}

function checkHeader(data: Uint8Array, fileName: string): void {
  const required: string[] = [];
  new Pbf(data).readFields((tag, _, pbf) => {
    if (tag === 4) required.push(pbf.readString());
  }, null);
  const unknown = required.filter((feature) => !KNOWN_FEATURES.has(feature));
  if (unknown.length > 0) {
    throw new OsmError(
      fileName,
      'osm.pbf-unsupported-feature',
      `the PBF file requires features GreenReach does not read: ${unknown.join(', ')}`,
      `PBF 文件需要 GreenReach 不支持的特性：${unknown.join(', ')}`,
    );
  }
}
