import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/seeded-random';
import { buildCoverage, cellRing, presetRules, snapshotCoverage } from '../../src/coverage';
import { cellColumnsFor, cellProperties, communityCollection } from '../../src/io/coverage-export';
import { cellsParquetBytes, communitiesParquetBytes } from '../../src/io/geoparquet-cells';
import { seededDistrict } from './sample-data';

/**
 * DuckDB as the outside reader of our GeoParquet (GDAL 3.6 on Debian has no Parquet driver). DuckDB's
 * core reads the GEOMETRY logical type (ST_AsText) without the spatial extension, which cannot be
 * installed offline; the WKB itself is checked by its text, the `geo` metadata as JSON.
 */
const city = seededDistrict();
const result = snapshotCoverage(buildCoverage(city, presetRules('chengdu'), 50));
const directory = mkdtempSync(join(tmpdir(), 'greenreach-parquet-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const cellsFile = join(directory, 'cells.parquet');
writeFileSync(cellsFile, cellsParquetBytes(result));
const communities = communityCollection(result, city.communities).features;
const communitiesFile = join(directory, 'communities.parquet');
writeFileSync(communitiesFile, communitiesParquetBytes(result, communities));

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** WKT of a cell's ring as DuckDB prints it (shortest round-trip decimals). */
function ringWkt(ring: number[][]): string {
  return `POLYGON ((${ring.map(([x, y]) => `${x} ${y}`).join(', ')}))`;
}

describe('GeoParquet read by DuckDB', () => {
  it('cells: row count, columns in order, GEOMETRY logical type', async () => {
    const [{ rows }] = await query(`select count(*)::integer as rows from read_parquet('${cellsFile}')`);
    expect(rows).toBe(result.cellIndex.length);
    const schema = await query(`select name, logical_type from parquet_schema('${cellsFile}')`);
    const names = schema.map((row) => row.name);
    expect(names).toEqual([
      'root',
      ...cellColumnsFor(result).map((column) => column.name),
      'geometry',
      'bbox',
      'xmin',
      'ymin',
      'xmax',
      'ymax',
    ]);
    expect(String(schema.find((row) => row.name === 'geometry')!.logical_type)).toContain('Geometry');
  });

  it('sampled rows equal the cells file: every field, the WKB polygon and its bbox', async () => {
    const random = mulberry32(5);
    const samples = Array.from({ length: 25 }, () => Math.floor(random() * result.cellIndex.length));
    const rows = await query(
      `select *, ST_AsText(geometry) as wkt from (select *, row_number() over () - 1 as k from read_parquet('${cellsFile}')) where k in (${samples.join(',')}) order by k`,
    );
    const sorted = [...new Set(samples)].sort((a, b) => a - b);
    expect(rows.length).toBe(sorted.length);
    rows.forEach((row, i) => {
      const k = sorted[i];
      const expected = cellProperties(result, k);
      for (const [name, value] of Object.entries(expected)) expect(row[name], name).toEqual(value);
      const feature = [...cellRing(result.grid, result.cellIndex[k])].map(([x, y]) => [
        Math.round(x * 1e7) / 1e7,
        Math.round(y * 1e7) / 1e7,
      ]);
      expect(row.wkt).toBe(ringWkt(feature));
      expect(row.bbox).toEqual({ xmin: feature[0][0], ymin: feature[0][1], xmax: feature[2][0], ymax: feature[2][1] });
    });
  });

  it('geo metadata: GeoParquet 1.1, WKB, Polygon, CRS84 as PROJJSON, bbox covering, overall bbox', async () => {
    const [row] = await query(
      `select decode(value) as value from parquet_kv_metadata('${cellsFile}') where key::varchar = 'geo'`,
    );
    const geo = JSON.parse(String(row.value));
    expect(geo.version).toBe('1.1.0');
    expect(geo.primary_column).toBe('geometry');
    const column = geo.columns.geometry;
    expect(column.encoding).toBe('WKB');
    expect(column.geometry_types).toEqual(['Polygon']);
    expect(column.crs.id).toEqual({ authority: 'OGC', code: 'CRS84' });
    expect(column.covering.bbox.xmin).toEqual(['bbox', 'xmin']);
    const [extent] = await query(
      `select min(bbox.xmin) as xmin, min(bbox.ymin) as ymin, max(bbox.xmax) as xmax, max(bbox.ymax) as ymax from read_parquet('${cellsFile}')`,
    );
    expect(column.bbox).toEqual([extent.xmin, extent.ymin, extent.xmax, extent.ymax]);
    const [rules] = await query(
      `select decode(value) as value from parquet_kv_metadata('${cellsFile}') where key::varchar = 'greenreach:rules'`,
    );
    expect(JSON.parse(String(rules.value)).cell_meters).toBe(50);
  });

  it('communities: one row per community with its statistics and polygon', async () => {
    const rows = await query(`select *, ST_AsText(geometry) as wkt from read_parquet('${communitiesFile}')`);
    expect(rows.length).toBe(communities.length);
    rows.forEach((row, i) => {
      const properties = communities[i].properties!;
      expect(row.name).toBe(properties.name);
      expect(row.cells).toBe(properties.cells);
      expect(row.cells_meeting_both).toBe(properties.cells_meeting_both);
      expect(String(row.wkt).startsWith(`${communities[i].geometry.type.toUpperCase()} ((`)).toBe(true);
    });
  });
});
