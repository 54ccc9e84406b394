/**
 * The queue on both backends through one code path: BullMQ's PostgreSQL
 * backend (default) and Redis (REDIS_URL). Typed registry, retries with
 * backoff, permanent failures, idempotent job ids, graceful close, and a job
 * recovered after its worker is killed with SIGKILL.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/observability/logger.ts';
import { JobQueue } from '../../server/queue/job-queue.ts';
import { queueBackend, type QueueBackend } from '../../server/queue/queue-backend.ts';
import { assertHandlersComplete, startJobWorkers, type JobHandlers } from '../../worker/job-runner.ts';
import { startTestRedis, type TestRedis } from '../support/redis-server.ts';
import { ROOT } from '../support/talemo-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let t: TestDatabase;
let redis: TestRedis;

beforeAll(async () => {
  [t, redis] = await Promise.all([createTestDatabase('queue'), startTestRedis()]);
});
afterAll(async () => {
  await Promise.all([t.drop(), redis.stop()]);
});

const never = () => new Promise<never>(() => {});
const fast = { concurrency: 2, logger: silentLogger(), lockDurationMs: 3000, stalledIntervalMs: 1000 };
const tenantId = randomUUID();

function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      if (await check()) return resolve();
      if (Date.now() > deadline) return reject(new Error('condition not met in time'));
      setTimeout(tick, 50);
    };
    void tick();
  });
}

describe('the job registry', () => {
  it('refuses to start with a handler missing or unknown', () => {
    expect(() => assertHandlersComplete({ 'agent.pipeline': () => {}, 'agent.run': () => {} })).toThrow('no handler for job(s): webhook.deliver');
    expect(() => assertHandlersComplete({ 'agent.pipeline': () => {}, 'agent.run': () => {}, 'webhook.deliver': () => {}, 'agent.dance': () => {} })).toThrow('unknown job(s): agent.dance');
  });
});

describe.each(['postgres', 'redis'] as const)('on %s', (kind) => {
  let backend: QueueBackend;
  let queue: JobQueue;
  beforeAll(() => {
    backend = queueBackend({ redisUrl: kind === 'redis' ? redis.url : undefined, queueUrl: t.urls.queue });
    queue = new JobQueue(backend);
  });
  afterAll(async () => {
    await queue.close();
  });

  it('uses the backend it was given', () => {
    expect(queue.kind).toBe(kind);
  });

  it('refuses a payload that does not match the registry, before enqueueing', async () => {
    await expect(queue.enqueue('agent.run', { tenantId: 'nope', taskId: randomUUID() })).rejects.toThrow(/tenantId/);
  });

  it('runs jobs, retries a failing one with backoff, and fails a permanent one at once', async () => {
    const seen: string[] = [];
    const attempts = new Map<string, number>();
    const handlers: JobHandlers = {
      'agent.run': async ({ taskId }, { attempt }) => {
        attempts.set(taskId, attempt);
        if (taskId === flaky && attempt < 3) throw new Error('temporary');
        if (taskId === doomed) throw new UnrecoverableError('permanent');
        seen.push(taskId);
        return { ok: true };
      },
      'agent.pipeline': never,
      'webhook.deliver': never,
    };
    const [plain, flaky, doomed] = [randomUUID(), randomUUID(), randomUUID()];
    const workers = await startJobWorkers(backend, handlers, { ...fast, queues: ['agents'] });
    try {
      await queue.enqueue('agent.run', { tenantId, taskId: plain });
      await queue.enqueue('agent.run', { tenantId, taskId: flaky }, { attempts: 4, backoffMs: 50 });
      const doomedId = await queue.enqueue('agent.run', { tenantId, taskId: doomed }, { attempts: 4, backoffMs: 50 });
      await waitUntil(() => seen.includes(plain) && seen.includes(flaky));
      expect(attempts.get(flaky)).toBe(3);
      await waitUntil(async () => (await queue.queue('agents').getJob(doomedId))?.failedReason === 'permanent');
      expect(attempts.get(doomed)).toBe(1);
    } finally {
      await workers.close();
    }
  });

  it('adds a job once per job id', async () => {
    const taskId = randomUUID();
    const jobId = `dedupe-${taskId}`;
    const first = await queue.enqueue('agent.pipeline', { tenantId, taskId }, { jobId, delayMs: 60_000 });
    const second = await queue.enqueue('agent.pipeline', { tenantId, taskId }, { jobId, delayMs: 60_000 });
    expect(second).toBe(first);
    const delayed = await queue.queue('agents').getDelayed();
    expect(delayed.filter((j) => j.id === jobId)).toHaveLength(1);
    await (await queue.queue('agents').getJob(jobId))!.remove();
  });

  it('on close, finishes the job in flight before stopping', async () => {
    let finished = false;
    let started = false;
    const handlers: JobHandlers = {
      'webhook.deliver': async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 700));
        finished = true;
      },
      'agent.pipeline': never,
      'agent.run': never,
    };
    const workers = await startJobWorkers(backend, handlers, { ...fast, queues: ['webhooks'] });
    await queue.enqueue('webhook.deliver', { tenantId, webhookId: randomUUID(), eventId: randomUUID() });
    await waitUntil(() => started);
    await workers.close();
    expect(finished).toBe(true);
  });

  it('recovers a job whose worker was killed with SIGKILL mid-job', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/queue-worker-child.ts'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: kind === 'redis' ? redis.url : '', QUEUE_URL: t.urls.queue },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise((r) => child.on('exit', r));
    try {
      await waitUntil(() => out.includes('ready'));
      const taskId = randomUUID();
      const jobId = await queue.enqueue('agent.pipeline', { tenantId, taskId }, { attempts: 3 });
      await waitUntil(() => out.includes(`started ${jobId}`));
      child.kill('SIGKILL');
      await exited;

      const recovered: string[] = [];
      const handlers: JobHandlers = {
        'agent.pipeline': async (payload) => {
          recovered.push(payload.taskId);
        },
        'agent.run': never,
        'webhook.deliver': never,
      };
      const workers = await startJobWorkers(backend, handlers, { ...fast, queues: ['agents'] });
      try {
        await waitUntil(() => recovered.includes(taskId), 30_000);
        await waitUntil(async () => (await queue.queue('agents').getJob(jobId))?.finishedOn !== undefined);
      } finally {
        await workers.close();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
