/**
 * Starts the whole platform in one process, in dependency order, and stops it
 * in reverse: data directory → Postgres (embedded unless DATABASE_URL) →
 * roles and migrations → demo seed on the first start → HTTP.
 */
import type { Config } from '../config.ts';
import { bootstrapDatabase, describeConnectError, safeLocation } from '../db/bootstrap.ts';
import { Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createApp } from '../http/app.ts';
import { listen, type HttpServer } from '../http/server.ts';
import type { Logger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { seedDemoOnFirstStart, type DemoAccount } from '../seed/demo-seed.ts';
import { loadOrCreateSecret, openDataDir, type DataDir } from './data-dir.ts';
import { deriveSecret } from './derived-secret.ts';
import { inspectClusterDir, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
import { readinessChecks } from './readiness.ts';

export interface RunningTalemo {
  url: string;
  dataDir: DataDir;
  /** Where the database lives, without credentials. */
  databaseLocation: string;
  /** Demo accounts, only on the start that seeded them. */
  demoAccounts: DemoAccount[] | null;
  db: Database;
  stop(): Promise<void>;
}

export async function startTalemo(config: Config, logger: Logger): Promise<RunningTalemo> {
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
    const demoAccounts = await seedDemoOnFirstStart(urls.owner, config.seedDemo);

    const metrics = createMetrics();
    const db = new Database({
      connectionString: urls.app,
      poolMax: config.dbPoolMax,
      onTransaction: (seconds, outcome) => metrics.dbTransactions.observe({ outcome }, seconds),
    });
    stack.push({ name: 'database pool', stop: () => db.close() });

    const readiness = readinessChecks(db);
    const app = createApp({
      config,
      logger,
      metrics,
      db,
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

    return {
      url: http.url,
      dataDir,
      databaseLocation: safeLocation(urls.app),
      demoAccounts,
      db,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
