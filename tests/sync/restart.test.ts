/**
 * Restarts: shape logs and the replication position survive a stop and a
 * start on the same data directory, so clients resume from their stored
 * offset with the same handle — no must-refetch, nothing lost or repeated —
 * and the slot is confirmed as the service goes, so WAL does not pile up.
 */
import type { Message, Row } from '@electric-sql/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { byId, eventually, materialize, openSyncTestDb, SECRET, shapeStream, startService, tempDataDir, type SyncTestDb } from './support/sync-test-kit.ts';
import { freePort } from '../support/free-port.ts';

let t: SyncTestDb;

beforeAll(async () => {
  t = await openSyncTestDb('restart');
  await t.createTable('notes', 'id int PRIMARY KEY, owner int NOT NULL, body text');
  await t.owner.query(`INSERT INTO notes SELECT g, g % 3, 'note ' || g FROM generate_series(1, 30) g`);
});

afterAll(async () => {
  await t?.close();
});

async function confirmedFlush(): Promise<bigint> {
  const { rows } = await t.owner.query<{ lsn: string }>(`SELECT (confirmed_flush_lsn - '0/0')::text AS lsn FROM pg_replication_slots WHERE slot_name = $1`, [t.slot]);
  return BigInt(rows[0]!.lsn);
}

it('resumes a client from its stored offset after a restart on the same data directory, without refetching', async () => {
  const dataDir = tempDataDir('restart');
  const first = await startService(t, dataDir);
  const params = { table: 'notes', where: 'owner = $1', params: ['1'] };
  const stream = shapeStream(first, params);
  const { rows, shape } = materialize(stream);
  await eventually(() => expect(rows()).toHaveLength(10));
  await t.owner.query(`UPDATE notes SET body = 'edited' WHERE id = 1`);
  await eventually(() => expect(rows().find((r) => r.id === 1)?.body).toBe('edited'));
  const handle = stream.shapeHandle!;
  const offset = stream.lastOffset;
  shape.unsubscribeAll();
  stream.unsubscribeAll();

  const before = await confirmedFlush();
  await first.stop();

  // Changes while the service is down: they wait in the slot.
  await t.owner.query(`INSERT INTO notes VALUES (31, 1, 'while down'), (32, 2, 'other owner')`);
  await t.owner.query('DELETE FROM notes WHERE id = 4');
  await t.owner.query(`UPDATE notes SET owner = 1 WHERE id = 2`);

  const second = await startService(t, dataDir);
  try {
    const resumed = shapeStream(second, params, { offset, handle });
    const received: Message<Row>[] = [];
    resumed.subscribe((messages) => void received.push(...messages));
    await eventually(() => expect(resumed.isUpToDate).toBe(true));
    await eventually(() => expect(received.filter((m) => 'key' in m)).toHaveLength(3));
    expect(resumed.shapeHandle).toBe(handle);
    expect(received.some((m) => 'headers' in m && (m.headers as { control?: string }).control === 'must-refetch')).toBe(false);
    const changes = received.filter((m): m is Message<Row> & { key: string; value: Row } => 'key' in m);
    expect(changes.map((m) => [m.headers.operation, m.value.id])).toEqual([
      ['insert', 31],
      ['delete', 4],
      ['insert', 2],
    ]);
    resumed.unsubscribeAll();

    // A fresh client of the same definition gets the same handle and the current rows.
    const fresh = materialize(shapeStream(second, params));
    const { rows: want } = await t.owner.query('SELECT id, owner, body FROM notes WHERE owner = 1 ORDER BY id');
    await eventually(() => expect(byId(fresh.rows())).toEqual(want));
    expect(fresh.shape.handle).toBe(handle);
    fresh.shape.unsubscribeAll();

    // The slot is confirmed past what the first run had confirmed.
    await second.checkpoint();
    await eventually(async () => expect(await confirmedFlush()).toBeGreaterThan(before));
  } finally {
    await second.stop();
  }
});

it('keeps a running client going across a restart on the same port, and confirms WAL it never needed', async () => {
  const dataDir = tempDataDir('restart-live');
  const port = await freePort();
  const first = await startService(t, dataDir, { port });
  const stream = shapeStream(first, { table: 'notes' });
  const { rows } = materialize(stream);
  await eventually(() => expect(rows().length).toBeGreaterThan(20));
  const handle = stream.shapeHandle;
  await first.stop();
  await t.owner.query(`INSERT INTO notes VALUES (40, 0, 'across the restart')`);
  const second = await startService(t, dataDir, { port });
  try {
    await t.owner.query(`UPDATE notes SET body = 'after' WHERE id = 40`);
    const { rows: want } = await t.owner.query('SELECT id, owner, body FROM notes ORDER BY id');
    await eventually(() => expect(byId(rows())).toEqual(want), 20_000);
    expect(stream.shapeHandle).toBe(handle);

    // Writes to a table outside the publication still let the slot advance.
    await t.owner.query('CREATE TABLE IF NOT EXISTS unrelated (id int)');
    const mark = await confirmedFlush();
    await t.owner.query('INSERT INTO unrelated SELECT generate_series(1, 1000)');
    await eventually(async () => {
      await second.checkpoint();
      expect(await confirmedFlush()).toBeGreaterThan(mark);
    }, 30_000, 500);
  } finally {
    stream.unsubscribeAll();
    await second.stop();
  }
});

it('answers 503 with retry-after (and health "starting") until it can stream, e.g. while another process holds the slot', async () => {
  const holder = await startService(t, tempDataDir('holder'));
  const port = await freePort();
  const waiting = startService(t, tempDataDir('waiting'), { port });
  try {
    const base = `http://127.0.0.1:${port}`;
    await eventually(async () => {
      const health = await fetch(`${base}/v1/health?secret=${SECRET}`);
      expect(health.status).toBe(202);
      expect(await health.json()).toEqual({ status: 'starting' });
    });
    const res = await fetch(`${base}/v1/shape?table=notes&offset=-1&secret=${SECRET}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    await holder.stop();
    const second = await waiting;
    const health = await fetch(`${base}/v1/health?secret=${SECRET}`);
    expect(health.status).toBe(200);
    const { rows } = materialize(shapeStream(second, { table: 'notes', where: 'owner = 2' }));
    const { rows: want } = await t.owner.query('SELECT id, owner, body FROM notes WHERE owner = 2 ORDER BY id');
    await eventually(() => expect(byId(rows())).toEqual(want));
    await second.stop();
  } finally {
    await holder.stop();
    await (await waiting.catch(() => undefined))?.stop();
  }
});
