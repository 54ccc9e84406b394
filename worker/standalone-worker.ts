/**
 * The worker as its own process (`npm run worker`, main.ts): it joins the
 * database the server set up and migrated (worker-database-urls.ts), checks
 * that the schema matches its version, and takes jobs from the configured
 * queue with its own pool and producer.
 */
import type { Config } from '../server/config.ts';
import { describeConnectError, safeLocation } from '../server/db/bootstrap.ts';
import { Database } from '../server/db/database.ts';
import type { Logger } from '../server/observability/logger.ts';
import { JobQueue } from '../server/queue/job-queue.ts';
import { queueBackend } from '../server/queue/queue-backend.ts';
import { assertSchemaCurrent } from './schema-check.ts';
import { workerDatabaseUrls } from './worker-database-urls.ts';
import { startWorker, type WorkerTiming } from './worker-runtime.ts';

export interface StandaloneWorker {
  /** Where it works, without credentials, for the start-up line. */
  describe: string;
  /** Finishes the jobs in flight, then closes the queue and the pool. */
  stop(): Promise<void>;
}

export async function startStandaloneWorker(config: Config, logger: Logger, options: { timing?: Partial<WorkerTiming> } = {}): Promise<StandaloneWorker> {
  const urls = workerDatabaseUrls(config);
  const db = new Database({ connectionString: urls.app, poolMax: config.dbPoolMax, applicationName: 'talemo-worker' });
  const backend = queueBackend({ redisUrl: config.redisUrl, queueUrl: urls.queue });
  const jobs = new JobQueue(backend);
  const close = async () => {
    await jobs.close();
    await db.close();
  };
  try {
    await db.ping().catch((err: unknown) => {
      throw describeConnectError(err, 'the database as talemo_app', urls.app);
    });
    await assertSchemaCurrent(db, backend, urls.queue);
    const worker = await startWorker({ config, logger, db, jobs, backend, ...(options.timing ? { timing: options.timing } : {}) });
    return {
      describe: `database ${safeLocation(urls.app)}, queue ${backend.describe}, ${config.workerConcurrency} job(s) at a time`,
      async stop() {
        await worker.stop();
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}
