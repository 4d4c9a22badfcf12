import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/coverage/input-error';
import { describeContent, SNIFF_BYTES } from '../../src/io/content-sniff';
import { checkLayerHead, formatBytes } from '../../src/io/layer-head';
import { checkNesting, MAX_NESTING_DEPTH, nestingDepth } from '../../src/io/nesting-depth';
import { readLayerFile } from '../../src/io/read-layer';
import { errorText } from '../../src/ui/error-banner';
import { checkFileBeforeReading, MAX_FILE_BYTES, MAX_GEOJSON_BYTES } from '../../src/worker/import-client';

/**
 * Files that are not what their names say (issue 13, "messages that do not help"): each refusal names
 * the file and what is wrong with it, in the interface language, and large files are refused from their
 * size before a byte of them is read.
 */

const text = (value: string) => new TextEncoder().encode(value);

/** `count` bytes from a fixed linear congruential sequence: "random" bytes that are the same every run. */
function noise(count: number): Uint8Array {
  const bytes = new Uint8Array(count);
  let state = 12345;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** The InputError a promise rejects with (fails the test when it resolves or rejects with anything else). */
async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

/** `{"a":{"a":…1…}}` nested `levels` deep as a feature's attribute `a`. */
function deeplyNested(levels: number): string {
  const value = `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
  return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":${value}},"geometry":{"type":"Point","coordinates":[104.06,30.66]}}]}`;
}

/** A Blob of `size` bytes whose first bytes are `head`; reading it whole fails the test. */
function fakeFile(name: string, size: number, head: Uint8Array): Blob & { name: string; sliced: number[] } {
  const sliced: number[] = [];
  return {
    name,
    size,
    type: '',
    sliced,
    slice(start = 0, end = size) {
      sliced.push(end - start);
      if (end - start > SNIFF_BYTES) throw new Error(`read ${end - start} bytes before the checks`);
      return new Blob([head.slice(start, end) as Uint8Array<ArrayBuffer>]);
    },
    arrayBuffer() {
      throw new Error('the whole file was read before the checks');
    },
  } as unknown as Blob & { name: string; sliced: number[] };
}

describe('a file that is not what its name says is refused by what it holds', () => {
  it('random bytes named .geojson: "not GeoJSON: the file starts with binary bytes", with its first bytes', async () => {
    const bytes = noise(4096);
    const first = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    const error = await refusal(readLayerFile(bytes, 'garbage.geojson', { role: 'greenspaces' }));
    expect(error.message).toBe(`garbage.geojson: not GeoJSON: the file starts with binary bytes (${first}), not text`);
    expect(error.code).toBe('unsupported-format.binary');
    expect(error.message).not.toMatch(/unsupported format "\.geojson"/);
  });

  it('a JSON array: "a JSON array, not a GeoJSON object", also nested 100,000 levels deep', async () => {
    for (const content of ['[1,2,3]', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, ' \n [{"type":"Feature"}]']) {
      const error = await refusal(readLayerFile(text(content), 'array.geojson', { role: 'greenspaces' }));
      expect(error.message).toMatch(/^array\.geojson: not GeoJSON: the file is a JSON array, not a GeoJSON object/);
      expect(error.code).toBe('unsupported-format.json-array');
    }
  });

  it('zeros: "holds only zero bytes", from the first 64 KiB of a 1 GiB file', () => {
    const zeros = new Uint8Array(SNIFF_BYTES);
    const error = (() => {
      try {
        checkLayerHead(zeros, 'zeros.geojson', 2 ** 30);
      } catch (e) {
        return e as InputError;
      }
      return null;
    })();
    expect(error?.message).toMatch(/^zeros\.geojson: not GeoJSON: the file holds only zero bytes/);
    expect(error?.code).toBe('unsupported-format.zeros');
  });

  it('an HTML page, gzip, GeoPackage, plain text and a FlatGeobuf name over other bytes', async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'layer.geojson',
        text('<!DOCTYPE html><html><body>Not found</body></html>'),
        /not GeoJSON: the file is an HTML page/,
      ],
      [
        'layer.geojson',
        new Uint8Array([0x1f, 0x8b, 8, 0, ...noise(40)]),
        /not GeoJSON: the file is a gzip file: decompress/,
      ],
      [
        'city.geojson',
        new Uint8Array([...text('BZh9'), 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, ...noise(40)]),
        /not GeoJSON: the file is a bzip2 file: an OpenStreetMap extract is read as FILE\.osm\.bz2/,
      ],
      ['layer.json', text('SQLite format 3\0'), /not GeoJSON: the file is a SQLite \/ GeoPackage file/],
      [
        'layer.geojson',
        text('name,lon,lat\nA,104,30\n'),
        /not GeoJSON: the file is plain text \(it starts "name,lon,lat A,104,30"/,
      ],
      ['layer.fgb', noise(100), /^layer\.fgb: not FlatGeobuf: the file starts with binary bytes/],
      [
        'layer.dat',
        noise(100),
        /^layer\.dat: unsupported format "\.dat": the file starts with binary bytes .*reads GeoJSON/,
      ],
    ];
    for (const [name, bytes, pattern] of cases) {
      const error = await refusal(readLayerFile(bytes, name, { role: 'greenspaces' }));
      expect(error.message).toMatch(pattern);
    }
  });

  it('a .csv or .zip that is not one: said by what it holds; a GBK CSV is still read', async () => {
    const csv = await refusal(readLayerFile(noise(300), 'sites.csv', { role: 'points' }));
    expect(csv.message).toMatch(/^sites\.csv: not CSV: the file starts with binary bytes/);
    const zip = await refusal(readLayerFile(text('hello'), 'parks.zip', { role: 'greenspaces' }));
    expect(zip.message).toBe('parks.zip: not ZIP: the file is plain text (it starts "hello")');
    // 名称,经度,纬度 in GBK: not UTF-8, but text.
    const gbk = new Uint8Array([
      ...[0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xbe, 0xad, 0xb6, 0xc8, 0x2c, 0xce, 0xb3, 0xb6, 0xc8],
      ...text('\r\nA,104.1,30.6\r\n'),
    ]);
    const read = await readLayerFile(gbk, 'gbk.csv', { role: 'points' });
    expect(read.collection.features).toHaveLength(1);
  });

  it('describes text with a stray control byte late on as text, and bytes neither UTF-8 nor GB18030 as binary', () => {
    expect(describeContent(text(`hello${' '.repeat(5000)}\0`)).kind).toBe('text');
    expect(describeContent(new Uint8Array([0x68, 0x69, 0xff, 0x28, 0x20])).kind).toBe('binary');
    // A multi-byte character cut by the end of the slice is still text.
    expect(describeContent(text('名称').subarray(0, 4)).kind).toBe('text');
  });

  it('an empty file of any format: "the file is empty (0 bytes)"', async () => {
    for (const name of ['empty.fgb', 'empty.geojson', 'empty.zip', 'empty.dat']) {
      const error = await refusal(readLayerFile(new Uint8Array(0), name, { role: 'greenspaces' }));
      expect(error.message).toBe(`${name}: the file is empty (0 bytes)`);
      expect(error.code).toBe('empty.zero-bytes');
    }
  });

  it('GeoJSON still reads whatever its name (content first): a .fgb name over GeoJSON text', async () => {
    const park = '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[104.06,30.66]}}';
    const read = await readLayerFile(text(park), 'mislabelled.fgb');
    expect(read.format).toBe('geojson');
    expect(read.collection.features).toHaveLength(1);
  });
});

