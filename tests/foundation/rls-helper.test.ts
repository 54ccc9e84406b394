/**
 * The one database helper: a unit of work as the app role, in a transaction,
 * with app.tenant/app.user set; nothing of the context survives into the
 * next use of the connection; failures roll back and leave the pool usable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextError, Database } from '../../server/db/database.ts';
import { createTenantFixture, type TenantFixture } from '../support/tenant-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let t: TestDatabase;
let single: Database;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  t = await createTestDatabase('rls_helper');
  const owner = await t.owner();
  a = await createTenantFixture(owner);
  b = await createTenantFixture(owner);
  // One connection, so every call below reuses the same session.
  single = new Database({ connectionString: t.urls.app, poolMax: 1 });
});
afterAll(async () => {
  await single.close();
  await t.drop();
});

const ctxA = () => ({ tenantId: a.tenantId, userId: a.userId });

describe('db.transaction', () => {
  it('runs as the app role with the tenant and user set', async () => {
    const row = await single.transaction(ctxA(), (tx) =>
      tx.one<{ role: string; tenant: string; user: string }>(`SELECT current_user AS role, current_setting('app.tenant') AS tenant, current_setting('app.user') AS user`),
    );
    expect(row).toEqual({ role: 'talemo_app', tenant: a.tenantId, user: a.userId });
  });

  it('leaves no context on the connection afterwards', async () => {
    await single.transaction(ctxA(), (tx) => tx.query('SELECT 1'));
    const { rows } = await single.pool.query(`SELECT coalesce(current_setting('app.tenant', true), '') AS tenant`);
    expect(rows[0].tenant).toBe('');
    const visible = await single.pool.query('SELECT count(*)::int AS n FROM stories');
    expect(visible.rows[0].n).toBe(0);
  });

  it('rolls back everything when the work throws, and the connection stays usable', async () => {
    await expect(
      single.transaction(ctxA(), async (tx) => {
        await tx.execute(`UPDATE stories SET title = 'changed' WHERE id = $1`, [a.storyId]);
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    const [story] = await single.read<{ title: string }>(ctxA(), 'SELECT title FROM stories WHERE id = $1', [a.storyId]);
    expect(story!.title).toBe('A story');
  });

  it('refuses a context that is not a UUID before touching the database', async () => {
    await expect(single.transaction({ tenantId: "x'; DROP TABLE stories; --", userId: null }, (tx) => tx.query('SELECT 1'))).rejects.toBeInstanceOf(ContextError);
    await expect(single.read({ tenantId: a.tenantId, userId: 'nope' }, 'SELECT 1')).rejects.toBeInstanceOf(ContextError);
  });
});

describe('db.read', () => {
  it('reads under RLS in one statement: own rows only', async () => {
    const rows = await single.read<{ tenant_id: string }>(ctxA(), 'SELECT tenant_id FROM stories');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.tenant_id === a.tenantId)).toBe(true);
    const theirs = await single.read(ctxA(), 'SELECT id FROM stories WHERE tenant_id = $1', [b.tenantId]);
    expect(theirs).toEqual([]);
  });

  it('is read-only', async () => {
    await expect(single.read(ctxA(), `UPDATE stories SET title = 'x' WHERE id = $1`, [a.storyId])).rejects.toMatchObject({ code: '25006' });
  });

  it('a failing statement rejects and leaves the connection clean for the next caller', async () => {
    await expect(single.read(ctxA(), 'SELECT no_such_column FROM stories')).rejects.toMatchObject({ code: '42703' });
    // In autocommit the transaction starts with this very query; a transaction left open would be older.
    const { rows } = await single.pool.query(
      `SELECT xact_start = query_start AS outside_transaction, coalesce(current_setting('app.tenant', true), '') AS tenant FROM pg_stat_activity WHERE pid = pg_backend_pid()`,
    );
    expect(rows[0]).toEqual({ outside_transaction: true, tenant: '' });
  });
});

describe('a connection lost mid-transaction', () => {
  it('fails that unit of work, not the process, and the pool recovers', async () => {
    await expect(single.transaction(ctxA(), (tx) => tx.query('SELECT pg_terminate_backend(pg_backend_pid())'))).rejects.toThrow();
    await expect(single.read(ctxA(), 'SELECT pg_terminate_backend(pg_backend_pid())')).rejects.toThrow();
    const rows = await single.read<{ n: number }>(ctxA(), 'SELECT 1 AS n');
    expect(rows).toEqual([{ n: 1 }]);
  });
});
