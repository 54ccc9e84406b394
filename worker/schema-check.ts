/**
 * The worker never migrates: the server does (npm start), so two versions
 * never race to change one schema. A worker started against a database its
 * version does not match stops at once, saying which migrations differ,
 * instead of failing jobs later on a missing column.
 */
import pg from 'pg';
import { assertSchemaCompatibility, LATEST_SCHEMA_VERSION, SchemaMigrationRequiredError } from 'bullmq';
import type { Database } from '../server/db/database.ts';
import { expectedMigrations, MIGRATIONS_TABLE } from '../server/db/migrate.ts';
import { QUEUE_SCHEMA } from '../server/db/roles.ts';
import type { QueueBackend } from '../server/queue/queue-backend.ts';
import { StartupError } from '../server/platform/startup-error.ts';

const MIGRATE_HINT = 'Start the server (npm start) with this version: it applies the migrations. The worker never migrates.';

export async function assertSchemaCurrent(db: Database, backend: QueueBackend, queueUrl: string): Promise<void> {
  await assertAppSchema(db);
  if (backend.kind === 'postgres') await assertQueueSchema(queueUrl);
}

async function assertAppSchema(db: Database): Promise<void> {
  let applied: string[];
  try {
    const rows = await db.transaction({ tenantId: null, userId: null }, (tx) => tx.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY name`), { readOnly: true });
    applied = rows.map((r) => r.name);
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') throw new StartupError('The database has no Talemo schema yet.', MIGRATE_HINT);
    throw err;
  }
  const expected = expectedMigrations();
  const missing = expected.filter((m) => !applied.includes(m));
  if (missing.length > 0) {
    throw new StartupError(`The database is behind this worker: ${missing.length} migration(s) not applied (${missing.join(', ')}).`, MIGRATE_HINT);
  }
  const unknown = applied.filter((m) => !expected.includes(m));
  if (unknown.length > 0) {
    throw new StartupError(
      `The database is ahead of this worker: it has migration(s) this version does not know (${unknown.join(', ')}).`,
      'Deploy the same version of Talemo for the server and the workers.',
    );
  }
}

async function assertQueueSchema(queueUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: queueUrl, application_name: 'talemo-worker-check' });
  await client.connect();
  try {
    const version = await assertSchemaCompatibility(client, QUEUE_SCHEMA);
    if (version < LATEST_SCHEMA_VERSION) {
      throw new StartupError(`BullMQ's tables (schema ${QUEUE_SCHEMA}) are at version ${version}; this worker needs ${LATEST_SCHEMA_VERSION}.`, MIGRATE_HINT);
    }
  } catch (err) {
    if (err instanceof SchemaMigrationRequiredError) throw new StartupError(`BullMQ's tables (schema ${QUEUE_SCHEMA}) do not exist yet.`, MIGRATE_HINT);
    throw err;
  } finally {
    await client.end();
  }
}
