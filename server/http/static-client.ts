/**
 * Serves the built PWA (client/dist) from the same origin as the API, so the
 * session cookie, the service worker and the CSP all line up.
 *
 * - Hashed files under /assets/ never change: cached for a year, immutable.
 * - index.html, the service worker and the web manifest must be re-checked
 *   on every load (no-cache), or a new version would never be noticed.
 * - Any other GET outside /api/ that is not a file gets index.html (the
 *   app's router owns those paths); /api/ paths fall through to the JSON 404.
 * - Compressible files (text, and PGlite's wasm and data: 15 MB → 5 MB) are
 *   gzipped once, in memory, off the event loop; until that finishes they go
 *   out uncompressed.
 *
 * Mounted in app.ts after every API route. When client/dist is missing (an
 * API-only deployment, or tests), nothing is served and nothing breaks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzip } from 'node:zlib';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';

export const CLIENT_DIST = path.resolve(import.meta.dirname, '../../client/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.data': 'application/octet-stream',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.wasm', '.data']);
const ALWAYS_REVALIDATE = new Set(['/index.html', '/service-worker.js', '/manifest.webmanifest']);

interface StaticFile {
  body: Buffer;
  gzipped?: Buffer;
  type: string;
  cacheControl: string;
}

export function mountStaticClient(app: Hono<AppEnv>, distDir = CLIENT_DIST): void {
  if (!fs.existsSync(path.join(distDir, 'index.html'))) return;
  const files = new Map<string, StaticFile>();

  const load = (urlPath: string): StaticFile | null => {
    const cached = files.get(urlPath);
    if (cached) return cached;
    const resolved = path.resolve(distDir, `.${urlPath}`);
    if (!resolved.startsWith(distDir + path.sep)) return null;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(resolved);
    } catch {
      return null;
    }
    if (!stat.isFile()) return null;
    const ext = path.extname(resolved);
    const file: StaticFile = {
      body: fs.readFileSync(resolved),
      type: TYPES[ext] ?? 'application/octet-stream',
      cacheControl: ALWAYS_REVALIDATE.has(urlPath) ? 'no-cache' : urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
    };
    if (COMPRESSIBLE.has(ext) && file.body.length > 1024) {
      gzip(file.body, { level: 9 }, (err, out) => {
        if (!err) file.gzipped = out;
      });
    }
    files.set(urlPath, file);
    return file;
  };

  app.on(['GET', 'HEAD'], '*', (c, next) => {
    const urlPath = decodeURIComponent(c.req.path);
    if (urlPath === '/api' || urlPath.startsWith('/api/')) return next();
    const file = load(urlPath === '/' ? '/index.html' : urlPath) ?? (path.extname(urlPath) === '' ? load('/index.html') : null);
    if (!file) return next();
    const gzip = file.gzipped && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    const body = gzip ? file.gzipped! : file.body;
    const headers: Record<string, string> = {
      'content-type': file.type,
      'content-length': String(body.length),
      'cache-control': file.cacheControl,
      vary: 'Accept-Encoding',
    };
    if (gzip) headers['content-encoding'] = 'gzip';
    return new Response(c.req.method === 'HEAD' ? null : toArrayBuffer(body), { status: 200, headers });
  });
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
