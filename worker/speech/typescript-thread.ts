/**
 * Starts a worker thread on one of our TypeScript modules.
 *
 * A thread does not inherit the main thread's module loader: under
 * `node --import tsx` the thread's `process.execArgv` still lists the flag,
 * but Node 20 does not apply it to worker threads, and the thread fails with
 * "Unknown file extension .ts" (checked on Node 20.20; also the case inside
 * vitest, whose own loader never reaches threads). So the thread starts
 * from a two-line bootstrap that registers tsx's ESM hooks in the thread and
 * then imports the module. A `.js` module (a compiled build) is imported
 * as is.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

let tsxApiUrl: string | undefined;

/** tsx's ESM API (`tsx/esm/api`, import condition), as a file URL the thread can import. */
function tsxEsmApi(): string {
  if (tsxApiUrl) return tsxApiUrl;
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> }).exports;
  const entry = exports['./esm/api']?.import?.default;
  if (!entry) throw new Error(`tsx at ${path.dirname(manifest)} has no ./esm/api export; the speech thread cannot load TypeScript.`);
  tsxApiUrl = pathToFileURL(path.join(path.dirname(manifest), entry)).href;
  return tsxApiUrl;
}

export function startTypeScriptThread(module: URL, name: string): Worker {
  const target = JSON.stringify(module.href);
  const bootstrap = module.pathname.endsWith('.ts')
    ? `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${target}); });`
    : `import(${target});`;
  // execArgv: [] so the thread does not re-apply the parent's flags (a --inspect port would clash).
  return new Worker(bootstrap, { eval: true, name, execArgv: [] });
}
