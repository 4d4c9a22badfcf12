/**
 * The derived OSM layers as FlatGeobuf files (one `<layer>.fgb` each), for the CLI's `derived/` folder
 * and the shipped Three Rivers sample, plus a summary of the derivation for summary.json / manifest.json.
 * Layers held in memory are written whole; the big self-contained ones (buildings, basemap) can instead
 * be streamed from the extract, feature by feature, so a city's buildings never exist as GeoJSON at once.
 */
import { flatGeobufChunks, writeFlatGeobuf } from '../flatgeobuf-write';
import { OSM_ATTRIBUTION } from './attribution';
import { OSM_LAYERS, type OsmDerived, type OsmLayerReport } from './derive-layers';
import { STREAMED_COLUMNS } from './derive-properties';
import type { OsmExtract } from './osm-store';
import { type OsmStreamOptions, type StreamableOsmLayer, streamOsmLayer } from './stream-layer';
import type { OsmLayerName } from './tag-table';

/** The ODbL attribution every file derived from OSM carries. */
export { OSM_ATTRIBUTION } from './attribution';

/** `osm` block of summary.json: counts, per-layer features and rules, skipped elements. */
export interface OsmSummary {
  file: string;
  nodes: number;
  ways: number;
  relations: number;
  layers: Record<string, OsmLayerReport>;
  skipped: { type: string; id: number; reason: string }[];
  attribution: string;
}

/** The summary of a derivation (the layers it holds). */
export function osmSummary(derived: OsmDerived): OsmSummary {
  const { report } = derived;
  const layers: OsmSummary['layers'] = {};
  for (const layer of OSM_LAYERS) if (report.layers[layer]) layers[layer] = report.layers[layer];
  return {
    file: report.fileName,
    nodes: report.nodes,
    ways: report.ways,
    relations: report.relations,
    layers,
    skipped: report.skipped,
    attribution: OSM_ATTRIBUTION,
  };
}

/** One FlatGeobuf file per layer the derivation holds, keyed by file name (`greenspaces.fgb`, …). */
export function derivedFlatGeobufFiles(derived: OsmDerived): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const layer of OSM_LAYERS) {
    const collection = derived.layers[layer];
    if (!collection) continue;
    const metadata = JSON.stringify({ source: derived.report.fileName, ...derived.report.layers[layer] });
    files.set(
      `${layer}.fgb`,
      writeFlatGeobuf(collection, { layerName: layer, description: OSM_ATTRIBUTION, metadata }),
    );
  }
  return files;
}

/**
 * A streamable layer as FlatGeobuf pieces (write each as it comes), built feature by feature from the
 * extract. `report` is filled as the features are encoded (all are encoded before the first piece).
 */
export function streamedFlatGeobuf(
  extract: OsmExtract,
  layer: StreamableOsmLayer,
  report: OsmLayerReport,
  options: Omit<OsmStreamOptions, 'report'> = {},
): Iterable<Uint8Array> {
  return flatGeobufChunks(streamOsmLayer(extract, layer, { ...options, report }), {
    layerName: layer,
    description: OSM_ATTRIBUTION,
    columns: STREAMED_COLUMNS[layer],
  });
}

/** The layers the CLI streams rather than derives in memory. */
export const STREAMED_LAYERS: readonly (OsmLayerName & StreamableOsmLayer)[] = ['buildings', 'basemap'];
