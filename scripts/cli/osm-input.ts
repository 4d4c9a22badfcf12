/**
 * `--osm FILE` for the coverage CLI: reads an OpenStreetMap extract (.osm.pbf, .osm, .osm.gz, .osm.bz2,
 * Overpass JSON) with src/io/osm, derives every layer, and hands the CLI the layers it did not get as flags.
 * Each derived layer is written as FlatGeobuf and read back through src/io/read-layer.ts like any
 * input (so it is checked and repaired the same way, and summary.json's `import` describes it as
 * `derived/<layer>.fgb`). The files go to `derived/<layer>.fgb` in the output folder; buildings and the
 * basemap are streamed from the extract into their files (never held as GeoJSON).
 */
import { closeSync, mkdirSync, openAsBlob, openSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { deriveOsmLayers, OSM_LAYERS } from '../../src/io/osm/derive-layers';
import {
  derivedFlatGeobufFiles,
  type OsmSummary,
  osmSummary,
  STREAMED_LAYERS,
  streamedFlatGeobuf,
} from '../../src/io/osm/derived-files';
import { readOsmExtract } from '../../src/io/osm/read-osm';
import { streamOsmLayer } from '../../src/io/osm/stream-layer';
import type { OsmLayerName } from '../../src/io/osm/tag-table';
import { type ReadLayerResult, readLayerFile } from '../../src/io/read-layer';
import type { LayerRole } from '../../src/io/validate';

/** What `--osm` adds to a CLI run. */
export interface OsmCliInput {
  /** Layers to use (read back from their derived files), for the layers not given as flags. */
  imported: Map<OsmLayerName, ReadLayerResult>;
  /** The walking network's layers (streets, barriers, entrances) derived, for those not given as flags. */
  network: Map<OsmLayerName, FeatureCollection>;
  /**
   * The extract's buildings as features (footprints with `levels`), for `--population` without
   * `--buildings`: the floor area the app spreads residents by when it uses the same extract.
   */
  buildings(): FeatureCollection;
  /** summary.json `osm`. */
  summary: OsmSummary & { used: string[]; overridden: string[] };
  /** Lines to print: what was derived. */
  description: string;
  /**
   * Writes derived/<layer>.fgb into `directory` (buildings and the basemap streamed, their counts added to
   * `summary` and printed); returns the paths written, relative to it.
   */
  write(directory: string): string[];
}

/**
 * Reads and derives `path`. `engineLayers` are the layers the CLI can use (communities, residential,
 * greenways, greenspaces); `given` those the user passed as flags (they win over the derived ones).
 */
export async function readOsmInput(
  path: string,
  engineLayers: readonly OsmLayerName[],
  given: ReadonlySet<string>,
  progress: (text: string) => void,
): Promise<OsmCliInput> {
  const fileName = basename(path);
  const extract = await readOsmExtract(await openAsBlob(path), {
    fileName,
    onProgress: (p) =>
      progress(
        `reading ${fileName}: ${(p.bytesRead / 1e6).toFixed(1)} MB, ${p.nodes} nodes, ${p.ways} ways, ${p.relations} relations`,
      ),
  });
  const derived = await deriveOsmLayers(extract, {
    layers: OSM_LAYERS.filter((layer) => !STREAMED_LAYERS.includes(layer as never)),
    onProgress: (p) => progress(`deriving layers ${Math.round(p.fraction * 100)}%`),
  });
  const files = derivedFlatGeobufFiles(derived);
  const imported = new Map<OsmLayerName, ReadLayerResult>();
  const used: string[] = [];
  const overridden: string[] = [];
  const network = new Map<OsmLayerName, FeatureCollection>();
  for (const layer of ['streets', 'barriers', 'entrances'] as const) {
    if (given.has(layer) || !derived.layers[layer]) continue;
    network.set(layer, derived.layers[layer]);
  }
  for (const layer of engineLayers) {
    if (given.has(layer)) {
      overridden.push(layer);
      continue;
    }
    const bytes = files.get(`${layer}.fgb`)!;
    imported.set(layer, await readLayerFile(bytes, `derived/${layer}.fgb`, { role: layer as LayerRole }));
    used.push(layer);
  }
  const summary = { ...osmSummary(derived), used, overridden };
  const lines = [
    `${fileName}: ${extract.counts.nodes} nodes, ${extract.counts.ways} ways, ${extract.counts.relations} relations`,
  ];
  for (const layer of OSM_LAYERS) {
    const report = derived.report.layers[layer];
    if (!report) continue;
    const rules = Object.entries(report.rules)
      .map(([rule, n]) => `${rule.replace(`${layer}/`, '')} ${n}`)
      .join(', ');
    const note = overridden.includes(layer) ? ' (not used: given as a flag)' : '';
    lines.push(`  ${layer}: ${report.features} features${rules ? ` (${rules})` : ''}${note}`);
    for (const guess of report.guessed) lines.push(`    guessed: ${guess}`);
  }
  if (derived.report.skipped.length > 0) {
    const shown = derived.report.skipped
      .slice(0, 5)
      .map((s) => `${s.type} ${s.id}: ${s.reason}`)
      .join('; ');
    lines.push(`  skipped ${derived.report.skipped.length}: ${shown}${derived.report.skipped.length > 5 ? '; …' : ''}`);
  }
  return {
    imported,
    network,
    summary,
    description: `${lines.join('\n')}\n`,
    buildings: () => ({ type: 'FeatureCollection', features: [...streamOsmLayer(extract, 'buildings')] }),
    write(directory) {
      mkdirSync(join(directory, 'derived'), { recursive: true });
      const written: string[] = [];
      for (const [file, bytes] of files) {
        writeFileSync(join(directory, 'derived', file), bytes);
        written.push(join('derived', file));
      }
      for (const layer of STREAMED_LAYERS) {
        const report = { features: 0, rules: {} as Record<string, number>, guessed: [] as string[] };
        const descriptor = openSync(join(directory, 'derived', `${layer}.fgb`), 'w');
        try {
          for (const piece of streamedFlatGeobuf(extract, layer, report)) writeSync(descriptor, piece);
        } finally {
          closeSync(descriptor);
        }
        summary.layers[layer] = report;
        written.push(join('derived', `${layer}.fgb`));
        const rules = Object.entries(report.rules)
          .map(([rule, n]) => `${rule.replace(`${layer}/`, '')} ${n}`)
          .join(', ');
        process.stdout.write(`  ${layer}: ${report.features} features${rules ? ` (${rules})` : ''}, streamed\n`);
      }
      return written;
    },
  };
}
