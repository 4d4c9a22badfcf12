import type { ColumnSource } from 'hyparquet-writer';
import type { CoverageResult } from '../coverage';
import { roundedCellEdges } from './coverage-export';
import type { Box } from './geoparquet-write';

/**
 * The columns of one row group of cells for hyparquet-writer, filled straight from a result's typed
 * arrays into arrays kept and refilled group after group (so a million cells allocate per group, not
 * per cell): the geometry as WKB and its bbox from the grid's rounded edges, and the attributes with
 * `cellProperties`' values and nulls.
 */

/** ISO WKB of a one-ring polygon of 5 points: byte order, type 3, 1 ring, 5 points, 10 float64. */
const WKB_POLYGON_BYTES = 1 + 4 + 4 + 4 + 10 * 8;
/** Where the coordinates start in a cell's WKB. */
const WKB_POINTS_AT = 13;

/** The fields of the `bbox` covering struct, in order. */
export const BBOX_FIELDS = ['xmin', 'ymin', 'xmax', 'ymax'] as const;

/**
 * `geometry` (one WKB polygon per cell, the ring as `cellRing` gives it) and the four bbox fields, as
 * top-level columns: see `cellsParquetChunks` for how the footer makes them `bbox.xmin`, ….
 */
export class CellGeometryColumns {
  private readonly wkb: Uint8Array;
  private readonly wkbView: DataView;
  /** A view per row into `wkb`, made once: the bytes under them are rewritten group after group. */
  private readonly geometryValues: Uint8Array[];
  private readonly boxes: Float64Array[];
  private readonly edges: ReturnType<typeof roundedCellEdges>;

  constructor(
    private readonly result: CoverageResult,
    private readonly groupRows: number,
  ) {
    this.edges = roundedCellEdges(result.grid);
    this.wkb = new Uint8Array(groupRows * WKB_POLYGON_BYTES);
    this.wkbView = new DataView(this.wkb.buffer);
    this.geometryValues = [];
    for (let i = 0; i < groupRows; i++) {
      const at = i * WKB_POLYGON_BYTES;
      this.geometryValues.push(this.wkb.subarray(at, at + WKB_POLYGON_BYTES));
      // The fixed head of every cell's WKB: little-endian, Polygon, one ring, five points.
      this.wkb[at] = 1;
      this.wkbView.setUint32(at + 1, 3, true);
      this.wkbView.setUint32(at + 5, 1, true);
      this.wkbView.setUint32(at + 9, 5, true);
    }
    this.boxes = BBOX_FIELDS.map(() => new Float64Array(groupRows));
  }

  /** The extent of all cells (the `geo` metadata's bbox), or null without cells. */
  extent(): Box | null {
    const { grid, cellIndex } = this.result;
    const { westOf, eastOf, southOf, northOf } = this.edges;
    if (cellIndex.length === 0) return null;
    const box: Box = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity };
    for (let k = 0; k < cellIndex.length; k++) {
      const row = Math.floor(cellIndex[k] / grid.columns);
      const column = cellIndex[k] - row * grid.columns;
      if (westOf[column] < box.xmin) box.xmin = westOf[column];
      if (eastOf[column] > box.xmax) box.xmax = eastOf[column];
      if (southOf[row] < box.ymin) box.ymin = southOf[row];
      if (northOf[row] > box.ymax) box.ymax = northOf[row];
    }
    return box;
  }

  /** `geometry`, then `xmin`, `ymin`, `xmax`, `ymax` for rows start … start + rows − 1. */
  fill(start: number, rows: number): ColumnSource[] {
    const { cellIndex, grid } = this.result;
    const { westOf, eastOf, southOf, northOf } = this.edges;
    const view = this.wkbView;
    const [xmin, ymin, xmax, ymax] = this.boxes;
    const columns = grid.columns;
    for (let i = 0; i < rows; i++) {
      const index = cellIndex[start + i];
      const row = Math.floor(index / columns);
      const column = index - row * columns;
      const west = westOf[column];
      const east = eastOf[column];
      const south = southOf[row];
      const north = northOf[row];
      // The ring as cellRing gives it: south-west, south-east, north-east, north-west, south-west.
      const at = i * WKB_POLYGON_BYTES + WKB_POINTS_AT;
      view.setFloat64(at, west, true);
      view.setFloat64(at + 8, south, true);
      view.setFloat64(at + 16, east, true);
      view.setFloat64(at + 24, south, true);
      view.setFloat64(at + 32, east, true);
      view.setFloat64(at + 40, north, true);
      view.setFloat64(at + 48, west, true);
      view.setFloat64(at + 56, north, true);
      view.setFloat64(at + 64, west, true);
      view.setFloat64(at + 72, south, true);
      xmin[i] = west;
      ymin[i] = south;
      xmax[i] = east;
      ymax[i] = north;
    }
    return [
      // No dictionary trial and no statistics for the geometry (every value is distinct; the bbox columns
      // carry the extent readers filter on), as in geoParquetBytes.
      {
        name: 'geometry',
        data: rows === this.groupRows ? this.geometryValues : this.geometryValues.slice(0, rows),
        encoding: 'PLAIN',
        statistics: false,
      },
      ...BBOX_FIELDS.map((name, f) => ({ name, data: this.boxes[f].subarray(0, rows), encoding: 'PLAIN' as const })),
    ];
  }
}

