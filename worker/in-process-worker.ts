/**
 * The worker inside `npm start` (TALEMO_WORKER=in-process, the default),
 * started by the composition root once the server's database is migrated.
 * It shares the server's app-role pool and job queue; the queue's own
 * schema must be migrated first (migrateQueueSchema, server/queue), which
 * is checked here, as the app schema is.
 */
import type { Config } from '../server/config.ts';
import type { DatabaseUrls } from '../server/db/bootstrap.ts';
import type { Database } from '../server/db/database.ts';
import type { Logger } from '../server/observability/logger.ts';
import type { JobQueue } from '../server/queue/job-queue.ts';
import { queueBackend } from '../server/queue/queue-backend.ts';
import { assertSchemaCurrent } from './schema-check.ts';
import { startWorker, type WorkerTiming } from './worker-runtime.ts';

export interface InProcessWorkerOptions {
  config: Config;
  logger: Logger;
  /** From bootstrapDatabase: the queue role's URL is used for BullMQ's PostgreSQL backend. */
  urls: DatabaseUrls;
  /** The server's app-role pool. */
  db: Database;
  /** The server's producer queue (the one its AgentDispatcher enqueues on). */
  jobs: JobQueue;
  /** Shorter locks and sweeps, for tests. */
  timing?: Partial<WorkerTiming>;
}

export interface InProcessWorker {
  stop(): Promise<void>;
}

export async function startInProcessWorker(options: InProcessWorkerOptions): Promise<InProcessWorker> {
  const backend = queueBackend({ redisUrl: options.config.redisUrl, queueUrl: options.urls.queue });
  await assertSchemaCurrent(options.db, backend, options.urls.queue);
  const worker = await startWorker({ ...options, backend });
  return { stop: () => worker.stop() };
}
