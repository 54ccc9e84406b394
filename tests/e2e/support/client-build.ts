/** Makes sure client/dist is current before a browser loads it (what `npm start` does). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export function ensureClientBuild(): void {
  const root = path.resolve(import.meta.dirname, '../../..');
  const r = spawnSync(process.execPath, ['client/scripts/ensure-client-build.mjs'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`client build failed:\n${r.stdout}\n${r.stderr}`);
}
