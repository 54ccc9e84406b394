/**
 * The worker, however it runs (in the server's process or on its own):
 * providers, storage and queues built from config, the handler for every
 * job, the pending-task sweep, and an orderly stop.
 *
 * The offline narrator runs on worker threads (speech/), one per job the
 * worker may run at once: espeak-ng and the MP3 encoder block for seconds,
 * which must not stall the server's event loop or the other job.
 */
import type { Config } from '../server/config.ts';
import type { Database } from '../server/db/database.ts';
import type { Logger } from '../server/observability/logger.ts';
import type { JobQueue } from '../server/queue/job-queue.ts';
import type { QueueBackend } from '../server/queue/queue-backend.ts';
import type { AgentDispatcher } from '../server/services/agent-dispatcher.ts';
import { createAssetStorage, type AssetStorage } from '../server/storage/index.ts';
import { QueueAgentDispatcher } from './dispatch/agent-job-dispatcher.ts';
import { startPendingTaskSweep } from './dispatch/pending-task-sweep.ts';
import { QueuedWebhookDeliveryQueue } from './dispatch/queued-webhook-delivery-queue.ts';
import { createJobHandlers, recordAbandonedJob } from './job-handlers.ts';
import { startJobWorkers } from './job-runner.ts';
import { createProviders, type Providers } from './providers/index.ts';
import { ThreadedSpeechProvider } from './speech/speech-thread-pool.ts';
import type { WorkerDeps } from './worker-deps.ts';

export interface WorkerTiming {
  /** How long a job's lock lasts unrenewed; a killed worker's job is taken over after it. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Between sweeps for pending tasks, and how old a pending task must be to be swept. */
  sweepIntervalMs: number;
  sweepMinAgeMs: number;
}

export const DEFAULT_TIMING: WorkerTiming = { lockDurationMs: 60_000, stalledIntervalMs: 30_000, sweepIntervalMs: 120_000, sweepMinAgeMs: 60_000 };

export interface WorkerOptions {
  config: Config;
  logger: Logger;
  /** The app role's pool. */
  db: Database;
  /** Producer side, for follow-up jobs. */
  jobs: JobQueue;
  /** Consumer side: the same backend the jobs go to. */
  backend: QueueBackend;
  timing?: Partial<WorkerTiming>;
  /** Defaults to createAssetStorage(config.storage). */
  storage?: AssetStorage;
}

export interface RunningWorker {
  /** Dispatches tasks onto this worker's queue (the sweep uses it too). */
  dispatcher: AgentDispatcher;
  /** Stops taking jobs, lets the ones in flight finish, then stops the threads. */
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { config, db, jobs } = options;
  const logger = options.logger.child({ component: 'worker' });
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const { providers, speechThreads } = await startProviders(config, logger);
  const webhooks = new QueuedWebhookDeliveryQueue({ jobs, db });
  const deps: WorkerDeps = { config, db, storage: options.storage ?? createAssetStorage(config.storage), providers, jobs, webhooks, logger };
  const runners = await startJobWorkers(options.backend, createJobHandlers(deps), {
    concurrency: config.workerConcurrency,
    logger,
    lockDurationMs: timing.lockDurationMs,
    stalledIntervalMs: timing.stalledIntervalMs,
    onFinalFailure: recordAbandonedJob(deps),
  }).catch(async (err: unknown) => {
    await speechThreads?.close();
    throw err;
  });
  const dispatcher = new QueueAgentDispatcher({ jobs, db, webhooks, logger });
  const sweep = startPendingTaskSweep(db, dispatcher, logger, { intervalMs: timing.sweepIntervalMs, minAgeMs: timing.sweepMinAgeMs });
  const recovered = await sweep.sweepNow();
  logger.info({ queue: options.backend.describe, concurrency: config.workerConcurrency, pendingRecovered: recovered, speech: providers.speech.name }, 'worker started');

  return {
    dispatcher,
    async stop() {
      await sweep.stop();
      await runners.close();
      await speechThreads?.close();
      logger.info('worker stopped');
    },
  };
}

/** The configured providers, with the offline narrator moved onto threads. */
async function startProviders(config: Config, logger: Logger): Promise<{ providers: Providers; speechThreads: ThreadedSpeechProvider | null }> {
  const providers = createProviders(config.providers);
  if (config.providers.speech) return { providers, speechThreads: null };
  const speechThreads = new ThreadedSpeechProvider(config.workerConcurrency, logger);
  // Warm the narrator in the background: compiling espeak-ng takes a second
  // and a half per thread, which no request should wait for at start-up.
  // A narration asked for meanwhile waits for a ready thread.
  speechThreads.start().catch((err: unknown) => logger.error({ err }, 'the offline narrator could not start; narration will fail until the worker restarts'));
  return { providers: { ...providers, speech: speechThreads }, speechThreads };
}
