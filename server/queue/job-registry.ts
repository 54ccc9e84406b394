/**
 * Every background job Talemo runs: its name, the queue it goes on, and the
 * exact shape of its payload. Producers (the server) validate payloads here
 * before enqueueing; the worker refuses to start unless every job has exactly
 * one handler (worker/job-handlers.ts).
 */
import { z } from 'zod';

export const QUEUES = {
  /** Agent work: story pipelines and single-agent tasks. CPU-heavy. */
  agents: 'talemo-agents',
  /** Outgoing webhook deliveries. Network-bound. */
  webhooks: 'talemo-webhooks',
} as const;

export type QueueKey = keyof typeof QUEUES;

const uuid = z.string().uuid();

export const JOBS = {
  /** quota → moderation → metadata → (TTS ∥ illustration) → publish, for one story-generation request. */
  'agent.pipeline': { queue: 'agents', payload: z.object({ tenantId: uuid, taskId: uuid }).strict() },
  /** One agent task that is not a pipeline (companion turn, search assistant, personalization, …). */
  'agent.run': { queue: 'agents', payload: z.object({ tenantId: uuid, taskId: uuid }).strict() },
  /** One attempt at delivering one webhook event; retried with backoff. */
  'webhook.deliver': { queue: 'webhooks', payload: z.object({ tenantId: uuid, webhookId: uuid, eventId: uuid }).strict() },
} as const satisfies Record<string, { queue: QueueKey; payload: z.ZodTypeAny }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.output<(typeof JOBS)[N]['payload']>;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function jobsOnQueue(queue: QueueKey): JobName[] {
  return JOB_NAMES.filter((name) => JOBS[name].queue === queue);
}
