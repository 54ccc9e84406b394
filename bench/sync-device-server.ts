/**
 * For the device-level sync benchmarks: the real Talemo server as `npm start`
 * runs it (main.ts in its own process: the app with the proxy, the
 * embedded shape service and the agent worker) on a throwaway, durable embedded Postgres, plus
 * families with real sessions, so devices in the benchmark process reach
 * shapes and mutations through the proxy over loopback exactly as in
 * production. The server's own process keeps its event loop and memory
 * apart from the simulated devices'.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createSession } from '../server/auth/session-store.ts';
import { Database } from '../server/db/database.ts';
import { createTenant } from '../server/tenants/tenant-creation-service.ts';
import { freePort } from '../tests/support/free-port.ts';
import { startTalemoProcess, type TalemoProcess } from '../tests/support/talemo-process.ts';
import { startBenchPostgres, type BenchPostgres } from './support/bench-postgres.ts';

export interface BenchMember {
  userId: string;
  token: string;
  kind: 'adult' | 'kid';
}

export interface BenchFamily {
  tenantId: string;
  admin: BenchMember;
  members: BenchMember[];
  kidsProfileId: string;
}

export interface BenchServer {
  url: string;
  /** The server process, for its RSS. */
  pid: number;
  pg: BenchPostgres;
  /** The app role, for fixtures written the way the server writes them. */
  db: Database;
  createFamily(name: string, adults: number, kids: number): Promise<BenchFamily>;
  stop(): Promise<void>;
}

export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const pg = await startBenchPostgres();
  const port = await freePort();
  const dataDir = path.join(pg.root, 'talemo-data');
  fs.mkdirSync(dataDir);
  const databaseUrl = new URL(pg.adminUrl);
  databaseUrl.pathname = '/talemo';
  const proc: TalemoProcess = startTalemoProcess({
    DATABASE_URL: databaseUrl.toString(),
    TALEMO_SECRET: pg.secret,
    TALEMO_DATA_DIR: dataDir,
    TALEMO_SEED_DEMO: 'false',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    TALEMO_DB_POOL_MAX: '20',
    ...env,
  });
  await proc.waitFor(/Talemo is running at/, 120_000);
  const db = new Database({ connectionString: pg.urls.app, poolMax: 4 });

  const member = async (tenantId: string, userId: string, kind: 'adult' | 'kid'): Promise<BenchMember> => {
    const { token } = await db.transaction({ tenantId, userId }, (tx) => createSession(tx, tenantId, userId, kind === 'kid' ? 'pairing' : 'password'));
    return { userId, token, kind };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    pid: proc.child.pid!,
    pg,
    db,
    async createFamily(name, adults, kids) {
      const tenantId = randomUUID();
      const created = await db.transaction({ tenantId, userId: null }, (tx) =>
        createTenant(tx, tenantId, { name, type: 'family', plan: 'institution', admin: { email: `${randomBytes(6).toString('hex')}@bench.example`, displayName: 'Admin' } }),
      );
      const ids = await db.transaction({ tenantId, userId: null }, async (tx) => {
        const out: Array<{ id: string; kind: 'adult' | 'kid' }> = [];
        for (let i = 0; i < adults + kids; i++) {
          const kind = i < adults ? 'adult' : 'kid';
          const profile = kind === 'adult' ? created.profileIds.parentCreator : created.profileIds.kidsListenOnly;
          const { id } = await tx.one<{ id: string }>('INSERT INTO users (tenant_id, profile_id, kind, email, display_name) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
            tenantId, profile, kind, kind === 'adult' ? `${randomBytes(6).toString('hex')}@bench.example` : null, `${kind} ${i}`,
          ]);
          out.push({ id, kind });
        }
        return out;
      });
      const members: BenchMember[] = [];
      for (const { id, kind } of ids) members.push(await member(tenantId, id, kind));
      return { tenantId, admin: await member(tenantId, created.adminUserId, 'adult'), members, kidsProfileId: created.profileIds.kidsListenOnly };
    },
    async stop() {
      await db.close();
      const exited = proc.exited;
      proc.child.kill('SIGTERM');
      const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      await pg.stop();
    },
  };
}

/** Published, approved, tenant-wide stories for 4-6 year olds: every member of the family sees them. */
export async function addLibrary(db: Database, family: BenchFamily, count: number): Promise<void> {
  await db.transaction({ tenantId: family.tenantId, userId: null }, (tx) =>
    tx.execute(
      `INSERT INTO stories (tenant_id, title, description, content, age_range, visibility, is_published, moderation_status, created_by, published_at)
       SELECT $1, 'Story ' || g, 'A short description of story ' || g, repeat('Once upon a time. ', 20), '4-6', 'tenant_only', true, 'approved', $2, now()
       FROM generate_series(1, $3::int) g`,
      [family.tenantId, family.admin.userId, count],
    ),
  );
}
