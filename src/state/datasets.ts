import type { DataLayerName } from './load-data';

/** A data set shipped with the app (`data/<name>/`: FlatGeobuf layers and a manifest). */
export interface ShippedDataset {
  /** The `data` URL parameter: a relative directory ending in `/`. */
  path: string;
  name: { zh: string; en: string };
  /**
   * The layers its manifest lists (a test keeps them equal), so their downloads start with the
   * manifest's instead of after it: the page is busy creating the map while the manifest arrives.
   */
  layers: readonly DataLayerName[];
}

/** The data sets in the build (vite.config.ts ships the same directories). The first is the default. */
export const shippedDatasets: readonly ShippedDataset[] = [
  {
    path: 'data/demo/',
    name: { zh: '示范区（虚构数据）', en: 'Demo district (synthetic)' },
    layers: [
      'district',
      'communities',
      'residential',
      'streets',
      'river',
      'greenways',
      'greenspaces',
      'barriers',
      'entrances',
      'buildings',
    ],
  },
  {
    path: 'data/three-rivers/',
    name: { zh: '三河市（OpenStreetMap）', en: 'Three Rivers, MI (OpenStreetMap)' },
    layers: [
      'communities',
      'residential',
      'greenways',
      'greenspaces',
      'streets',
      'entrances',
      'barriers',
      'buildings',
      'basemap',
    ],
  },
];

/** The URL search of `search` opening the data set at `path` (the view, community and gap belong to the old one). */
export function datasetSearch(search: string, path: string): string {
  const params = new URLSearchParams(search);
  for (const key of ['data', 'view', 'community', 'gap']) params.delete(key);
  if (path !== shippedDatasets[0].path) params.set('data', path);
  const text = params.toString().replaceAll('%2C', ',');
  return text ? `?${text}` : '';
}
