import type { Feature, FeatureCollection } from 'geojson';
import { collectionBounds } from '../coverage/geometry';
import type { ImportRole } from './import-layers';
import type { DataSet } from './load-data';
import type { StoredLayer } from './persist-layers';

/**
 * Layers loaded from a URL (`?layer:greenspaces=parks.fgb`, or the import panel's URL box): FlatGeobuf
 * read by HTTP range requests for the study area only, checked for their role like an imported file.
 */

/** A rectangle in degrees, as flatgeobuf's `deserialize` takes it. */
export interface Rectangle {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** The study area: the communities and residential land, widened by 2 km (beyond any rule's radius). */
export function studyArea(data: Pick<DataSet, 'communities' | 'residential'>): Rectangle {
  const boxes = [data.communities, data.residential].flatMap((collection) => {
    const box = collection ? collectionBounds(collection) : null;
    return box ? [box] : [];
  });
  if (boxes.length === 0) return { minX: -180, minY: -90, maxX: 180, maxY: 90 };
  const minX = Math.min(...boxes.map((box) => box[0]));
  const minY = Math.min(...boxes.map((box) => box[1]));
  const maxX = Math.max(...boxes.map((box) => box[2]));
  const maxY = Math.max(...boxes.map((box) => box[3]));
  const dy = 2000 / 111_320;
  const dx = dy / Math.max(0.1, Math.cos((((minY + maxY) / 2) * Math.PI) / 180));
  return { minX: minX - dx, minY: minY - dy, maxX: maxX + dx, maxY: maxY + dy };
}

/** Only http(s) URLs and paths on this server. */
function checkedUrl(url: string): string {
  const resolved = new URL(url, document.baseURI);
  if (resolved.protocol !== 'https:' && resolved.origin !== location.origin) {
    throw new Error('only https URLs or paths on this server can be loaded');
  }
  return resolved.href;
}

/**
 * Loads the features of a FlatGeobuf file at `url` that meet the study area, with HTTP range requests
 * (the header, the spatial index, then only the features inside; the file needs its index), and checks
 * them for the role like an imported file.
 */
export async function loadFlatGeobufUrl(url: string, role: ImportRole, rect: Rectangle): Promise<FeatureCollection> {
  const href = checkedUrl(url);
  const name = url.split('/').pop() ?? url;
  const { deserialize } = await import('flatgeobuf/lib/mjs/geojson.js');
  const features: Feature[] = [];
  const deadline = performance.now() + 120_000;
  for await (const feature of deserialize(href, { rect })) {
    features.push(feature as Feature);
    if (performance.now() > deadline) throw new Error(`${name}: loading took longer than 120 s`);
  }
  // The validator (and @turf/kinks) loads only when a layer comes by URL.
  const { prepareLayerForRole } = await import('../io/validate');
  return prepareLayerForRole({ type: 'FeatureCollection', features }, role, name).collection;
}

/** A FlatGeobuf layer loaded from a URL, as it is kept (WGS 84, no mapping). */
export function urlLayer(role: ImportRole, url: string, collection: FeatureCollection): StoredLayer {
  return {
    role,
    source: url,
    collection,
    mapping: null,
    crs: 'EPSG:4326',
    gcj02: false,
    featureCount: collection.features.length,
    savedAt: Date.now(),
  };
}
