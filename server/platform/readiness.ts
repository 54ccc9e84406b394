/**
 * What /api/health/ready checks: the database answers, and every migration
 * this build ships has been applied to it.
 */
import type { Database } from '../db/database.ts';
import { expectedMigrations, MIGRATIONS_TABLE } from '../db/migrate.ts';
import type { ReadinessCheck } from '../http/health-routes.ts';

export function readinessChecks(db: Database): () => Promise<ReadinessCheck[]> {
  const expected = expectedMigrations();
  return async () => [await databaseCheck(db), await migrationsCheck(db, expected)];
}

async function databaseCheck(db: Database): Promise<ReadinessCheck> {
  try {
    await db.ping();
    return { name: 'database', ok: true };
  } catch (err) {
    return { name: 'database', ok: false, detail: (err as Error).message };
  }
}

async function migrationsCheck(db: Database, expected: string[]): Promise<ReadinessCheck> {
  try {
    const { rows } = await db.pool.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
    const applied = new Set(rows.map((r) => r.name));
    const missing = expected.filter((name) => !applied.has(name));
    if (missing.length > 0) return { name: 'migrations', ok: false, detail: `not applied: ${missing.join(', ')}` };
    return { name: 'migrations', ok: true, detail: `${expected.length} applied` };
  } catch (err) {
    return { name: 'migrations', ok: false, detail: (err as Error).message };
  }
}
