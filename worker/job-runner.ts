/**
 * The consumer side: one BullMQ Worker per queue, dispatching each job to its
 * handler by name. The handler map is typed against the registry (a missing
 * handler is a compile error) and checked again at start, so a deployment
 * with a handler missing refuses to run instead of failing jobs later.
 *
 * Errors: a handler throws `UnrecoverableError` (from bullmq) for permanent
 * failures, anything else is retried with the queue's backoff. A payload that
 * does not match the registry is permanent. Nothing is swallowed.
 */
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import { JOBS, JOB_NAMES, QUEUES, jobsOnQueue, type JobName, type JobPayload, type QueueKey } from '../server/queue/job-registry.ts';
import type { QueueBackend } from '../server/queue/queue-backend.ts';
import type { Logger } from '../server/observability/logger.ts';

export interface JobContext {
  job: Job;
  /** 1 on the first try. */
  attempt: number;
  /** Last try before the job is failed for good. */
  finalAttempt: boolean;
  logger: Logger;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, context: JobContext) => Promise<unknown>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

export interface RunnerOptions {
  concurrency: number;
  logger: Logger;
  /** How long a job's lock lasts without renewal; a killed worker's job is recovered after it. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Only these queues (default: all). */
  queues?: QueueKey[];
  /**
   * Called once a job has failed for good: its handler threw an
   * UnrecoverableError or used its last attempt, or BullMQ gave up on it
   * without calling the handler (stalled too often after its workers were
   * killed). Handlers record their own failures; this is for the last case.
   */
  onFinalFailure?: (failure: FinalFailure) => Promise<void>;
}

export interface FinalFailure {
  name: JobName;
  data: unknown;
  jobId: string | undefined;
  error: Error;
}

export interface RunningWorkers {
  workers: Worker[];
  /** Stops taking jobs and waits for the ones in flight to finish. */
  close(): Promise<void>;
}

export class MissingHandlerError extends Error {}

export function assertHandlersComplete(handlers: Partial<Record<string, unknown>>): void {
  const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
  const unknown = Object.keys(handlers).filter((name) => !(JOB_NAMES as string[]).includes(name));
  if (missing.length || unknown.length) {
    throw new MissingHandlerError(
      [missing.length ? `no handler for job(s): ${missing.join(', ')}` : '', unknown.length ? `handler(s) for unknown job(s): ${unknown.join(', ')}` : ''].filter(Boolean).join('; '),
    );
  }
}

export async function startJobWorkers(backend: QueueBackend, handlers: JobHandlers, options: RunnerOptions): Promise<RunningWorkers> {
  assertHandlersComplete(handlers);
  const keys = options.queues ?? (Object.keys(QUEUES) as QueueKey[]);
  const workers: Worker[] = [];
  // Final-failure hooks still writing; close() waits for them as for jobs in flight.
  const recording = new Set<Promise<void>>();
  for (const key of keys) {
    const names = new Set<string>(jobsOnQueue(key));
    const worker = new backend.Worker(
      QUEUES[key],
      async (job: Job) => {
        if (!names.has(job.name)) throw new UnrecoverableError(`job ${job.name} does not belong on ${QUEUES[key]}`);
        const name = job.name as JobName;
        const parsed = JOBS[name].payload.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`job ${name} ${job.id} has an invalid payload: ${parsed.error.message}`);
        const attempt = job.attemptsMade + 1;
        const context: JobContext = {
          job,
          attempt,
          finalAttempt: attempt >= (job.opts.attempts ?? 1),
          logger: options.logger.child({ job: name, jobId: job.id, attempt }),
        };
        return (handlers[name] as JobHandler<typeof name>)(parsed.data as never, context);
      },
      {
        connection: backend.connection as never,
        concurrency: options.concurrency,
        lockDuration: options.lockDurationMs ?? 60_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        maxStalledCount: 2,
      },
    );
    worker.on('failed', (job, err) => {
      options.logger.warn({ queue: QUEUES[key], job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed');
      if (!job || !options.onFinalFailure || !names.has(job.name) || !isFinalFailure(job, err)) return;
      const hook = options
        .onFinalFailure({ name: job.name as JobName, data: job.data, jobId: job.id, error: err })
        .catch((hookError: unknown) => options.logger.error({ queue: QUEUES[key], jobId: job.id, err: hookError }, 'could not record a job\'s final failure'))
        .finally(() => recording.delete(hook));
      recording.add(hook);
    });
    worker.on('error', (err) => options.logger.error({ queue: QUEUES[key], err }, 'worker error'));
    workers.push(worker);
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...recording]);
    },
  };
}

/** After moveToFailed: permanent, or out of attempts (BullMQ has already counted this one). */
function isFinalFailure(job: Job, err: Error): boolean {
  return err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}
