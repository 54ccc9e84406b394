/**
 * Request → published for a ~300-word story with the default (offline)
 * providers: Talemo composed as `npm start` composes it (the server from
 * server/platform/talemo.ts with the in-process worker, BullMQ on
 * Postgres), a parent's POST /api/agents/trigger, and polling GET
 * /api/agents/tasks/:id until the request completes. Prints each stage's
 * time from its row, and the server's event-loop delay while the pipeline
 * ran (the narrator runs on worker threads so the server stays responsive).
 *
 *   node --import tsx bench/pipeline-latency.ts [runs=3]
 *
 * Target: <= 10 s on 2 cores. Prints figures; asserts nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createSession } from '../server/auth/session-store.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/observability/logger.ts';
import { startTalemo } from '../server/platform/talemo.ts';
import { createTenant } from '../server/tenants/tenant-creation-service.ts';
import { freePort } from '../tests/support/free-port.ts';
import { LIGHTHOUSE_STORY } from '../tests/pipeline/support/story-texts.ts';
import { createAgentDispatcher, startInProcessWorker } from '../worker/index.ts';
import { startBenchPostgres } from './support/bench-postgres.ts';

const runs = Math.max(1, Number(process.argv[2] ?? 3));
const STAGES = ['QuotaAgent', 'ModerationAgent', 'MetadataAgent', 'TTSAgent', 'IllustratorAgent'] as const;

interface TaskView {
  id: string;
  status: string;
  error: string | null;
  output: { outcome?: string; duration_seconds?: number } | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  stages: Array<{ agent_type: string; started_at: string | null; completed_at: string | null }>;
}

const pg = await startBenchPostgres();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-bench-pipeline-'));
const databaseUrl = new URL(pg.adminUrl);
databaseUrl.pathname = '/talemo';
const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  TALEMO_SECRET: pg.secret,
  DATABASE_URL: databaseUrl.toString(),
  TALEMO_DATA_DIR: dataDir,
  TALEMO_SEED_DEMO: 'false',
  PORT: String(await freePort()),
  // Sync is not part of this measure; an unused Electric URL keeps the embedded shape service off.
  ELECTRIC_URL: 'http://127.0.0.1:9',
});
const talemo = await startTalemo(config, createLogger(config.logLevel), {
  agentDispatcher: (context) => createAgentDispatcher(context),
  background: [{ name: 'worker', start: (context) => startInProcessWorker(context) }],
});

try {
  const tenantId = randomUUID();
  const token = await talemo.db.transaction({ tenantId, userId: null }, async (tx) => {
    const created = await createTenant(tx, tenantId, { name: 'Bench Family', type: 'family', plan: 'institution', admin: { email: `bench-${randomBytes(4).toString('hex')}@example.com`, displayName: 'Bench' } });
    return (await createSession(tx, tenantId, created.adminUserId, 'password')).token;
  });
  const api = async (method: string, urlPath: string, body?: unknown) => {
    const response = await fetch(`${talemo.url}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await response.json()) as { data: TaskView };
  };

  const words = LIGHTHOUSE_STORY.split(/\s+/).length;
  console.log(`Pipeline latency: request → published, ${words}-word story, offline providers, BullMQ on Postgres, worker in-process (concurrency ${config.workerConcurrency})`);
  console.log(`  ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  for (let run = 1; run <= runs; run++) {
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const t0 = performance.now();
    const { data: request } = await api('POST', '/api/agents/trigger', {
      agent_type: 'QuotaAgent',
      // A new title each run: the same story version twice would be settled as a duplicate.
      input: { story: { title: `Pebble Keeps Watch ${run}`, content: LIGHTHOUSE_STORY, language: 'en', age_range: '4-6' } },
    });
    let task: TaskView;
    for (;;) {
      task = (await api('GET', `/api/agents/tasks/${request.id}`)).data;
      if (task.status === 'completed' || task.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seen = performance.now() - t0;
    loop.disable();
    if (task.output?.outcome !== 'published') {
      console.log(`  run ${run}: ${task.status} (${task.output?.outcome}): ${task.error}`);
      continue;
    }
    const ms = (from: string | null, to: string | null) => (from && to ? Date.parse(to) - Date.parse(from) : Number.NaN);
    const stage = (type: string) => task.stages.find((s) => s.agent_type === type)!;
    const lastMade = [stage('TTSAgent').completed_at!, stage('IllustratorAgent').completed_at!].sort().at(-1)!;
    const parts = [
      `queue wait ${ms(task.created_at, task.started_at)}`,
      ...STAGES.map((type) => `${type.replace('Agent', '')} ${ms(stage(type).started_at, stage(type).completed_at)}`),
      `publish ${ms(lastMade, task.completed_at)}`,
    ];
    console.log(
      `  run ${run}${run === 1 ? ' (first)' : '        '}  request → published ${(seen / 1000).toFixed(2)} s (rows: ${(ms(task.created_at, task.completed_at) / 1000).toFixed(2)} s)  ` +
        `audio ${task.output.duration_seconds?.toFixed(1)} s`,
    );
    console.log(`      stages (ms): ${parts.join(' · ')}`);
    console.log(`      server event-loop delay during the run: p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`);
  }
} finally {
  await talemo.stop();
  await pg.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
