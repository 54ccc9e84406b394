/**
 * The audit log is append-only for the app role (by privilege and by
 * trigger), and its per-tenant hash chain exposes any row the owner changes
 * or removes behind the trigger's back.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../server/audit/audit-writer.ts';
import { createTenantFixture, type TenantFixture } from '../support/tenant-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let t: TestDatabase;
let owner: pg.Client;
let tenant: TenantFixture;
const meta = { ip: '127.0.0.1', requestId: 'test' };

beforeAll(async () => {
  t = await createTestDatabase('audit');
  owner = await t.owner();
  tenant = await createTenantFixture(owner);
  const ctx = { tenantId: tenant.tenantId, userId: tenant.userId };
  for (let i = 0; i < 5; i++) {
    await t.db.transaction(ctx, (tx) => recordAudit(tx, tenant.tenantId, { action: 'policy.update', actorId: tenant.userId, targetType: 'policy', targetId: `k${i}`, before: { v: i }, after: { v: i + 1 } }, meta));
  }
});

afterAll(async () => {
  await t.drop();
});

async function verify(): Promise<Array<{ seq: string; problem: string }>> {
  const { rows } = await owner.query('SELECT seq, problem FROM audit_verify_chain($1)', [tenant.tenantId]);
  return rows;
}

describe('audit_log', () => {
  const ctx = () => ({ tenantId: tenant.tenantId, userId: tenant.userId });

  it('the app role has INSERT and SELECT but neither UPDATE, DELETE nor TRUNCATE', async () => {
    const { rows } = await owner.query(
      `SELECT has_table_privilege('talemo_app', 'audit_log', 'INSERT') AS ins, has_table_privilege('talemo_app', 'audit_log', 'SELECT') AS sel,
              has_table_privilege('talemo_app', 'audit_log', 'UPDATE') AS upd, has_table_privilege('talemo_app', 'audit_log', 'DELETE') AS del,
              has_table_privilege('talemo_app', 'audit_log', 'TRUNCATE') AS trunc`,
    );
    expect(rows[0]).toEqual({ ins: true, sel: true, upd: false, del: false, trunc: false });
    await expect(t.db.transaction(ctx(), (tx) => tx.execute(`UPDATE audit_log SET action = 'x.y'`))).rejects.toMatchObject({ code: '42501' });
    await expect(t.db.transaction(ctx(), (tx) => tx.execute('DELETE FROM audit_log'))).rejects.toMatchObject({ code: '42501' });
  });

  it('a trigger refuses UPDATE, DELETE and TRUNCATE even to the owner', async () => {
    await owner.query(`SELECT set_config('app.tenant', $1, false)`, [tenant.tenantId]);
    await expect(owner.query(`UPDATE audit_log SET action = 'forged.action'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(owner.query('DELETE FROM audit_log')).rejects.toThrow(/append-only: DELETE/);
    await expect(owner.query('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE/);
  });

  it('chains each row to the previous one, whatever seq or hash the writer supplies', async () => {
    await t.db.transaction(ctx(), (tx) =>
      tx.execute(`INSERT INTO audit_log (tenant_id, action, seq, hash, prev_hash) VALUES ($1, 'forge.attempt', 999, '\\x00', '\\x00')`, [tenant.tenantId]),
    );
    const rows = await t.db.transaction(ctx(), (tx) => tx.query<{ seq: string; hash: Buffer; prev_hash: Buffer | null }>('SELECT seq, hash, prev_hash FROM audit_log WHERE tenant_id = $1 ORDER BY seq', [tenant.tenantId]));
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toEqual(rows[i - 1]!.hash);
    expect(await verify()).toEqual([]);
  });

  it('orders concurrent writers into one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.db.transaction(ctx(), (tx) => recordAudit(tx, tenant.tenantId, { action: 'session.revoke', actorId: tenant.userId, targetId: String(i) }, meta)),
      ),
    );
    expect(await verify()).toEqual([]);
  });

  it('detects a row the owner changed behind the trigger', async () => {
    await owner.query('BEGIN');
    await owner.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await owner.query(`UPDATE audit_log SET after = '{"v": 1000}' WHERE tenant_id = $1 AND seq = 3`, [tenant.tenantId]);
    await owner.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    await owner.query('COMMIT');
    const problems = await verify();
    expect(problems).toContainEqual({ seq: '3', problem: 'content does not match its hash' });
  });

  it('detects a row the owner deleted', async () => {
    await owner.query('BEGIN');
    await owner.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await owner.query('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 5', [tenant.tenantId]);
    await owner.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    await owner.query('COMMIT');
    const problems = await verify();
    expect(problems).toContainEqual({ seq: '6', problem: 'prev_hash does not match the previous row' });
    expect(problems).toContainEqual({ seq: '6', problem: 'rows are missing before this one' });
  });
});

describe('user identities', () => {
  it('(issuer, subject) is globally unique: a second tenant cannot claim it', async () => {
    const other = await createTenantFixture(owner);
    const claim = (tenantId: string, userId: string) =>
      t.db.transaction({ tenantId, userId }, (tx) =>
        tx.execute(`INSERT INTO user_identities (tenant_id, user_id, idp_issuer, idp_subject) VALUES ($1, $2, 'https://accounts.google.com', 'subject-42')`, [tenantId, userId]),
      );
    await claim(tenant.tenantId, tenant.userId);
    await expect(claim(other.tenantId, other.userId)).rejects.toMatchObject({ code: '23505' });
    await expect(claim(tenant.tenantId, tenant.userId)).rejects.toMatchObject({ code: '23505' });
  });
});
