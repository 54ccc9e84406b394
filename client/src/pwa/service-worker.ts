/**
 * The service worker: precaches the app shell and PGlite's wasm/data files
 * (the list is injected at build time), serves every navigation from the
 * cached shell, and answers offline audio and covers from Cache Storage —
 * including HTTP Range requests, which <audio> uses to seek and stream.
 * A new version waits until the page asks it to take over.
 */

import { parseByteRange } from './byte-range.ts';

// The project type-checks with the DOM library, which cannot be combined with
// "webworker"; the little of the service-worker scope used here is declared.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
declare global {
  interface Window {
    __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
  }
}
interface ServiceWorkerScope {
  location: Location;
  clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
const sw = globalThis as unknown as ServiceWorkerScope;

// Replaced at build time by the precache list (the injection point is this exact text).
const MANIFEST = self.__WB_MANIFEST;
const VERSION = MANIFEST.map((e) => `${e.url}@${e.revision ?? ''}`).join('|');
const SHELL_CACHE = `talemo-shell-${hashString(VERSION)}`;
const OFFLINE_CACHE = 'talemo-offline-v1';

function hashString(s: string): string {
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = ((h << 5) + h + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

const shellUrl = (url: string) => new URL(url, sw.location.origin).href;

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // addAll refuses a list with the same URL twice (the icons are listed by the manifest and the glob).
      const urls = [...new Set(MANIFEST.map((e) => shellUrl(e.url)))];
      await cache.addAll(urls.map((u) => new Request(u, { cache: 'reload' })));
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('talemo-shell-') && name !== SHELL_CACHE) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  if (url.pathname.startsWith('/offline/')) {
    event.respondWith(fromOfflineCache(req, url.pathname));
    return;
  }
  if (url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    event.respondWith(appShell(req));
    return;
  }
  event.respondWith(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      return (await cache.match(url.href, { ignoreSearch: false })) ?? fetch(req);
    })(),
  );
});

/** Navigations get the cached index.html, so the app opens with no network. */
async function appShell(req: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const shell = await cache.match(shellUrl('index.html'));
  if (shell) return shell;
  return fetch(req);
}

/** Offline audio and covers, with single-range support (RFC 9110 §14). */
async function fromOfflineCache(req: Request, path: string): Promise<Response> {
  // match, not open: after a sign-out the cache must not come back, even empty.
  const hit = await caches.match(path, { cacheName: OFFLINE_CACHE });
  if (!hit) return new Response('Not available offline', { status: 404, headers: { 'content-type': 'text/plain' } });
  const range = req.headers.get('range');
  const type = hit.headers.get('content-type') ?? 'application/octet-stream';
  if (!range) {
    const body = await hit.blob();
    return new Response(body, { status: 200, headers: { 'content-type': type, 'content-length': String(body.size), 'accept-ranges': 'bytes' } });
  }
  const blob = await hit.blob();
  const size = blob.size;
  const wanted = parseByteRange(range, size);
  if (wanted === 'unsatisfiable') return unsatisfiable(size);
  const { start, end } = wanted;
  return new Response(blob.slice(start, end + 1, type), {
    status: 206,
    headers: {
      'content-type': type,
      'content-length': String(end - start + 1),
      'content-range': `bytes ${start}-${end}/${size}`,
      'accept-ranges': 'bytes',
    },
  });
}

function unsatisfiable(size: number): Response {
  return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}` } });
}

export {};
