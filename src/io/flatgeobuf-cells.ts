import { calcTreeSize } from 'flatgeobuf/lib/mjs/packedrtree.js';
import type { CoverageResult } from '../coverage';
import { cellColumnsFor, roundedCellEdges } from './coverage-export';
import type { FeatureStore } from './flatgeobuf-encoder';
import { MAGIC_BYTES, MAGIC_LENGTH_BYTES } from './flatgeobuf-format';
import { DEFAULT_INDEX_NODE_SIZE, hilbertOrder, writePackedRTree } from './flatgeobuf-index';
import { declaredColumns, flatGeobufHeader } from './flatgeobuf-write';

/**
 * The residential cells of a result as FlatGeobuf, written straight from the result's typed arrays: the
 * same file `flatGeobufChunks(cellFeatures(result), …)` gives (same columns, values, coordinates, Hilbert
 * order and index) without a GeoJSON object or a FlatBuffers Builder per cell. Every cell is a
 * one-ring Polygon of 5 points with the same properties, so each feature's FlatBuffer has one fixed
 * layout (below) and only the property bytes vary. Features are encoded in file order into ~1 MiB
 * pieces as they are yielded, so the file never exists in memory: what is kept is 44 bytes per cell
 * (bounding box, size, order).
 */

/** FlatGeobuf is little-endian; typed-array stores are native-endian (little on every engine in use). */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Pieces yielded (the header and the index come whole). */
const PIECE_BYTES = 1 << 20;

/**
 * One feature's FlatBuffer after its uint32 size prefix (offsets from the buffer start, little-endian):
 *   0  root uoffset → 12 (Feature table)
 *   4  Feature vtable: size 8, table size 12, geometry at +4, properties at +8
 *  12  Feature table: soffset 8 (vtable at 4), geometry uoffset → 44, properties uoffset → 140
 *  24  Geometry vtable: size 18, table size 12, ends absent, xy at +4, z/m/t/tm absent, type at +8
 *  44  Geometry table: soffset 20 (vtable at 24), xy uoffset → 56, type 3 (Polygon), padding
 *  56  xy vector: length 10, then 10 float64 from 60
 * 140  properties vector: length L, then L bytes.
 * As FlatBuffers' size-prefixed builder aligns, doubles sit at multiples of 8 from the size prefix, and
 * every feature (prefix included) is a multiple of 8 bytes, so they stay aligned in the file as well.
 */
const FIXED_BYTES = 144;
const XY_AT = 60;
const PROPERTIES_LENGTH_AT = 140;
/** The fixed part of every feature (everything but the coordinates and the properties' length). */
const TEMPLATE = (() => {
  const template = new Uint8Array(FIXED_BYTES);
  const view = new DataView(template.buffer);
  const u16 = [
    [4, 8],
    [6, 12],
    [8, 4],
    [10, 8],
    [24, 18],
    [26, 12],
    [30, 4],
    [40, 8],
  ];
  const u32 = [
    [0, 12],
    [12, 8],
    [16, 44 - 16],
    [20, 140 - 20],
    [44, 20],
    [48, 56 - 48],
    [56, 10],
  ];
  for (const [at, value] of u16) view.setUint16(at, value, true);
  for (const [at, value] of u32) view.setUint32(at, value, true);
  template[52] = 3; // GeometryType.Polygon
  return template;
})();

/** Options of {@link flatGeobufCellChunks}: what the header names. */
export interface CellFlatGeobufOptions {
  layerName?: string;
  description?: string;
  metadata?: string;
}

