/**
 * Platform statistics across tenants: only with the operator token, only
 * through the operator connection; the app role cannot run the function
 * even when asked directly, and tenant admins only ever see their tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from './support/api-harness.ts';
import { createWorld, type World } from './support/tenant-world.ts';

const TOKEN = 'operator-token-operator-token-0123456789';

let h: ApiHarness;
let a: World;

beforeAll(async () => {
  h = await createApiHarness('api_operator', { PLATFORM_OPERATOR_TOKEN: TOKEN });
  a = await createWorld(h, 'One');
  await createWorld(h, 'Two');
});

afterAll(async () => {
  await h?.close();
});

describe('/operator/stats', () => {
  it('answers aggregates across tenants for the operator token', async () => {
    // The operator connection is the owner role of this suite's database, which alone may execute platform_stats().
    const op = await createApiHarness('api_operator_conn', { PLATFORM_OPERATOR_TOKEN: TOKEN, OPERATOR_DATABASE_URL: h.t.urls.owner });
    try {
      const res = await op.call('GET', '/operator/stats', { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.tenants).toMatchObject({ total: 2, family: 2 });
      expect(res.body.data.users.total).toBe(6);
      expect(JSON.stringify(res.body.data)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    } finally {
      await op.close();
    }
  });

  it('refuses no token, a wrong token, and a tenant admin\'s session', async () => {
    expect((await h.call('GET', '/operator/stats')).status).toBe(401);
    expect((await h.call('GET', '/operator/stats', { headers: { authorization: 'Bearer not-the-operator-token-000000000000' } })).status).toBe(401);
    expect((await h.call('GET', '/operator/stats', { token: a.admin.token })).status).toBe(401);
  });

  it('is off (503) without PLATFORM_OPERATOR_TOKEN', async () => {
    const off = await createApiHarness('api_operator_off');
    try {
      const res = await off.call('GET', '/operator/stats', { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(503);
      expect(res.body.message).toContain('PLATFORM_OPERATOR_TOKEN');
    } finally {
      await off.close();
    }
  });
});

describe('the app role', () => {
  it('may not execute platform_stats()', async () => {
    await expect(h.t.db.transaction({ tenantId: a.tenantId, userId: a.admin.userId }, (tx) => tx.query('SELECT platform_stats()'))).rejects.toMatchObject({ code: '42501' });
  });

  it('gives tenant admins their own tenant\'s figures only', async () => {
    const res = await h.call('GET', '/api/admin/stats', { token: a.admin.token });
    expect(res.status).toBe(200);
    expect(res.body.data.members).toMatchObject({ total: 3, active: 3, adults: 2, kids: 1 });
    expect(res.body.data.profiles).toBe(3);
    expect((await h.call('GET', '/api/admin/stats', { token: a.parent.token })).status).toBe(403);
  });
});
