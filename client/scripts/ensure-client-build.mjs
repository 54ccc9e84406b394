/**
 * Plain JavaScript, so npm start does not pay for a TypeScript loader here.
 *
 * `npm start` runs this first: it builds client/dist when it is missing or
 * older than any source it is built from, and otherwise returns at once
 * (a stat walk, a few milliseconds).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const built = path.join(root, 'client/dist/index.html');
const sources = ['client/src', 'client/public', 'client/index.html', 'client/vite.config.ts', 'shapes', 'sync/device', 'sync/mutations.ts', 'package-lock.json'];

/** @param {string} p @returns {number} */
function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)));
  return max;
}

const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
const sourceAt = Math.max(...sources.map((s) => newest(path.join(root, s))));
if (builtAt >= sourceAt) process.exit(0);

process.stdout.write(builtAt ? 'The web app changed; rebuilding client/dist…\n' : 'Building the web app into client/dist (first start)…\n');
const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
  // A build started from a test run inherits NODE_ENV=test, which would make
  // Vite and React produce a development build.
  env: { ...process.env, NODE_ENV: 'production' },
});
process.exit(result.status ?? 1);
