/** Types for the parts of `shpjs` 6 we use (its own package ships none; @types/shpjs describes v3). */
declare module 'shpjs' {
  import type { Geometry } from 'geojson';
  /** Shapes of a .shp, in record order (null for a null shape). With no `prj`, coordinates are as stored. */
  export function parseShp(shp: DataView | ArrayBuffer | Uint8Array, prj?: string): (Geometry | null)[];
  /** Records of a .dbf decoded with `cpg` (an encoding label, e.g. "UTF-8", "GBK"; default UTF-8). */
  export function parseDbf(dbf: DataView | ArrayBuffer | Uint8Array, cpg?: string): Record<string, unknown>[];
}
