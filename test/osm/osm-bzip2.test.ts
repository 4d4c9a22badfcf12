// bzip2-compressed extracts (.osm.bz2, read by the bytes whatever the name): made here with the `bzip2`
// command from the hand-made extract and the Three Rivers sample, they give the same layers as the XML,
// also as several streams (pbzip2, lbzip2) and in several blocks; progress counts compressed bytes,
// an AbortSignal stops the read between blocks, and a truncated or damaged file gives a coded message.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveOsmLayers } from '../../src/io/osm/derive-layers';
import { OsmError } from '../../src/io/osm/osm-error';
import { type OsmReadProgress, readOsmExtract } from '../../src/io/osm/read-osm';
import { bzip2, bzip2Streams, countedSource } from '../support/bzip2';

const parkRiverXml = new Uint8Array(readFileSync(join(import.meta.dirname, 'in', 'park-river.osm')));
const threeRiversXml = new Uint8Array(
  readFileSync(join(import.meta.dirname, '..', '..', 'data', 'three-rivers', 'three-rivers.osm')),
);

async function layersOf(source: Parameters<typeof readOsmExtract>[0], fileName: string) {
  const derived = await deriveOsmLayers(await readOsmExtract(source, { fileName }));
  return { layers: derived.layers, counts: [derived.report.nodes, derived.report.ways, derived.report.relations] };
}

async function osmErrorOf(promise: Promise<unknown>): Promise<OsmError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OsmError);
  const osmError = error as OsmError;
  expect(osmError.text('zh').startsWith(`${osmError.fileName}: `)).toBe(true);
  expect(osmError.zh).toMatch(/bzip2/);
  return osmError;
}

/** An OSM XML of `count` nodes at scattered places: bzip2 cannot shrink it much, so it spans several blocks. */
function scatteredNodes(count: number): Uint8Array {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6">'];
  let seed = 12_345;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let id = 1; id <= count; id++) {
    lines.push(`<node id="${id}" lat="${(30.5 + next() / 5).toFixed(7)}" lon="${(104 + next() / 5).toFixed(7)}"/>`);
  }
  lines.push('</osm>');
  return new TextEncoder().encode(lines.join('\n'));
}

