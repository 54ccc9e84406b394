/**
 * The embedded shape service: Postgres logical replication in, Electric's
 * HTTP shape API out. Start order: check the publication and slot, load the
 * shapes persisted by the last run (as far as its checkpoint vouches), open
 * HTTP, then stream from the checkpointed position. Until streaming starts,
 * shape requests get 503 and /v1/health says "starting".
 */
import fs from 'node:fs/promises';
import pg from 'pg';
import { ChangeProcessor } from './pipeline/change-processor.ts';
import { Checkpointer } from './pipeline/checkpointer.ts';
import { displayOptions } from './pg-settings.ts';
import { ensureReplicationSlot, assertPublicationExists } from './replication/replication-slot.ts';
import { ReplicationStream } from './replication/replication-stream.ts';
import { silentLogger, type Logger } from './service-logger.ts';
import { ShapeRouter } from './shapes/shape-router.ts';
import { ShapeStore } from './shapes/shape-store.ts';
import { type Checkpoint, readCheckpoint, writeCheckpoint } from './storage/checkpoint.ts';
import { startHttpServer } from './http/http-server.ts';

export interface ShapeServiceOptions {
  /** Postgres URL of a role with REPLICATION and SELECT on the published tables. */
  replicationUrl: string;
  /** The publication whose tables may be synced. */
  publication: string;
  /** Name of the persistent logical replication slot (created when missing). */
  slot: string;
  /** Directory for shape logs and the checkpoint (created when missing). */
  dataDir: string;
  /** Every request must carry it as `?secret=`. */
  secret: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  logger?: Logger;
  /** How long a live request is held without changes (default 20 s; the client aborts at 45 s). */
  longPollTimeoutMs?: number;
  /** Rough size of one response's messages (default 1 MiB). */
  chunkBytes?: number;
  /** How often processed changes are made durable and confirmed to the slot (default 1 s). */
  checkpointIntervalMs?: number;
  /** Connections for catalog reads and initial snapshots (default 4). */
  snapshotConnections?: number;
  /** Recent log bytes kept in memory per shape for live clients (default 64 KiB). */
  tailBytes?: number;
}

export interface ShapeServiceStats {
  shapes: number;
  liveRequests: number;
  openConnections: number;
  changesApplied: number;
  lastLsn: bigint;
  confirmedLsn: bigint;
}

export interface ShapeService {
  /** Base URL, e.g. http://127.0.0.1:3001 (the API is under /v1). */
  url: string;
  ready(): boolean;
  stats(): ShapeServiceStats;
  /** Makes everything processed so far durable and confirms it to the slot. */
  checkpoint(): Promise<void>;
  /** Stops HTTP and replication after a final checkpoint. The slot stays. */
  stop(): Promise<void>;
}

export class ShapeServiceError extends Error {
  override name = 'ShapeServiceError';
}

