import type { Feature, Geometry } from 'geojson';
import { ByteWriter, type ColumnSource, ParquetWriter } from 'hyparquet-writer';
import type { CoverageResult } from '../coverage';
import { cellColumnsFor, cellFeatures, roundedCellEdges, rulesRecord } from './coverage-export';
import {
  type Box,
  CREATED_BY,
  DEFAULT_ROW_GROUP_ROWS,
  type GeoParquetTable,
  geoKeyValueMetadata,
  geoMetadata,
  geoParquetBytes,
  geoParquetSchema,
  type ParquetColumn,
} from './geoparquet-write';
import { joinBytes } from './join-bytes';

/**
 * The coverage results as GeoParquet 1.1: `cells.parquet` (one polygon per residential cell, the same
 * fields as the vector cell files) and `communities.parquet` (the community polygons and statistics).
 *
 * The cells are written straight from the result's typed arrays, one row group at a time: every cell
 * is an axis-aligned rectangle of the regular lon/lat grid, so its WKB is a fixed 93-byte polygon
 * written into one buffer per row group, its bbox comes from the grid's rounded edges, and the
 * attribute columns are filled from the arrays. hyparquet-writer still does all of the Parquet
 * encoding (pages, levels, dictionaries, statistics, Snappy, footer); what is gone is a GeoJSON feature,
 * a property object and a WKB ByteWriter per cell (GC took most of the 12–17 s for 640k cells).
 */

const columnType = { double: 'DOUBLE', boolean: 'BOOLEAN', string: 'STRING' } as const;

/** ISO WKB of a one-ring polygon of 5 points: byte order, type 3, 1 ring, 5 points, 10 float64. */
const WKB_POLYGON_BYTES = 1 + 4 + 4 + 4 + 10 * 8;

/** The fields of the `bbox` covering struct, in order. */
const BBOX_FIELDS = ['xmin', 'ymin', 'xmax', 'ymax'] as const;

/** Parquet's codec names, as hyparquet-writer takes them. */
type CompressionCodec = NonNullable<ConstructorParameters<typeof ParquetWriter>[0]['codec']>;

/** A Parquet compression codec and its compressor (e.g. GZIP by node:zlib, which is native and fast). */
export interface ParquetCompression {
  codec: CompressionCodec;
  compress: (bytes: Uint8Array) => Uint8Array;
}

/** Options of {@link cellsParquetChunks}. */
export interface CellParquetOptions {
  /** Rows per row group (also the rows held in memory at once); 65,536 unless told. */
  rowGroupRows?: number;
  /** The pages' compression; hyparquet-writer's own Snappy (pure JS) unless told. */
  compression?: ParquetCompression;
}

/** The cells' attribute columns for a result, as Parquet types (the same names as the vector files). */
function cellParquetColumns(result: CoverageResult): Pick<ParquetColumn, 'name' | 'type'>[] {
  return cellColumnsFor(result).map((column) => ({
    name: column.name,
    type: columnType[column.type as keyof typeof columnType] ?? 'STRING',
  }));
}

/**
 * The cells as GeoParquet pieces, in file order (the first holds the `PAR1` magic, each further piece a
 * row group, the last the footer), so the file never exists in memory at once: what is held is one row
 * group's columns. Rows are in the result's cell order, with the values `cellProperties` gives.
 */
