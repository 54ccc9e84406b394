/**
 * A throwaway embedded Postgres for a benchmark: a temp directory, a free
 * loopback port, the Talemo roles and a migrated database. Removed on stop.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootstrapDatabase, type DatabaseUrls } from '../../server/db/bootstrap.ts';
import { migrate } from '../../server/db/migrate.ts';
import { startEmbeddedPostgres } from '../../server/platform/embedded-postgres.ts';
import { freePort } from '../../tests/support/free-port.ts';

export interface BenchPostgres {
  urls: DatabaseUrls;
  adminUrl: string;
  secret: string;
  root: string;
  stop(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-bench-'));
  fs.chmodSync(root, 0o755);
  const secret = randomBytes(32).toString('base64url');
  // Durable settings, as in production: benchmarks should not flatter us.
  const pg = await startEmbeddedPostgres({ dir: path.join(root, 'postgres'), port: await freePort(), superuserPassword: secret });
  const urls = await bootstrapDatabase({ adminUrl: pg.superuserUrl, secret, createDatabase: 'talemo' });
  await migrate(urls.owner);
  return {
    urls,
    adminUrl: pg.superuserUrl,
    secret,
    root,
    async stop() {
      await pg.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
