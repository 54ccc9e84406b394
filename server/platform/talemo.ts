/**
 * Starts the whole platform in one process, in dependency order, and stops it
 * in reverse: data directory → Postgres (embedded unless DATABASE_URL) →
 * roles and migrations → demo seed on the first start → job queue → shape
 * service (embedded unless ELECTRIC_URL) → background services (the worker,
 * supplied by the composition root) → HTTP.
 */
import type { Config } from '../config.ts';
import { bootstrapDatabase, describeConnectError, safeLocation, type DatabaseUrls } from '../db/bootstrap.ts';
import { Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createApp } from '../http/app.ts';
import { listen, type HttpServer } from '../http/server.ts';
import type { Logger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { JobQueue } from '../queue/job-queue.ts';
import { migrateQueueSchema, queueBackend } from '../queue/queue-backend.ts';
import { seedDemoOnFirstStart, type DemoAccount } from '../seed/demo-seed.ts';
import type { AgentDispatcher } from '../services/agent-dispatcher.ts';
import type { WebhookDeliveryQueue } from '../webhooks/index.ts';
import { loadOrCreateSecret, openDataDir, type DataDir } from './data-dir.ts';
import { deriveSecret } from './derived-secret.ts';
import { inspectClusterDir, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
import { readinessChecks } from './readiness.ts';
import { StartupError } from './startup-error.ts';
import { startShapeService } from '../../sync/service/index.ts';
import { shapeUpstream, type ShapeUpstream } from '../sync/shape-upstream.ts';
import { syncServiceOptions, syncServiceSecret } from '../sync-main.ts';

/** What a background service (the in-process worker) is started with. */
export interface PlatformContext {
  config: Config;
  logger: Logger;
  urls: DatabaseUrls;
  db: Database;
  jobs: JobQueue;
}

export interface BackgroundService {
  name: string;
  start(context: PlatformContext): Promise<{ stop(): Promise<void> }>;
}

export interface TalemoOptions {
  background?: BackgroundService[];
  /** Hands committed agent tasks to the queue; built from the platform context. */
  agentDispatcher?: (context: PlatformContext) => AgentDispatcher;
  /** Delivers outgoing webhooks through the queue; built from the platform context. */
  webhookQueue?: (context: PlatformContext) => WebhookDeliveryQueue;
}

export interface RunningTalemo {
  url: string;
  dataDir: DataDir;
  /** Where the database lives, without credentials. */
  databaseLocation: string;
  /** Demo accounts, only on the start that seeded them. */
  demoAccounts: DemoAccount[] | null;
  db: Database;
  jobs: JobQueue;
  stop(): Promise<void>;
}

export async function startTalemo(config: Config, logger: Logger, options: TalemoOptions = {}): Promise<RunningTalemo> {
  const stack: Array<{ name: string; stop: () => Promise<void> }> = [];
  const stopAll = async () => {
    for (const { name, stop } of stack.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err, component: name }, `stopping ${name} failed`);
      }
    }
    stack.length = 0;
  };

  try {
    const dataDir = openDataDir(config.dataDir);
    // Refuse a foreign or damaged cluster before writing anything (the secret included).
    if (!config.databaseUrl) inspectClusterDir(dataDir.postgres);
    const secret = loadOrCreateSecret(dataDir, config.secret);

    let adminUrl = config.databaseUrl;
    let embedded: EmbeddedPostgres | undefined;
    if (!adminUrl) {
      const pgLog = logger.child({ component: 'postgres' });
      embedded = await startEmbeddedPostgres({
        dir: dataDir.postgres,
        port: config.embeddedPgPort,
        superuserPassword: deriveSecret(secret, 'pg-role:postgres'),
        log: (line) => pgLog.debug(line),
      });
      stack.push({ name: 'postgres', stop: embedded.stop });
      adminUrl = embedded.superuserUrl;
      logger.info({ port: embedded.port, initialised: embedded.initialised }, 'embedded Postgres started');
    }

    const urls = await bootstrapDatabase({ adminUrl, secret, createDatabase: embedded ? 'talemo' : undefined });
    const migration = await migrate(urls.owner, (m) => logger.debug({ component: 'migrate' }, m)).catch((err) => {
      throw describeConnectError(err, 'the database as talemo_owner', urls.owner);
    });
    if (migration.applied.length > 0) logger.info({ applied: migration.applied }, 'migrations applied');
    const demo = await seedDemoOnFirstStart(urls.owner, config.seedDemo);

    const metrics = createMetrics();
    const db = new Database({
      connectionString: urls.app,
      poolMax: config.dbPoolMax,
      onTransaction: (seconds, outcome) => metrics.dbTransactions.observe({ outcome }, seconds),
    });
    stack.push({ name: 'database pool', stop: () => db.close() });

    if (!config.redisUrl) await migrateQueueSchema(urls.queue);
    const jobs = new JobQueue(queueBackend({ redisUrl: config.redisUrl, queueUrl: urls.queue }));
    stack.push({ name: 'job queue', stop: () => jobs.close() });
    const context: PlatformContext = { config, logger, urls, db, jobs };

    const agents = options.agentDispatcher?.(context);
    const upstream = await startShapeUpstream(config, secret, logger, stack);
    for (const service of options.background ?? []) {
      const running = await service.start(context);
      stack.push({ name: service.name, stop: () => running.stop() });
      logger.info({ service: service.name }, 'background service started');
    }
    const readiness = readinessChecks(db);
    const app = createApp({
      config,
      logger,
      metrics,
      db,
      shapeUpstream: () => upstream,
      ...(agents ? { agents } : {}),
      ...(options.webhookQueue ? { webhookQueue: options.webhookQueue(context) } : {}),
      health: {
        readiness,
        beforeScrape: () => {
          const s = db.stats();
          metrics.dbPool.set({ state: 'total' }, s.total);
          metrics.dbPool.set({ state: 'idle' }, s.idle);
          metrics.dbPool.set({ state: 'waiting' }, s.waiting);
        },
      },
    });

    const http: HttpServer = await listen(app.fetch, config.host, config.port);
    stack.push({ name: 'http', stop: () => http.close(config.shutdownTimeoutMs) });

    // The demo's narrations and covers, now that something can take them
    // (without a dispatcher they stay pending for a worker's sweep).
    for (const task of agents ? (demo?.tasks ?? []) : []) {
      await agents!.enqueue(task).catch((err: unknown) => logger.warn({ err, taskId: task.id }, 'demo task left pending for the sweep'));
    }

    return {
      url: http.url,
      dataDir,
      databaseLocation: safeLocation(urls.app),
      demoAccounts: demo?.accounts ?? null,
      db,
      jobs,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

type StopStack = Array<{ name: string; stop: () => Promise<void> }>;

/**
 * Sync goes to Electric when ELECTRIC_URL is set; otherwise the embedded
 * shape service runs in this process on loopback. Either way the proxy gets
 * the same kind of upstream.
 */
async function startShapeUpstream(config: Config, secret: string, logger: Logger, stack: StopStack): Promise<ShapeUpstream> {
  if (config.electricUrl) return shapeUpstream(config.electricUrl, config.sync.secret ?? syncServiceSecret(secret));
  const options = syncServiceOptions(config, secret);
  const service = await startShapeService({ ...options, logger: logger.child({ component: 'sync' }) }).catch((err: Error) => {
    throw new StartupError(`The embedded shape service could not start: ${err.message}`, 'Or set ELECTRIC_URL to use an Electric sync service instead.');
  });
  stack.push({ name: 'shape service', stop: () => service.stop() });
  logger.info({ url: service.url }, 'embedded shape service started');
  return shapeUpstream(service.url, options.secret);
}
