/**
 * The audit trail: governance actions leave rows with actor, target and
 * before/after; GET /api/admin/audit-logs filters and pages them within the
 * tenant; `npm run audit:verify` passes on a clean chain and fails once the
 * owner tampers with a row (even after disabling the append-only trigger).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from './support/api-harness.ts';
import { addMember, createWorld, type World } from './support/tenant-world.ts';

const run = promisify(execFile);

let h: ApiHarness;
let w: World;
let other: World;

beforeAll(async () => {
  h = await createApiHarness('api_audit');
  w = await createWorld(h, 'Audited');
  other = await createWorld(h, 'Elsewhere');
  await h.call('PUT', '/api/tenants/policies/max_volume', { token: w.admin.token, json: { value: 60 } });
  await h.call('PUT', '/api/tenants/policies/story_quota', { token: w.admin.token, json: { value: 4 } });
  await h.call('POST', '/api/profiles', { token: w.admin.token, json: { name: 'Sitters', permissions: { actions: ['stories.read'], limits: { ageRanges: null, languages: null } } } });
  await h.call('PUT', `/api/admin/users/${w.kid.userId}`, { token: w.admin.token, json: { display_name: 'Léa B.' } });
  await h.call('PUT', '/api/tenants/policies/max_volume', { token: other.admin.token, json: { value: 30 } });
});

afterAll(async () => {
  await h?.close();
});

describe('GET /api/admin/audit-logs', () => {
  it('lists this tenant\'s governance actions, newest first, with before and after', async () => {
    const res = await h.call('GET', '/api/admin/audit-logs', { token: w.admin.token });
    expect(res.status).toBe(200);
    const items = res.body.data.items;
    expect(items.map((e: { action: string }) => e.action)).toEqual(['user.update', 'profile.create', 'policy.update', 'policy.update']);
    expect(items.map((e: { seq: number }) => e.seq)).toEqual([4, 3, 2, 1]);
    expect(items[0]).toMatchObject({ actor_id: w.admin.userId, actor_kind: 'user', target_type: 'user', target_id: w.kid.userId, before: { display_name: 'Léa' }, after: { display_name: 'Léa B.' } });
    expect(items[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(items)).not.toContain(other.tenantId);
  });

  it('filters by action, action prefix, actor, target and time', async () => {
    const get = async (q: string) => (await h.call('GET', `/api/admin/audit-logs?${q}`, { token: w.admin.token })).body.data.items.map((e: { action: string; target_id: string }) => `${e.action}:${e.target_id}`);
    expect(await get('action=policy.update')).toEqual(['policy.update:story_quota', 'policy.update:max_volume']);
    expect(await get('action=profile.*')).toHaveLength(1);
    expect(await get(`actor_id=${w.admin.userId}&target_type=policy&target_id=max_volume`)).toEqual(['policy.update:max_volume']);
    expect(await get(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
    expect(await get(`to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toHaveLength(4);
  });

  it('pages by cursor', async () => {
    const first = await h.call('GET', '/api/admin/audit-logs?limit=3', { token: w.admin.token });
    expect(first.body.data.items).toHaveLength(3);
    const second = await h.call('GET', `/api/admin/audit-logs?limit=3&cursor=${first.body.data.next_cursor}`, { token: w.admin.token });
    expect(second.body.data.items.map((e: { seq: number }) => e.seq)).toEqual([1]);
    expect(second.body.data.next_cursor).toBeNull();
  });

  it('needs audit.read', async () => {
    expect((await h.call('GET', '/api/admin/audit-logs', { token: w.parent.token })).status).toBe(403);
    const auditor = await addMember(h, w, { actions: ['audit.read'] });
    expect((await h.call('GET', '/api/admin/audit-logs', { token: auditor.token })).status).toBe(200);
  });

  it('refuses bad filters with field errors', async () => {
    const res = await h.call('GET', "/api/admin/audit-logs?action=x'%20OR%201=1&from=yesterday&actor_id=me", { token: w.admin.token });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors!).sort()).toEqual(['query.action', 'query.actor_id', 'query.from']);
  });
});

describe('npm run audit:verify', () => {
  const verify = async () => {
    try {
      const { stdout } = await run('npm', ['run', '--silent', 'audit:verify'], {
        cwd: process.cwd(),
        env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', TALEMO_SECRET: 'test-secret-test-secret-test-secret-0123', OPERATOR_DATABASE_URL: h.t.urls.owner },
      });
      return { code: 0, stdout };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout + e.stderr };
    }
  };

  it('passes on a clean chain, and fails once the owner has tampered with a row', async () => {
    const clean = await verify();
    expect(clean.stdout).toContain('every hash chain is intact');
    expect(clean.code).toBe(0);

    const owner = new pg.Client({ connectionString: h.t.urls.owner });
    await owner.connect();
    try {
      // The owner obeys RLS too (FORCE), so it names the tenant; and it must switch the append-only trigger off to edit.
      await owner.query(`SELECT set_config('app.tenant', $1, false)`, [w.tenantId]);
      await expect(owner.query(`UPDATE audit_log SET after = '{"value": 100}' WHERE tenant_id = $1 AND seq = 1`, [w.tenantId])).rejects.toThrow(/append-only/);
      await owner.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
      await owner.query(`UPDATE audit_log SET after = '{"value": 100}' WHERE tenant_id = $1 AND seq = 1`, [w.tenantId]);
      await owner.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    } finally {
      await owner.end();
    }

    const tampered = await verify();
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('FAILED');
    expect(tampered.stdout).toContain(`tenant ${w.tenantId} seq 1: content does not match its hash`);
    expect(tampered.stdout).not.toContain(other.tenantId);
  });
});
