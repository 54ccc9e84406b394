/**
 * A worker process that takes a job and never finishes it: the queue tests
 * kill it with SIGKILL mid-job to prove the job is recovered by another
 * worker. Configured by env: REDIS_URL or QUEUE_URL.
 */
import { silentLogger } from '../../server/observability/logger.ts';
import { queueBackend } from '../../server/queue/queue-backend.ts';
import { startJobWorkers, type JobHandlers } from '../../worker/job-runner.ts';

const hang = () => new Promise<never>(() => {});
const handlers: JobHandlers = {
  'agent.pipeline': async (_payload, { job }) => {
    process.stdout.write(`started ${job.id}\n`);
    return hang();
  },
  'agent.run': hang,
  'webhook.deliver': hang,
};
const backend = queueBackend({ redisUrl: process.env.REDIS_URL || undefined, queueUrl: process.env.QUEUE_URL ?? '' });
await startJobWorkers(backend, handlers, { concurrency: 1, logger: silentLogger(), lockDurationMs: 3000, stalledIntervalMs: 1000, queues: ['agents'] });
process.stdout.write('ready\n');
