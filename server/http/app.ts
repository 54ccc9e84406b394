/**
 * Builds the Hono application: cross-cutting middleware, then each feature's
 * routes. Nothing here listens on a port (see server.ts), so tests call
 * `app.request()` directly.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { authenticate } from '../auth/authenticate.ts';
import { authRoutes } from '../auth/routes/auth-routes.ts';
import { SuccessorSecrets } from '../auth/session-successor.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { mountApiRoutes } from '../routes/index.ts';
import { pendingAgentDispatcher, type AgentDispatcher } from '../services/agent-dispatcher.ts';
import { createAssetStorage, type AssetStorage } from '../storage/index.ts';
import { inProcessWebhookQueue, type WebhookDeliveryQueue } from '../webhooks/index.ts';
import { mutationRoutes } from '../sync/mutation-routes.ts';
import { shapeProxyRoutes } from '../sync/shape-proxy-routes.ts';
import type { ShapeUpstream } from '../sync/shape-upstream.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { AppEnv } from './app-env.ts';
import { failure } from './envelope.ts';
import { errorHandler } from './error-handler.ts';
import { ROTATED_SESSION_HEADER } from '../../shapes/viewer.ts';
import { healthRoutes, type HealthDeps } from './health-routes.ts';
import { HttpError } from './http-error.ts';
import { requestLog } from './request-log.ts';
import { mountStaticClient } from './static-client.ts';
import { validationHook } from './validation.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  db: Database;
  /** Where /api/shapes/:name forwards to; undefined while sync is starting. */
  shapeUpstream?: () => ShapeUpstream | undefined;
  health: Omit<HealthDeps, 'metrics' | 'metricsToken'>;
  /** Hands agent tasks to the worker; until wired, tasks stay pending. */
  agents?: AgentDispatcher;
  /** Runs webhook deliveries; in-process by default. */
  webhookQueue?: WebhookDeliveryQueue;
  /** Asset storage; built from config.storage by default. */
  storage?: AssetStorage;
}

/** The one route whose body is capped by policy instead of MAX_JSON_BODY_BYTES. */
const UPLOAD_PATH = '/api/assets';

/** Response headers a browser may read cross-origin (the sync protocol's among them). */
export const EXPOSED_HEADERS = ['X-Request-ID', 'Retry-After', ROTATED_SESSION_HEADER, 'electric-handle', 'electric-offset', 'electric-schema', 'electric-cursor', 'electric-up-to-date'];

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { config } = deps;
  // strict: false — the design card writes paths with a trailing slash (/api/stories/);
  // both forms reach the same route.
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook, strict: false });

  app.use(requestId({ headerName: 'X-Request-ID', limitLength: 128 }));
  app.use(requestLog(deps.logger, deps.metrics));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: config.publicUrl.startsWith('https:') ? 'max-age=31536000; includeSubDomains' : false,
    }),
  );
  if (config.corsOrigins.length > 0) {
    app.use(
      '/api/*',
      cors({
        origin: config.corsOrigins,
        credentials: true,
        allowHeaders: ['Authorization', 'Content-Type', 'X-Request-ID'],
        allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        exposeHeaders: EXPOSED_HEADERS,
        maxAge: 600,
      }),
    );
  }
  // Every body is capped here, except the asset upload's, which the upload
  // route caps itself by the tenant's max_upload_mb policy. The exemption is
  // by route, never by content type: any endpoint could be sent a multipart
  // body it does not expect, and would buffer it.
  app.use('/api/*', async (c, next) => {
    if (c.req.method === 'POST' && c.req.path === UPLOAD_PATH) return next();
    return bodyLimit({
      maxSize: config.maxJsonBodyBytes,
      onError: () => {
        throw HttpError.payloadTooLarge(config.maxJsonBodyBytes);
      },
    })(c, next);
  });

  app.use(
    '/api/*',
    authenticate({ db: deps.db, publicUrl: config.publicUrl, trustedOrigins: config.corsOrigins, trustProxy: config.trustProxy, successors: SuccessorSecrets.fromConfig(config) }),
  );

  app.route('/', healthRoutes({ metrics: deps.metrics, metricsToken: config.metricsToken, ...deps.health }));
  // Feature routes are mounted here, one line each.
  app.route('/', shapeProxyRoutes(deps.shapeUpstream ?? (() => undefined), { accessChanges: { db: deps.db, logger: deps.logger } }));
  // One set of service dependencies, shared by the mutations endpoint and the REST routes.
  const services = {
    config,
    db: deps.db,
    logger: deps.logger,
    storage: deps.storage ?? createAssetStorage(config.storage),
    agents: deps.agents ?? pendingAgentDispatcher,
    webhookQueue: deps.webhookQueue ?? inProcessWebhookQueue(config, deps.db, deps.logger),
  };
  app.route('/', mutationRoutes(services));
  app.route('/', authRoutes({ db: deps.db, config }));
  mountApiRoutes(app, services);

  mountStaticClient(app);

  app.notFound((c) => c.json(failure(`No route for ${c.req.method} ${c.req.path}.`), 404));
  app.onError(errorHandler({ exposeStack: !config.isProduction }));
  return app;
}
