/**
 * Dependencies point down DESIGN.md's table: shapes/ imports nothing of
 * ours, sync/ only shapes/, worker/ never the server's routes, and nothing
 * imports client/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/talemo-process.ts';

const FOLDERS = ['shapes', 'sync', 'server', 'worker', 'client', 'migrations', 'tests', 'bench'] as const;

const allowed: Record<string, (target: string, file: string) => boolean> = {
  shapes: (t) => t === 'shapes',
  sync: (t) => t === 'sync' || t === 'shapes',
  server: (t) => t === 'server' || t === 'shapes' || t === 'sync',
  worker: (t, file) => t === 'worker' || t === 'shapes' || (t === 'server' && !/\/(routes|http)\//.test(file)),
  client: (t, file) => t === 'client' || t === 'shapes' || (t === 'sync' && file.startsWith('sync/device/')),
};

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.includes('node_modules') && !f.startsWith('dist'))
    .map((f) => path.join(dir, f));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specs.map((m) => m[1] ?? m[2]!).filter((s) => s.startsWith('.'));
}

describe('layering', () => {
  it('every import stays within what its folder may use', () => {
    const violations: string[] = [];
    for (const folder of Object.keys(allowed)) {
      for (const file of sourceFiles(path.join(ROOT, folder))) {
        for (const spec of importsOf(file)) {
          const resolved = path.relative(ROOT, path.resolve(path.dirname(file), spec));
          const target = resolved.split(path.sep)[0]!;
          if (!(FOLDERS as readonly string[]).includes(target)) continue;
          if (!allowed[folder]!(target, resolved)) violations.push(`${path.relative(ROOT, file)} imports ${resolved}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('the checker sees imports (it is not vacuously passing)', () => {
    const server = sourceFiles(path.join(ROOT, 'server')).flatMap(importsOf);
    expect(server.some((s) => s.includes('shapes/'))).toBe(true);
  });
});
