import type { Feature, Geometry } from 'geojson';
import { ByteWriter, type ColumnSource, ParquetWriter } from 'hyparquet-writer';
import type { CoverageResult } from '../coverage';
import { cellColumnsFor, cellFeatures, rulesRecord } from './coverage-export';
import { BBOX_FIELDS, CellAttributeColumns, CellGeometryColumns } from './geoparquet-cell-columns';
import {
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
 * The cells as GeoParquet pieces, in file order: one per row group (the first begins with the `PAR1`
 * magic), then the footer. The file never exists in memory at once: what is held is one row group's
 * columns. Rows are in the result's cell order, with the values `cellProperties` gives.
 */
export function* cellsParquetChunks(
  result: CoverageResult,
  options: CellParquetOptions = {},
): Generator<Uint8Array, void, undefined> {
  const { cellIndex } = result;
  const count = cellIndex.length;
  const groupRows = Math.max(1, Math.min(options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS, Math.max(count, 1)));
  const columns = cellParquetColumns(result);
  const geometry = new CellGeometryColumns(result, groupRows);
  const overall = geometry.extent();

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
    kvMetadata: geoKeyValueMetadata(geoMetadata(overall ? ['Polygon'] : [], overall), resultMetadata(result)),
  });
  /** What the writer holds so far, copied out; the writer goes on from the start of its buffer. */
  const take = (): Uint8Array => {
    const piece = new Uint8Array(writer.buffer.slice(0, writer.index));
    writer.index = 0;
    return piece;
  };

  const attributes = new CellAttributeColumns(result, groupRows);

  for (let start = 0; start < count; start += groupRows) {
    const rows = Math.min(groupRows, count - start);
    const columnData: ColumnSource[] = [...attributes.fill(start, rows), ...geometry.fill(start, rows)];
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
