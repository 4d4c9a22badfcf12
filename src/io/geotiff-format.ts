/**
 * The GeoTIFF format's signature, apart from its reader (`geotiff-read.ts`), so that detecting a format
 * (`layer-head.ts`, on the first dropped file) loads neither the reader nor the `geotiff` package.
 */

/** TIFF (`II*\0`, `MM\0*`) or BigTIFF (`II+\0`, `MM\0+`) by its first four bytes. */
export function detectGeoTiff(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  if (bytes[0] === 0x49 && bytes[1] === 0x49) return (bytes[2] === 42 || bytes[2] === 43) && bytes[3] === 0;
  if (bytes[0] === 0x4d && bytes[1] === 0x4d) return bytes[2] === 0 && (bytes[3] === 42 || bytes[3] === 43);
  return false;
}