/**
 * The attribute columns of one row group, filled from the result's arrays with `cellProperties`'
 * values and nulls. A number column with no null in the group is a Float64Array, the booleans are
 * 0/1 in Uint8Arrays; a number column with nulls and the names are plain arrays, the only form in
 * which hyparquet-writer takes nulls. The arrays are kept and refilled group after group.
 */
export class CellAttributeColumns {
  private readonly numbers: Float64Array[] = [];
  private readonly flags: Uint8Array[] = [];
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
    const booleanColumn = (name: string, present: boolean, value: (k: number) => number) =>
      this.booleanColumn(name, present, start, rows, used++, value);
    const columns: ColumnSource[] = [
      numberColumn('green_m', result.greenMeters, 10),
      numberColumn('park_m', result.parkMeters, 10),
      booleanColumn('meets_green', result.greenMeters !== null, (k) => verdicts[k] & 1),
      booleanColumn('meets_park', result.parkMeters !== null, (k) => (verdicts[k] >> 1) & 1),
      booleanColumn('meets_both', true, (k) => (verdicts[k] >> 2) & 1),
      this.communityColumn(start, rows, used++),
      // Residents are never beyond a reach: rounded as they are, like cellProperties.
      this.numberColumn('population', result.cellPopulation, 100, start, rows, used++, false),
    ];
    if (network) {
      const offNetwork = result.offNetwork;
      columns.push(
        numberColumn('green_straight_m', result.greenStraightMeters, 10),
        numberColumn('park_straight_m', result.parkStraightMeters, 10),
        booleanColumn('off_network', offNetwork !== null, (k) => (offNetwork![k] === 1 ? 1 : 0)),
      );
    }
    // No min/max statistics for the attributes: in cell order a row group is a strip of the city whose
    // distances span the whole reach (0–400 m, 0–600 m in every group of the 640k-cell bench city), so
    // readers could skip nothing by them, and hyparquet-writer's statistics were a third of the write.
    for (const column of columns) column.statistics = false;
    return columns;
  }

  /**
   * Values rounded to 1/`scale` (0.1 m, 0.01 residents); with `infiniteIsNull`, a value that is not
   * finite (beyond the reach) is null, as `roundedMeters` says it. PLAIN, with no dictionary trial:
   * the dictionary (a Map lookup per value) was a fifth of the write for 2.5% of the file (640k cells).
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
      return { name, data: rows === this.groupRows ? data : data.subarray(0, rows), encoding: 'PLAIN' };
    }
    const data = this.list(slot, rows);
    for (let i = 0; i < rows; i++) {
      const value = values[start + i];
      data[i] = Number.isFinite(value) ? Math.round(value * scale) / scale : null;
    }
    return { name, data, encoding: 'PLAIN' };
  }

  /**
   * Booleans as 0/1 in a Uint8Array, RLE-encoded: hyparquet-writer's RLE takes numbers as they are (the
   * pages are the bytes `true`/`false` give), while only its PLAIN encoding insists on booleans.
   */
  private booleanColumn(
    name: string,
    present: boolean,
    start: number,
    rows: number,
    slot: number,
    value: (k: number) => number,
  ): ColumnSource {
    if (!present) return { name, data: this.head(this.nulls, rows) };
    this.flags[slot] ??= new Uint8Array(this.groupRows);
    const data = this.flags[slot];
    for (let i = 0; i < rows; i++) data[i] = value(start + i);
    return { name, data: rows === this.groupRows ? data : data.subarray(0, rows), encoding: 'RLE' };
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