describe('attributes nested without end', () => {
  it('nestingDepth counts arrays and objects (hand-checked)', () => {
    expect(nestingDepth(1)).toBe(0);
    expect(nestingDepth(null)).toBe(0);
    expect(nestingDepth({})).toBe(1);
    expect(nestingDepth({ a: [1, { b: 2 }], c: 3 })).toBe(3);
    expect(nestingDepth(JSON.parse(`${'['.repeat(50_000)}${']'.repeat(50_000)}`))).toBe(50_000);
  });

  it('100,000 levels: refused naming the file, the feature and the attribute, before a worker copies them', async () => {
    const error = await refusal(readLayerFile(text(deeplyNested(100_000)), 'deep_nesting.geojson'));
    expect(error.message).toBe(
      `deep_nesting.geojson: feature 0: "a" is nested 100,000 levels deep (limit ${MAX_NESTING_DEPTH}), more than can be handled`,
    );
    expect(error.code).toBe('corrupt.too-deep');
    expect(error.values).toEqual({ name: 'a', depth: 100_000, limit: MAX_NESTING_DEPTH });
    // What the check spares the planner: copying such a value overflows the stack.
    expect(() => structuredClone(JSON.parse(deeplyNested(100_000)))).toThrow(/call stack/);
  });

  it(`${MAX_NESTING_DEPTH} levels pass, one more is refused; a foreign member of the collection too`, async () => {
    const read = await readLayerFile(text(deeplyNested(MAX_NESTING_DEPTH)), 'ok.geojson');
    expect(read.collection.features).toHaveLength(1);
    await refusal(readLayerFile(text(deeplyNested(MAX_NESTING_DEPTH + 1)), 'deep.geojson'));
    const member = {
      type: 'FeatureCollection',
      metadata: JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`),
      features: [],
    };
    expect(() => checkNesting(member as never, 'meta.geojson')).toThrow(
      /^meta\.geojson: "metadata" is nested 200 levels deep/,
    );
  });
});

describe('size checks before reading', () => {
  it('formatBytes: a glance, never equal to the limit it is compared with', () => {
    expect(formatBytes(3 * 2 ** 30)).toBe('3 GiB');
    expect(formatBytes(2.8 * 2 ** 30)).toBe('2.8 GiB');
    expect(formatBytes(200 * 2 ** 20)).toBe('200 MiB');
    expect(formatBytes(2 ** 30 + 1, 2 ** 30)).toBe('1,073,741,825 bytes');
    expect(formatBytes(2 ** 30 + 100 * 2 ** 20, 2 ** 30)).toBe('1.1 GiB');
    expect(formatBytes(2 ** 30 + 2 ** 20, 2 ** 30)).toBe('1.001 GiB');
  });

  it('the CLI: 3 GiB is "3 GiB, over the 1 GiB limit"; GeoJSON over 511 MiB cannot be parsed', () => {
    const geojson = text('{"type":"FeatureCollection","features":[');
    expect(() => checkLayerHead(geojson, 'big.geojson', 3 * 2 ** 30)).toThrow(
      /^big\.geojson: the file is 3 GiB, over the 1 GiB limit/,
    );
    expect(() => checkLayerHead(geojson, 'big.geojson', 2 ** 30 + 1)).toThrow(
      /the file is 1,073,741,825 bytes, over the 1 GiB limit/,
    );
    expect(() => checkLayerHead(geojson, 'big.geojson', 600 * 2 ** 20)).toThrow(
      /^big\.geojson: the GeoJSON is 600 MiB; text over 511 MiB cannot be parsed: convert it to FlatGeobuf/,
    );
    expect(checkLayerHead(geojson, 'fine.geojson', 400 * 2 ** 20)).toBe('geojson');
  });

  it('the app: a 3 GB file is refused from its size, its bytes never read; "over the 500 MiB a browser can read; use the CLI"', async () => {
    const file = fakeFile('huge.fgb', 3 * 2 ** 30, new Uint8Array([0x66, 0x67, 0x62, 3, 0x66, 0x67, 0x62, 0]));
    const error = await refusal(checkFileBeforeReading(file));
    expect(error.message).toBe(
      `huge.fgb: the file is 3 GiB, over the ${formatBytes(MAX_FILE_BYTES)} a browser can read; clip it to the study area or use the CLI (npm run coverage)`,
    );
    expect(error.code).toBe('too-large.browser');
    // At most the first 64 KiB were sliced off.
    expect(file.sliced.every((length) => length <= SNIFF_BYTES)).toBe(true);
  });

  it('the app: GeoJSON over 200 MiB (by content, whatever the name), 1 GiB of zeros, a JSON array, an empty file', async () => {
    const geojson = fakeFile('parks.txt', 250 * 2 ** 20, text('{"type":"FeatureCollection","features":[]}'));
    const tooLong = await refusal(checkFileBeforeReading(geojson));
    expect(tooLong.message).toMatch(
      new RegExp(`^parks\\.txt: the GeoJSON is 250 MiB; the app reads GeoJSON up to ${formatBytes(MAX_GEOJSON_BYTES)}`),
    );
    expect(tooLong.code).toBe('too-large.browser-text');
    // Under the limit and GeoJSON: the checks pass, reading may start.
    await checkFileBeforeReading(fakeFile('parks.geojson', 150 * 2 ** 20, text('{"type":"Feature"')));
    const zeros = await refusal(
      checkFileBeforeReading(fakeFile('zeros.fgb', 300 * 2 ** 20, new Uint8Array(SNIFF_BYTES))),
    );
    expect(zeros.message).toMatch(/^zeros\.fgb: not FlatGeobuf: the file holds only zero bytes/);
    const array = await refusal(checkFileBeforeReading(fakeFile('a.json', 100 * 2 ** 20, text('[[[['))));
    expect(array.code).toBe('unsupported-format.json-array');
    const empty = await refusal(checkFileBeforeReading(fakeFile('empty.geojson', 0, new Uint8Array(0))));
    expect(empty.message).toBe('empty.geojson: the file is empty (0 bytes)');
  });
});

describe('the messages in the interface language', () => {
  const says = async (bytes: Uint8Array, name: string) =>
    (await refusal(readLayerFile(bytes, name, { role: 'greenspaces' }))).toJSON();

  it('Chinese names the file and says what is wrong, without the English detail', async () => {
    const garbage = await says(noise(100), 'garbage.geojson');
    expect(errorText('zh', garbage)).toMatch(
      /^garbage\.geojson：不是 GeoJSON 文件：文件开头是二进制字节（[0-9a-f ]+），不是文本$/,
    );
    expect(errorText('zh', await says(text('[1]'), 'a.geojson'))).toMatch(
      /^a\.geojson：不是 GeoJSON 文件：这是一个 JSON 数组/,
    );
    expect(errorText('zh', await says(new Uint8Array(0), 'empty.fgb'))).toBe('empty.fgb：文件为空（0 字节）');
    expect(errorText('zh', await says(noise(10), 'x.dat'))).toMatch(/^x\.dat：不是可读取的格式（\.dat；/);
    const deep = await says(text(deeplyNested(100_000)), 'deep_nesting.geojson');
    expect(errorText('zh', deep)).toBe(
      `deep_nesting.geojson · 第 0 个要素：“a”嵌套了 100,000 层（上限 ${MAX_NESTING_DEPTH}），无法处理`,
    );
    const huge = await refusal(checkFileBeforeReading(fakeFile('huge.fgb', 3 * 2 ** 30, noise(8))));
    expect(errorText('zh', huge.toJSON())).toBe(
      `huge.fgb：文件大小 3 GiB，超过浏览器可读取的 ${formatBytes(MAX_FILE_BYTES)}：请裁剪到研究区域，或使用命令行工具（npm run coverage）`,
    );
    for (const message of [garbage, deep].map((error) => errorText('zh', error))) {
      expect(message).not.toMatch(/the file|nested|levels/);
    }
  });

  it('English says the same as the CLI', async () => {
    const garbage = await says(noise(100), 'garbage.geojson');
    expect(errorText('en', garbage)).toBe(garbage.message);
    const deep = await says(text(deeplyNested(100_000)), 'deep_nesting.geojson');
    expect(errorText('en', deep)).toBe(
      `deep_nesting.geojson · feature 0: "a" is nested 100,000 levels deep (limit ${MAX_NESTING_DEPTH}), more than can be handled`,
    );
  });

  it('a truncated file and a syntax error are said in Chinese with the line and column', async () => {
    const truncated = await says(text('{"type":"FeatureCollection","features":[{"type":"Feat'), 'cut.geojson');
    expect(errorText('zh', truncated)).toBe('cut.geojson：文件不完整（JSON 意外结束）：可能未完整写入、复制或下载');
    const broken = await says(text('{"type": "FeatureCollection",\n "features": [}'), 'broken.geojson');
    expect(errorText('zh', broken)).toMatch(/^broken\.geojson：JSON 无效，位于第 2 行第 15 列：/);
    expect(errorText('en', broken)).toBe(broken.message);
  });

  it("the import client's own refusals (a hung read, an empty layer) have Chinese words too", () => {
    const hung = new InputError('slow.geojson', null, 'reading took longer than 90 s and was stopped', {
      code: 'read.timeout',
      values: { seconds: 90 },
    });
    expect(errorText('zh', hung.toJSON())).toBe('slow.geojson：读取超过 90 秒，已停止：文件可能有问题或过大');
    const none = new InputError('none.geojson', null, 'the file holds no features', { code: 'empty.no-features' });
    expect(errorText('zh', none.toJSON())).toBe('none.geojson：文件中没有任何要素');
  });

  it('a code without its own words keeps the title and the detail', () => {
    const error = new InputError('x.geojson', null, 'invalid JSON at line 1, column 2: oops', { code: 'corrupt' });
    expect(errorText('zh', error.toJSON())).toBe('文件已损坏 (x.geojson): invalid JSON at line 1, column 2: oops');
  });
});
