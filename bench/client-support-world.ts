/**
 * Shared set-up for the client benchmarks (not a benchmark itself): a real
 * `npm start` server on a fresh data directory (embedded Postgres, demo
 * seeded), one narrated and approved story, and Debian's Chromium paired as
 * Léa's tablet with the story downloaded for offline use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { rolePassword } from '../server/db/bootstrap.ts';
import { ROLES } from '../server/db/roles.ts';
import { CHROMIUM, CHROMIUM_ARGS, VIEWPORTS } from '../tests/e2e/support/chromium.ts';
import { ensureClientBuild } from '../tests/e2e/support/client-build.ts';
import { createNarratedStory } from '../tests/e2e/support/story-fixtures.ts';
import { freePort } from '../tests/support/free-port.ts';
import { ROOT } from '../tests/support/talemo-process.ts';

export interface ClientBenchWorld {
  baseUrl: string;
  storyId: string;
  userDataDir: string;
  /** A Chromium on the paired tablet profile; close it before reopening. */
  open(offline: boolean): Promise<{ context: BrowserContext; page: Page }>;
  stopServer(): Promise<void>;
  cleanup(): Promise<void>;
}

async function waitForOutput(child: ChildProcess, pattern: RegExp, text: { value: string }, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(text.value)) {
    if (Date.now() > deadline) throw new Error(`server did not print ${pattern}:\n${text.value}`);
    if (child.exitCode !== null) throw new Error(`server exited:\n${text.value}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function createClientBenchWorld(): Promise<ClientBenchWorld> {
  ensureClientBuild();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-bench-client-'));
  fs.chmodSync(root, 0o755);
  const port = await freePort();
  const pgPort = await freePort();
  const dataDir = path.join(root, 'data');
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TALEMO_DATA_DIR: dataDir, PORT: String(port), TALEMO_PG_PORT: String(pgPort), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const out = { value: '' };
  child.stdout!.on('data', (c: Buffer) => (out.value += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out.value += c.toString()));
  await waitForOutput(child, /Press Ctrl-C to stop/, out, 180_000);
  const baseUrl = `http://127.0.0.1:${port}`;
  const password = /camille@example\.com \/ (\S+)/.exec(out.value)?.[1];
  if (!password) throw new Error(`no demo password in:\n${out.value}`);

  const call = async <T>(method: string, p: string, body?: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${baseUrl}${p}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const json = (await res.json()) as { data: T };
    if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  };
  const admin = await call<{ token: string; tenantId: string }>('POST', '/api/auth/token', { email: 'camille@example.com', password });
  const kids = await call<{ kids: Array<{ id: string; displayName: string }> }>('GET', '/api/auth/kids', undefined, admin.token);
  const lea = kids.kids.find((k) => k.displayName === 'Léa')!;

  const secret = fs.readFileSync(path.join(dataDir, 'secret'), 'utf8').trim();
  const owner = new pg.Client({ connectionString: `postgres://${ROLES.owner}:${encodeURIComponent(rolePassword(secret, ROLES.owner))}@127.0.0.1:${pgPort}/talemo` });
  await owner.connect();
  const story = await createNarratedStory(baseUrl, admin.token, owner, admin.tenantId, { title: 'The Benchmark Lighthouse', ageRange: '4-6', seconds: 60 });
  await owner.end();

  const userDataDir = path.join(root, 'chromium');
  const open = async (offline: boolean) => {
    const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: VIEWPORTS.tablet, offline });
    const page = context.pages()[0] ?? (await context.newPage());
    return { context, page };
  };

  // Pair the tablet, set the picture code, and wait for the download.
  const code = await call<{ code: string }>('POST', '/api/auth/pairing/codes', { kidId: lea.id }, admin.token);
  const first = await open(false);
  await first.page.goto(`${baseUrl}/pair`);
  await first.page.fill('#pair-code', code.code);
  await first.page.click('button[type=submit]');
  await first.page.waitForSelector('.pin-grid', { timeout: 60_000 });
  for (let round = 0; round < 2; round++) for (const p of ['sun', 'moon', 'star']) await first.page.click(`[data-picture="${p}"]`);
  await first.page.waitForSelector(`.kid-card[data-story-id="${story.id}"][data-offline="true"]`, { timeout: 120_000 });
  await first.page.evaluate(async () => void (await navigator.serviceWorker.ready));
  await first.context.close();

  let stopped = false;
  const stopServer = async () => {
    if (stopped) return;
    stopped = true;
    process.kill(-child.pid!, 'SIGINT');
    await new Promise((r) => child.once('exit', r));
  };
  return {
    baseUrl,
    storyId: story.id,
    userDataDir,
    open,
    stopServer,
    async cleanup() {
      await stopServer();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
