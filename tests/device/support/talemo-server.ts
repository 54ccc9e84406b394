/**
 * The real Talemo server (`node main.ts`, as `npm start` runs it) on a
 * database cloned from the test template, with its embedded shape service on
 * its own replication slot. Device and end-to-end suites talk to it over
 * HTTP exactly as a device would; they can stop and start it again on the
 * same port to play "the server went away".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTalemoProcess, type TalemoProcess } from '../../support/talemo-process.ts';
import { freePort } from '../../support/free-port.ts';
import { adminQuery, cluster, createTestDatabase, type TestDatabase } from '../../support/test-database.ts';

export interface TalemoServer {
  url: string;
  port: number;
  db: TestDatabase;
  /** Stops the process (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  running(): boolean;
  output(): string;
  /** Stops it and drops the database and the slot. */
  close(): Promise<void>;
}

export async function startTalemoServer(label: string, env: Record<string, string> = {}): Promise<TalemoServer> {
  const db = await createTestDatabase(label);
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `talemo-${label}-`));
  const slot = `dev_${db.name}`.slice(0, 63);
  const processEnv: Record<string, string> = {
    DATABASE_URL: db.urls.admin,
    TALEMO_SECRET: cluster().secret,
    TALEMO_DATA_DIR: dataDir,
    TALEMO_SEED_DEMO: 'false',
    HOST: '127.0.0.1',
    PORT: String(port),
    SYNC_SLOT: slot,
    SYNC_LONG_POLL_MS: '5000',
    LOG_LEVEL: 'warn',
    // Sign-ups and pairings in quick succession from one address.
    AUTH_IP_LIMIT: '100000',
    AUTH_ACCOUNT_LIMIT: '100000',
    ...env,
  };
  let proc: TalemoProcess | undefined;
  let logs = '';

  const start = async () => {
    proc = startTalemoProcess(processEnv);
    try {
      await proc.waitFor(/Talemo is running at/, 120_000);
    } catch (err) {
      proc.child.kill('SIGKILL');
      throw err;
    }
  };
  const stop = async () => {
    const p = proc;
    if (!p) return;
    proc = undefined;
    const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
    p.child.kill('SIGTERM');
    await p.exited;
    clearTimeout(timer);
    logs += p.output();
  };

  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    stop,
    start,
    running: () => proc !== undefined,
    output: () => logs + (proc?.output() ?? ''),
    async close() {
      await stop();
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          await adminQuery(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${slot}'`);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== '55006') throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