export async function startShapeService(options: ShapeServiceOptions): Promise<ShapeService> {
  const logger = options.logger ?? silentLogger;
  const longPollMs = options.longPollTimeoutMs ?? 20_000;
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  await fs.mkdir(options.dataDir, { recursive: true });

  const admin = new pg.Client({ connectionString: options.replicationUrl, application_name: 'talemo-sync', options: displayOptions() });
  admin.on('error', () => {});
  await admin.connect();
  const cleanup: Array<() => Promise<unknown>> = [() => admin.end()];
  try {
    await assertPublicationExists(admin, options.publication);
    const slot = await ensureReplicationSlot(admin, options.slot);
    const database = (await admin.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
    const identity = `${database}/${options.slot}/${options.publication}`;

    let checkpoint = await readCheckpoint(options.dataDir);
    const reason = !checkpoint ? undefined
      : checkpoint.identity !== identity ? `it belongs to ${checkpoint.identity}`
      : slot.created ? 'the replication slot had to be created anew'
      : slot.confirmedFlushLsn > checkpoint.ackLsn ? 'the slot was confirmed past what this directory holds'
      : undefined;
    if (!checkpoint || reason) {
      if (reason) logger.warn({ dataDir: options.dataDir, reason }, 'discarding shape state that cannot be continued; clients will refetch');
      await fs.rm(`${options.dataDir}/shapes`, { recursive: true, force: true });
      checkpoint = { format: 1, identity, lsn: 0n, ackLsn: slot.confirmedFlushLsn, nextSeq: checkpoint?.nextSeq ?? 0, shapes: {} };
      await writeCheckpoint(options.dataDir, checkpoint);
    }

    const pool = new pg.Pool({ connectionString: options.replicationUrl, max: options.snapshotConnections ?? 4, application_name: 'talemo-sync-snapshot', options: displayOptions(), idleTimeoutMillis: 30_000 });
    pool.on('error', () => {});
    cleanup.push(() => pool.end());

    const router = new ShapeRouter();
    let processor: ChangeProcessor;
    const store = new ShapeStore({
      dir: options.dataDir,
      pool,
      publication: options.publication,
      chunkBytes,
      tailBytes: options.tailBytes ?? 64 * 1024,
      logger,
      lastProcessedLsn: () => processor.lastLsn,
      onSnapshotReady: (shape) => processor.completeSnapshot(shape),
      onRemoved: (shape) => router.remove(shape),
    });
    for (const shape of await store.load(checkpoint)) router.add(shape);
    processor = new ChangeProcessor(store, router, logger, checkpoint.lsn, checkpoint.ackLsn);
    cleanup.push(() => store.closeAll());

    let stream: ReplicationStream | undefined;
    let streaming = false;
    let stopping = false;
    const checkpointer = new Checkpointer(options.dataDir, store, processor, (lsn) => stream?.confirm(lsn), logger, checkpoint);
    checkpointer.start(options.checkpointIntervalMs ?? 1000);

    const http = await startHttpServer(
      { store, globalLsn: () => processor.lastLsn, ready: () => streaming, longPollMs, chunkBytes, logger },
      options.secret,
      options.host ?? '127.0.0.1',
      options.port ?? 0,
    );
    cleanup.push(() => http.close());

    const connect = async (): Promise<void> => {
      // A slot stays "active" for a moment after its previous consumer died
      // (a restart after a crash): wait for Postgres to notice rather than fail.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const next = new ReplicationStream({
          connectionString: options.replicationUrl,
          slot: options.slot,
          publication: options.publication,
          startLsn: checkpointer.last.ackLsn > processor.lastEndLsn ? checkpointer.last.ackLsn : processor.lastEndLsn,
          onTransaction: (tx) => processor.apply(tx),
          onIdle: (walEnd) => checkpointer.noteIdle(walEnd),
          onClose: (error) => {
            streaming = false;
            if (stopping) return;
            logger.warn({ err: error }, 'replication stream ended; reconnecting');
            void reconnect();
          },
        });
        try {
          await next.start();
          stream = next;
          streaming = true;
          return;
        } catch (err) {
          await next.stop();
          const code = (err as { code?: string }).code;
          if (code !== '55006') throw err;
          if (Date.now() > deadline) throw new ShapeServiceError(`Replication slot "${options.slot}" is in use by another process: ${(err as Error).message}. Stop the other shape service or choose another slot name (SYNC_SLOT).`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    let reconnecting = false;
    const reconnect = async () => {
      if (reconnecting) return;
      reconnecting = true;
      for (let delay = 500; !stopping; delay = Math.min(delay * 2, 10_000)) {
        await new Promise((r) => setTimeout(r, delay));
        try {
          await connect();
          break;
        } catch (err) {
          logger.warn({ err }, 'replication reconnect failed; retrying');
        }
      }
      reconnecting = false;
    };
    await connect();

    const trimTimer = setInterval(() => {
      const idleSince = Date.now() - 60_000;
      for (const shape of store.all()) if (shape.state === 'ready' && shape.waiters.size === 0 && shape.lastActive < idleSince) shape.log.trimTail();
    }, 30_000);
    trimTimer.unref();

    logger.info({ url: http.url, slot: options.slot, publication: options.publication, shapes: store.size }, 'shape service started');
    return {
      url: http.url,
      ready: () => streaming,
      stats: () => ({
        shapes: store.size,
        liveRequests: [...store.all()].reduce((n, s) => n + s.waiters.size, 0),
        openConnections: http.connections(),
        changesApplied: processor.changesApplied,
        lastLsn: processor.lastLsn,
        confirmedLsn: stream?.confirmedLsn ?? 0n,
      }),
      checkpoint: () => checkpointer.run(),
      async stop() {
        if (stopping) return;
        stopping = true;
        clearInterval(trimTimer);
        await http.close();
        await checkpointer.stop();
        await stream?.stop();
        for (const fn of cleanup.reverse()) await fn().catch(() => {});
      },
    };
  } catch (err) {
    for (const fn of cleanup.reverse()) await fn().catch(() => {});
    throw err;
  }
}