describe('.osm.bz2', async () => {
  const parkRiver = await layersOf(parkRiverXml, 'park-river.osm');
  const threeRivers = await layersOf(threeRiversXml, 'three-rivers.osm');
  const threeRiversBz2 = bzip2(threeRiversXml, 1);

  it('the hand-made extract as .osm.bz2 gives the layers of the XML', async () => {
    const read = await layersOf(bzip2(parkRiverXml), 'park-river.osm.bz2');
    expect(read.counts).toEqual([43, 15, 3]);
    expect(read.layers).toEqual(parkRiver.layers);
  });

  it('Three Rivers in six 100 kB blocks, whole and in 7-byte chunks, gives the layers of the XML', async () => {
    // 568 kB of XML at `bzip2 -1`: six blocks, so every block boundary and the stream CRC are crossed.
    expect(threeRiversBz2.length).toBeLessThan(threeRiversXml.length / 5);
    const whole = await layersOf(threeRiversBz2, 'three-rivers.osm.bz2');
    expect(whole.counts).toEqual([5015, 859, 2]);
    expect(whole.layers).toEqual(threeRivers.layers);
    const chunked = await layersOf(countedSource(threeRiversBz2, 7), 'three-rivers.osm.bz2');
    expect(chunked.layers).toEqual(threeRivers.layers);
  });

  it('several streams one after another (pbzip2, lbzip2), and padding after the last, read as one file', async () => {
    const streams = bzip2Streams(parkRiverXml, 3);
    expect(await layersOf(streams, 'park-river.osm.bz2')).toEqual(parkRiver);
    const threeRiversStreams = bzip2Streams(threeRiversXml, 2, 1);
    expect((await layersOf(threeRiversStreams, 'three-rivers.osm.bz2')).layers).toEqual(threeRivers.layers);
    const padded = new Uint8Array([...bzip2(parkRiverXml), ...new Uint8Array(100)]);
    expect((await layersOf(padded, 'padded.osm.bz2')).layers).toEqual(parkRiver.layers);
  });

  it('found by its bytes, whatever the file name', async () => {
    const read = await layersOf(new Blob([bzip2(parkRiverXml) as Uint8Array<ArrayBuffer>]), 'download.dat');
    expect(read.layers).toEqual(parkRiver.layers);
  });

  it('reports progress in compressed bytes, up to the file size', async () => {
    const seen: OsmReadProgress[] = [];
    await readOsmExtract(countedSource(threeRiversBz2, 4096), {
      progressIntervalMs: 0,
      onProgress: (progress) => seen.push(progress),
    });
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.every((progress) => progress.compression === 'bzip2' && progress.format === 'xml')).toBe(true);
    const bytes = seen.map((progress) => progress.bytesRead);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(bytes.at(-1)).toBe(threeRiversBz2.length);
    expect(seen.at(-1)!.nodes).toBe(5015);
  });

  it('an AbortSignal stops the read between blocks, long before the end of the file', async () => {
    const big = bzip2(scatteredNodes(120_000), 1);
    expect(big.length).toBeGreaterThan(1_000_000);
    const source = countedSource(big, 16 * 1024);
    const controller = new AbortController();
    const read = readOsmExtract(source, {
      fileName: 'big.osm.bz2',
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: () => controller.abort(),
    });
    await expect(read).rejects.toThrow(/abort/i);
    // One block needs at most ~264 kB in hand: the rest of the file was never read.
    expect(source.pulled).toBeLessThan(big.length / 2);
  });

  it('a truncated file: osm.bzip2-truncated, naming the file', async () => {
    for (const keep of [threeRiversBz2.length - 4, Math.floor(threeRiversBz2.length / 2), 20]) {
      const error = await osmErrorOf(readOsmExtract(threeRiversBz2.subarray(0, keep), { fileName: 'cut.osm.bz2' }));
      expect(error.code).toBe('osm.bzip2-truncated');
      expect(error.message).toMatch(
        /^cut\.osm\.bz2: the bzip2 data ends early, after \d+ complete blocks?: the file is truncated/,
      );
    }
    const error = await osmErrorOf(
      readOsmExtract(new TextEncoder().encode('BZh91AY&SY....'), { fileName: 'x.osm.bz2' }),
    );
    expect(error.code).toBe('osm.bzip2-truncated');
  });

  it('a damaged block: osm.bzip2-corrupt, naming the file, the block and the place', async () => {
    // Bytes 10–13 hold the first block's CRC ("BZh1", then the block magic 31 41 59 26 53 59).
    const badCrc = threeRiversBz2.slice();
    badCrc[10] ^= 0x01;
    const crc = await osmErrorOf(readOsmExtract(badCrc, { fileName: 'bad.osm.bz2' }));
    expect(crc.code).toBe('osm.bzip2-corrupt');
    expect(crc.message).toMatch(
      /^bad\.osm\.bz2: the bzip2 data is damaged near byte [\d,]+: block 1 fails its CRC check/,
    );
    expect(crc.zh).toMatch(/第 1 块 CRC 校验失败/);
    // A byte changed inside the third block's data (a later block: the first two are read and handed on).
    const damaged = threeRiversBz2.slice();
    const third = findBlockStarts(threeRiversBz2)[2];
    damaged[third + 2_000] ^= 0x5a;
    const inside = await osmErrorOf(readOsmExtract(damaged, { fileName: 'bad.osm.bz2' }));
    expect(inside.code).toBe('osm.bzip2-corrupt');
    expect(inside.message).toMatch(/block 3 (fails its CRC check|cannot be decoded)/);
  });
});

/** Byte offsets at which a block's magic (0x314159265359) starts, at any bit offset; good enough for a test. */
function findBlockStarts(bytes: Uint8Array): number[] {
  const starts: number[] = [];
  const magic = 0x314159265359n;
  let window = 0n;
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    window = ((window << 1n) | BigInt((bytes[bit >> 3] >> (7 - (bit & 7))) & 1)) & 0xffffffffffffn;
    if (bit >= 47 && window === magic) starts.push((bit - 47) >> 3);
  }
  return starts;
}
