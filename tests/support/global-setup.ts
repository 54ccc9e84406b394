/**
 * Starts one embedded Postgres for the whole test run, creates the roles and a
 * fully migrated template database, and hands the connection details to the
 * suites (`inject('talemoPg')`). Suites clone the template for isolation.
 *
 * It also brings client/dist up to date, once, before any suite runs: two
 * browser suites starting together would otherwise both rebuild it, and one
 * build would empty the directory under the other.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { bootstrapDatabase } from '../../server/db/bootstrap.ts';
import { migrate } from '../../server/db/migrate.ts';
import { migrateQueueSchema } from '../../server/queue/queue-backend.ts';
import { startEmbeddedPostgres } from '../../server/platform/embedded-postgres.ts';
import { ensureClientBuild } from '../e2e/support/client-build.ts';
import { freePort } from './free-port.ts';

export interface TestCluster {
  adminUrl: string;
  secret: string;
  template: string;
  port: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    talemoPg: TestCluster;
  }
}

export const TEMPLATE_DB = 'talemo_template';

export default async function setup(project: TestProject) {
  ensureClientBuild();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-test-'));
  // As root, Postgres runs as the postgres user, which must enter this directory.
  fs.chmodSync(root, 0o755);
  const secret = randomBytes(32).toString('base64url');
  const port = await freePort();
  const pg = await startEmbeddedPostgres({ dir: path.join(root, 'postgres'), port, superuserPassword: secret, unsafeFast: true });
  const urls = await bootstrapDatabase({ adminUrl: pg.superuserUrl, secret, createDatabase: TEMPLATE_DB });
  await migrate(urls.owner);
  await migrateQueueSchema(urls.queue);

  project.provide('talemoPg', { adminUrl: pg.superuserUrl, secret, template: TEMPLATE_DB, port });

  return async () => {
    await pg.stop();
    fs.rmSync(root, { recursive: true, force: true });
  };
}
