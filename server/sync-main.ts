/**
 * `npm run sync`: runs the embedded shape service on its own, against the
 * database Talemo uses (DATABASE_URL, or the embedded Postgres of a running
 * `npm start`). The server runs the same service in-process when
 * ELECTRIC_URL is unset; this entry is for running it as a separate process.
 *
 * Settings come from config.ts: SYNC_HOST, SYNC_PORT (3001 when 0/unset
 * here), SYNC_SLOT, SYNC_PUBLICATION, SYNC_DATA_DIR, SYNC_SECRET,
 * SYNC_REPLICATION_URL and SYNC_LONG_POLL_MS.
 */
import { startShapeService, type ShapeService, type ShapeServiceOptions } from '../sync/service/index.ts';
import type { Config } from './config.ts';
import { describeConnectError, rolePassword } from './db/bootstrap.ts';
import { ROLES } from './db/roles.ts';
import type { Logger } from './observability/logger.ts';
import { isEntryPoint, runProcess } from './platform/process-runner.ts';
import { existingInstanceSecret } from './platform/data-dir.ts';
import { deriveSecret } from './platform/derived-secret.ts';
import { StartupError } from './platform/startup-error.ts';

const STANDALONE_PORT = 3001;

/** The shape service's secret when SYNC_SECRET is unset: derived from the instance secret. */
export function syncServiceSecret(instanceSecret: string): string {
  return deriveSecret(instanceSecret, 'sync-service');
}

/**
 * Service options from the config. Without SYNC_REPLICATION_URL the URL is
 * the replication role's on DATABASE_URL's server (or the embedded one), with
 * the password Talemo derives for that role from the instance secret.
 */
export function syncServiceOptions(config: Config, instanceSecret: string | undefined): Omit<ShapeServiceOptions, 'logger'> {
  const secret = config.sync.secret ?? (instanceSecret ? syncServiceSecret(instanceSecret) : undefined);
  if (!secret) throw new StartupError('The shape service needs a secret.', 'Set SYNC_SECRET, or TALEMO_SECRET so one can be derived.');
  let replicationUrl = config.sync.replicationUrl;
  const database = databaseName(config);
  if (!replicationUrl) {
    if (!instanceSecret) throw new StartupError('Cannot derive the replication role password without the instance secret.', 'Set SYNC_REPLICATION_URL, or TALEMO_SECRET (or run where the data directory holds the secret).');
    const url = new URL(config.databaseUrl ?? `postgres://127.0.0.1:${config.embeddedPgPort}/talemo`);
    url.username = ROLES.replication;
    url.password = rolePassword(instanceSecret, ROLES.replication);
    replicationUrl = url.toString();
  }
  return {
    replicationUrl,
    publication: config.sync.publication,
    slot: config.sync.slot ?? defaultSlotName(database),
    dataDir: config.sync.dataDir,
    secret,
    host: config.sync.host,
    port: config.sync.port,
    longPollTimeoutMs: config.sync.longPollMs,
  };
}

/** The database Talemo uses: DATABASE_URL's, or `talemo` in the embedded cluster. */
function databaseName(config: Config): string {
  return config.databaseUrl ? decodeURIComponent(new URL(config.databaseUrl).pathname.slice(1)) || 'postgres' : 'talemo';
}

/**
 * Replication slots are cluster-wide, so the default names the database:
 * two Talemo databases on one Postgres must never fight over one slot.
 */
export function defaultSlotName(database: string): string {
  return `talemo_sync_${database.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/** Starts the service as `npm run sync` runs it (port 3001 unless SYNC_PORT is set). */
async function startStandalone(config: Config, logger: Logger): Promise<ShapeService> {
  const options = syncServiceOptions(config, existingInstanceSecret(config));
  try {
    return await startShapeService({ ...options, port: options.port || STANDALONE_PORT, logger: logger.child({ component: 'sync' }) });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('55')) throw describeConnectError(err, 'Postgres for the shape service', options.replicationUrl);
    throw new StartupError((err as Error).message);
  }
}

if (isEntryPoint(import.meta.url)) {
  runProcess({ name: 'The shape service', start: startStandalone, describe: (service) => `Shape service listening at ${service.url}/v1/shape (Ctrl-C to stop)` });
}
