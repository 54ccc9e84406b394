/**
 * `npm run worker` (worker/main.ts) never migrates: against a database
 * whose schema does not match its version it stops at once, saying which
 * migrations differ and what to do, instead of failing jobs later.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startWorkerProcess } from './support/worker-process.ts';

let t: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  t = await createTestDatabase('worker_startup');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-worker-startup-'));
});
afterAll(async () => {
  await t?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({ DATABASE_URL: t.urls.admin, TALEMO_SECRET: cluster().secret, TALEMO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });

async function runToExit(extra: Record<string, string> = {}): Promise<{ code: number | string; output: string }> {
  const worker = await startWorkerProcess('worker/main.ts', { ...env(), ...extra }, /Talemo worker running|could not start/);
  const timer = setTimeout(() => worker.kill(), 30_000);
  const code = await worker.exited;
  clearTimeout(timer);
  return { code, output: worker.output() };
}

describe('npm run worker at start', () => {
  it('without the instance secret, says where it looked', async () => {
    const { code, output } = await runToExit({ TALEMO_SECRET: '' });
    expect(code).toBe(1);
    expect(output).toContain(`The Talemo worker could not start: The worker needs the instance secret to reach the database, and there is neither TALEMO_SECRET nor ${path.join(dataDir, 'secret')}.`);
  });

  it('against a database behind its version, names the missing migrations and does not apply them', async () => {
    const owner = await t.owner();
    await owner.query(`DELETE FROM pgmigrations WHERE name = '060_agent_task_recovery'`);
    try {
      const { code, output } = await runToExit();
      expect(code).toBe(1);
      expect(output).toContain('The Talemo worker could not start: The database is behind this worker: 1 migration(s) not applied (060_agent_task_recovery).');
      expect(output).toContain('Start the server (npm start) with this version: it applies the migrations. The worker never migrates.');
      expect((await owner.query(`SELECT count(*)::int AS n FROM pgmigrations WHERE name = '060_agent_task_recovery'`)).rows[0].n).toBe(0);
    } finally {
      await owner.query(`INSERT INTO pgmigrations (name, run_on) VALUES ('060_agent_task_recovery', now())`);
    }
  });

  it('without BullMQ’s tables (PostgreSQL backend), says so', async () => {
    const admin = new pg.Client({ connectionString: t.urls.admin });
    await admin.connect();
    try {
      await admin.query('ALTER SCHEMA bullmq RENAME TO bullmq_away');
      const { code, output } = await runToExit();
      expect(code).toBe(1);
      expect(output).toContain("The Talemo worker could not start: BullMQ's tables (schema bullmq) do not exist yet.");
    } finally {
      await admin.query('ALTER SCHEMA bullmq_away RENAME TO bullmq');
      await admin.end();
    }
  });

  it('against a matching database, starts and says where it works', async () => {
    const worker = await startWorkerProcess('worker/main.ts', env(), /Talemo worker running/);
    try {
      expect(worker.output()).toMatch(/Talemo worker running: database 127\.0\.0\.1:\d+\/t_worker_startup_\w+, queue postgres .* schema bullmq, 2 job\(s\) at a time\./);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    } finally {
      worker.kill();
    }
  });
});
