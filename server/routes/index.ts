/**
 * The REST API's feature routes, one file per group, mounted on the app with
 * one call. Services are built here once from the app's dependencies; the
 * optional parts (asset storage, agent dispatcher, webhook queue) default to
 * the embedded implementations until the worker provides its own.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { sessionCookieName } from '../auth/session-cookie.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { AppEnv } from '../http/app-env.ts';
import type { Logger } from '../observability/logger.ts';
import { pendingAgentDispatcher, type AgentDispatcher } from '../services/agent-dispatcher.ts';
import { createServices, type Services } from '../services/index.ts';
import { createAssetStorage, type AssetStorage } from '../storage/index.ts';
import { inProcessWebhookQueue, type WebhookDeliveryQueue } from '../webhooks/index.ts';
import { adminRoutes } from './admin-routes.ts';
import { agentRoutes } from './agent-routes.ts';
import { assetRoutes } from './asset-routes.ts';
import { serveOpenApiDocument } from './openapi-document.ts';
import { operatorRoutes } from './operator-routes.ts';
import { profileRoutes } from './profile-routes.ts';
import { storyRoutes } from './story-routes.ts';
import { tenantRoutes } from './tenant-routes.ts';
import { webhookRoutes } from './webhook-routes.ts';

export interface ApiRouteDeps {
  config: Config;
  db: Database;
  logger: Logger;
  storage?: AssetStorage;
  agents?: AgentDispatcher;
  webhookQueue?: WebhookDeliveryQueue;
}

export function mountApiRoutes(app: OpenAPIHono<AppEnv>, deps: ApiRouteDeps): Services {
  const { config } = deps;
  const services = createServices({
    config,
    db: deps.db,
    logger: deps.logger,
    storage: deps.storage ?? createAssetStorage(config.storage),
    agents: deps.agents ?? pendingAgentDispatcher,
    webhookQueue: deps.webhookQueue ?? inProcessWebhookQueue(config, deps.db, deps.logger),
  });
  const trustProxy = config.trustProxy;
  app.route('/', storyRoutes(services, trustProxy));
  app.route('/', assetRoutes(services, trustProxy));
  app.route('/', agentRoutes(services, trustProxy));
  app.route('/', tenantRoutes(services, trustProxy));
  app.route('/', profileRoutes(services, trustProxy));
  app.route('/', adminRoutes(services, trustProxy));
  app.route('/', webhookRoutes(services, trustProxy));
  app.route('/', operatorRoutes(services));
  serveOpenApiDocument(app, config.publicUrl, sessionCookieName(config.publicUrl));
  return services;
}
