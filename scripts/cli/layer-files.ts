/**
 * The CLI's layer files: the layers' names, reading one file in any supported format (converted to WGS84
 * by src/io/read-layer.ts), `--crs` / `--gcj02`, and the geometry a layer must hold.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { InputError } from '../../src/coverage';
import { SNIFF_BYTES } from '../../src/io/content-sniff';
import { checkLayerHead } from '../../src/io/layer-head';
import { type ReadLayerOptions, type ReadLayerResult, readLayerFile } from '../../src/io/read-layer';
import { openFileSource } from './file-source';
import { UsageError } from './number-options';

/** The coverage layers, read and validated for their role. */
export type LayerName = 'communities' | 'residential' | 'greenways' | 'greenspaces';

/** The coverage layers in the order they are read and reported. */
export const layerNames: readonly LayerName[] = ['communities', 'residential', 'greenways', 'greenspaces'];

/** The walking network's layers: read in any format and converted to WGS84, no role checks. */
export type NetworkLayerName = 'streets' | 'barriers' | 'entrances';
/** The walking network's layers in the order they are read. */
export const networkLayerNames: readonly NetworkLayerName[] = ['streets', 'barriers', 'entrances'];

/** Any supported format, converted to WGS84 (src/io/read-layer.ts); no role checks. */
export async function readLayer(path: string): Promise<FeatureCollection> {
  return (await readLayerAt(path, {})).collection;
}

/**
 * Reads any supported format, converts it to WGS84 and, with `options.role`, validates it for that layer.
 * A GeoTIFF is read by ranges (its header and the blocks under the study area), every other format whole.
 */
export async function readLayerAt(path: string, options: ReadLayerOptions): Promise<ReadLayerResult> {
  const name = basename(path);
  let input: Buffer | ReturnType<typeof openFileSource>;
  try {
    // Size and first bytes before the whole file: a 3 GB file or 1 GiB of zeros is refused unread.
    const format = checkLayerHead(readHead(path, SNIFF_BYTES), name, statSync(path).size);
    input = format === 'geotiff' ? openFileSource(path) : readFileSync(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      { ENOENT: 'no such file', EISDIR: 'is a directory', EACCES: 'permission denied' }[code ?? ''] ??
      `cannot be read (${(error as Error).message})`;
    throw new UsageError(`${path}: ${reason}`);
  }
  if (Buffer.isBuffer(input)) {
    return readLayerFile(new Uint8Array(input.buffer, input.byteOffset, input.byteLength), name, options);
  }
  const source = input;
  return readLayerFile(source, name, options).finally(() => source.close());
}

/** The first `length` bytes of a file (fewer for a shorter file). */
function readHead(path: string, length: number): Uint8Array {
  const descriptor = openSync(path, 'r');
  try {
    const head = new Uint8Array(length);
    return head.subarray(0, readSync(descriptor, head, 0, length, 0));
  } finally {
    closeSync(descriptor);
  }
}

/** `--crs LAYER=EPSG:NNNN` (repeatable) → layer → code; `--gcj02 LAYER` (repeatable) → set of layers. */
export function layerOptions(crsValues: string[] = [], gcj02Values: string[] = []) {
  const known: string[] = [...layerNames, ...networkLayerNames];
  const crs: Partial<Record<LayerName | NetworkLayerName, string>> = {};
  for (const value of crsValues) {
    const match = /^([a-z]+)=(.+)$/.exec(value);
    if (!match || !known.includes(match[1])) {
      throw new UsageError(`--crs ${value}: use --crs LAYER=EPSG:NNNN with LAYER one of ${known.join(', ')}`);
    }
    crs[match[1] as LayerName] = match[2];
  }
  for (const value of gcj02Values) {
    if (!known.includes(value)) {
      throw new UsageError(`--gcj02 ${value}: name a layer (${known.join(', ')})`);
    }
  }
  return { crs, gcj02: new Set(gcj02Values as (LayerName | NetworkLayerName)[]) };
}

/** Refuses a layer (named by its file) without a single feature of one of the `wanted` geometry types. */
export function requireGeometry(path: string, layer: string, wanted: string[], collection: FeatureCollection): void {
  if (!collection.features.some((feature) => wanted.includes(feature.geometry?.type ?? ''))) {
    throw new InputError(basename(path), null, `a ${layer} layer needs ${wanted.join(' or ')} features; found none`, {
      code: 'geometry',
    });
  }
}
