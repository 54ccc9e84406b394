/**
 * Prepares a Postgres cluster for Talemo: creates (or corrects) the roles,
 * creates the database when running embedded, and grants what each role
 * needs before migrations run. Safe to run on every start and from several
 * processes at once.
 */
import pg from 'pg';
import { deriveSecret } from '../platform/derived-secret.ts';
import { StartupError } from '../platform/startup-error.ts';
import { QUEUE_SCHEMA, ROLES, ROLE_ATTRIBUTES, type RoleName } from './roles.ts';

export interface DatabaseUrls {
  owner: string;
  app: string;
  replication: string;
  /** BullMQ's PostgreSQL backend. */
  queue: string;
  /** The database name Talemo uses. */
  database: string;
}

export interface BootstrapOptions {
  /** A superuser (or equivalent) connection string. */
  adminUrl: string;
  secret: string;
  /** Create this database if missing (embedded mode); otherwise use the URL's own. */
  createDatabase?: string;
}

const BOOTSTRAP_LOCK = 7_461_636_101; // arbitrary, stable: serialises concurrent starters

export function rolePassword(secret: string, role: RoleName): string {
  return deriveSecret(secret, `pg-role:${role}`);
}

export async function bootstrapDatabase(options: BootstrapOptions): Promise<DatabaseUrls> {
  const adminUrl = new URL(options.adminUrl);
  const database = options.createDatabase ?? decodeURIComponent(adminUrl.pathname.replace(/^\//, '') || 'postgres');

  const admin = await connect(options.adminUrl, 'the database in DATABASE_URL');
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK]);
    await assertServerSupportsTalemo(admin);
    for (const role of Object.values(ROLES)) await ensureRole(admin, role, options.secret);
    if (options.createDatabase) await ensureDatabase(admin, options.createDatabase);
    const db = admin.escapeIdentifier(database);
    await admin.query(`GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${db} TO ${ROLES.owner}`);
    await admin.query(`GRANT CONNECT ON DATABASE ${db} TO ${ROLES.app}, ${ROLES.replication}, ${ROLES.queue}`);
    // BullMQ's migrator runs CREATE SCHEMA IF NOT EXISTS, which checks this
    // privilege even when its schema exists.
    await admin.query(`GRANT CREATE ON DATABASE ${db} TO ${ROLES.queue}`);
    // The owner hands security-definer functions to the privileged role.
    await admin.query(`GRANT ${ROLES.privileged} TO ${ROLES.owner}`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK]).catch(() => {});
    await admin.end();
  }

  const targetUrl = withDatabase(adminUrl, database);
  const target = await connect(targetUrl, `the ${database} database`);
  try {
    await target.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${ROLES.owner}, ${ROLES.privileged}`);
    await target.query(`CREATE SCHEMA IF NOT EXISTS ${QUEUE_SCHEMA} AUTHORIZATION ${ROLES.queue}`).catch((err) => {
      if ((err as { code?: string }).code !== '42P06') throw err; // created meanwhile by another starter
    });
  } finally {
    await target.end();
  }

  return roleUrls(targetUrl, options.secret, database);
}

/**
 * Each role's URL for `database` on the server of `serverUrl`, with the
 * passwords derived from the instance secret. Connects to nothing: processes
 * that join a database `npm start` has bootstrapped (the standalone worker)
 * use it to find their way in.
 */
export function roleUrls(serverUrl: string, secret: string, database: string): DatabaseUrls {
  const target = withDatabase(new URL(serverUrl), database);
  const urlFor = (role: RoleName) => {
    const url = new URL(target);
    url.username = role;
    url.password = rolePassword(secret, role);
    return url.toString();
  };
  return { owner: urlFor(ROLES.owner), app: urlFor(ROLES.app), replication: urlFor(ROLES.replication), queue: urlFor(ROLES.queue), database };
}

async function connect(url: string, what: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'talemo-bootstrap' });
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (err) {
    throw describeConnectError(err, what, url);
  }
}

export function describeConnectError(err: unknown, what: string, url: string): StartupError {
  const e = err as NodeJS.ErrnoException & { code?: string };
  const where = safeLocation(url);
  switch (e.code) {
    case 'ECONNREFUSED':
      return new StartupError(`Cannot reach ${what} at ${where}: connection refused.`, 'Is Postgres running there? Check DATABASE_URL, or unset it to use the embedded Postgres.');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(`Cannot reach ${what} at ${where}: the host name does not resolve.`, 'Check the host in DATABASE_URL.');
    case 'ETIMEDOUT':
      return new StartupError(`Cannot reach ${what} at ${where}: the connection timed out.`, 'Check the host, port and any firewall between here and Postgres.');
    case '28P01':
    case '28000':
      return new StartupError(`Postgres at ${where} refused the credentials for ${what}.`, 'Check the user and password in DATABASE_URL (or, embedded, that TALEMO_SECRET has not changed since the data directory was created).');
    case '3D000':
      return new StartupError(`The database named in ${where} does not exist.`, 'Create it first, or fix the database name in DATABASE_URL.');
    default:
      return new StartupError(`Cannot connect to ${what} at ${where}: ${e.message || String(err)}`);
  }
}

/** host:port/database, without credentials. */
export function safeLocation(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(an unparsable URL)';
  }
}

function withDatabase(url: URL, database: string): string {
  const copy = new URL(url.toString());
  copy.pathname = `/${encodeURIComponent(database)}`;
  return copy.toString();
}

async function assertServerSupportsTalemo(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ version: number; wal_level: string; superuser: string }>(
    `SELECT current_setting('server_version_num')::int AS version, current_setting('wal_level') AS wal_level,
            (SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user) AS superuser`,
  );
  const info = rows[0]!;
  if (info.version < 140000) throw new StartupError(`Talemo needs Postgres 14 or later; this server is ${Math.floor(info.version / 10000)}.`);
  if (info.wal_level !== 'logical') throw new StartupError(`Postgres must run with wal_level=logical for sync (it is ${info.wal_level}).`, 'Set wal_level = logical in postgresql.conf and restart Postgres.');
  if (info.superuser !== 'true') throw new StartupError('The DATABASE_URL user must be a superuser: Talemo creates its roles (one with REPLICATION and BYPASSRLS) on start.', 'Connect as a superuser, or create the roles listed in migrations/README.md yourself.');
}

async function ensureRole(admin: pg.Client, role: RoleName, secret: string): Promise<void> {
  const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount === 0) {
    try {
      await admin.query(`CREATE ROLE ${role}`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42710') throw err; // created meanwhile by another starter
    }
  }
  const password = admin.escapeLiteral(rolePassword(secret, role));
  await admin.query(`ALTER ROLE ${role} WITH ${ROLE_ATTRIBUTES[role]} PASSWORD ${password}`);
}

async function ensureDatabase(admin: pg.Client, name: string): Promise<void> {
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) {
    try {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)} OWNER ${ROLES.owner} ENCODING 'UTF8'`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err;
    }
  }
}
