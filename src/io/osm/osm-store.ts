/**
 * What a pass over an OSM file keeps, in compact typed arrays: every node's coordinates (16 bytes a
 * node: a Float64 id and Int32 longitude/latitude in 1e-7 degrees, PBF's own precision), every way's
 * node ids (ways are needed as multipolygon members before the relation that uses them is read), the
 * tags of the nodes and ways whose tags the layers can use, and the relations the layers can use.
 * Everything else (untagged-node tags, metadata, uninteresting tags) is dropped as it is read.
 *
 * The drivers (read-pbf.ts, read-xml.ts, read-overpass-json.ts) feed an `OsmStore` through `OsmSink`;
 * `finish()` returns an `OsmExtract` whose arrays can be transferred between threads.
 */

/** OSM tags of one element. */
export type OsmTags = Record<string, string>;

/** Member types in PBF's numbering. */
export const MEMBER_NODE = 0;
export const MEMBER_WAY = 1;
export const MEMBER_RELATION = 2;

/** One relation member: type (0 node, 1 way, 2 relation), referenced id, role. */
export interface OsmMember {
  type: number;
  ref: number;
  role: string;
}

/** A relation kept by the reader. */
export interface OsmRelation {
  id: number;
  members: OsmMember[];
  tags: OsmTags;
}

/** What the format drivers call for each element, in file order. */
export interface OsmSink {
  /** A node; `lon7`/`lat7` are degrees × 1e7, rounded. */
  node(id: number, lon7: number, lat7: number, tags: OsmTags | null): void;
  /** A way; `refs[0..count)` are its node ids (the array may be reused by the caller). */
  way(id: number, refs: ArrayLike<number>, count: number, tags: OsmTags | null): void;
  relation(id: number, members: OsmMember[], tags: OsmTags | null): void;
}

/** Which tags are worth keeping (from the tag table): a test per element type. */
export interface OsmKeepFilter {
  node(tags: OsmTags): boolean;
  way(tags: OsmTags): boolean;
  relation(tags: OsmTags): boolean;
  /** The tags to keep of a kept element (may drop keys, may return a shared object: never mutate it). */
  pick?(tags: OsmTags): OsmTags;
}

/** The elements kept from one file, sorted by id. Arrays are transferable. */
export interface OsmExtract {
  fileName: string;
  /** Elements read (all, not only those kept). */
  counts: { nodes: number; ways: number; relations: number };
  nodeIds: Float64Array;
  nodeLon7: Int32Array;
  nodeLat7: Int32Array;
  /** Tagged nodes kept: index into nodeIds, and their tags. */
  taggedNodes: { index: Int32Array; tags: OsmTags[] };
  wayIds: Float64Array;
  /** Node ids of way i: wayRefs[wayRefStart[i] .. wayRefStart[i + 1]). */
  wayRefStart: Float64Array;
  wayRefs: Float64Array;
  /** Kept tags of way i, or null. */
  wayTags: (OsmTags | null)[];
  relations: OsmRelation[];
}

/**
 * A typed array built by appending, in chunks of 64k values doubling up to 1M (no copy of everything on
 * growth); `finish`
 * copies the chunks into one exact-size array, releasing each chunk as it goes, so the peak is the
 * final size plus one chunk.
 */
class Growable<T extends Float64Array | Int32Array> {
  private chunks: (T | null)[] = [];
  private current: T;
  private at = 0;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.current = make(FIRST_CHUNK);
    this.chunks.push(this.current);
  }
  push(value: number): void {
    if (this.at === this.current.length) this.next();
    this.current[this.at++] = value;
    this.length++;
  }
  pushMany(values: ArrayLike<number>, count: number): void {
    for (let k = 0; k < count; k++) {
      if (this.at === this.current.length) this.next();
      this.current[this.at++] = values[k];
    }
    this.length += count;
  }
  private next(): void {
    this.current = this.make(Math.min(CHUNK, this.current.length * 2));
    this.chunks.push(this.current);
    this.at = 0;
  }
  /** The values as one array (the chunks are released: push no more). */
  finish(): T {
    const out = this.make(this.length);
    let offset = 0;
    for (let k = 0; k < this.chunks.length; k++) {
      const chunk = this.chunks[k]!;
      const n = Math.min(chunk.length, this.length - offset);
      out.set(chunk.subarray(0, n) as never, offset);
      offset += n;
      this.chunks[k] = null;
    }
    return out;
  }
}

const FIRST_CHUNK = 1 << 16;
const CHUNK = 1 << 20;

/** Index of `id` in the ascending `ids`, or -1. */
export function findId(ids: Float64Array, id: number): number {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = ids[middle];
    if (value < id) low = middle + 1;
    else if (value > id) high = middle - 1;
    else return middle;
  }
  return -1;
}

