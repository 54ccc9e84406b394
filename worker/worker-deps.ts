/**
 * What the worker's handlers are built from, made once at start
 * (worker-runtime.ts) so no handler reaches for a global.
 */
import type { Config } from '../server/config.ts';
import type { Database } from '../server/db/database.ts';
import type { Logger } from '../server/observability/logger.ts';
import type { JobQueue } from '../server/queue/job-queue.ts';
import type { AssetStorage } from '../server/storage/index.ts';
import type { WebhookDeliveryQueue } from '../server/webhooks/index.ts';
import type { Providers } from './providers/index.ts';

export interface WorkerDeps {
  config: Config;
  /** The app role's pool: every query runs under a tenant's RLS context. */
  db: Database;
  storage: AssetStorage;
  providers: Providers;
  /** Where the worker enqueues follow-up jobs (webhook deliveries, re-dispatched tasks). */
  jobs: JobQueue;
  webhooks: WebhookDeliveryQueue;
  logger: Logger;
}
