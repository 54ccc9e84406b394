/**
 * The real app over a cloned database for the API suites, with the real
 * in-process webhook queue (so tests can wait for deliveries) and local-disk
 * asset storage in a temporary directory (so tests can see what was written).
 * Requests go through `app.request()` with real bearer sessions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import type { Config } from '../../../server/config.ts';
import { createApp } from '../../../server/http/app.ts';
import { silentLogger } from '../../../server/observability/logger.ts';
import { createMetrics } from '../../../server/observability/metrics.ts';
import { readinessChecks } from '../../../server/platform/readiness.ts';
import { realAgentQueue, type QueuedTask } from '../../support/agent-queue.ts';
import { LocalDiskStorage } from '../../../server/storage/index.ts';
import { inProcessWebhookQueue, type InProcessWebhookQueue } from '../../../server/webhooks/index.ts';
import { testConfig } from '../../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.ts';

export interface CallOptions {
  token?: string;
  /** Serialised as JSON. */
  json?: unknown;
  /** Sent as is (malformed bodies, raw provider events). */
  raw?: string;
  form?: FormData;
  headers?: Record<string, string>;
}

export interface Envelope {
  status: 'success' | 'error';
  data: any;
  message: string | null;
  errors: Record<string, string[]> | null;
}

export interface ApiResult {
  status: number;
  headers: Headers;
  body: Envelope;
  text: string;
}

export interface ApiHarness {
  t: TestDatabase;
  config: Config;
  app: ReturnType<typeof createApp>;
  /** A superuser connection: sees every tenant's rows, for assertions only. */
  admin: pg.Client;
  queue: InProcessWebhookQueue;
  storage: LocalDiskStorage;
  storageRoot: string;
  /** The agent jobs the app put on the real queue. */
  queuedTasks(): Promise<QueuedTask[]>;
  call(method: string, path: string, options?: CallOptions): Promise<ApiResult>;
  /** The raw Response, for binary bodies. */
  fetch(method: string, path: string, options?: CallOptions): Promise<Response>;
  close(): Promise<void>;
}

export async function createApiHarness(label: string, env: Record<string, string> = {}): Promise<ApiHarness> {
  const t = await createTestDatabase(label);
  const admin = new pg.Client({ connectionString: t.urls.admin });
  await admin.connect();
  const config = testConfig({ WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_TIMEOUT_MS: '2000', ...env });
  const storageRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-api-assets-'));
  const storage = new LocalDiskStorage(storageRoot);
  const queue = inProcessWebhookQueue(config, t.db, silentLogger());
  const agentQueue = realAgentQueue(t);
  const agents = agentQueue.dispatcher;
  const app = createApp({
    config,
    logger: silentLogger(),
    metrics: createMetrics({ collectProcessMetrics: false }),
    db: t.db,
    health: { readiness: readinessChecks(t.db) },
    storage,
    webhookQueue: queue,
    agents,
  });

  const fetch: ApiHarness['fetch'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.raw !== undefined) body = options.raw;
    else if (options.json !== undefined) body = JSON.stringify(options.json);
    if ((options.raw !== undefined || options.json !== undefined) && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    return app.request(url, { method, headers, body });
  };

  return {
    t, config, app, admin, queue, storage, storageRoot, queuedTasks: agentQueue.queuedTasks, fetch,
    async call(method, url, options) {
      const res = await fetch(method, url, options);
      const text = await res.text();
      let body: Envelope;
      try {
        body = JSON.parse(text) as Envelope;
      } catch {
        throw new Error(`${method} ${url}: expected a JSON envelope, got ${res.status}: ${text.slice(0, 300)}`);
      }
      expect(Object.keys(body).sort(), `${method} ${url} envelope`).toEqual(['data', 'errors', 'message', 'status']);
      return { status: res.status, headers: res.headers, body, text };
    },
    async close() {
      await queue.close();
      await agentQueue.close();
      await admin.end();
      await t.drop();
      fs.rmSync(storageRoot, { recursive: true, force: true });
    },
  };
}

/** Row counts of every table, as the superuser sees them (all tenants). */
export async function rowCounts(admin: pg.Client): Promise<Record<string, number>> {
  const { rows } = await admin.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of rows) {
    const { rows: n } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}"`);
    counts[table_name] = n[0]!.n;
  }
  return counts;
}

/**
 * A fingerprint of everything one tenant owns: every row of every
 * tenant-bound table (and its tenants row). Equal fingerprints mean nothing
 * of that tenant changed. Session bookkeeping (last use, sliding expiry) is
 * left out: reading with a session may touch it.
 */
export async function tenantFingerprint(admin: pg.Client, tenantId: string): Promise<Record<string, string>> {
  const { rows } = await admin.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name`,
  );
  const result: Record<string, string> = {};
  const tables = [{ table: 'tenants', key: 'id' }, ...rows.map((r) => ({ table: r.table_name, key: 'tenant_id' }))];
  for (const { table, key } of tables) {
    const projection = table === 'sessions' ? `(x.id, x.revoked_at, x.revoked_reason)` : 'x';
    const { rows: d } = await admin.query<{ digest: string }>(
      `SELECT md5(coalesce(string_agg(${projection}::text, '|' ORDER BY ${projection}::text), '')) AS digest FROM "${table}" x WHERE x.${key} = $1`,
      [tenantId],
    );
    result[table] = d[0]!.digest;
  }
  return result;
}

/** Every file under the storage root, relative. */
export function storedFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
}