export function* cellsParquetChunks(
  result: CoverageResult,
  options: CellParquetOptions = {},
): Generator<Uint8Array, void, undefined> {
  const { grid, cellIndex } = result;
  const count = cellIndex.length;
  const groupRows = Math.max(1, Math.min(options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS, Math.max(count, 1)));
  const columns = cellParquetColumns(result);
  const { westOf, eastOf, southOf, northOf } = roundedCellEdges(grid);

  // Overall extent from the cells' rounded edges (for the `geo` metadata, which the footer carries).
  const overall: Box = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity };
  for (let k = 0; k < count; k++) {
    const row = Math.floor(cellIndex[k] / grid.columns);
    const column = cellIndex[k] - row * grid.columns;
    if (westOf[column] < overall.xmin) overall.xmin = westOf[column];
    if (eastOf[column] > overall.xmax) overall.xmax = eastOf[column];
    if (southOf[row] < overall.ymin) overall.ymin = southOf[row];
    if (northOf[row] > overall.ymax) overall.ymax = northOf[row];
  }

  // Two things are written under a stand-in schema and put right in the footer (which finish writes
  // from the writer's schema and row-group list): hyparquet-writer turns values of a GEOMETRY column
  // from GeoJSON into WKB itself and takes nothing else there, so `geometry` is written as a plain
  // BYTE_ARRAY of our WKB; and it reads a struct's fields from one object per row, so the bbox fields
  // are written as four top-level REQUIRED doubles from typed arrays. A REQUIRED struct of REQUIRED
  // fields has no definition or repetition levels, so its pages are byte for byte those of the flat
  // columns; only the footer says `bbox.xmin`, … (and GEOMETRY), exactly as declaring them would.
  const footerSchema = geoParquetSchema(columns);
  const flatSchema = geoParquetSchema(columns, false).filter((element) => element.name !== 'bbox');
  flatSchema[0] = { ...flatSchema[0], num_children: columns.length + 1 + BBOX_FIELDS.length };
  const writer = new ByteWriter(1 << 22);
  const parquet = new ParquetWriter({
    writer,
    schema: flatSchema,
    ...(options.compression
      ? { codec: options.compression.codec, compressors: { [options.compression.codec]: options.compression.compress } }
      : {}),
    createdBy: CREATED_BY,
    kvMetadata: geoKeyValueMetadata(
      geoMetadata(count > 0 ? ['Polygon'] : [], count > 0 ? overall : null),
      resultMetadata(result),
    ),
  });
  /** What the writer holds so far, copied out; the writer goes on from the start of its buffer. */
  const take = (): Uint8Array => {
    const piece = new Uint8Array(writer.buffer.slice(0, writer.index));
    writer.index = 0;
    return piece;
  };

  // One row group's WKB, and a view per row into it: both reused by every group (the bytes are rewritten).
  const wkb = new Uint8Array(groupRows * WKB_POLYGON_BYTES);
  const wkbView = new DataView(wkb.buffer);
  const geometryValues = Array.from({ length: groupRows }, (_, i) =>
    wkb.subarray(i * WKB_POLYGON_BYTES, (i + 1) * WKB_POLYGON_BYTES),
  );
  for (let i = 0; i < groupRows; i++) {
    const at = i * WKB_POLYGON_BYTES;
    wkb[at] = 1; // little-endian
    wkbView.setUint32(at + 1, 3, true); // Polygon
    wkbView.setUint32(at + 5, 1, true); // one ring
    wkbView.setUint32(at + 9, 5, true); // five points
  }
  // The bbox fields of one row group, reused by every group.
  const boxes = BBOX_FIELDS.map(() => new Float64Array(groupRows));
  const [xmin, ymin, xmax, ymax] = boxes;
  const attributes = new CellAttributeColumns(result, groupRows);

  for (let start = 0; start < count; start += groupRows) {
    const rows = Math.min(groupRows, count - start);
    for (let i = 0; i < rows; i++) {
      const index = cellIndex[start + i];
      const row = Math.floor(index / grid.columns);
      const column = index - row * grid.columns;
      const west = westOf[column];
      const east = eastOf[column];
      const south = southOf[row];
      const north = northOf[row];
      // The ring as cellRing gives it: south-west, south-east, north-east, north-west, south-west.
      const at = i * WKB_POLYGON_BYTES + 13;
      wkbView.setFloat64(at, west, true);
      wkbView.setFloat64(at + 8, south, true);
      wkbView.setFloat64(at + 16, east, true);
      wkbView.setFloat64(at + 24, south, true);
      wkbView.setFloat64(at + 32, east, true);
      wkbView.setFloat64(at + 40, north, true);
      wkbView.setFloat64(at + 48, west, true);
      wkbView.setFloat64(at + 56, north, true);
      wkbView.setFloat64(at + 64, west, true);
      wkbView.setFloat64(at + 72, south, true);
      xmin[i] = west;
      ymin[i] = south;
      xmax[i] = east;
      ymax[i] = north;
    }
    const columnData: ColumnSource[] = [
      ...attributes.fill(start, rows),
      // No dictionary trial and no statistics for the geometry (every value is distinct; the bbox columns
      // carry the extent readers filter on), as in geoParquetBytes.
      {
        name: 'geometry',
        data: rows === groupRows ? geometryValues : geometryValues.slice(0, rows),
        encoding: 'PLAIN',
        statistics: false,
      },
      ...BBOX_FIELDS.map((name, f) => ({ name, data: boxes[f].subarray(0, rows), encoding: 'PLAIN' as const })),
    ];
    // One page per column chunk (pageSize 0): the row group is what readers skip by, and cutting pages
    // makes hyparquet-writer estimate the size of every value.
    parquet.write({ columnData, rowGroupSize: rows, pageSize: 0 });
    yield take();
  }
  for (const group of parquet.row_groups) {
    for (const chunk of group.columns) {
      const path = chunk.meta_data!.path_in_schema;
      if (path.length === 1 && (BBOX_FIELDS as readonly string[]).includes(path[0])) path.unshift('bbox');
    }
  }
  parquet.schema = footerSchema;
  parquet.finish();
  yield take();
}

