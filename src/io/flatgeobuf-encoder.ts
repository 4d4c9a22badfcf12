import * as flatbuffers from 'flatbuffers';
import type { ColumnMeta } from 'flatgeobuf/lib/mjs/column-meta.js';
import { Feature as FgbFeature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { Geometry as FgbGeometry } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { buildGeometry } from 'flatgeobuf/lib/mjs/generic/geometry.js';
import { parseGC } from 'flatgeobuf/lib/mjs/geojson/geometry.js';
import type { Feature, Geometry, GeometryCollection, Position } from 'geojson';
import { extendBounds } from '../coverage/geometry';
import { PropertyEncoder } from './flatgeobuf-properties';

/**
 * FlatGeobuf features encoded one by one (see `flatgeobuf-write.ts` for the file around them), as the
 * package's `buildFeature` would encode them, into chunks of bytes with per-feature records.
 */

const FIRST_CHUNK_BYTES = 1 << 16;
const MAX_CHUNK_BYTES = 1 << 23;
const FAST_TYPES: Partial<Record<string, GeometryType>> = {
  Point: GeometryType.Point,
  MultiPoint: GeometryType.MultiPoint,
  LineString: GeometryType.LineString,
  MultiLineString: GeometryType.MultiLineString,
  Polygon: GeometryType.Polygon,
  MultiPolygon: GeometryType.MultiPolygon,
};

/** Encoded features in input order: bytes in chunks, and per feature its place, size and bounding box. */
export interface FeatureStore {
  count: number;
  chunks: Uint8Array[];
  chunkOf: Uint32Array;
  offsetIn: Uint32Array;
  sizes: Uint32Array;
  /** minX, minY, maxX, maxY per feature. */
  bboxes: Float64Array;
  featureBytes: number;
}

/** Encodes features one by one into chunks, reusing one Builder and a few growable typed arrays. */
export class FeatureEncoder {
  private readonly builder = new flatbuffers.Builder(1024);
  /** Coordinates of the current geometry, its ring/line ends (in points) and MultiPolygon parts. */
  private xy = new Float64Array(256);
  private xyLength = 0;
  private ends = new Uint32Array(16);
  private endsLength = 0;
  /** Per MultiPolygon part: xy start, xy end, ends start, ends end. */
  private parts: number[] = [];
  private readonly partOffsets: number[] = [];
  private minX = Infinity;
  private minY = Infinity;
  private maxX = -Infinity;
  private maxY = -Infinity;
  private firstType = -1;
  private mixedTypes = false;

  private readonly store: FeatureStore;
  private chunk: Uint8Array;
  private chunkUsed = 0;

  private readonly properties: PropertyEncoder;

  constructor(columns: ColumnMeta[], declared: boolean, expectedCount: number) {
    this.properties = new PropertyEncoder(columns, declared);
    const capacity = Math.max(expectedCount, 16);
    this.chunk = new Uint8Array(FIRST_CHUNK_BYTES);
    this.store = {
      count: 0,
      chunks: [this.chunk],
      chunkOf: new Uint32Array(capacity),
      offsetIn: new Uint32Array(capacity),
      sizes: new Uint32Array(capacity),
      bboxes: new Float64Array(capacity * 4),
      featureBytes: 0,
    };
  }

  /** Encodes a feature with a geometry; false (nothing stored) when the geometry has no positions. */
  add(feature: Feature, featureIndex: number): boolean {
    const geometry = feature.geometry as Geometry;
    this.minX = Infinity;
    this.minY = Infinity;
    this.maxX = -Infinity;
    this.maxY = -Infinity;
    const type = FAST_TYPES[geometry.type];
    let general: Geometry | null = null;
    if (type !== undefined) this.gather(geometry, type, featureIndex);
    else if (geometry.type === 'GeometryCollection') {
      general = flatten2d(geometry, featureIndex);
      [this.minX, this.minY, this.maxX, this.maxY] = extendBounds([Infinity, Infinity, -Infinity, -Infinity], general);
    } else throw new Error(`feature ${featureIndex}: unknown geometry type ${JSON.stringify(geometry.type)}`);
    if (this.minX > this.maxX) return false;

    const builder = this.builder;
    builder.clear();
    const propsLength = this.properties.encode(feature.properties, featureIndex);
    const propertiesOffset =
      propsLength > 0 ? builder.createByteVector(this.properties.props.subarray(0, propsLength)) : 0;
    let geometryOffset: number;
    let geometryType: GeometryType;
    if (general) {
      geometryType = GeometryType.GeometryCollection;
      geometryOffset = buildGeometry(builder, parseGC(general as GeometryCollection));
    } else if (type === GeometryType.MultiPolygon) {
      geometryType = type;
      const partOffsets = this.partOffsets;
      partOffsets.length = 0;
      const parts = this.parts;
      for (let p = 0; p < parts.length; p += 4) {
        partOffsets.push(this.buildSimple(GeometryType.Polygon, parts[p], parts[p + 1], parts[p + 2], parts[p + 3]));
      }
      const partsOffset = FgbGeometry.createPartsVector(builder, partOffsets);
      FgbGeometry.startGeometry(builder);
      FgbGeometry.addParts(builder, partsOffset);
      FgbGeometry.addType(builder, type);
      geometryOffset = FgbGeometry.endGeometry(builder);
    } else {
      geometryType = type!;
      geometryOffset = this.buildSimple(type!, 0, this.xyLength, 0, this.endsLength);
    }
    FgbFeature.startFeature(builder);
    FgbFeature.addGeometry(builder, geometryOffset);
    if (propertiesOffset) FgbFeature.addProperties(builder, propertiesOffset);
    builder.finishSizePrefixed(FgbFeature.endFeature(builder));

    if (this.firstType === -1) this.firstType = geometryType;
    else if (this.firstType !== geometryType) this.mixedTypes = true;
    this.append();
    return true;
  }

  /** The header's geometry type: the features' one type, or Unknown for a mix (or none). */
  geometryType(): GeometryType {
    return this.firstType === -1 || this.mixedTypes ? GeometryType.Unknown : this.firstType;
  }

  finish(): FeatureStore {
    return this.store;
  }

  /** Copies the finished Builder bytes into the chunks and records the feature. */
  private append(): void {
    const buffer = this.builder.dataBuffer();
    const bytes = buffer.bytes();
    const start = buffer.position();
    const size = bytes.length - start;
    const store = this.store;
    if (this.chunkUsed + size > this.chunk.length) {
      const chunkBytes = Math.max(size, Math.min(MAX_CHUNK_BYTES, FIRST_CHUNK_BYTES << store.chunks.length));
      this.chunk = new Uint8Array(chunkBytes);
      store.chunks.push(this.chunk);
      this.chunkUsed = 0;
    }
    this.chunk.set(bytes.subarray(start), this.chunkUsed);
    let i = store.count;
    if (i === store.sizes.length) this.growRecords();
    store.chunkOf[i] = store.chunks.length - 1;
    store.offsetIn[i] = this.chunkUsed;
    store.sizes[i] = size;
    i *= 4;
    store.bboxes[i] = this.minX;
    store.bboxes[i + 1] = this.minY;
    store.bboxes[i + 2] = this.maxX;
    store.bboxes[i + 3] = this.maxY;
    this.chunkUsed += size;
    store.featureBytes += size;
    store.count++;
  }

  private growRecords(): void {
    const store = this.store;
    const capacity = store.sizes.length * 2;
    const grow = <T extends Uint32Array | Float64Array>(array: T, length: number): T => {
      const bigger = new (array.constructor as new (length: number) => T)(length);
      bigger.set(array);
      return bigger;
    };
    store.chunkOf = grow(store.chunkOf, capacity);
    store.offsetIn = grow(store.offsetIn, capacity);
    store.sizes = grow(store.sizes, capacity);
    store.bboxes = grow(store.bboxes, capacity * 4);
  }

  /** Gathers a non-collection geometry's 2D coordinates, ends and parts as the package's parseGeometry would. */
  private gather(geometry: Geometry, type: GeometryType, featureIndex: number): void {
    this.xyLength = 0;
    this.endsLength = 0;
    const coordinates = (geometry as Exclude<Geometry, GeometryCollection>).coordinates;
    switch (type) {
      case GeometryType.Point:
        this.position(coordinates as Position, featureIndex);
        break;
      case GeometryType.MultiPoint:
      case GeometryType.LineString:
        this.line(coordinates as Position[], featureIndex);
        break;
      case GeometryType.MultiLineString:
      case GeometryType.Polygon:
        this.rings(coordinates as Position[][], 0, featureIndex);
        break;
      default: {
        const parts = this.parts;
        parts.length = 0;
        for (const polygon of coordinates as Position[][][]) {
          const xyStart = this.xyLength;
          const endsStart = this.endsLength;
          this.rings(polygon, xyStart, featureIndex);
          parts.push(xyStart, this.xyLength, endsStart, this.endsLength);
        }
      }
    }
  }

  private rings(rings: Position[][], xyStart: number, featureIndex: number): void {
    for (const ring of rings) {
      this.line(ring, featureIndex);
      if (this.endsLength === this.ends.length) {
        const bigger = new Uint32Array(this.ends.length * 2);
        bigger.set(this.ends);
        this.ends = bigger;
      }
      this.ends[this.endsLength++] = (this.xyLength - xyStart) / 2;
    }
  }

  private line(positions: Position[], featureIndex: number): void {
    const needed = this.xyLength + 2 * positions.length;
    if (needed > this.xy.length) {
      const bigger = new Float64Array(Math.max(needed, this.xy.length * 2));
      bigger.set(this.xy.subarray(0, this.xyLength));
      this.xy = bigger;
    }
    for (let i = 0; i < positions.length; i++) this.position(positions[i], featureIndex);
  }

  private position(position: Position, featureIndex: number): void {
    const x = position[0];
    const y = position[1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new Error(
        `feature ${featureIndex}: position [${position.join(', ')}] is not finite; FlatGeobuf export needs finite coordinates`,
      );
    }
    if (this.xyLength + 2 > this.xy.length) {
      const bigger = new Float64Array(this.xy.length * 2);
      bigger.set(this.xy);
      this.xy = bigger;
    }
    this.xy[this.xyLength++] = x;
    this.xy[this.xyLength++] = y;
    if (x < this.minX) this.minX = x;
    if (y < this.minY) this.minY = y;
    if (x > this.maxX) this.maxX = x;
    if (y > this.maxY) this.maxY = y;
  }

  /** A Geometry table as the package's buildGeometry writes it (ends only for more than one ring). */
  private buildSimple(type: GeometryType, xyStart: number, xyEnd: number, endsStart: number, endsEnd: number): number {
    const builder = this.builder;
    const xy = this.xy;
    FgbGeometry.startXyVector(builder, xyEnd - xyStart);
    for (let i = xyEnd - 1; i >= xyStart; i--) builder.writeFloat64(xy[i]);
    const xyOffset = builder.endVector();
    let endsOffset = 0;
    if (endsEnd - endsStart > 1) {
      const ends = this.ends;
      FgbGeometry.startEndsVector(builder, endsEnd - endsStart);
      for (let i = endsEnd - 1; i >= endsStart; i--) builder.writeInt32(ends[i]);
      endsOffset = builder.endVector();
    }
    FgbGeometry.startGeometry(builder);
    if (endsOffset) FgbGeometry.addEnds(builder, endsOffset);
    FgbGeometry.addXy(builder, xyOffset);
    FgbGeometry.addType(builder, type);
    return FgbGeometry.endGeometry(builder);
  }
}

/** A copy with 2D positions; throws for a non-finite coordinate or an unknown type. */
function flatten2d(geometry: Geometry, featureIndex: number): Geometry {
  if (geometry.type === 'GeometryCollection') {
    return { type: 'GeometryCollection', geometries: geometry.geometries.map((part) => flatten2d(part, featureIndex)) };
  }
  const depth = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }[
    geometry.type
  ];
  if (depth === undefined)
    throw new Error(`feature ${featureIndex}: unknown geometry type ${JSON.stringify(geometry.type)}`);
  const copy = (value: unknown, level: number): unknown => {
    if (level > 0) return (value as unknown[]).map((item) => copy(item, level - 1));
    const position = value as Position;
    if (!Number.isFinite(position[0]) || !Number.isFinite(position[1])) {
      throw new Error(
        `feature ${featureIndex}: position [${position.join(', ')}] is not finite; FlatGeobuf export needs finite coordinates`,
      );
    }
    return [position[0], position[1]];
  };
  return { type: geometry.type, coordinates: copy(geometry.coordinates, depth) } as Geometry;
}
