import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { threeRiversProtomapsLayers, vectorTiles } from './pmtiles/protomaps-sample';
import { writePmtiles } from './pmtiles/write-pmtiles';

/**
 * Writes a small PMTiles basemap of the Three Rivers sample in Protomaps' schema (zooms 10–15, ~80 kB),
 * to try the planner's basemap panel offline: `npx tsx scripts/make-sample-basemap.ts [out.pmtiles]`
 * (default test-output/three-rivers.pmtiles). Data © OpenStreetMap contributors, ODbL.
 */
const root = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? resolve(root, 'test-output/three-rivers.pmtiles'));
const { layers, bounds } = threeRiversProtomapsLayers(root);
const tiles = vectorTiles(layers, 10, 15);
const archive = writePmtiles({
  tiles,
  tileType: 1,
  bounds,
  minZoom: 10,
  maxZoom: 15,
  gzip: true,
  metadata: { name: 'Three Rivers (GreenReach sample)', attribution: '© OpenStreetMap contributors, ODbL' },
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, archive);
console.log(`${out}: ${tiles.length} tiles, ${archive.length} bytes`);
