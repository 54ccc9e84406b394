/**
 * Jobs per second through the queue, on each backend, with a handler that
 * does nothing: the cost of BullMQ itself (add, fetch, lock, complete) on
 * its PostgreSQL backend (the default, in Talemo's own database) and on
 * Redis. Producers add jobs for a fixed time while the worker drains them;
 * then the worker gets a bounded time to finish the backlog.
 *
 *   node --import tsx bench/queue-throughput.ts [seconds=8] [concurrency=8]
 *
 * Prints figures; asserts nothing.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { silentLogger } from '../server/observability/logger.ts';
import { JobQueue } from '../server/queue/job-queue.ts';
import { migrateQueueSchema, queueBackend, type QueueBackend } from '../server/queue/queue-backend.ts';
import { startTestRedis } from '../tests/support/redis-server.ts';
import { startJobWorkers, type JobHandlers } from '../worker/job-runner.ts';
import { startBenchPostgres } from './support/bench-postgres.ts';

const seconds = Math.max(1, Number(process.argv[2] ?? 8));
const concurrency = Math.max(1, Number(process.argv[3] ?? 8));
const PRODUCERS = 8;
const DRAIN_LIMIT_MS = 30_000;

async function measure(backend: QueueBackend): Promise<void> {
  const queue = new JobQueue(backend);
  let processed = 0;
  const handlers: JobHandlers = {
    'agent.run': async () => {
      processed++;
    },
    'agent.pipeline': async () => {},
    'webhook.deliver': async () => {},
  };
  const workers = await startJobWorkers(backend, handlers, { concurrency, logger: silentLogger(), queues: ['agents'] });
  const tenantId = randomUUID();
  let added = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      while (performance.now() < deadline) {
        await queue.enqueue('agent.run', { tenantId, taskId: randomUUID() });
        added++;
      }
    }),
  );
  const addSeconds = (performance.now() - started) / 1000;
  const processedWhileAdding = processed;
  const drainDeadline = performance.now() + DRAIN_LIMIT_MS;
  while (processed < added && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 20));
  const totalSeconds = (performance.now() - started) / 1000;
  await workers.close();
  await queue.queue('agents').obliterate({ force: true });
  await queue.close();
  console.log(
    `  ${backend.kind.padEnd(8)} added ${added} in ${addSeconds.toFixed(1)} s (${(added / addSeconds).toFixed(0)}/s, ${PRODUCERS} producers)  ` +
      `processed ${processed} in ${totalSeconds.toFixed(1)} s (${(processed / totalSeconds).toFixed(0)} jobs/s; ${(processedWhileAdding / addSeconds).toFixed(0)}/s while adding)` +
      (processed < added ? `  — ${added - processed} still queued after the ${DRAIN_LIMIT_MS / 1000} s drain limit` : ''),
  );
}

console.log(`Queue throughput: trivial 'agent.run' jobs, worker concurrency ${concurrency}, ${seconds} s of adding per backend`);
console.log(`  ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const pg = await startBenchPostgres();
const redis = await startTestRedis();
try {
  await migrateQueueSchema(pg.urls.queue);
  await measure(queueBackend({ queueUrl: pg.urls.queue }));
  await measure(queueBackend({ redisUrl: redis.url, queueUrl: pg.urls.queue }));
} finally {
  await redis.stop();
  await pg.stop();
}
