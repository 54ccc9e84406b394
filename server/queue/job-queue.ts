/**
 * The producer side: validated, typed enqueueing onto the right queue.
 * Enqueueing never happens inside a database transaction that might roll
 * back; callers enqueue after commit and make jobs idempotent by `jobId`, so
 * a retry of the same request finds the job already there.
 */
import type { JobsOptions, Queue } from 'bullmq';
import { JOBS, QUEUES, type JobName, type JobPayload, type QueueKey } from './job-registry.ts';
import type { QueueBackend } from './queue-backend.ts';

export interface EnqueueOptions {
  /** Deduplicates: a job with the same id that is waiting, active or kept is not added again. */
  jobId?: string;
  delayMs?: number;
  attempts?: number;
  backoffMs?: number;
}

/** Retry policy for each queue unless the caller overrides it. */
const DEFAULTS: Record<QueueKey, JobsOptions> = {
  agents: { attempts: 4, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: { age: 24 * 3600, count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  webhooks: { attempts: 8, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } },
};

export class JobQueue {
  private readonly queues = new Map<QueueKey, Queue>();

  constructor(private readonly backend: QueueBackend) {}

  get kind() {
    return this.backend.kind;
  }

  /** Validates the payload against the registry and adds the job. Returns its id. */
  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<string> {
    const spec = JOBS[name];
    const data = spec.payload.parse(payload);
    const queue = this.queue(spec.queue);
    const job = await queue.add(name, data, {
      ...DEFAULTS[spec.queue],
      ...(options.jobId ? { jobId: options.jobId } : {}),
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      ...(options.attempts ? { attempts: options.attempts } : {}),
      ...(options.backoffMs ? { backoff: { type: 'exponential', delay: options.backoffMs } } : {}),
    });
    return job.id!;
  }

  /** Jobs waiting or delayed on a queue, for metrics and tests. */
  async depth(key: QueueKey): Promise<number> {
    const counts = await this.queue(key).getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  queue(key: QueueKey): Queue {
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new this.backend.Queue(QUEUES[key], { connection: this.backend.connection as never });
      this.queues.set(key, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
