#!/usr/bin/env node
/**
 * Tiny static server for the built app (dist/), no dependency: `node scripts/serve.mjs [dir]`.
 * Binds 127.0.0.1 on PORT (default 4173), or a free port when that one is taken, and prints the URL.
 * `--port 0` (or PORT=0) asks for any free port. Prints `GreenReach: http://127.0.0.1:<port>/`.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const portFlag = args.indexOf('--port');
const requestedPort = Number(portFlag >= 0 ? args[portFlag + 1] : (process.env.PORT ?? 4173));
const positional = args.filter((arg, index) => !arg.startsWith('--') && (portFlag < 0 || index !== portFlag + 1));
const root = resolve(positional[0] ?? join(here, '..', 'dist'));
const host = process.env.HOST ?? '127.0.0.1';

/** Content types by extension; unknown files are served as bytes. */
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.fgb': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

try {
  statSync(join(root, 'index.html'));
} catch {
  console.error(`serve: ${join(root, 'index.html')} not found; run "npx vite build" first`);
  process.exit(1);
}

const server = createServer((request, response) => {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  } catch {
    response.writeHead(400).end('bad request');
    return;
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = normalize(join(root, pathname));
  if (file !== root && !file.startsWith(root + sep)) {
    response.writeHead(403).end('forbidden');
    return;
  }
  let stats;
  try {
    stats = statSync(file);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  if (!stats.isFile()) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  const headers = {
    'Content-Type': types[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': stats.size,
    'Cache-Control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Accept-Ranges': 'bytes',
  };
  // One byte range (`Range: bytes=a-b`, `a-` or `-n`), as FlatGeobuf's HTTP reader asks for.
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? '');
  if (range && (range[1] || range[2])) {
    let start = range[1] ? Number(range[1]) : Math.max(0, stats.size - Number(range[2]));
    let end = range[1] && range[2] ? Math.min(Number(range[2]), stats.size - 1) : stats.size - 1;
    if (start >= stats.size || start > end) {
      response.writeHead(416, { 'Content-Range': `bytes */${stats.size}` }).end();
      return;
    }
    start = Math.max(0, start);
    end = Math.max(start, end);
    response.writeHead(206, {
      ...headers,
      'Content-Length': end - start + 1,
      'Content-Range': `bytes ${start}-${end}/${stats.size}`,
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file, { start, end }).pipe(response);
    return;
  }
  response.writeHead(200, headers);
  if (request.method === 'HEAD') response.end();
  else createReadStream(file).pipe(response);
});

function listen(port, fallback) {
  server.once('error', (error) => {
    if (fallback && (error.code === 'EADDRINUSE' || error.code === 'EACCES')) {
      console.error(`serve: port ${port} is taken; using a free port`);
      listen(0, false);
    } else {
      console.error(`serve: ${error.message}`);
      process.exit(1);
    }
  });
  server.listen(port, host, () => {
    const { port: bound } = server.address();
    console.log(`GreenReach: http://${host}:${bound}/`);
  });
}

listen(Number.isInteger(requestedPort) && requestedPort >= 0 ? requestedPort : 4173, requestedPort !== 0);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
