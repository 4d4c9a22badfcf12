import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/coverage/input-error';
import { loadFlatGeobufUrl } from '../../src/state/url-layers';
import { errorText } from '../../src/ui/error-banner';

/**
 * A bad layer by URL (`?layer:greenspaces=…`) is said like a bad dropped file (issue 13): an empty .fgb
 * gave "Offset is outside the bounds of the DataView" or "HTTP request failed: 416".
 */

const demoParks = readFileSync(new URL('../../data/demo/greenspaces.fgb', import.meta.url));
/** What each path serves: bytes, honouring Range or not, or a status. */
const routes: Record<string, { body?: Uint8Array; ranges?: boolean; status?: number }> = {
  '/empty.fgb': { body: new Uint8Array(0), ranges: true },
  '/empty-no-ranges.fgb': { body: new Uint8Array(0), ranges: false },
  '/page.fgb': { body: new TextEncoder().encode('<!doctype html><title>Not here</title>'), ranges: false },
  '/parks.geojson': { body: new TextEncoder().encode('{"type":"FeatureCollection","features":[]}'), ranges: true },
  '/cut.fgb': { body: demoParks.subarray(0, 200), ranges: true },
  '/gone.fgb': { status: 404 },
  '/parks.fgb': { body: demoParks, ranges: true },
};

let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    const route = routes[request.url ?? ''];
    if (!route || route.status) {
      response.writeHead(route?.status ?? 404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const body = route.body!;
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (route.ranges && range) {
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : body.length - 1, body.length - 1);
      if (start >= body.length) {
        response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      response
        .writeHead(206, { 'content-range': `bytes ${start}-${end}/${body.length}`, 'content-length': end - start + 1 })
        .end(body.subarray(start, end + 1));
      return;
    }
    response.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The loader resolves paths against the page, as in the app.
  vi.stubGlobal('document', { baseURI: `${origin}/` });
  vi.stubGlobal('location', new URL(`${origin}/`));
});

afterAll(() => {
  vi.unstubAllGlobals();
  server?.close();
});

const everywhere = { minX: -180, minY: -90, maxX: 180, maxY: 90 };
const deadlines = { idleMs: 10_000, totalMs: 20_000 };

async function refusal(path: string): Promise<InputError> {
  const error = await loadFlatGeobufUrl(path, 'greenspaces', everywhere, deadlines).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('a bad layer by URL names the URL and what is wrong with it', () => {
  it('an empty .fgb, with or without range requests: "the file is empty (0 bytes)"', async () => {
    for (const path of ['/empty.fgb', '/empty-no-ranges.fgb']) {
      const error = await refusal(path);
      expect(error.message).toBe(`${path}: the file is empty (0 bytes)`);
      expect(error.layer).toBe('greenspaces');
      expect(errorText('zh', error.toJSON())).toBe(`${path}：文件为空（0 字节）`);
    }
  });

  it('an HTML page where the .fgb should be, GeoJSON by URL, a cut file, a 404', async () => {
    expect((await refusal('/page.fgb')).message).toBe(
      '/page.fgb: not FlatGeobuf: the file is an HTML page (a web page or an error page saved in place of the data)',
    );
    const geojson = await refusal('/parks.geojson');
    expect(geojson.message).toBe(
      '/parks.geojson: a layer by URL must be FlatGeobuf (with its spatial index), not geojson',
    );
    expect(errorText('zh', geojson.toJSON())).toMatch(/^\/parks\.geojson：通过网址加载的图层必须是 FlatGeobuf/);
    expect((await refusal('/cut.fgb')).message).toMatch(/^\/cut\.fgb: a damaged FlatGeobuf file \(.+\)$/);
    const gone = await refusal('/gone.fgb');
    expect(gone.message).toMatch(/^\/gone\.fgb: (the server answered 404|HTTP request failed: 404)/);
  });

  it('a good file still loads', async () => {
    const collection = await loadFlatGeobufUrl('/parks.fgb', 'greenspaces', everywhere, deadlines);
    expect(collection.features.length).toBeGreaterThan(0);
  });
});
