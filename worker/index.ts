/**
 * What the composition root (the repo-root main.ts, which may import both
 * server/ and worker/) needs from the worker:
 *
 * - `createJobQueue(config, urls)`: the producer queue on the configured backend;
 * - `createAgentDispatcher(...)` and `createWebhookDeliveryQueue(...)`: the
 *   server's AgentDispatcher and WebhookDeliveryQueue on that queue
 *   (AppDeps.agents and AppDeps.webhookQueue);
 * - `startInProcessWorker(...)`: the worker itself, under `npm start`.
 *
 * With server/platform/talemo.ts:
 *
 *   startTalemo(config, logger, {
 *     agentDispatcher: (context) => createAgentDispatcher(context),
 *     background: config.workerInProcess ? [{ name: 'worker', start: (context) => startInProcessWorker(context) }] : [],
 *   })
 *
 * `npm run worker` runs the worker alone (main.ts).
 */
import type { Config } from '../server/config.ts';
import type { DatabaseUrls } from '../server/db/bootstrap.ts';
import type { Database } from '../server/db/database.ts';
import type { Logger } from '../server/observability/logger.ts';
import { JobQueue } from '../server/queue/job-queue.ts';
import { queueBackend } from '../server/queue/queue-backend.ts';
import type { AgentDispatcher } from '../server/services/agent-dispatcher.ts';
import type { WebhookDeliveryQueue } from '../server/webhooks/index.ts';
import { QueueAgentDispatcher } from './dispatch/agent-job-dispatcher.ts';
import { QueuedWebhookDeliveryQueue } from './dispatch/queued-webhook-delivery-queue.ts';

export { startInProcessWorker, type InProcessWorker, type InProcessWorkerOptions } from './in-process-worker.ts';

/** BullMQ on Redis when REDIS_URL is set, else on Postgres (schema bullmq) as the queue role. */
export function createJobQueue(config: Pick<Config, 'redisUrl'>, urls: Pick<DatabaseUrls, 'queue'>): JobQueue {
  return new JobQueue(queueBackend({ redisUrl: config.redisUrl, queueUrl: urls.queue }));
}

export function createWebhookDeliveryQueue(deps: { jobs: JobQueue; db: Database }): WebhookDeliveryQueue {
  return new QueuedWebhookDeliveryQueue(deps);
}

/**
 * `webhooks` is where a duplicate request settled at dispatch sends its
 * agent-task-complete event; the queued one by default. Takes the
 * platform context as it is (startTalemo's `agentDispatcher` option).
 */
export function createAgentDispatcher(deps: { jobs: JobQueue; db: Database; logger: Logger; webhooks?: WebhookDeliveryQueue }): AgentDispatcher {
  return new QueueAgentDispatcher({ ...deps, webhooks: deps.webhooks ?? new QueuedWebhookDeliveryQueue(deps) });
}
