/**
 * The whole sync path on real parts, for the end-to-end sync suites: a
 * database cloned from the migrated template, the embedded shape service on
 * its own slot (in this process, or in a child process that can be killed
 * like a crash), and the real Talemo app on a real loopback listener, so the
 * official Electric clients reach the shapes through the proxy over HTTP.
 *
 * The listener can be stopped and started again on the same port ("the
 * server is unreachable"), and the shape service killed and restarted on the
 * same data directory and slot.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createApp } from '../../../server/http/app.ts';
import { listen, type HttpServer } from '../../../server/http/server.ts';
import { silentLogger } from '../../../server/observability/logger.ts';
import { createMetrics } from '../../../server/observability/metrics.ts';
import { readinessChecks } from '../../../server/platform/readiness.ts';
import { realAgentQueue, type QueuedTask } from '../../support/agent-queue.ts';
import { shapeUpstream, type ShapeUpstream } from '../../../server/sync/shape-upstream.ts';
import { startShapeService, type ShapeService } from '../../../sync/service/index.ts';
import { startServiceProcess, type ServiceProcess } from '../../sync/support/service-process.ts';
import { freePort } from '../../support/free-port.ts';
import { testConfig } from '../../support/test-app.ts';
import { adminQuery, createTestDatabase, type TestDatabase } from '../../support/test-database.ts';

export const SHAPE_SECRET = 'e2e-shape-service-secret-0123456789abcdef';
/** A browser origin allowed by CORS_ORIGINS, for the CORS checks. */
export const PWA_ORIGIN = 'https://pwa.talemo.test';

export interface SyncStackOptions {
  /** Run the shape service in a child process, so `killShapeService` is a real crash. */
  serviceInChild?: boolean;
  /** How long the service holds a live request without changes. */
  longPollMs?: number;
  /** Extra app settings (env names). */
  env?: Record<string, string>;
}

export interface SyncStack {
  /** The app's origin, e.g. http://127.0.0.1:41234. */
  url: string;
  t: TestDatabase;
  /** Superuser: sees every tenant, for fixtures and for the expected answers. */
  admin: pg.Client;
  /** The agent jobs the app put on the real queue (no worker takes them). */
  queuedTasks(): Promise<QueuedTask[]>;
  /** The shape service's own URL (not for devices: they go through the proxy). */
  shapeServiceUrl(): string;
  killShapeService(): Promise<void>;
  startShapeService(): Promise<void>;
  stopListener(): Promise<void>;
  startListener(): Promise<void>;
  close(): Promise<void>;
}

export async function startSyncStack(label: string, options: SyncStackOptions = {}): Promise<SyncStack> {
  const t = await createTestDatabase(label);
  const admin = new pg.Client({ connectionString: t.urls.admin });
  await admin.connect();
  await admin.query(`SET TIME ZONE 'UTC'`);
  const slot = `e2e_${t.name}`.slice(0, 63);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `talemo-e2e-${label}-`));
  const serviceOptions = {
    replicationUrl: t.urls.replication,
    publication: 'talemo_sync',
    slot,
    dataDir,
    secret: SHAPE_SECRET,
    longPollTimeoutMs: options.longPollMs ?? 3_000,
    checkpointIntervalMs: 200,
  };

  let inProcess: ShapeService | undefined;
  let child: ServiceProcess | undefined;
  let upstream: ShapeUpstream | undefined;
  const startService = async () => {
    if (options.serviceInChild) {
      child = await startServiceProcess(serviceOptions);
      upstream = shapeUpstream(child.url, SHAPE_SECRET);
    } else {
      inProcess = await startShapeService(serviceOptions);
      upstream = shapeUpstream(inProcess.url, SHAPE_SECRET);
    }
  };
  const stopService = async (how: 'kill' | 'stop') => {
    upstream = undefined;
    if (child) await (how === 'kill' ? child.kill() : child.stop());
    if (inProcess) await inProcess.stop();
    child = undefined;
    inProcess = undefined;
  };
  await startService();

  const agentQueue = realAgentQueue(t);
  const agents = agentQueue.dispatcher;
  const port = await freePort();
  const config = testConfig({ HOST: '127.0.0.1', PORT: String(port), CORS_ORIGINS: PWA_ORIGIN, ...options.env });
  const app = createApp({
    config,
    logger: silentLogger(),
    metrics: createMetrics({ collectProcessMetrics: false }),
    db: t.db,
    health: { readiness: readinessChecks(t.db) },
    shapeUpstream: () => upstream,
    agents,
  });
  let http: HttpServer | undefined = await listen(app.fetch, '127.0.0.1', port);

  return {
    url: `http://127.0.0.1:${port}`,
    t,
    admin,
    queuedTasks: agentQueue.queuedTasks,
    shapeServiceUrl: () => {
      if (!upstream) throw new Error('the shape service is not running');
      return upstream.shapeUrl.replace(/\/v1\/shape$/, '');
    },
    killShapeService: () => stopService('kill'),
    startShapeService: startService,
    async stopListener() {
      await http?.close(0);
      http = undefined;
    },
    async startListener() {
      if (!http) http = await listen(app.fetch, '127.0.0.1', port);
    },
    async close() {
      await http?.close(0);
      await agentQueue.close();
      await stopService('stop');
      await admin.end();
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          await adminQuery(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${slot}'`);
          break;
        } catch (err) {
          // The walsender of a just-stopped service may still hold the slot.
          if ((err as { code?: string }).code !== '55006') throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await t.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
