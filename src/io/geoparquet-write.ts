import type { Geometry } from 'geojson';
import { ByteWriter, type ColumnSource, parquetWrite, type SchemaElement } from 'hyparquet-writer';

/**
 * A GeoParquet 1.1 writer (pure: Node and the browser) on `hyparquet-writer`, which does the Parquet
 * encoding (Thrift footer, pages, dictionaries, Snappy) and the WKB of each geometry. Added here: the
 * `geo` metadata (primary column, WKB encoding, geometry types, PROJJSON CRS, overall bbox), the
 * per-row `bbox` covering struct (xmin, ymin, xmax, ymax) that lets readers skip row groups by
 * extent, and the Parquet logical type GEOMETRY on the geometry column.
 */

/** A plain attribute column: its values in row order (null allowed). */
export interface ParquetColumn {
  name: string;
  type: 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'INT32';
  data: (number | boolean | string | null)[];
}

export interface GeoParquetTable {
  columns: ParquetColumn[];
  /** One geometry per row, WGS 84 longitude/latitude. */
  geometries: Geometry[];
  /** Extra key-value metadata (e.g. the rules). */
  metadata?: Record<string, string>;
  /** Rows per row group (each gets its own statistics, so readers can skip by bbox). */
  rowGroupSize?: number;
}

/** OGC:CRS84 (WGS 84, longitude first) as PROJJSON, the CRS GeoParquet assumes and we state. */
export const crs84ProjJson = {
  $schema: 'https://proj.org/schemas/v0.5/projjson.schema.json',
  type: 'GeographicCRS',
  name: 'WGS 84 (CRS84)',
  datum: {
    type: 'GeodeticReferenceFrame',
    name: 'World Geodetic System 1984',
    ellipsoid: { name: 'WGS 84', semi_major_axis: 6378137, inverse_flattening: 298.257223563 },
  },
  coordinate_system: {
    subtype: 'ellipsoidal',
    axis: [
      { name: 'Geodetic longitude', abbreviation: 'Lon', direction: 'east', unit: 'degree' },
      { name: 'Geodetic latitude', abbreviation: 'Lat', direction: 'north', unit: 'degree' },
    ],
  },
  id: { authority: 'OGC', code: 'CRS84' },
};

/** An axis-aligned box in longitude/latitude degrees. */
export type Box = { xmin: number; ymin: number; xmax: number; ymax: number };

/** The bounding box of a geometry's coordinates (any nesting). */
function boxOf(geometry: Geometry): Box {
  const box = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity };
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number') {
      box.xmin = Math.min(box.xmin, value[0]);
      box.xmax = Math.max(box.xmax, value[0]);
      box.ymin = Math.min(box.ymin, value[1] as number);
      box.ymax = Math.max(box.ymax, value[1] as number);
      return;
    }
    for (const child of value) visit(child);
  };
  if (geometry.type === 'GeometryCollection') {
    for (const child of geometry.geometries) {
      const inner = boxOf(child);
      box.xmin = Math.min(box.xmin, inner.xmin);
      box.ymin = Math.min(box.ymin, inner.ymin);
      box.xmax = Math.max(box.xmax, inner.xmax);
      box.ymax = Math.max(box.ymax, inner.ymax);
    }
  } else visit(geometry.coordinates);
  return box;
}

