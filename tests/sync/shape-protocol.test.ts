/**
 * Electric's shape protocol, row by row of shared/PROTOCOL.md, against the
 * real service on the real embedded Postgres: the official client where it
 * shows the behaviour, raw HTTP where the client hides it (status codes,
 * headers, bodies).
 */
import { FetchError } from '@electric-sql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShapeService } from '../../sync/service/index.ts';
import { byId, eventually, materialize, openSyncTestDb, rawShape, SECRET, shapeStream, startService, tempDataDir, type SyncTestDb } from './support/sync-test-kit.ts';

let t: SyncTestDb;
let service: ShapeService;

type Message = { key?: string; value?: Record<string, unknown>; old_value?: Record<string, unknown>; headers: Record<string, unknown> };

beforeAll(async () => {
  t = await openSyncTestDb('protocol');
  await t.createTable('items', 'id int PRIMARY KEY, title text, done boolean NOT NULL DEFAULT false, amount numeric(10,2), tags text[], at timestamptz, meta jsonb, big int8');
  await t.owner.query(`INSERT INTO items (id, title, done, amount, tags, at, meta, big) VALUES
    (1, 'one', false, 1.50, '{a,"b c"}', '2024-01-02 03:04:05.678+00', '{"k": [1, 2]}', 9007199254740993),
    (2, 'two', true, NULL, NULL, NULL, NULL, NULL)`);
  await t.createTable('chunked', 'id int PRIMARY KEY, pad text NOT NULL');
  await t.owner.query(`INSERT INTO chunked SELECT g, repeat('x', 200) FROM generate_series(1, 60) g`);
  await t.owner.query('CREATE SCHEMA "Odd Schema"');
  await t.owner.query('GRANT USAGE ON SCHEMA "Odd Schema" TO talemo_replication');
  await t.createTable('"Odd Schema"."Odd/Table.Name"', '"Key" text PRIMARY KEY, "Second" int, "Value" text');
  await t.owner.query(`INSERT INTO "Odd Schema"."Odd/Table.Name" VALUES ('a/b', 1, 'first'), ('plain', 2, 'second')`);
  await t.createTable('nopk', 'a text, b int');
  await t.owner.query(`INSERT INTO nopk VALUES ('x', NULL), ('y/z', 2)`);
  await t.owner.query('CREATE TABLE unpublished (id int PRIMARY KEY)');
  service = await startService(t, tempDataDir('protocol'), { chunkBytes: 4096, longPollTimeoutMs: 1500 });
});

afterAll(async () => {
  await service?.stop();
  await t?.close();
});

const secret = { secret: SECRET };

async function initialSync(query: Record<string, string>): Promise<{ handle: string; offset: string; messages: Message[] }> {
  const messages: Message[] = [];
  let res = await rawShape(service, { ...secret, ...query, offset: '-1' });
  expect(res.status).toBe(200);
  for (;;) {
    messages.push(...(res.body as Message[]));
    const handle = res.headers.get('electric-handle')!;
    const offset = res.headers.get('electric-offset')!;
    if (res.headers.has('electric-up-to-date')) return { handle, offset, messages };
    res = await rawShape(service, { ...secret, ...query, offset, handle });
    expect(res.status).toBe(200);
  }
}

describe('initial sync and live changes through the official client', () => {
  it('materialises the table, then follows inserts, updates and deletes', async () => {
    const { rows, shape } = materialize(shapeStream(service, { table: 'items', columns: ['id', 'title', 'done'] }));
    await eventually(() => expect(byId(rows())).toEqual([{ id: 1, title: 'one', done: false }, { id: 2, title: 'two', done: true }]));
    await t.owner.query(`INSERT INTO items (id, title) VALUES (3, 'three')`);
    await t.owner.query(`UPDATE items SET title = 'uno', done = true WHERE id = 1`);
    await t.owner.query('DELETE FROM items WHERE id = 2');
    await eventually(() => expect(byId(rows())).toEqual([{ id: 1, title: 'uno', done: true }, { id: 3, title: 'three', done: false }]));
    expect(shape.isUpToDate).toBe(true);
    shape.unsubscribeAll();
    await t.owner.query('DELETE FROM items WHERE id = 3');
    await t.owner.query(`UPDATE items SET title = 'one', done = false WHERE id = 1`);
    await t.owner.query(`INSERT INTO items (id, title, done) VALUES (2, 'two', true)`);
  });

  it('parses typed values (int8, numeric, arrays, json, timestamps) from Postgres text', async () => {
    const { rows } = materialize(shapeStream(service, { table: 'items', where: 'id = 1' }));
    await eventually(() => expect(rows()).toHaveLength(1));
    const row = rows()[0]!;
    expect(row.big).toBe(9007199254740993n);
    expect(row.amount).toBe('1.50');
    expect(row.tags).toEqual(['a', 'b c']);
    expect(row.meta).toEqual({ k: [1, 2] });
    expect(row.at).toBe('2024-01-02 03:04:05.678+00');
  });
});

