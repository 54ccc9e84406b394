/**
 * For the sync benchmarks: a throwaway embedded Postgres (durable settings,
 * loopback, temp directory) with the Talemo roles and one table published to
 * a benchmark publication. No app migrations: the shape service only needs
 * the replication role, a table and a publication.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bootstrapDatabase, type DatabaseUrls } from '../server/db/bootstrap.ts';
import { startEmbeddedPostgres } from '../server/platform/embedded-postgres.ts';
import { freePort } from '../tests/support/free-port.ts';

export const BENCH_PUBLICATION = 'bench_sync';
export const BENCH_SECRET = 'bench-secret-0123456789abcdef0123456789';

export interface SyncBenchCluster {
  urls: DatabaseUrls;
  owner: pg.Client;
  root: string;
  /** A fresh directory for a service's data. */
  dataDir(label: string): string;
  stop(): Promise<void>;
}

export async function startSyncBenchCluster(tableSql: string): Promise<SyncBenchCluster> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-sync-bench-'));
  fs.chmodSync(root, 0o755);
  const secret = randomBytes(32).toString('base64url');
  const cluster = await startEmbeddedPostgres({ dir: path.join(root, 'postgres'), port: await freePort(), superuserPassword: secret });
  const urls = await bootstrapDatabase({ adminUrl: cluster.superuserUrl, secret, createDatabase: 'bench' });
  const owner = new pg.Client({ connectionString: urls.owner });
  await owner.connect();
  await owner.query(tableSql);
  const table = /CREATE TABLE (\w+)/i.exec(tableSql)![1]!;
  await owner.query(`ALTER TABLE ${table} REPLICA IDENTITY FULL`);
  await owner.query(`CREATE PUBLICATION ${BENCH_PUBLICATION} FOR TABLE ${table}`);
  await owner.query(`GRANT USAGE ON SCHEMA public TO talemo_replication`);
  await owner.query(`GRANT SELECT ON ${table} TO talemo_replication`);
  return {
    urls,
    owner,
    root,
    dataDir: (label) => fs.mkdtempSync(path.join(root, `${label}-`)),
    async stop() {
      await owner.end().catch(() => {});
      await cluster.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** GETs a shape from offset -1 until up to date; returns its handle and offset. */
export async function syncShape(baseUrl: string, query: Record<string, string>): Promise<{ handle: string; offset: string }> {
  let offset = '-1';
  let handle: string | undefined;
  for (;;) {
    const url = new URL(`${baseUrl}/v1/shape`);
    for (const [k, v] of Object.entries({ ...query, secret: BENCH_SECRET, offset })) url.searchParams.set(k, v);
    if (handle) url.searchParams.set('handle', handle);
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`shape request failed: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    handle = res.headers.get('electric-handle')!;
    offset = res.headers.get('electric-offset')!;
    if (res.headers.has('electric-up-to-date')) return { handle, offset };
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}