/**
 * The attribute columns of one row group, filled from the result's arrays with `cellProperties`'
 * values and nulls. A column with no null in the group is a typed array (Float64Array for numbers);
 * one with nulls is a plain array, the only form in which hyparquet-writer takes nulls. The arrays are
 * kept and refilled group after group.
 */
class CellAttributeColumns {
  private readonly numbers: Float64Array[] = [];
  private readonly lists: (number | boolean | string | null)[][] = [];
  private readonly nulls: null[];
  private readonly names: string[];

  constructor(
    private readonly result: CoverageResult,
    private readonly groupRows: number,
  ) {
    this.nulls = new Array(groupRows).fill(null);
    this.names = result.communities.map((community) => community.name);
  }

  /** The columns for rows start … start + rows − 1, in `cellColumnsFor` order. */
  fill(start: number, rows: number): ColumnSource[] {
    const { result } = this;
    const network = result.distance === 'network';
    const verdicts = result.verdicts;
    let used = 0;
    const numberColumn = (name: string, values: Float32Array | Float64Array | null, scale: number) =>
      this.numberColumn(name, values, scale, start, rows, used++);
    const booleanColumn = (name: string, present: boolean, value: (k: number) => boolean) =>
      this.listColumn(name, present, start, rows, used++, value);
    const columns: ColumnSource[] = [
      numberColumn('green_m', result.greenMeters, 10),
      numberColumn('park_m', result.parkMeters, 10),
      booleanColumn('meets_green', result.greenMeters !== null, (k) => (verdicts[k] & 1) !== 0),
      booleanColumn('meets_park', result.parkMeters !== null, (k) => (verdicts[k] & 2) !== 0),
      booleanColumn('meets_both', true, (k) => (verdicts[k] & 4) !== 0),
      this.communityColumn(start, rows, used++),
      // Residents are never beyond a reach: rounded as they are, like cellProperties.
      this.numberColumn('population', result.cellPopulation, 100, start, rows, used++, false),
    ];
    if (network) {
      const offNetwork = result.offNetwork;
      columns.push(
        numberColumn('green_straight_m', result.greenStraightMeters, 10),
        numberColumn('park_straight_m', result.parkStraightMeters, 10),
        booleanColumn('off_network', offNetwork !== null, (k) => offNetwork![k] === 1),
      );
    }
    return columns;
  }

  /**
   * Values rounded to 1/`scale` (0.1 m, 0.01 residents); with `infiniteIsNull`, a value that is not
   * finite (beyond the reach) is null, as `roundedMeters` says it.
   */
  private numberColumn(
    name: string,
    values: Float32Array | Float64Array | null,
    scale: number,
    start: number,
    rows: number,
    slot: number,
    infiniteIsNull = true,
  ): ColumnSource {
    if (!values) return { name, data: this.head(this.nulls, rows) };
    let finite = true;
    if (infiniteIsNull) for (let i = 0; i < rows && finite; i++) finite = Number.isFinite(values[start + i]);
    if (finite) {
      this.numbers[slot] ??= new Float64Array(this.groupRows);
      const data = this.numbers[slot];
      for (let i = 0; i < rows; i++) data[i] = Math.round(values[start + i] * scale) / scale;
      return { name, data: rows === this.groupRows ? data : data.subarray(0, rows) };
    }
    const data = this.list(slot, rows);
    for (let i = 0; i < rows; i++) {
      const value = values[start + i];
      data[i] = Number.isFinite(value) ? Math.round(value * scale) / scale : null;
    }
    return { name, data };
  }