describe('messages, offsets and headers on the wire', () => {
  it('sends values as Postgres text output and NULL as null, with Electric keys', async () => {
    const { messages } = await initialSync({ table: 'items' });
    const one = messages.find((m) => m.key === '"public"."items"/"1"')!;
    expect(one.value).toEqual({ id: '1', title: 'one', done: 'f', amount: '1.50', tags: '{a,"b c"}', at: '2024-01-02 03:04:05.678+00', meta: '{"k": [1, 2]}', big: '9007199254740993' });
    expect(one.headers).toEqual({ operation: 'insert', relation: ['public', 'items'] });
    const two = messages.find((m) => m.key === '"public"."items"/"2"')!;
    expect(two.value!.amount).toBeNull();
  });

  it('doubles / in key values and in relation names, and writes NULL key parts as _', async () => {
    const odd = await initialSync({ table: '"Odd Schema"."Odd/Table.Name"' });
    expect(odd.messages.filter((m) => m.key).map((m) => m.key).sort()).toEqual(['"Odd Schema"."Odd//Table..Name"/"a//b"', '"Odd Schema"."Odd//Table..Name"/"plain"']);
    const nopk = await initialSync({ table: 'nopk' });
    expect(nopk.messages.filter((m) => m.key).map((m) => m.key).sort()).toEqual(['"public"."nopk"/"x"/_', '"public"."nopk"/"y//z"/"2"']);
  });

  it('serves the snapshot in chunks 0_0, 0_1, … then 0_inf, ends it with snapshot-end, and never marks -1 up to date', async () => {
    const first = await rawShape(service, { ...secret, table: 'chunked', offset: '-1' });
    expect(first.headers.get('electric-offset')).toBe('0_0');
    expect(first.headers.has('electric-up-to-date')).toBe(false);
    expect(first.headers.get('cache-control')).toContain('max-age=604800');
    const schema = JSON.parse(first.headers.get('electric-schema')!);
    expect(schema).toEqual({ id: { type: 'int4', dims: 0, not_null: true, pk_index: 0 }, pad: { type: 'text', dims: 0, not_null: true } });
    const handle = first.headers.get('electric-handle')!;
    const offsets = ['0_0'];
    let rows = (first.body as Message[]).length;
    let last: Message[] = [];
    let offset = '0_0';
    while (offset !== '0_inf') {
      const res = await rawShape(service, { ...secret, table: 'chunked', offset, handle });
      expect(res.status).toBe(200);
      offset = res.headers.get('electric-offset')!;
      offsets.push(offset);
      last = res.body as Message[];
      rows += last.filter((m) => m.key).length;
      expect(res.headers.has('electric-up-to-date')).toBe(false);
    }
    expect(offsets.length).toBeGreaterThan(2);
    expect(offsets.slice(0, -1)).toEqual(offsets.slice(0, -1).map((_, i) => `0_${i}`));
    expect(rows).toBe(60);
    const end = last[last.length - 1]!;
    expect(end.headers.control).toBe('snapshot-end');
    expect(end.headers).toMatchObject({ xmin: expect.stringMatching(/^\d+$/), xmax: expect.stringMatching(/^\d+$/), xip_list: expect.any(Array) });
    const tail = await rawShape(service, { ...secret, table: 'chunked', offset: '0_inf', handle });
    expect(tail.headers.has('electric-up-to-date')).toBe(true);
    expect(tail.body).toEqual([{ headers: { control: 'up-to-date', global_last_seen_lsn: expect.stringMatching(/^\d+$/) } }]);
  });

  it('holds a live request until a change arrives, with lsn/op_position/txids/last headers and offsets <lsn>_<op>', async () => {
    const { handle, offset } = await initialSync({ table: 'items' });
    const live = rawShape(service, { ...secret, table: 'items', offset, handle, live: 'true', cursor: '' });
    await new Promise((r) => setTimeout(r, 200));
    await t.owner.query('BEGIN');
    await t.owner.query(`INSERT INTO items (id, title) VALUES (10, 'ten'), (11, 'eleven')`);
    await t.owner.query(`UPDATE items SET title = 'TEN' WHERE id = 10`);
    await t.owner.query('COMMIT');
    const res = await live;
    expect(res.status).toBe(200);
    const body = res.body as Message[];
    const changes = body.filter((m) => m.key);
    expect(changes.map((m) => m.headers.operation)).toEqual(['insert', 'insert', 'update']);
    const lsn = changes[0]!.headers.lsn as string;
    expect(changes.map((m) => m.headers.op_position)).toEqual([0, 2, 4]);
    expect(changes.every((m) => m.headers.lsn === lsn && Array.isArray(m.headers.txids))).toBe(true);
    expect(changes.map((m) => m.headers.last ?? false)).toEqual([false, false, true]);
    expect(changes[2]!.value).toEqual({ id: '10', title: 'TEN' });
    expect(body[body.length - 1]).toEqual({ headers: { control: 'up-to-date', global_last_seen_lsn: expect.stringMatching(/^\d+$/) } });
    expect(BigInt((body[body.length - 1]!.headers.global_last_seen_lsn as string))).toBeGreaterThanOrEqual(BigInt(lsn));
    expect(res.headers.get('electric-offset')).toBe(`${lsn}_4`);
    expect(res.headers.get('electric-cursor')).toMatch(/^\d+$/);
    expect(res.headers.has('electric-schema')).toBe(false);
    expect(res.headers.has('electric-up-to-date')).toBe(true);
    await t.owner.query('DELETE FROM items WHERE id IN (10, 11)');
  });

  it('answers a live request that sees no change with up-to-date when the long poll times out', async () => {
    const { handle, offset } = await initialSync({ table: 'nopk' });
    const started = Date.now();
    const res = await rawShape(service, { ...secret, table: 'nopk', offset, handle, live: 'true', cursor: '1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ headers: { control: 'up-to-date', global_last_seen_lsn: expect.stringMatching(/^\d+$/) } }]);
    expect(res.headers.get('electric-offset')).toBe(offset);
    expect(res.headers.get('electric-cursor')).not.toBe('1');
  });

  it('answers HEAD like GET without a body, and 304 for a matching ETag', async () => {
    const { handle, offset } = await initialSync({ table: 'nopk' });
    const head = await fetch(`${service.url}/v1/shape?table=nopk&offset=${offset}&handle=${handle}&secret=${SECRET}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('electric-handle')).toBe(handle);
    const etag = head.headers.get('etag')!;
    const again = await fetch(`${service.url}/v1/shape?table=nopk&offset=${offset}&handle=${handle}&secret=${SECRET}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });
});

describe('columns, replica and log modes', () => {
  it('sends only the selected columns; quoted names are allowed', async () => {
    const { messages } = await initialSync({ table: '"Odd Schema"."Odd/Table.Name"', columns: '"Key","Value"' });
    expect(messages.filter((m) => m.key).map((m) => m.value).sort((a, b) => String(a!.Key).localeCompare(String(b!.Key)))).toEqual([
      { Key: 'a/b', Value: 'first' },
      { Key: 'plain', Value: 'second' },
    ]);
  });

  it('replica=full sends whole rows on update (with old_value of the changed columns) and on delete', async () => {
    const { handle, offset } = await initialSync({ table: 'items', replica: 'full', where: 'id >= 20' });
    await t.owner.query(`INSERT INTO items (id, title, amount) VALUES (20, 'twenty', 2.00)`);
    await t.owner.query(`UPDATE items SET title = 'XX' WHERE id = 20`);
    await t.owner.query('DELETE FROM items WHERE id = 20');
    const changes: Message[] = [];
    let at = offset;
    while (changes.length < 3) {
      const res = await rawShape(service, { ...secret, table: 'items', replica: 'full', where: 'id >= 20', offset: at, handle, live: 'true' });
      changes.push(...(res.body as Message[]).filter((m) => m.key));
      at = res.headers.get('electric-offset')!;
    }
    const [, update, remove] = changes;
    expect(update!.headers.operation).toBe('update');
    expect(update!.value).toMatchObject({ id: '20', title: 'XX', amount: '2.00', done: 'f' });
    expect(update!.old_value).toEqual({ title: 'twenty' });
    expect(remove!.headers.operation).toBe('delete');
    expect(remove!.value).toMatchObject({ id: '20', title: 'XX', amount: '2.00' });
  });

  it('replica=default sends the key plus changed columns on update and only the key on delete', async () => {
    const { handle, offset } = await initialSync({ table: 'items', where: 'id >= 30' });
    await t.owner.query(`INSERT INTO items (id, title, amount) VALUES (30, 'thirty', 3.00)`);
    await t.owner.query(`UPDATE items SET title = 'YY' WHERE id = 30`);
    await t.owner.query('DELETE FROM items WHERE id = 30');
    const changes: Message[] = [];
    let at = offset;
    while (changes.length < 3) {
      const res = await rawShape(service, { ...secret, table: 'items', where: 'id >= 30', offset: at, handle, live: 'true' });
      changes.push(...(res.body as Message[]).filter((m) => m.key));
      at = res.headers.get('electric-offset')!;
    }
    expect(changes[1]!.value).toEqual({ id: '30', title: 'YY' });
    expect(changes[1]!.old_value).toBeUndefined();
    expect(changes[2]!.value).toEqual({ id: '30' });
  });

  it('offset=now skips existing rows and delivers only later changes', async () => {
    const stream = shapeStream(service, { table: 'items' }, { offset: 'now' });
    const { rows } = materialize(stream);
    await eventually(() => expect(stream.isUpToDate).toBe(true));
    expect(rows()).toEqual([]);
    await t.owner.query(`INSERT INTO items (id, title) VALUES (40, 'forty')`);
    await eventually(() => expect(rows().map((r) => r.id)).toEqual([40]));
    await t.owner.query('DELETE FROM items WHERE id = 40');
    await eventually(() => expect(rows()).toEqual([]));
  });

  it('log=changes_only sends no initial rows, then changes', async () => {
    const stream = shapeStream(service, { table: 'items', where: 'id < 100' }, { log: 'changes_only' });
    const seen: Message[] = [];
    stream.subscribe((messages) => void seen.push(...(messages as Message[])));
    await eventually(() => expect(stream.isUpToDate).toBe(true));
    expect(seen.filter((m) => m.key)).toEqual([]);
    await t.owner.query(`INSERT INTO items (id, title) VALUES (50, 'fifty')`);
    await eventually(() => expect(seen.filter((m) => m.key).map((m) => m.value!.id)).toEqual([50]));
    stream.unsubscribeAll();
    await t.owner.query('DELETE FROM items WHERE id = 50');
  });
});

describe('409 must-refetch', () => {
  it('answers a handle that does not match the definition with 409 and the current handle', async () => {
    const { handle, offset } = await initialSync({ table: 'items', where: 'id = 1' });
    const other = await initialSync({ table: 'items', where: 'id = 2' });
    const res = await rawShape(service, { ...secret, table: 'items', where: 'id = 2', offset, handle });
    expect(res.status).toBe(409);
    expect(res.body).toEqual([{ headers: { control: 'must-refetch' } }]);
    expect(res.headers.get('electric-handle')).toBe(other.handle);
    const unknown = await rawShape(service, { ...secret, table: 'items', where: 'id = 2', offset, handle: 'no-such-handle' });
    expect(unknown.status).toBe(409);
    expect(unknown.headers.get('electric-handle')).toBe(other.handle);
  });

  it('makes clients refetch when the table schema changes, and they converge on the new shape', async () => {
    await t.createTable('evolving', 'id int PRIMARY KEY, a text');
    await t.owner.query(`INSERT INTO evolving VALUES (1, 'x')`);
    const stream = shapeStream(service, { table: 'evolving' });
    const { rows } = materialize(stream);
    const refetches: unknown[] = [];
    stream.subscribe((messages) => void refetches.push(...messages.filter((m) => 'headers' in m && (m.headers as Record<string, unknown>).control === 'must-refetch')));
    await eventually(() => expect(rows()).toEqual([{ id: 1, a: 'x' }]));
    const before = stream.shapeHandle;
    await t.owner.query('ALTER TABLE evolving ADD COLUMN b int');
    await t.owner.query(`INSERT INTO evolving VALUES (2, 'y', 7)`);
    await eventually(() => expect(byId(rows())).toEqual([{ id: 1, a: 'x', b: null }, { id: 2, a: 'y', b: 7 }]));
    expect(refetches.length).toBeGreaterThan(0);
    expect(stream.shapeHandle).not.toBe(before);
    stream.unsubscribeAll();
  });
});

describe('refusals', () => {
  const invalid = async (query: Record<string, string>) => {
    const res = await rawShape(service, { ...secret, ...query });
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = res.body as { message: string; errors: Record<string, string[]> };
    expect(body.message).toBe('Invalid request');
    return body.errors;
  };

  it('names each bad parameter with Electric\'s 400 body', async () => {
    expect(await invalid({ offset: '-1' })).toEqual({ table: ["can't be blank"] });
    expect(await invalid({ table: 'items' })).toEqual({ offset: ["can't be blank"] });
    expect(await invalid({ table: 'items', offset: 'abc' })).toEqual({ offset: ['has invalid format'] });
    expect(await invalid({ table: 'items', offset: '-1', live: 'true' })).toEqual({ live: ["can't be true when offset == -1"] });
    expect(await invalid({ table: 'items', offset: 'now', live: 'true' })).toEqual({ live: ["can't be true when offset is 'now'"] });
    expect(await invalid({ table: 'items', offset: '0_inf' })).toEqual({ handle: ["can't be blank when offset != -1"] });
    expect(await invalid({ table: 'items', offset: '-1', replica: 'half' })).toEqual({ replica: ['must be default or full'] });
    expect(await invalid({ table: 'items', offset: '-1', where: 'id = $1', 'params[2]': '1' })).toEqual({ params: ['must be numbered 1..n without gaps'] });
  });

  it('refuses unknown, unpublished and unreadable tables, and column lists without the key', async () => {
    expect((await invalid({ table: 'nope', offset: '-1' })).table![0]).toMatch(/does not exist/);
    expect((await invalid({ table: 'unpublished', offset: '-1' })).table![0]).toMatch(/not in publication "talemo_sync"/);
    expect((await invalid({ table: 'items', offset: '-1', columns: 'title' })).columns![0]).toMatch(/primary key column "id"/);
    expect((await invalid({ table: 'items', offset: '-1', columns: 'id,nope' })).columns![0]).toMatch(/"nope" is not a column/);
  });

  it('refuses where clauses outside the supported subset, and bad parameter values', async () => {
    expect((await invalid({ table: 'items', offset: '-1', where: 'lower(title) = \'a\'' })).where![0]).toMatch(/function calls/);
    expect((await invalid({ table: 'items', offset: '-1', where: 'id = (SELECT 1)' })).where).toBeDefined();
    expect((await invalid({ table: 'items', offset: '-1', where: 'id =' })).where![0]).toMatch(/ended unexpectedly/);
    expect((await invalid({ table: 'items', offset: '-1', where: 'tags = $1', 'params[1]': '{a}' })).where![0]).toMatch(/not support/);
    expect((await invalid({ table: 'items', offset: '-1', where: 'id = $1', 'params[1]': 'seven' })).where![0]).toMatch(/invalid input syntax/);
    expect((await invalid({ table: 'items', offset: '-1', where: 'nope = 1' })).where![0]).toMatch(/column "nope" does not exist/);
    expect((await invalid({ table: 'items', offset: '-1', where: 'id LIKE \'1%\'' })).where![0]).toMatch(/LIKE needs a text column/);
  });

  it('refuses an offset beyond the end of the log', async () => {
    const { handle } = await initialSync({ table: 'nopk' });
    const res = await rawShape(service, { ...secret, table: 'nopk', offset: '999999999999_0', handle });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Invalid request', errors: { offset: ['out of bounds for this shape'] } });
  });

  it('requires the secret on every request, health included', async () => {
    for (const path of ['/v1/shape?table=items&offset=-1', '/v1/health', '/v1/shape?table=items&offset=-1&secret=wrong']) {
      const res = await fetch(`${service.url}${path}`);
      expect(res.status).toBe(401);
    }
    const health = await fetch(`${service.url}/v1/health?secret=${SECRET}`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'active' });
  });

  it('makes the official client fail (not retry) on a 400, and binds to loopback', async () => {
    let report: (error: unknown) => void = () => {};
    const failed = new Promise<unknown>((resolve) => (report = resolve));
    const stream = shapeStream(service, { table: 'nope' }, { onError: (e) => report(e) });
    stream.subscribe(() => {});
    const error = await failed;
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).status).toBe(400);
    expect(new URL(service.url).hostname).toBe('127.0.0.1');
  });
});
