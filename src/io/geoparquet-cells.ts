import type { Feature, Geometry } from 'geojson';
import type { CoverageResult } from '../coverage';
import { cellColumnsFor, cellFeatures, rulesRecord } from './coverage-export';
import { type GeoParquetTable, geoParquetBytes, type ParquetColumn } from './geoparquet-write';

/**
 * The coverage results as GeoParquet 1.1: `cells.parquet` (one polygon per residential cell, the same
 * fields as the vector cell files) and `communities.parquet` (the community polygons and statistics).
 */

const columnType = { double: 'DOUBLE', boolean: 'BOOLEAN', string: 'STRING' } as const;

/** The cells as a GeoParquet file; the rules and cell size travel as key-value metadata. */
export function cellsParquetBytes(result: CoverageResult): Uint8Array {
  const columns: ParquetColumn[] = cellColumnsFor(result).map((column) => ({
    name: column.name,
    type: columnType[column.type as keyof typeof columnType] ?? 'STRING',
    data: [],
  }));
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
