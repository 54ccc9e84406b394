/**
 * `npm start` as a newcomer meets it: a real process that starts, serves,
 * and stops cleanly on Ctrl-C; and that refuses bad settings or directories
 * with a clear message, a non-zero exit, no hang and nothing deleted.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { runTalemoToExit, startTalemoProcess } from '../support/talemo-process.ts';
import { adminQuery, cluster } from '../support/test-database.ts';

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-start-'));
  fs.chmodSync(dir, 0o755);
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function listing(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).sort();
}

async function externalDatabase(): Promise<string> {
  const name = `t_start_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(cluster().adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// The cluster's own secret: bootstrap (re)sets the cluster-wide role passwords
// from it, and a different one would lock every other suite out.
const secret = cluster().secret;

describe('a good start', () => {
  it('runs on embedded Postgres, serves, and leaves no process behind after SIGINT', async () => {
    const data = path.join(tempDir(), 'data');
    const env = { TALEMO_DATA_DIR: data, PORT: String(await freePort()), TALEMO_PG_PORT: String(await freePort()) };
    const proc = startTalemoProcess(env);
    await proc.waitFor(/Talemo is running at (\S+)/, 90_000);
    const url = /Talemo is running at (\S+)/.exec(proc.output())![1]!;
    expect(proc.output()).toContain('A demo was seeded');
    expect(proc.output()).toMatch(/camille@example\.com \/ \S{8,}/);
    expect((await fetch(`${url}/api/health/ready`)).status).toBe(200);
    expect(fs.statSync(path.join(data, 'secret')).mode & 0o777).toBe(0o600);

    // The in-process worker narrates and illustrates the demo stories, so a
    // newcomer's first library plays: signs in with the printed password.
    const password = /camille@example\.com \/ (\S+)/.exec(proc.output())![1]!;
    const signIn = await fetch(`${url}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'camille@example.com', password }) });
    const token = (await signIn.json()).data.token as string;
    const deadline = Date.now() + 120_000;
    let stories: Array<{ audio_asset_id: string | null; image_asset_id: string | null }> = [];
    while (Date.now() < deadline) {
      const res = await fetch(`${url}/api/stories?limit=20`, { headers: { Authorization: `Bearer ${token}` } });
      stories = (await res.json()).data.items;
      if (stories.length > 0 && stories.every((s) => s.audio_asset_id && s.image_asset_id)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(stories.length).toBeGreaterThanOrEqual(3);
    expect(stories.filter((s) => !s.audio_asset_id || !s.image_asset_id)).toEqual([]);

    const pid = Number(fs.readFileSync(path.join(data, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(fs.existsSync(path.join(data, 'postgres', 'postmaster.pid'))).toBe(false);

    // The second start reuses the directory and does not seed again.
    const again = startTalemoProcess(env);
    await again.waitFor(/Talemo is running at/, 60_000);
    expect(again.output()).not.toContain('A demo was seeded');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('a Ctrl-C during start-up still stops what had started, in order', async () => {
    const data = path.join(tempDir(), 'data');
    const proc = startTalemoProcess({ TALEMO_DATA_DIR: data, PORT: String(await freePort()), TALEMO_PG_PORT: String(await freePort()), LOG_LEVEL: 'info' });
    await proc.waitFor(/embedded Postgres started/, 90_000);
    const pid = Number(fs.readFileSync(path.join(data, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(proc.output()).not.toContain('Talemo is running');
  });

  it('with DATABASE_URL uses that Postgres and still migrates it', async () => {
    const databaseUrl = await externalDatabase();
    const proc = startTalemoProcess({ DATABASE_URL: databaseUrl, TALEMO_SECRET: secret, TALEMO_DATA_DIR: path.join(tempDir(), 'd'), PORT: String(await freePort()) });
    await proc.waitFor(/Talemo is running at/);
    const { rows } = await adminQuery('SELECT count(*)::int AS n FROM pgmigrations', new URL(databaseUrl).pathname.slice(1));
    expect(rows[0].n).toBeGreaterThanOrEqual(8);
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
  });
});

describe('bad input at start', () => {
  it('malformed env: lists every bad variable and exits 78', async () => {
    const { code, output } = await runTalemoToExit({ PORT: 'eighty', TALEMO_PG_PORT: '99999', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x@y/z', TALEMO_SEED_DEMO: 'maybe' });
    expect(code).toBe(78);
    for (const name of ['PORT', 'TALEMO_PG_PORT', 'LOG_LEVEL', 'DATABASE_URL', 'TALEMO_SEED_DEMO']) expect(output).toMatch(new RegExp(`- ${name}: `));
    expect(output).not.toContain('mysql://x@y/z');
  });

  it('unreachable DATABASE_URL: says so and exits 1', async () => {
    const port = await freePort();
    const dir = tempDir();
    const { code, output } = await runTalemoToExit({ DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/talemo`, TALEMO_DATA_DIR: path.join(dir, 'd') });
    expect(code).toBe(1);
    expect(output).toContain(`Cannot reach the database in DATABASE_URL at 127.0.0.1:${port}/talemo: connection refused.`);
    expect(output).not.toContain('u:p@');
  });

  it('HTTP port in use: says which and exits 1', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const { code, output } = await runTalemoToExit({ DATABASE_URL: await externalDatabase(), TALEMO_SECRET: secret, TALEMO_DATA_DIR: path.join(tempDir(), 'd'), PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`Cannot listen on 127.0.0.1:${port}: the port is in use.`);
    } finally {
      blocker.close();
    }
  });

  it('Postgres port in use: says which and exits 1', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const { code, output } = await runTalemoToExit({ TALEMO_DATA_DIR: path.join(tempDir(), 'd'), TALEMO_PG_PORT: String(port), PORT: String(await freePort()) });
      expect(code).toBe(1);
      expect(output).toContain(`Postgres could not listen on 127.0.0.1:${port}: the port is in use.`);
    } finally {
      blocker.close();
    }
  });

  it('foreign data directory: refused, nothing touched', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'thesis.tex'), 'precious');
    const { code, output } = await runTalemoToExit({ TALEMO_DATA_DIR: dir });
    expect(code).toBe(1);
    expect(output).toContain('is not a Talemo data directory');
    expect(listing(dir)).toEqual(['thesis.tex']);
  });

  it('a cluster from another Postgres version: refused, nothing touched', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'talemo.json'), JSON.stringify({ format: 1, createdAt: 'x' }));
    fs.mkdirSync(path.join(dir, 'postgres'));
    fs.writeFileSync(path.join(dir, 'postgres', 'PG_VERSION'), '16\n');
    const before = listing(dir);
    const { code, output } = await runTalemoToExit({ TALEMO_DATA_DIR: dir });
    expect(code).toBe(1);
    expect(output).toContain('holds a Postgres 16 cluster, but Talemo embeds Postgres 18');
    expect(listing(dir)).toEqual(before);
  });

  it('a corrupt cluster: Postgres refuses to start, Talemo says so, nothing deleted', async () => {
    const data = path.join(tempDir(), 'data');
    const env = { TALEMO_DATA_DIR: data, PORT: String(await freePort()), TALEMO_PG_PORT: String(await freePort()), TALEMO_SEED_DEMO: 'false' };
    const first = startTalemoProcess(env);
    await first.waitFor(/Talemo is running at/, 90_000);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    fs.rmSync(path.join(data, 'postgres', 'global', 'pg_control'));
    const before = listing(data);
    const { code, output } = await runTalemoToExit(env);
    expect(code).toBe(1);
    expect(output).toContain('Postgres failed to start from');
    expect(output).toContain('Nothing in the directory was changed.');
    expect(listing(data)).toEqual(before);
  });
});