function roundMeters(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The cells as FlatGeobuf pieces (header, index, then features in Hilbert order); see the module note. */
export function* flatGeobufCellChunks(
  result: CoverageResult,
  options: CellFlatGeobufOptions = {},
): Generator<Uint8Array, void, undefined> {
  const { grid, cellIndex } = result;
  const count = cellIndex.length;
  const network = result.distance === 'network';
  // Rounded edges per column and row, as the cell polygons have them.
  const { westOf, eastOf, southOf, northOf } = roundedCellEdges(grid);
  // Community names once as UTF-8 (the only variable-length value).
  const encoder = new TextEncoder();
  const names = result.communities.map((community) => encoder.encode(community.name));

  const doubles: (Float32Array | null)[] = [result.greenMeters, result.parkMeters];
  const straight: (Float32Array | null)[] = network ? [result.greenStraightMeters, result.parkStraightMeters] : [];

  // Pass 1: bounding boxes and sizes, for the Hilbert order and the index (which holds feature offsets).
  const bboxes = new Float64Array(4 * count);
  const sizes = new Uint32Array(count);
  for (let k = 0; k < count; k++) {
    const index = cellIndex[k];
    const row = Math.floor(index / grid.columns);
    const column = index - row * grid.columns;
    bboxes[4 * k] = westOf[column];
    bboxes[4 * k + 1] = southOf[row];
    bboxes[4 * k + 2] = eastOf[column];
    bboxes[4 * k + 3] = northOf[row];
    sizes[k] = (4 + FIXED_BYTES + propertyBytes(k) + 7) & ~7;
  }
  function propertyBytes(k: number): number {
    let bytes = 0;
    for (const field of doubles) if (field && Number.isFinite(field[k])) bytes += 10;
    if (result.greenMeters) bytes += 3;
    if (result.parkMeters) bytes += 3;
    bytes += 3; // meets_both
    const community = result.cellCommunity[k];
    if (community >= 0) bytes += 6 + names[community].length;
    if (result.cellPopulation) bytes += 10;
    for (const field of straight) if (field && Number.isFinite(field[k])) bytes += 10;
    if (network && result.offNetwork) bytes += 3;
    return bytes;
  }

  const order = count > 0 ? hilbertOrder(bboxes, count) : null;
  const envelope = Float64Array.from([Infinity, Infinity, -Infinity, -Infinity]);
  for (let k = 0; k < count; k++) {
    envelope[0] = Math.min(envelope[0], bboxes[4 * k]);
    envelope[1] = Math.min(envelope[1], bboxes[4 * k + 1]);
    envelope[2] = Math.max(envelope[2], bboxes[4 * k + 2]);
    envelope[3] = Math.max(envelope[3], bboxes[4 * k + 3]);
  }
  const header = flatGeobufHeader(
    {
      geometryType: 3,
      columns: declaredColumns(cellColumnsFor(result)),
      envelope: count > 0 ? envelope : null,
      featuresCount: count,
      indexNodeSize: order ? DEFAULT_INDEX_NODE_SIZE : 0,
      crs: null,
      title: null,
      description: options.description ?? null,
      metadata: options.metadata ?? null,
    },
    options.layerName ?? 'cells',
  );
  const head = new Uint8Array(MAGIC_LENGTH_BYTES + header.length);
  head.set(MAGIC_BYTES);
  head.set(header, MAGIC_LENGTH_BYTES);
  yield head;
  if (!order) return;
  const tree = new Uint8Array(calcTreeSize(count, DEFAULT_INDEX_NODE_SIZE));
  writePackedRTree({ count, bboxes, sizes } as FeatureStore, order, tree);
  yield tree;

  // Pass 2: the features in file order, each written into the fixed layout.
  const { greenMeters: green, parkMeters: park, cellPopulation: population } = result;
  const [greenStraight, parkStraight] = straight;
  let piece = new Uint8Array(PIECE_BYTES);
  let view = new DataView(piece.buffer);
  let coordinates = new Float64Array(piece.buffer);
  let used = 0;
  for (let j = 0; j < count; j++) {
    const k = order[j];
    const size = sizes[k];
    if (used + size > piece.length) {
      yield piece.subarray(0, used);
      piece = new Uint8Array(Math.max(PIECE_BYTES, size));
      view = new DataView(piece.buffer);
      coordinates = new Float64Array(piece.buffer);
      used = 0;
    }
    view.setUint32(used, size - 4, true);
    const at = used + 4;
    piece.set(TEMPLATE, at);
    // The ring as cellRing gives it: south-west, south-east, north-east, north-west, south-west.
    const west = bboxes[4 * k];
    const south = bboxes[4 * k + 1];
    const east = bboxes[4 * k + 2];
    const north = bboxes[4 * k + 3];
    // `used` is a multiple of 8, so the coordinates are 8-aligned in the piece: one Float64Array store each.
    const xy = (at + XY_AT) >> 3;
    coordinates[xy] = west;
    coordinates[xy + 1] = south;
    coordinates[xy + 2] = east;
    coordinates[xy + 3] = south;
    coordinates[xy + 4] = east;
    coordinates[xy + 5] = north;
    coordinates[xy + 6] = west;
    coordinates[xy + 7] = north;
    coordinates[xy + 8] = west;
    coordinates[xy + 9] = south;
    if (!littleEndian) for (let i = 0; i < 10; i++) view.setFloat64(8 * (xy + i), coordinates[xy + i], true);
    // Properties in column order, nulls omitted (buildFeature's format: uint16 column, then the value).
    let p = at + FIXED_BYTES;
    const verdict = result.verdicts[k];
    if (green && Number.isFinite(green[k])) p = putDouble(view, p, 0, roundMeters(green[k]));
    if (park && Number.isFinite(park[k])) p = putDouble(view, p, 1, roundMeters(park[k]));
    if (green) p = putBool(view, p, 2, (verdict & 1) !== 0);
    if (park) p = putBool(view, p, 3, (verdict & 2) !== 0);
    p = putBool(view, p, 4, (verdict & 4) !== 0);
    const community = result.cellCommunity[k];
    if (community >= 0) {
      const name = names[community];
      view.setUint16(p, 5, true);
      view.setUint32(p + 2, name.length, true);
      piece.set(name, p + 6);
      p += 6 + name.length;
    }
    if (population) p = putDouble(view, p, 6, Math.round(population[k] * 100) / 100);
    if (network) {
      if (greenStraight && Number.isFinite(greenStraight[k])) p = putDouble(view, p, 7, roundMeters(greenStraight[k]));
      if (parkStraight && Number.isFinite(parkStraight[k])) p = putDouble(view, p, 8, roundMeters(parkStraight[k]));
      if (result.offNetwork) p = putBool(view, p, 9, result.offNetwork[k] === 1);
    }
    view.setUint32(at + PROPERTIES_LENGTH_AT, p - (at + FIXED_BYTES), true);
    // Zero the padding (pieces are fresh arrays, but a reused piece would otherwise leak bytes).
    piece.fill(0, p, used + size);
    used += size;
  }
  if (used > 0) yield piece.subarray(0, used);
}

function putDouble(view: DataView, at: number, column: number, value: number): number {
  view.setUint16(at, column, true);
  view.setFloat64(at + 2, value, true);
  return at + 10;
}

function putBool(view: DataView, at: number, column: number, value: boolean): number {
  view.setUint16(at, column, true);
  view.setUint8(at + 2, value ? 1 : 0);
  return at + 3;
}
