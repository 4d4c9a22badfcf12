/**
 * The derived OSM layers as FlatGeobuf files (one `<layer>.fgb` each), for the CLI's `derived/` folder
 * and the shipped Three Rivers sample, plus a summary of the derivation for summary.json / manifest.json.
 */
import { writeFlatGeobuf } from '../flatgeobuf';
import { OSM_LAYERS, type OsmDerived } from './derive-layers';
import type { OsmLayerName } from './tag-table';

/** The ODbL attribution every file derived from OSM carries. */
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright)';

/** `osm` block of summary.json: counts, per-layer features and rules, skipped elements. */
export interface OsmSummary {
  file: string;
  nodes: number;
  ways: number;
  relations: number;
  layers: Record<string, { features: number; rules: Record<string, number>; guessed: string[] }>;
  skipped: { type: string; id: number; reason: string }[];
  attribution: string;
}

/** The summary of a derivation (only the layers listed, by default all). */
export function osmSummary(derived: OsmDerived, layers: readonly OsmLayerName[] = OSM_LAYERS): OsmSummary {
  const { report } = derived;
  const out: OsmSummary['layers'] = {};
  for (const layer of layers) out[layer] = report.layers[layer];
  return {
    file: report.fileName,
    nodes: report.nodes,
    ways: report.ways,
    relations: report.relations,
    layers: out,
    skipped: report.skipped,
    attribution: OSM_ATTRIBUTION,
  };
}

/** One FlatGeobuf file per derived layer, keyed by file name (`greenspaces.fgb`, …). */
export function derivedFlatGeobufFiles(
  derived: OsmDerived,
  layers: readonly OsmLayerName[] = OSM_LAYERS,
): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const layer of layers) {
    const metadata = JSON.stringify({ source: derived.report.fileName, ...derived.report.layers[layer] });
    files.set(
      `${layer}.fgb`,
      writeFlatGeobuf(derived.layers[layer], { layerName: layer, description: OSM_ATTRIBUTION, metadata }),
    );
  }
  return files;
}
