import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calcTreeSize } from 'flatgeobuf/lib/mjs/packedrtree.js';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticCity } from '../../scripts/synthetic-city';
import { buildCoverage, type CoverageResult, presetRules, snapshotCoverage } from '../../src/coverage';
import { cellColumnsFor, cellFeatures, rulesRecord } from '../../src/io/coverage-export';
import { flatGeobufCellChunks } from '../../src/io/flatgeobuf-cells';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { flatGeobufChunks } from '../../src/io/flatgeobuf-write';
import { joinBytes } from '../../src/io/join-bytes';
import { withoutPopulation } from './sample-data';

/**
 * The cells' direct FlatGeobuf writer against the general one (features → FlatBuffers Builder): the same
 * header and index bytes, the same features in the same order, and GDAL reads it, spatial filter included.
 */
const city = syntheticCity({
  seed: 5,
  sizeMeters: 5000,
  communitiesPerSide: 3,
  greenwayCount: 4,
  greenwayLengthMeters: 3000,
  microParkCount: 10,
  parkCount: 6,
  otherGreenCount: 8,
});
// Communities without population for one result, so the population column is null there.
const noPopulation = withoutPopulation(city);
const results: [string, CoverageResult][] = [
  ['chengdu, 40 m', snapshotCoverage(buildCoverage(city, presetRules('chengdu'), 40))],
  [
    'gbt51346 (no green rule), no population, 60 m',
    snapshotCoverage(buildCoverage(noPopulation, presetRules('gbt51346'), 60)),
  ],
];

function both(result: CoverageResult) {
  const options = { layerName: 'cells', description: 'd', metadata: JSON.stringify({ rules: rulesRecord(result) }) };
  return {
    general: joinBytes(flatGeobufChunks(cellFeatures(result), { ...options, columns: cellColumnsFor(result) })),
    direct: joinBytes(flatGeobufCellChunks(result, options)),
  };
}

describe('flatGeobufCellChunks', () => {
  for (const [name, result] of results) {
    it(`${name}: same features, order, header and index as the general writer`, () => {
      const { general, direct } = both(result);
      expect(direct.length).toBe(general.length);
      const a = readFlatGeobuf(general, 'general.fgb');
      const b = readFlatGeobuf(direct, 'direct.fgb');
      expect(b.features.length).toBe(result.cellIndex.length);
      expect(b.features).toEqual(a.features);
      // Header and packed R-tree depend only on the columns, bounding boxes and feature sizes: equal bytes.
      const featuresStart = indexEnd(general, result.cellIndex.length);
      expect(direct.subarray(0, featuresStart)).toEqual(general.subarray(0, featuresStart));
    });
  }

  it('yields pieces of at most about 1 MiB after the header and index', () => {
    const result = results[0][1];
    const pieces = [...flatGeobufCellChunks(result)];
    for (const piece of pieces.slice(2)) expect(piece.length).toBeLessThanOrEqual(1 << 20);
    expect(pieces.length).toBeGreaterThan(2);
  });
});

/** Byte offset where the features start: magic, size-prefixed header, then the packed R-tree. */
function indexEnd(file: Uint8Array, count: number): number {
  const headerLength = new DataView(file.buffer, file.byteOffset).getUint32(8, true);
  return 12 + headerLength + calcTreeSize(count, 16);
}

const ogrinfo = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
describe.skipIf(ogrinfo.status !== 0)('GDAL reads the direct cells file', () => {
  const directory = mkdtempSync(join(tmpdir(), 'greenreach-fgb-cells-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const result = results[0][1];
  const file = join(directory, 'cells.fgb');
  writeFileSync(file, both(result).direct);

  it('feature count, columns and a spatial filter through the index', () => {
    const info = spawnSync('ogrinfo', ['-ro', '-al', '-so', file], { encoding: 'utf8' });
    expect(info.status, info.stderr).toBe(0);
    expect(info.stdout).toContain(`Feature Count: ${result.cellIndex.length}`);
    for (const column of cellColumnsFor(result)) expect(info.stdout).toContain(`${column.name}: `);
    // A window over part of the grid: GDAL's count (through the R-tree) equals the cells it intersects.
    const features = [...cellFeatures(result)];
    const rings = features.map((f) => (f.geometry as { coordinates: number[][][] }).coordinates[0]);
    const [x0, y0] = rings[0][0];
    const [x1, y1] = rings[rings.length - 1][2];
    const window = [x0 + (x1 - x0) * 0.3, y0 + (y1 - y0) * 0.3, x0 + (x1 - x0) * 0.55, y0 + (y1 - y0) * 0.6];
    const expected = rings.filter(
      (ring) =>
        ring[2][0] >= window[0] && ring[0][0] <= window[2] && ring[2][1] >= window[1] && ring[0][1] <= window[3],
    ).length;
    const filtered = spawnSync('ogrinfo', ['-ro', '-al', '-so', '-spat', ...window.map(String), file], {
      encoding: 'utf8',
    });
    expect(filtered.stdout).toContain(`Feature Count: ${expected}`);
    expect(expected).toBeGreaterThan(0);
  });
});
