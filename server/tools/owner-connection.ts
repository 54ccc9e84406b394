/**
 * The connection string for maintenance tools that must act as the owner
 * role (talemo_owner), such as `npm run audit:verify`. OPERATOR_DATABASE_URL
 * when set; otherwise derived the way the server derives its own role
 * passwords at start: from the instance secret (TALEMO_SECRET or the data
 * directory's) and DATABASE_URL, or the embedded Postgres on TALEMO_PG_PORT.
 */
import type { Config } from '../config.ts';
import { rolePassword } from '../db/bootstrap.ts';
import { ROLES } from '../db/roles.ts';
import { instanceSecret } from '../platform/data-dir.ts';

/** The database the embedded Postgres holds (server/platform/talemo.ts). */
const EMBEDDED_DATABASE = 'talemo';

export function ownerDatabaseUrl(config: Config): string {
  if (config.operator.databaseUrl) return config.operator.databaseUrl;
  const secret = instanceSecret(config);
  const url = new URL(config.databaseUrl ?? `postgres://127.0.0.1:${config.embeddedPgPort}/${EMBEDDED_DATABASE}`);
  url.username = ROLES.owner;
  url.password = rolePassword(secret, ROLES.owner);
  return url.toString();
}
