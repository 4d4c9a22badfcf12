import { layers, namedFlavor } from '@protomaps/basemaps';
import type { addProtocol as AddProtocol, LayerSpecification } from 'maplibre-gl';
import { type PMTiles, Protocol } from 'pmtiles';
import type { MapLanguage } from './map-types';

/**
 * The planner's basemap as MapLibre sees it (loaded only when a basemap is given): pmtiles' protocol,
 * registered once, serves `pmtiles://<key>/{z}/{x}/{y}` from the archive by range reads, and the
 * Protomaps "light" style draws it. Nothing remote: no glyphs URL (labels are drawn from local fonts,
 * as the app's own labels are: `text-font` is the app's `sans-serif`, CJK through the map's
 * `localIdeographFontFamily`) and no sprite (the icon-only layers are left out, icons dropped from the rest).
 */

/** Protomaps layers left out: its background (the app keeps its own) and the two that are only icons. */
const droppedLayers = new Set(['background', 'roads_oneway', 'roads_shields']);

/** Protomaps' language codes for the interface languages (Chinese in simplified characters). */
const protomapsLanguage: Record<MapLanguage, string> = { zh: 'zh-Hans', en: 'en' };

let protocol: Protocol | null = null;

/**
 * Hands the archive to the `pmtiles://` protocol, registered with MapLibre's `addProtocol` on first use
 * (passed in, so that this chunk does not import MapLibre itself and the bundler leaves it where it was).
 */
export function registerArchive(archive: PMTiles, addProtocol: typeof AddProtocol): void {
  if (!protocol) {
    protocol = new Protocol();
    addProtocol('pmtiles', protocol.tile);
  }
  protocol.add(archive);
}

/** Where the layers go: the vector source's id and the prefix of the layers' ids (`planner-basemap.ts`). */
export interface ProtomapsTarget {
  source: string;
  prefix: string;
}

/** A Protomaps layer as the app draws it: its id prefixed, its source ours, no icon (there is no sprite). */
function adapt(layer: LayerSpecification, target: ProtomapsTarget): LayerSpecification {
  const adapted = { ...layer, id: `${target.prefix}${layer.id}` } as LayerSpecification & {
    source?: string;
    layout?: Record<string, unknown>;
  };
  if ('source' in adapted) adapted.source = target.source;
  if (adapted.layout) {
    adapted.layout = Object.fromEntries(Object.entries(adapted.layout).filter(([key]) => !key.startsWith('icon-')));
  }
  return adapted;
}

/**
 * The Protomaps light style's layers for the planner's basemap: `base` (land, water, roads, buildings;
 * under the app's layers) and `labels` (names in `language`; under the app's own labels).
 */
export function protomapsLayers(
  language: MapLanguage,
  target: ProtomapsTarget,
): { base: LayerSpecification[]; labels: LayerSpecification[] } {
  // The app's one font stack in place of Protomaps' Noto fonts, which would be fetched as glyph PBFs.
  const flavor = { ...namedFlavor('light'), regular: 'sans-serif', bold: 'sans-serif', italic: 'sans-serif' };
  const keep = (list: unknown[]) =>
    (list as LayerSpecification[]).filter((layer) => !droppedLayers.has(layer.id)).map((layer) => adapt(layer, target));
  return {
    base: keep(layers(target.source, flavor)),
    labels: keep(layers(target.source, flavor, { labelsOnly: true, lang: protomapsLanguage[language] })),
  };
}
