/**
 * Talemo as `npm start` composes it, for the pipeline suites: the server
 * from server/platform/talemo.ts (`startTalemo`) on a database cloned from
 * the test template, with the worker's AgentDispatcher wired in and, unless
 * a suite runs its own worker processes, the in-process worker as a
 * background service. Real HTTP on a free port, real queue (Postgres, or
 * Redis when given), real providers (the offline defaults unless `env`
 * points them elsewhere), local-disk assets in a temporary data directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../../server/config.ts';
import { createLogger } from '../../../server/observability/logger.ts';
import { startTalemo, type RunningTalemo } from '../../../server/platform/talemo.ts';
import { createAgentDispatcher, startInProcessWorker } from '../../../worker/index.ts';
import type { WorkerTiming } from '../../../worker/worker-runtime.ts';
import { freePort } from '../../support/free-port.ts';
import { cluster, createTestDatabase, type TestDatabase } from '../../support/test-database.ts';
import { createFamily, type Family } from './pipeline-family.ts';

/** For a test that runs whole pipelines: the machine is shared, and narration takes seconds of CPU. */
export const PIPELINE_TEST_TIMEOUT = 120_000;

/** Short locks so a killed worker's job is taken over in seconds, not a minute. */
export const TEST_TIMING: Partial<WorkerTiming> = { lockDurationMs: 3000, stalledIntervalMs: 1000, sweepIntervalMs: 1000, sweepMinAgeMs: 1000 };

export interface StackOptions {
  label: string;
  redisUrl?: string;
  /** Extra environment for the config (providers, policies). */
  env?: Record<string, string>;
  /** Run the worker in the server's process (default true). */
  inProcessWorker?: boolean;
}

export interface TaskRow {
  id: string;
  agent_type: string;
  status: 'pending' | 'processing' | 'completed' | 'failed';
  input: any;
  output: any;
  error: string | null;
  story_id: string | null;
  parent_task_id: string | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

export interface PipelineStack {
  url: string;
  t: TestDatabase;
  config: Config;
  /** The environment the config was loaded from, for worker processes joining the stack. */
  env: Record<string, string>;
  talemo: RunningTalemo;
  /** A superuser connection: sees every tenant's rows, for assertions. */
  admin: pg.Client;
  family: Family;
  api(method: string, urlPath: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** POST /api/agents/trigger as the family's parent; returns the task. */
  trigger(body: unknown, token?: string): Promise<TaskRow>;
  task(id: string): Promise<TaskRow>;
  /** Waits until the task is completed or failed. */
  settled(id: string, timeoutMs?: number): Promise<TaskRow>;
  /** A request's stage rows, in the order they were created. */
  stages(rootId: string): Promise<TaskRow[]>;
  stop(): Promise<void>;
}

export async function startPipelineStack(options: StackOptions): Promise<PipelineStack> {
  const t = await createTestDatabase(options.label);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `talemo-${options.label}-`));
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.PIPELINE_TEST_LOG_LEVEL ?? 'silent',
    TALEMO_SECRET: cluster().secret,
    DATABASE_URL: t.urls.admin,
    TALEMO_DATA_DIR: dataDir,
    TALEMO_SEED_DEMO: 'false',
    HOST: '127.0.0.1',
    PORT: String(port),
    // No embedded shape service: these suites do not sync, and it would hold a replication slot and CPU.
    ELECTRIC_URL: 'http://127.0.0.1:9',
    WEBHOOK_RETRY_BASE_MS: '200',
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  };
  const config = loadConfig(env, process.cwd());
  const logger = createLogger(config.logLevel);
  const talemo = await startTalemo(config, logger, {
    agentDispatcher: (context) => createAgentDispatcher(context),
    background: options.inProcessWorker === false ? [] : [{ name: 'worker', start: (context) => startInProcessWorker({ ...context, timing: TEST_TIMING }) }],
  });
  const admin = new pg.Client({ connectionString: t.urls.admin });
  await admin.connect();
  const family = await createFamily(t);

  const api: PipelineStack['api'] = async (method, urlPath, token, body) => {
    const response = await fetch(`${talemo.url}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const task = async (id: string) => (await admin.query<TaskRow>('SELECT * FROM agent_tasks WHERE id = $1', [id])).rows[0]!;

  return {
    url: talemo.url,
    t,
    config,
    env,
    talemo,
    admin,
    family,
    api,
    async trigger(body, token = family.parent.token) {
      const response = await api('POST', '/api/agents/trigger', token, body);
      if (response.status !== 202) throw new Error(`trigger answered ${response.status}: ${JSON.stringify(response.body)}`);
      return response.body.data as TaskRow;
    },
    task,
    async settled(id, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const row = await task(id);
        if (row.status === 'completed' || row.status === 'failed') return row;
        if (Date.now() > deadline) throw new Error(`task ${id} is still ${row.status} after ${timeoutMs} ms: ${JSON.stringify(row)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stages(rootId) {
      return (await admin.query<TaskRow>('SELECT * FROM agent_tasks WHERE parent_task_id = $1 ORDER BY created_at, id', [rootId])).rows;
    },
    async stop() {
      await talemo.stop();
      await admin.end();
      await t.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` holds. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
