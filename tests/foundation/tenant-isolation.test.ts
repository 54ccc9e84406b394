/**
 * Postgres itself keeps tenants apart. For every tenant-bound table, the app
 * role in tenant A's context can neither read nor write tenant B's rows; and
 * the probe is shown to catch a table whose policy is gone.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeIsolation, tenantBoundTables, type ProbeTarget } from '../support/isolation-probe.ts';
import { createTenantFixture, type TenantFixture } from '../support/tenant-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let t: TestDatabase;
let owner: pg.Client;
let a: TenantFixture;
let b: TenantFixture;
let tables: ProbeTarget[];

beforeAll(async () => {
  t = await createTestDatabase('isolation');
  owner = await t.owner();
  a = await createTenantFixture(owner);
  b = await createTenantFixture(owner);
  tables = await tenantBoundTables(owner);
});

afterAll(async () => {
  await t.drop();
});

describe('tenant-bound tables', () => {
  it('are all covered by the fixture, so none escapes the probe', () => {
    expect(tables.length).toBeGreaterThanOrEqual(18);
    expect([...a.tables].sort()).toEqual(tables.map((x) => x.table).sort());
  });

  it('have tenant_id NOT NULL, an index led by it, and forced RLS on app.tenant', async () => {
    for (const { table, key } of tables) {
      const { rows } = await owner.query(
        `SELECT c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
                (SELECT attnotnull FROM pg_attribute WHERE attrelid = c.oid AND attname = $2) AS not_null,
                EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                        WHERE i.indrelid = c.oid AND a.attname = $2) AS indexed,
                (SELECT string_agg(pg_get_expr(p.polqual, p.polrelid), ' ') FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
         FROM pg_class c WHERE c.oid = $1::regclass`,
        [table, key],
      );
      const info = rows[0];
      expect({ table, ...info, policies: undefined }).toEqual({ table, enabled: true, forced: true, not_null: true, indexed: true, policies: undefined });
      expect(info.policies, table).toContain("NULLIF(current_setting('app.tenant'::text, true), ''::text))::uuid");
    }
  });

  it('cannot be read or written across tenants by the app role', async () => {
    const problems: string[] = [];
    for (const target of tables) {
      problems.push(...(await probeIsolation(t.db, target, a.tenantId, b.tenantId)));
      problems.push(...(await probeIsolation(t.db, target, b.tenantId, a.tenantId)));
    }
    expect(problems).toEqual([]);
  });

  it('show nothing at all when no tenant is set', async () => {
    for (const { table } of tables) {
      const { n } = await t.db.transaction({ tenantId: null, userId: null }, (tx) => tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`));
      expect(n, table).toBe(0);
    }
  });
});

describe('the probe itself', () => {
  it('reports a leak when a table loses row-level security', async () => {
    const scratch = await createTestDatabase('isolation_broken');
    try {
      const scratchOwner = await scratch.owner();
      const x = await createTenantFixture(scratchOwner);
      const y = await createTenantFixture(scratchOwner);
      const target = { table: 'stories', key: 'tenant_id' };
      expect(await probeIsolation(scratch.db, target, x.tenantId, y.tenantId)).toEqual([]);

      await scratchOwner.query('ALTER TABLE stories DISABLE ROW LEVEL SECURITY');
      const leaks = await probeIsolation(scratch.db, target, x.tenantId, y.tenantId);
      expect(leaks).toContain('stories: reads 1 row(s) of another tenant');
      expect(leaks).toContain('stories: updated 1 row(s) of another tenant');
      expect(leaks).toContain('stories: deleted 1 row(s) of another tenant');
      // The insert is still refused, by the (tenant_id, created_by) foreign
      // key: a second wall, but not RLS, and the probe says so.
      expect(leaks.some((l) => l.startsWith('stories: cross-tenant insert failed for another reason (23503'))).toBe(true);
    } finally {
      await scratch.drop();
    }
  });

  it('reports a failure when the tenant policy is dropped', async () => {
    const scratch = await createTestDatabase('isolation_nopolicy');
    try {
      const scratchOwner = await scratch.owner();
      const x = await createTenantFixture(scratchOwner);
      const y = await createTenantFixture(scratchOwner);
      await scratchOwner.query('DROP POLICY tenant_isolation ON profiles');
      const problems = await probeIsolation(scratch.db, { table: 'profiles', key: 'tenant_id' }, x.tenantId, y.tenantId);
      expect(problems).toContain('profiles: cannot read its own rows');
    } finally {
      await scratch.drop();
    }
  });
});

describe('public stories', () => {
  it('are readable from every tenant, with their tags and assets, but not writable', async () => {
    const publisher = await createTenantFixture(owner, { storyVisibility: 'public', storyPublished: true });
    const reader = { tenantId: a.tenantId, userId: a.userId };
    const seen = await t.db.transaction(reader, async (tx) => ({
      story: await tx.maybeOne('SELECT id FROM stories WHERE id = $1', [publisher.storyId]),
      tags: await tx.query('SELECT tag_id FROM story_tags WHERE story_id = $1', [publisher.storyId]),
      assets: await tx.query('SELECT a.id FROM assets a JOIN stories s ON s.audio_asset_id = a.id WHERE s.id = $1', [publisher.storyId]),
    }));
    expect(seen.story).toBeDefined();
    expect(seen.tags).toHaveLength(1);
    expect(seen.assets).toHaveLength(1);

    const changed = await t.db.transaction(reader, (tx) => tx.execute(`UPDATE stories SET title = 'hijacked' WHERE id = $1`, [publisher.storyId]));
    expect(changed).toBe(0);
    const removed = await t.db.transaction(reader, (tx) => tx.execute('DELETE FROM stories WHERE id = $1', [publisher.storyId]));
    expect(removed).toBe(0);
  });

  it('stay hidden while unpublished or private', async () => {
    const draft = await createTenantFixture(owner, { storyVisibility: 'public', storyPublished: false });
    const row = await t.db.transaction({ tenantId: a.tenantId, userId: null }, (tx) => tx.maybeOne('SELECT id FROM stories WHERE id = $1', [draft.storyId]));
    expect(row).toBeUndefined();
  });
});