/** Collects elements from a driver (see the file comment). */
export class OsmStore implements OsmSink {
  readonly counts = { nodes: 0, ways: 0, relations: 0 };
  private readonly nodeIds = new Growable((n) => new Float64Array(n));
  private readonly nodeLon = new Growable((n) => new Int32Array(n));
  private readonly nodeLat = new Growable((n) => new Int32Array(n));
  private readonly taggedIndex: number[] = [];
  private readonly taggedTags: OsmTags[] = [];
  private readonly wayIds = new Growable((n) => new Float64Array(n));
  private readonly wayRefStart = new Growable((n) => new Float64Array(n));
  private readonly wayRefs = new Growable((n) => new Float64Array(n));
  private readonly wayTags: (OsmTags | null)[] = [];
  private readonly relations: OsmRelation[] = [];
  private nodesSorted = true;
  private waysSorted = true;
  private lastNode = -Infinity;
  private lastWay = -Infinity;

  constructor(private readonly keep: OsmKeepFilter) {}

  node(id: number, lon7: number, lat7: number, tags: OsmTags | null): void {
    this.counts.nodes++;
    if (id <= this.lastNode) this.nodesSorted = false;
    this.lastNode = id;
    if (tags && this.keep.node(tags)) {
      this.taggedIndex.push(this.nodeIds.length);
      this.taggedTags.push(this.keep.pick ? this.keep.pick(tags) : tags);
    }
    this.nodeIds.push(id);
    this.nodeLon.push(lon7);
    this.nodeLat.push(lat7);
  }

  way(id: number, refs: ArrayLike<number>, count: number, tags: OsmTags | null): void {
    this.counts.ways++;
    if (id <= this.lastWay) this.waysSorted = false;
    this.lastWay = id;
    this.wayIds.push(id);
    this.wayRefStart.push(this.wayRefs.length);
    this.wayRefs.pushMany(refs, count);
    this.wayTags.push(tags && this.keep.way(tags) ? (this.keep.pick ? this.keep.pick(tags) : tags) : null);
  }

  relation(id: number, members: OsmMember[], tags: OsmTags | null): void {
    this.counts.relations++;
    if (tags && this.keep.relation(tags)) this.relations.push({ id, members, tags });
    else if (members.some((m) => m.type === MEMBER_RELATION)) this.relations.push({ id, members, tags: tags ?? {} });
  }

  /** The kept elements, sorted by id (files sorted by type then id, as osmium writes them, need no sort). */
  finish(fileName: string): OsmExtract {
    let nodeIds = this.nodeIds.finish();
    let nodeLon7 = this.nodeLon.finish();
    let nodeLat7 = this.nodeLat.finish();
    let taggedIndex = Int32Array.from(this.taggedIndex);
    if (!this.nodesSorted) {
      const order = sortedOrder(nodeIds);
      const where = new Int32Array(order.length);
      for (let k = 0; k < order.length; k++) where[order[k]] = k;
      nodeIds = permute(nodeIds, order, new Float64Array(order.length));
      nodeLon7 = permute(nodeLon7, order, new Int32Array(order.length));
      nodeLat7 = permute(nodeLat7, order, new Int32Array(order.length));
      taggedIndex = taggedIndex.map((i) => where[i]);
    }
    this.wayRefStart.push(this.wayRefs.length);
    let wayIds = this.wayIds.finish();
    let wayRefStart = this.wayRefStart.finish();
    let wayRefs = this.wayRefs.finish();
    let wayTags = this.wayTags;
    if (!this.waysSorted) {
      const order = sortedOrder(wayIds);
      const starts = new Float64Array(order.length + 1);
      const refs = new Float64Array(wayRefs.length);
      let at = 0;
      for (let k = 0; k < order.length; k++) {
        const i = order[k];
        starts[k] = at;
        refs.set(wayRefs.subarray(wayRefStart[i], wayRefStart[i + 1]), at);
        at += wayRefStart[i + 1] - wayRefStart[i];
      }
      starts[order.length] = at;
      wayIds = permute(wayIds, order, new Float64Array(order.length));
      wayTags = Array.from(order, (i) => this.wayTags[i]);
      wayRefStart = starts;
      wayRefs = refs;
    }
    return {
      fileName,
      counts: { ...this.counts },
      nodeIds,
      nodeLon7,
      nodeLat7,
      taggedNodes: { index: taggedIndex, tags: this.taggedTags },
      wayIds,
      wayRefStart,
      wayRefs,
      wayTags,
      relations: this.relations.sort((a, b) => a.id - b.id),
    };
  }
}

function sortedOrder(ids: Float64Array): Uint32Array {
  const order = new Uint32Array(ids.length);
  for (let k = 0; k < order.length; k++) order[k] = k;
  return order.sort((a, b) => ids[a] - ids[b]);
}

function permute<T extends Float64Array | Int32Array>(values: T, order: Uint32Array, out: T): T {
  for (let k = 0; k < order.length; k++) out[k] = values[order[k]];
  return out;
}

/** The typed-array buffers of an extract, for `postMessage(extract, transferList(extract))`. */
export function extractTransferList(extract: OsmExtract): ArrayBuffer[] {
  return [
    extract.nodeIds,
    extract.nodeLon7,
    extract.nodeLat7,
    extract.taggedNodes.index,
    extract.wayIds,
    extract.wayRefStart,
    extract.wayRefs,
  ].map((array) => array.buffer as ArrayBuffer);
}
