/**
 * Where the standalone worker finds the database `npm start` set up: the
 * server of DATABASE_URL (its database), or the embedded Postgres of a
 * running `npm start` (127.0.0.1:TALEMO_PG_PORT, database "talemo"), with
 * the role passwords derived from the instance secret as the server derives
 * them (server/db/bootstrap.ts). The secret is TALEMO_SECRET, or the one the
 * server keeps in the data directory; the worker never creates one.
 */
import path from 'node:path';
import type { Config } from '../server/config.ts';
import { roleUrls, type DatabaseUrls } from '../server/db/bootstrap.ts';
import { existingInstanceSecret } from '../server/platform/data-dir.ts';
import { StartupError } from '../server/platform/startup-error.ts';

export function workerDatabaseUrls(config: Config): DatabaseUrls {
  const secret = instanceSecret(config);
  if (config.databaseUrl) {
    const database = decodeURIComponent(new URL(config.databaseUrl).pathname.replace(/^\//, '')) || 'postgres';
    return roleUrls(config.databaseUrl, secret, database);
  }
  return roleUrls(`postgres://127.0.0.1:${config.embeddedPgPort}/talemo`, secret, 'talemo');
}

function instanceSecret(config: Config): string {
  const secret = existingInstanceSecret(config);
  if (secret !== undefined) return secret;
  throw new StartupError(
    `The worker needs the instance secret to reach the database, and there is neither TALEMO_SECRET nor ${path.join(config.dataDir, 'secret')}.`,
    'Set TALEMO_SECRET to the server’s, or point TALEMO_DATA_DIR at the data directory of the server’s first start.',
  );
}
