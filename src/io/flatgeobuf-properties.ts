import type { ColumnMeta } from 'flatgeobuf/lib/mjs/column-meta.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import type { GeoJsonProperties } from 'geojson';

/**
 * A feature's properties in FlatGeobuf's byte format, as the package's `buildFeature` writes them: per
 * present value its uint16 column index then the value, little-endian; a null is omitted. One reused
 * buffer; with declared columns, a value that does not fit its column or a key that is no column throws.
 */

/** Non-ASCII strings up to this length are UTF-8 encoded once and cached (community names repeat). */
const CACHED_STRING_LENGTH = 64;
const STRING_CACHE_ENTRIES = 4096;

export class PropertyEncoder {
  private readonly names: string[];
  private readonly types: ColumnType[];
  private readonly columnNames: Set<string>;
  private readonly textEncoder = new TextEncoder();
  private readonly stringCache = new Map<string, Uint8Array>();
  /** The encoded bytes are `props.subarray(0, length)` after {@link encode}. */
  props = new Uint8Array(256);
  private propsView = new DataView(this.props.buffer);

  constructor(
    columns: ColumnMeta[],
    private readonly declared: boolean,
  ) {
    this.names = columns.map((column) => column.name);
    this.types = columns.map((column) => column.type);
    this.columnNames = new Set(this.names);
  }

  /** Writes the properties into `props` (buildFeature's format); returns the byte length. */
  encode(properties: GeoJsonProperties | undefined, featureIndex: number): number {
    if (properties === null || properties === undefined) return 0;
    const names = this.names;
    const types = this.types;
    let length = 0;
    let present = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value: unknown = properties[name];
      if (value === undefined) continue;
      present++;
      if (value === null || (typeof value === 'number' && !Number.isFinite(value))) continue;
      if (!Object.hasOwn(properties, name)) {
        present--;
        continue;
      }
      if (length + 16 > this.props.length) this.growProps(length + 16);
      const view = this.propsView;
      view.setUint16(length, i, true);
      length += 2;
      switch (types[i]) {
        case ColumnType.Bool:
          if (typeof value !== 'boolean') throw this.misfit(featureIndex, name, value, 'a boolean');
          this.props[length++] = value ? 1 : 0;
          break;
        case ColumnType.Int:
          if (!Number.isInteger(value) || (value as number) < -0x80000000 || (value as number) > 0x7fffffff)
            throw this.misfit(featureIndex, name, value, 'a 32-bit integer');
          view.setInt32(length, value as number, true);
          length += 4;
          break;
        case ColumnType.Long:
          if (!Number.isSafeInteger(value)) throw this.misfit(featureIndex, name, value, 'a safe integer');
          view.setBigInt64(length, BigInt(value as number), true);
          length += 8;
          break;
        case ColumnType.Double:
          if (typeof value !== 'number') throw this.misfit(featureIndex, name, value, 'a number');
          view.setFloat64(length, value, true);
          length += 8;
          break;
        case ColumnType.String:
          if (typeof value === 'string') length = this.writeString(value, length);
          else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
            length = this.writeString(String(value), length);
          else throw this.misfit(featureIndex, name, value, 'a string, number or boolean');
          break;
        default: // Json (the only other type we declare or infer)
          length = this.writeString(JSON.stringify(value), length);
      }
    }
    if (this.declared) this.checkUndeclared(properties, present, featureIndex);
    return length;
  }

  /** Throws for a property key that is not a declared column (cheap count first, exact check on mismatch). */
  private checkUndeclared(properties: NonNullable<GeoJsonProperties>, present: number, featureIndex: number): void {
    let keys = 0;
    for (const _ in properties) keys++;
    if (keys === present) return;
    for (const key in properties) {
      if (Object.hasOwn(properties, key) && !this.columnNames.has(key)) {
        throw new Error(`feature ${featureIndex}: property "${key}" is not among options.columns`);
      }
    }
  }

  private misfit(featureIndex: number, name: string, value: unknown, expected: string): Error {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
    return new Error(`feature ${featureIndex}: property "${name}" is ${shown}, not ${expected} as its column needs`);
  }

  /** A uint32 byte length and the UTF-8 bytes of `text` at `at`; returns the end. */
  private writeString(text: string, at: number): number {
    const n = text.length;
    if (at + 4 + 3 * n > this.props.length) this.growProps(at + 4 + 3 * n);
    const bytes = this.props;
    let end = at + 4;
    let i = 0;
    for (; i < n; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      bytes[end++] = code;
    }
    if (i < n) {
      let utf8 = n <= CACHED_STRING_LENGTH ? this.stringCache.get(text) : undefined;
      if (utf8 === undefined) {
        utf8 = this.textEncoder.encode(text);
        if (n <= CACHED_STRING_LENGTH && this.stringCache.size < STRING_CACHE_ENTRIES) this.stringCache.set(text, utf8);
      }
      bytes.set(utf8, at + 4);
      end = at + 4 + utf8.length;
    }
    this.propsView.setUint32(at, end - at - 4, true);
    return end;
  }

  private growProps(needed: number): void {
    const bigger = new Uint8Array(Math.max(needed, this.props.length * 2));
    bigger.set(this.props);
    this.props = bigger;
    this.propsView = new DataView(bigger.buffer);
  }
}
