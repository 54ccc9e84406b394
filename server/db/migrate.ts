/**
 * Applies the numbered SQL files in migrations/ with node-pg-migrate, as the
 * owner role so every object belongs to it. Applied files are recorded in
 * `pgmigrations`; re-running applies nothing new. A process-wide advisory lock
 * (taken by node-pg-migrate) lets several servers start at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
export const MIGRATIONS_TABLE = 'pgmigrations';

export interface MigrationResult {
  applied: string[];
}

export async function migrate(ownerUrl: string, log: (message: string) => void = () => {}): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'talemo-migrate' });
  await client.connect();
  try {
    const ran = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: MIGRATIONS_TABLE,
      // Only NNN_name.sql files are migrations (the folder also has a README).
      ignorePattern: '(?!\\d{3}_[a-z0-9_]+\\.sql$).*',
      checkOrder: true,
      singleTransaction: true,
      log,
      logger: { debug: () => {}, info: log, warn: log, error: log },
    });
    return { applied: ran.map((m) => m.name) };
  } finally {
    await client.end();
  }
}

/** Names of the migration files shipped with this build, in order. */
export function expectedMigrations(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => f.replace(/\.sql$/, ''));
}
