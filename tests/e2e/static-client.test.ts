/**
 * How the server hands out the built PWA (server/http/static-client.ts):
 * cache rules that let a new version be noticed, the SPA fallback that never
 * swallows /api, and no way out of the dist directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../server/http/app-env.ts';
import { mountStaticClient } from '../../server/http/static-client.ts';

const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-dist-'));
fs.mkdirSync(path.join(dist, 'assets'));
fs.writeFileSync(path.join(dist, 'index.html'), `<!doctype html><title>Talemo</title>${' '.repeat(2000)}`);
fs.writeFileSync(path.join(dist, 'service-worker.js'), 'self.addEventListener("fetch", () => {});');
fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(5000))});`);
fs.writeFileSync(path.join(os.tmpdir(), 'talemo-outside.txt'), 'secret');

const app = new Hono<AppEnv>();
app.get('/api/health', (c) => c.json({ ok: true }));
mountStaticClient(app, dist);
app.notFound((c) => c.json({ status: 'error' }, 404));

afterAll(() => {
  fs.rmSync(dist, { recursive: true, force: true });
  fs.rmSync(path.join(os.tmpdir(), 'talemo-outside.txt'), { force: true });
});

describe('serving the built PWA', () => {
  it('serves index.html and the service worker with no-cache, hashed assets as immutable', async () => {
    const index = await app.request('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect((await app.request('/service-worker.js')).headers.get('cache-control')).toBe('no-cache');
    const asset = await app.request('/assets/index-abc123.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
  });

  it('answers app paths with index.html, but leaves /api and missing files to the 404', async () => {
    expect(await (await app.request('/stories/123/edit')).text()).toContain('<title>Talemo</title>');
    expect((await app.request('/api/nothing-here')).status).toBe(404);
    expect((await app.request('/api/health')).status).toBe(200);
    expect((await app.request('/assets/missing.js')).status).toBe(404);
  });

  it('never reads outside the dist directory', async () => {
    for (const p of ['/../talemo-outside.txt', '/%2e%2e/talemo-outside.txt', '/assets/../../talemo-outside.txt']) {
      const res = await app.request(p);
      expect(await res.text(), p).not.toContain('secret');
    }
  });

  it('sends gzip to browsers that accept it, once compressed', async () => {
    await app.request('/assets/index-abc123.js');
    await new Promise((r) => setTimeout(r, 100));
    const res = await app.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toContain('console.log');
    const plain = await app.request('/assets/index-abc123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
  });
});
