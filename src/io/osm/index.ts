/**
 * OpenStreetMap extracts: read (`readOsmExtract`: .osm.pbf, .osm, .osm.gz, .osm.bz2, Overpass JSON; streaming,
 * progress, AbortSignal), derive GreenReach's layers (`deriveOsmLayers`, by the tag table in
 * `tag-table.ts`), and write them (`derivedFlatGeobufFiles`). Runs in a Web Worker and in Node.
 *
 *   const extract = await readOsmExtract(file, { signal, onProgress });
 *   const { layers, report } = await deriveOsmLayers(extract, { signal, onProgress });
 */
export type { AssembledArea, WayPath } from './assemble-areas';
export { assembleArea } from './assemble-areas';
export { browserBudget, browserOsmLayers } from './browser-budget';
export type { OsmDerived, OsmDeriveOptions, OsmLayerReport } from './derive-layers';
export { deriveOsmLayers, OSM_LAYERS } from './derive-layers';
export type { OsmSummary } from './derived-files';
export { derivedFlatGeobufFiles, OSM_ATTRIBUTION, osmSummary } from './derived-files';
export { KEPT_TAG_KEYS, osmKeepFilter } from './keep-filter';
export type { OsmErrorCode, OsmMessage } from './osm-error';
export { OsmError } from './osm-error';
export type { MissingNodePolicy, OsmSkipped } from './osm-geometry';
export type { OsmExtract, OsmTags } from './osm-store';
export { extractTransferList } from './osm-store';
export type { OsmFormat, OsmReadOptions, OsmReadProgress, OsmSource } from './read-osm';
export { detectOsmFormat, readOsmExtract } from './read-osm';
export type { OsmGeometryKind, OsmLayerName, OsmTagRule } from './tag-table';
export { defaultTagTable } from './tag-table';
