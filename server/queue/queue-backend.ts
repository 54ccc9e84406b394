/**
 * One code path for both BullMQ backends. With REDIS_URL, BullMQ runs on
 * Redis; without it, on BullMQ's PostgreSQL backend in Talemo's own database
 * (schema `bullmq`, owned by the talemo_queue role, which cannot read tenant
 * data). Callers get the same Queue/Worker/QueueEvents classes either way.
 */
import { Queue, QueueEvents, Worker, createPostgresBackend, runMigrations, withBackend } from 'bullmq';
import pg from 'pg';
import { QUEUE_SCHEMA } from '../db/roles.ts';

export type QueueBackendKind = 'postgres' | 'redis';

export interface QueueBackend {
  kind: QueueBackendKind;
  Queue: typeof Queue;
  Worker: typeof Worker;
  QueueEvents: typeof QueueEvents;
  /** What to pass as `connection` to those classes. */
  connection: unknown;
  /** Where to find it, without credentials, for logs. */
  describe: string;
}

export interface QueueBackendOptions {
  redisUrl?: string | undefined;
  /** The talemo_queue role's URL (PostgreSQL backend). */
  queueUrl: string;
}

export function queueBackend(options: QueueBackendOptions): QueueBackend {
  if (options.redisUrl) {
    const url = new URL(options.redisUrl);
    return {
      kind: 'redis',
      Queue,
      Worker,
      QueueEvents,
      // Workers block on Redis; BullMQ requires unlimited retries per request.
      connection: { url: options.redisUrl, maxRetriesPerRequest: null, enableOfflineQueue: true },
      describe: `redis ${url.hostname}:${url.port || 6379}`,
    };
  }
  const classes = withBackend(createPostgresBackend);
  const url = new URL(options.queueUrl);
  return {
    kind: 'postgres',
    Queue: classes.Queue as unknown as typeof Queue,
    Worker: classes.Worker as unknown as typeof Worker,
    QueueEvents: classes.QueueEvents as unknown as typeof QueueEvents,
    connection: { connectionString: options.queueUrl, schema: QUEUE_SCHEMA, max: 4 },
    describe: `postgres ${url.hostname}:${url.port}${url.pathname} schema ${QUEUE_SCHEMA}`,
  };
}

/** Brings BullMQ's own schema up to date (PostgreSQL backend), as the queue role. */
export async function migrateQueueSchema(queueUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: queueUrl, application_name: 'talemo-queue-migrate' });
  await client.connect();
  try {
    return await runMigrations(client, QUEUE_SCHEMA);
  } finally {
    await client.end();
  }
}
