/**
 * The PWA's JavaScript, gzipped (level 9, what the server sends), split into
 * the app's own code and PGlite's (the replica worker: PGlite, pglite-sync,
 * the Electric client and sync/device, plus PGlite's filesystem chunks; and
 * the wasm/data files, not JS). Builds client/dist first when stale.
 *
 *   node --import tsx bench/client-bundle-size.ts
 *
 * Target: app JS, excluding PGlite, <= 200 KB gzipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureClientBuild } from '../tests/e2e/support/client-build.ts';

ensureClientBuild();
const dist = path.resolve(import.meta.dirname, '../client/dist');
const assets = path.join(dist, 'assets');
const PGLITE = [/^replica-worker-/, /^memfs2opfs-/, /^opfs-ahp-/, /^nodefs-/, /^__vite-browser-external-/];

const rows = fs
  .readdirSync(assets)
  .filter((f) => f.endsWith('.js'))
  .map((f) => {
    const bytes = fs.readFileSync(path.join(assets, f));
    return { file: f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, pglite: PGLITE.some((p) => p.test(f)) };
  })
  .sort((a, b) => b.gzip - a.gzip);
const sw = fs.readFileSync(path.join(dist, 'service-worker.js'));
rows.push({ file: 'service-worker.js', raw: sw.length, gzip: gzipSync(sw, { level: 9 }).length, pglite: false });

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log('file'.padEnd(48), 'raw'.padStart(10), 'gzip'.padStart(10), ' part');
for (const r of rows) console.log(r.file.padEnd(48), kb(r.raw).padStart(10), kb(r.gzip).padStart(10), r.pglite ? ' PGlite' : ' app');
const sum = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).reduce((n, r) => n + r.gzip, 0);
const entry = rows.filter((r) => /^index-|^rolldown-runtime-/.test(r.file)).reduce((n, r) => n + r.gzip, 0);
console.log('');
console.log(`app JS, excluding PGlite (all chunks, gzipped): ${kb(sum((r) => !r.pglite))}   target <= 200 KB`);
console.log(`  of which loaded on a kid tablet at start:      ${kb(entry)} (the entry chunk; adults' screens and French load on demand)`);
console.log(`  note: the entry chunk also holds PGlite's tab-side client (PGliteWorker + live queries), counted as app here`);
console.log(`PGlite worker JS (gzipped):                      ${kb(sum((r) => r.pglite))}`);
const wasm = fs.readdirSync(assets).filter((f) => /\.(wasm|data)$/.test(f));
for (const f of wasm) {
  const b = fs.readFileSync(path.join(assets, f));
  console.log(`PGlite ${f.padEnd(40)} raw ${kb(b.length)}, gzip ${kb(gzipSync(b, { level: 9 }).length)}`);
}
