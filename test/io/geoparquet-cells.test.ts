import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { parquetGzip } from '../../scripts/cli/parquet-compression';
import { buildCoverage, type CoverageResult, cellRing, presetRules, snapshotCoverage } from '../../src/coverage';
import { cellProperties } from '../../src/io/coverage-export';
import { cellsParquetBytesFromFeatures, cellsParquetChunks } from '../../src/io/geoparquet-cells';
import { joinBytes } from '../../src/io/join-bytes';
import { randomStreets } from '../network/random-streets';
import { seededDistrict, withoutPopulation } from './sample-data';

/**
 * The cells' direct GeoParquet writer (WKB and columns from the result's arrays, row group by row group)
 * against the general path (GeoJSON features through geoParquetBytes), both read back by DuckDB: the same
 * schema, `geo` metadata and rows (nulls, verdicts, straight-line columns on foot), the WKB equal to one
 * built here by hand from `cellRing`, and row-group statistics on `bbox` that DuckDB may prune by.
 * DuckDB's spatial extension cannot be installed offline; its core has ST_AsText, ST_AsWKB and
 * st_intersects_extent, which are used.
 */
const city = seededDistrict();
const noPopulation = withoutPopulation(city);
// A short snap distance leaves the middle of the 100 m blocks off the network.
const walkingRules = { ...presetRules('chengdu'), distance: 'network' as const, snapMaxMeters: 30 };
const streets = randomStreets({ seed: 7, latitude: 30.66, sizeMeters: 800, spacingMeters: 100 });
const results: [string, CoverageResult][] = [
  ['chengdu, 50 m', snapshotCoverage(buildCoverage(city, presetRules('chengdu'), 50))],
  [
    'gbt51346 (no green rule), no population, 60 m',
    snapshotCoverage(buildCoverage(noPopulation, presetRules('gbt51346'), 60)),
  ],
  ['on foot, 15 m', snapshotCoverage(buildCoverage(streets, walkingRules, 15))],
];

const ROW_GROUP_ROWS = 1000;

