/**
 * What services are built from. One object, made once in the routes'
 * factory, so a service never reaches for a global.
 */
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../observability/logger.ts';
import type { AssetStorage } from '../storage/index.ts';
import type { WebhookDeliveryQueue } from '../webhooks/webhook-queue.ts';
import type { AgentDispatcher } from './agent-dispatcher.ts';

export interface ServiceDeps {
  config: Config;
  db: Database;
  logger: Logger;
  storage: AssetStorage;
  agents: AgentDispatcher;
  webhookQueue: WebhookDeliveryQueue;
}