  private listColumn(
    name: string,
    present: boolean,
    start: number,
    rows: number,
    slot: number,
    value: (k: number) => boolean,
  ): ColumnSource {
    if (!present) return { name, data: this.head(this.nulls, rows) };
    const data = this.list(slot, rows);
    for (let i = 0; i < rows; i++) data[i] = value(start + i);
    return { name, data };
  }

  private communityColumn(start: number, rows: number, slot: number): ColumnSource {
    const data = this.list(slot, rows);
    const { cellCommunity } = this.result;
    for (let i = 0; i < rows; i++) {
      const community = cellCommunity[start + i];
      data[i] = community >= 0 ? this.names[community] : null;
    }
    return { name: 'community', data };
  }

  /** The plain array of a column slot, `rows` long. */
  private list(slot: number, rows: number): (number | boolean | string | null)[] {
    this.lists[slot] ??= new Array(this.groupRows).fill(null);
    const list = this.lists[slot];
    if (list.length !== rows) list.length = rows;
    return list;
  }

  private head(values: null[], rows: number): null[] {
    return rows === this.groupRows ? values : values.slice(0, rows);
  }
}

/** The cells as one GeoParquet file in memory (the pieces of {@link cellsParquetChunks} joined). */
export function cellsParquetBytes(result: CoverageResult, options: CellParquetOptions = {}): Uint8Array {
  return joinBytes(cellsParquetChunks(result, options));
}

/**
 * The cells through the general path: GeoJSON features (`cellFeatures`) into `geoParquetBytes`. Slow (a
 * feature, its properties and its WKB per cell); kept as the reference the direct writer is tested and
 * benchmarked against.
 */
export function cellsParquetBytesFromFeatures(result: CoverageResult): Uint8Array {
  const columns: ParquetColumn[] = cellParquetColumns(result).map((column) => ({ ...column, data: [] }));
  const geometries: Geometry[] = [];
  for (const feature of cellFeatures(result)) {
    geometries.push(feature.geometry);
    for (const column of columns)
      column.data.push((feature.properties![column.name] ?? null) as ParquetColumn['data'][number]);
  }
  return geoParquetBytes({ columns, geometries, metadata: resultMetadata(result) });
}

/** Features with any properties as a table: the union of keys, each typed by its first non-null value. */
export function featureTable(features: Feature[]): GeoParquetTable {
  const types = new Map<string, ParquetColumn['type']>();
  for (const feature of features) {
    for (const [key, value] of Object.entries(feature.properties ?? {})) {
      if (value === null || value === undefined || types.has(key)) continue;
      types.set(key, typeof value === 'number' ? 'DOUBLE' : typeof value === 'boolean' ? 'BOOLEAN' : 'STRING');
    }
  }
  const columns: ParquetColumn[] = [...types].map(([name, type]) => ({
    name,
    type,
    data: features.map((feature) => {
      const value = feature.properties?.[name];
      if (value === null || value === undefined) return null;
      // Objects (the rules) are kept as JSON text; a value of another type than the column's too.
      if (type === 'STRING') return typeof value === 'string' ? value : JSON.stringify(value);
      return typeof value === (type === 'BOOLEAN' ? 'boolean' : 'number') ? value : null;
    }),
  }));
  return { columns, geometries: features.map((feature) => feature.geometry) };
}

/** The communities (as `communityCollection` gives them) as a GeoParquet file. */
export function communitiesParquetBytes(result: CoverageResult, features: Feature[]): Uint8Array {
  return geoParquetBytes({ ...featureTable(features), metadata: resultMetadata(result) });
}

function resultMetadata(result: CoverageResult): Record<string, string> {
  return {
    'greenreach:rules': JSON.stringify(rulesRecord(result)),
    'greenreach:cell_meters': String(result.grid.cellMeters),
  };
}