const directory = mkdtempSync(join(tmpdir(), 'greenreach-parquet-cells-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** Cell k's ring as the cells have it: `cellRing` rounded to 7 decimals. */
function roundedRing(result: CoverageResult, k: number): number[][] {
  return cellRing(result.grid, result.cellIndex[k]).map(([x, y]) => [
    Math.round(x * 1e7) / 1e7,
    Math.round(y * 1e7) / 1e7,
  ]);
}

/** ISO WKB of a one-ring 2D polygon, built here byte by byte: order, type 3, 1 ring, its points. */
function ringWkb(ring: number[][]): Uint8Array {
  const view = new DataView(new ArrayBuffer(13 + ring.length * 16));
  view.setUint8(0, 1);
  view.setUint32(1, 3, true);
  view.setUint32(5, 1, true);
  view.setUint32(9, ring.length, true);
  ring.forEach(([x, y], i) => {
    view.setFloat64(13 + 16 * i, x, true);
    view.setFloat64(21 + 16 * i, y, true);
  });
  return new Uint8Array(view.buffer);
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

/** Every row of a cells file in file order: the attributes, the bbox and the geometry as WKB hex and WKT. */
function rowsOf(file: string) {
  return query(
    `select * exclude (geometry), hex(ST_AsWKB(geometry)) as wkb, ST_AsText(geometry) as wkt from read_parquet('${file}', file_row_number = true) order by file_row_number`,
  );
}

describe.each(results)('GeoParquet cells, direct writer vs the general path: %s', (name, result) => {
  const slug = name.replace(/[^a-z0-9]+/gi, '-');
  const general = join(directory, `${slug}-general.parquet`);
  const direct = join(directory, `${slug}-direct.parquet`);
  writeFileSync(general, cellsParquetBytesFromFeatures(result));
  const pieces = [...cellsParquetChunks(result, { rowGroupRows: ROW_GROUP_ROWS, compression: parquetGzip })];
  writeFileSync(direct, joinBytes(pieces));
  const count = result.cellIndex.length;

  it('is streamed: the magic, one piece per row group, then the footer', () => {
    expect(count).toBeGreaterThan(2 * ROW_GROUP_ROWS);
    expect(pieces.length).toBe(1 + Math.ceil(count / ROW_GROUP_ROWS));
    expect(Buffer.from(pieces[0].subarray(0, 4)).toString()).toBe('PAR1');
    const last = pieces.at(-1)!;
    expect(Buffer.from(last.subarray(last.length - 4)).toString()).toBe('PAR1');
  });

  it('same schema and geo metadata as the general path, GZIP pages', async () => {
    const schema = (file: string) =>
      query(
        `select name, type, repetition_type, num_children, converted_type, logical_type from parquet_schema('${file}')`,
      );
    expect(await schema(direct)).toEqual(await schema(general));
    const kv = (file: string) =>
      query(`select key::varchar as key, decode(value) as value from parquet_kv_metadata('${file}') order by key`);
    expect(await kv(direct)).toEqual(await kv(general));
    const codecs = await query(`select distinct compression from parquet_metadata('${direct}')`);
    expect(codecs).toEqual([{ compression: 'GZIP' }]);
  });

  it('same rows as the general path and as cellProperties, nulls and verdicts included', async () => {
    const rows = await rowsOf(direct);
    expect(rows).toEqual(await rowsOf(general));
    expect(rows.length).toBe(count);
    rows.forEach((row, k) => {
      const { file_row_number, wkb, wkt, bbox, ...attributes } = row;
      expect(attributes).toEqual(cellProperties(result, k));
    });
  });

  it('the geometry is the cell rectangle: WKB as built by hand, WKT, bbox and its extent', async () => {
    const rows = await rowsOf(direct);
    rows.forEach((row, k) => {
      const ring = roundedRing(result, k);
      expect(row.wkb).toBe(hex(ringWkb(ring)));
      expect(row.wkt).toBe(`POLYGON ((${ring.map(([x, y]) => `${x} ${y}`).join(', ')}))`);
      expect(row.bbox).toEqual({ xmin: ring[0][0], ymin: ring[0][1], xmax: ring[2][0], ymax: ring[2][1] });
    });
    // DuckDB's own reading of the extent: a tiny box inside the cell meets it, one just beyond its east edge does not.
    const k = Math.floor(count / 2);
    const [[west, south], , [east, north]] = roundedRing(result, k);
    const box = (x0: number, y0: number, x1: number, y1: number) =>
      `ST_GeomFromWKB(from_hex('${hex(
        ringWkb([
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ]),
      )}'))`;
    const middleX = (west + east) / 2;
    const middleY = (south + north) / 2;
    const [hit] = await query(
      `select st_intersects_extent(geometry, ${box(middleX, middleY, middleX + 1e-7, middleY + 1e-7)}) as inside, st_intersects_extent(geometry, ${box(east + 1e-5, middleY, east + 2e-5, middleY + 1e-7)}) as beyond from read_parquet('${direct}', file_row_number = true) where file_row_number = ${k}`,
    );
    expect(hit).toEqual({ inside: true, beyond: false });
  });

  it('bbox statistics per row group are the group extent, and DuckDB filters by them correctly', async () => {
    const stats = await query(
      `select row_group_id::integer as rowGroup, path_in_schema as path, stats_min_value::double as min, stats_max_value::double as max from parquet_metadata('${direct}') where path_in_schema like 'bbox, %' order by row_group_id, column_id`,
    );
    expect(stats.length).toBe(4 * Math.ceil(count / ROW_GROUP_ROWS));
    const fields = ['xmin', 'ymin', 'xmax', 'ymax'] as const;
    const rows = await query(
      `select bbox.xmin as xmin, bbox.ymin as ymin, bbox.xmax as xmax, bbox.ymax as ymax from read_parquet('${direct}', file_row_number = true) order by file_row_number`,
    );
    stats.forEach((stat, i) => {
      const field = fields[i % 4];
      expect(stat.path).toBe(`bbox, ${field}`);
      const values = rows
        .slice(Number(stat.rowGroup) * ROW_GROUP_ROWS, (Number(stat.rowGroup) + 1) * ROW_GROUP_ROWS)
        .map((row) => row[field] as number);
      expect([stat.min, stat.max]).toEqual([Math.min(...values), Math.max(...values)]);
    });
    // A filter that skips row groups by these statistics still finds every matching cell.
    const middle = (rows[0].xmin as number) + ((rows.at(-1)!.xmin as number) - (rows[0].xmin as number)) / 3;
    const [{ n }] = await query(
      `select count(*)::integer as n from read_parquet('${direct}') where bbox.ymin > ${rows[Math.floor(count / 2)].ymin} and bbox.xmin < ${middle}`,
    );
    expect(n).toBe(
      rows.filter(
        (row) => (row.ymin as number) > (rows[Math.floor(count / 2)].ymin as number) && (row.xmin as number) < middle,
      ).length,
    );
  });
});

describe('GeoParquet cells fixtures', () => {
  it('the Chengdu fixture has cells beyond the park reach (null park_m) and both verdicts', () => {
    const [, result] = results[0];
    const properties = Array.from(result.cellIndex, (_, k) => cellProperties(result, k));
    expect(properties.some((p) => p.park_m === null)).toBe(true);
    expect(new Set(properties.map((p) => p.meets_park))).toEqual(new Set([true, false]));
    expect(new Set(properties.map((p) => p.meets_green))).toEqual(new Set([true, false]));
  });

  it('the walking fixture has cells off the network', () => {
    const [, result] = results[2];
    expect(result.offNetwork!.some((flag) => flag === 1)).toBe(true);
  });

  it('an empty result is a valid file with the schema and no rows', async () => {
    const [, full] = results[0];
    const empty: CoverageResult = {
      ...full,
      cellIndex: new Uint32Array(0),
      cellCommunity: new Int32Array(0),
      cellPopulation: full.cellPopulation && new Float64Array(0),
      greenMeters: full.greenMeters && new Float32Array(0),
      parkMeters: full.parkMeters && new Float32Array(0),
      verdicts: new Uint8Array(0),
    };
    const file = join(directory, 'empty.parquet');
    writeFileSync(file, joinBytes([...cellsParquetChunks(empty)]));
    const general = join(directory, 'empty-general.parquet');
    writeFileSync(general, cellsParquetBytesFromFeatures(empty));
    expect(await query(`select count(*)::integer as n from read_parquet('${file}')`)).toEqual([{ n: 0 }]);
    const schema = (path: string) => query(`select name, type, logical_type from parquet_schema('${path}')`);
    expect(await schema(file)).toEqual(await schema(general));
  });
});