const physical: Record<ParquetColumn['type'], SchemaElement> = {
  DOUBLE: { name: '', type: 'DOUBLE' },
  BOOLEAN: { name: '', type: 'BOOLEAN' },
  INT32: { name: '', type: 'INT32' },
  STRING: { name: '', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
};

/**
 * The `geo` file metadata of GeoParquet 1.1: primary column `geometry`, WKB, the geometry types present,
 * CRS84 as PROJJSON, the overall bbox (none for an empty table) and the `bbox` covering struct.
 */
export function geoMetadata(geometryTypes: string[], overall: Box | null) {
  return {
    version: '1.1.0',
    primary_column: 'geometry',
    columns: {
      geometry: {
        encoding: 'WKB',
        geometry_types: geometryTypes,
        crs: crs84ProjJson,
        ...(overall ? { bbox: [overall.xmin, overall.ymin, overall.xmax, overall.ymax] } : {}),
        covering: {
          bbox: { xmin: ['bbox', 'xmin'], ymin: ['bbox', 'ymin'], xmax: ['bbox', 'xmax'], ymax: ['bbox', 'ymax'] },
        },
      },
    },
  };
}

/**
 * The Parquet schema of a GeoParquet table: the attribute columns (OPTIONAL, typed as declared, so an
 * all-null column stays typed), `geometry` (REQUIRED BYTE_ARRAY, logical type GEOMETRY unless
 * `geometryLogicalType` is false) and the `bbox` struct of four REQUIRED doubles.
 */
export function geoParquetSchema(
  columns: Pick<ParquetColumn, 'name' | 'type'>[],
  geometryLogicalType = true,
): SchemaElement[] {
  return [
    { name: 'root', num_children: columns.length + 2 },
    ...columns.map((column) => ({
      ...physical[column.type],
      name: column.name,
      repetition_type: 'OPTIONAL' as const,
    })),
    {
      name: 'geometry',
      type: 'BYTE_ARRAY',
      ...(geometryLogicalType ? { logical_type: { type: 'GEOMETRY' as const } } : {}),
      repetition_type: 'REQUIRED',
    },
    { name: 'bbox', num_children: 4, repetition_type: 'REQUIRED' },
    ...(['xmin', 'ymin', 'xmax', 'ymax'] as const).map((name) => ({
      name,
      type: 'DOUBLE' as const,
      repetition_type: 'REQUIRED' as const,
    })),
  ];
}

/** The file's key-value metadata: `geo` first, then the caller's pairs. */
export function geoKeyValueMetadata(geo: object, metadata: Record<string, string> = {}) {
  return [
    { key: 'geo', value: JSON.stringify(geo) },
    ...Object.entries(metadata).map(([key, value]) => ({ key, value })),
  ];
}

/** Rows per row group unless told otherwise (each gets its own statistics, so readers can skip by bbox). */
export const DEFAULT_ROW_GROUP_ROWS = 65_536;

/** Who wrote the file, in the Parquet footer. */
export const CREATED_BY = 'GreenReach (hyparquet-writer)';

/** Encodes a table as a GeoParquet 1.1 file. */
export function geoParquetBytes(table: GeoParquetTable): Uint8Array {
  const rows = table.geometries.length;
  for (const column of table.columns) {
    if (column.data.length !== rows)
      throw new RangeError(`column ${column.name} has ${column.data.length} rows, not ${rows}`);
  }
  const boxes = table.geometries.map(boxOf);
  const overall = boxes.reduce(
    (all, box) => ({
      xmin: Math.min(all.xmin, box.xmin),
      ymin: Math.min(all.ymin, box.ymin),
      xmax: Math.max(all.xmax, box.xmax),
      ymax: Math.max(all.ymax, box.ymax),
    }),
    { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity },
  );
  const geometryTypes = [...new Set(table.geometries.map((geometry) => geometry.type))].sort();
  const columnData: ColumnSource[] = [
    ...table.columns.map((column) => ({ name: column.name, data: column.data })),
    // No dictionary trial and no geospatial statistics for the geometry (every value is distinct; the bbox
    // columns carry the extent readers filter on): together most of the write time otherwise.
    { name: 'geometry', data: table.geometries, nullable: false, encoding: 'PLAIN', statistics: false },
    { name: 'bbox', data: boxes, nullable: false, encoding: 'PLAIN' },
  ];
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    // The schema is explicit: column types never depend on the values (an all-null column stays typed).
    schema: geoParquetSchema(table.columns),
    columnData,
    rowGroupSize: table.rowGroupSize ?? DEFAULT_ROW_GROUP_ROWS,
    createdBy: CREATED_BY,
    kvMetadata: geoKeyValueMetadata(geoMetadata(geometryTypes, rows > 0 ? overall : null), table.metadata),
  });
  return new Uint8Array(writer.getBuffer());
}
