/**
 * GET /api/tenants tells an admin where the plan stands: the subscription's
 * status and dates (a past-due, trial or cancelled one included) and the
 * limits in force. Subscriptions change through the real signed webhook.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../server/webhooks/index.ts';
import { createApiHarness, type ApiHarness } from './support/api-harness.ts';
import { createWorld, type World } from './support/tenant-world.ts';

const PAYMENT_SECRET = 'whsec_test_payment_provider_secret_0123456789';

let h: ApiHarness;

beforeAll(async () => {
  h = await createApiHarness('api_tenant_plan', { PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET });
});

afterAll(async () => {
  await h?.close();
});

async function providerEvent(world: World, fields: { sub: string; status: string; plan: string; type?: string; created: number; startedAt: number; endedAt?: number }) {
  const body = JSON.stringify({
    id: `evt_${randomUUID()}`,
    object: 'event',
    type: fields.type ?? 'customer.subscription.updated',
    created: fields.created,
    livemode: false,
    data: {
      object: {
        id: fields.sub,
        object: 'subscription',
        status: fields.status,
        start_date: fields.startedAt,
        ...(fields.endedAt ? { ended_at: fields.endedAt } : {}),
        metadata: { tenant_id: world.tenantId },
        items: { data: [{ price: { lookup_key: fields.plan } }] },
      },
    },
  });
  const res = await h.call('POST', '/api/webhooks/subscription-status', { raw: body, headers: { 'stripe-signature': signatureHeader(PAYMENT_SECRET, body) } });
  expect(res.status, res.text).toBe(200);
  expect(res.body.data.applied).toBe(true);
}

const tenantOf = async (world: World, token = world.admin.token) => {
  const res = await h.call('GET', '/api/tenants', { token });
  expect(res.status, res.text).toBe(200);
  return res.body.data as { plan: string; subscription: { plan: string; status: string; start_date: string; end_date: string | null; payment_provider: string } | null; limits: Record<string, number> };
};

describe('the subscription behind a tenant', () => {
  it('starts as the free plan, running, with its limits', async () => {
    const world = await createWorld(h, 'New family');
    const tenant = await tenantOf(world);
    expect(tenant.plan).toBe('free');
    expect(tenant.subscription).toMatchObject({ plan: 'free', status: 'active', end_date: null, payment_provider: 'none' });
    expect(Number.isNaN(Date.parse(tenant.subscription!.start_date))).toBe(false);
    expect(tenant.limits).toEqual({ story_quota: 10, max_users: 6, storage_quota_mb: 500, max_upload_mb: 10 });
    // Every member sees it (kids included: it is their family's plan).
    expect((await tenantOf(world, world.kid.token)).subscription?.status).toBe('active');
  });

  it('shows a trial, then a payment overdue, with the paid plan’s limits and dates', async () => {
    const world = await createWorld(h, 'Trial family');
    const sub = `sub_${randomUUID()}`;
    const now = Math.floor(Date.now() / 1000);
    await providerEvent(world, { sub, status: 'trialing', plan: 'premium', created: now - 20, startedAt: now - 3600 });
    let tenant = await tenantOf(world);
    expect(tenant.plan).toBe('premium');
    expect(tenant.subscription).toMatchObject({ plan: 'premium', status: 'trialing', payment_provider: 'stripe', end_date: null });
    expect(Date.parse(tenant.subscription!.start_date)).toBe((now - 3600) * 1000);
    expect(tenant.limits).toEqual({ story_quota: 200, max_users: 12, storage_quota_mb: 10_000, max_upload_mb: 50 });

    await providerEvent(world, { sub, status: 'past_due', plan: 'premium', created: now - 10, startedAt: now - 3600 });
    tenant = await tenantOf(world);
    expect(tenant.subscription).toMatchObject({ plan: 'premium', status: 'past_due' });
    expect(tenant.plan).toBe('premium');
  });

  it('still shows a cancelled subscription, with its end date, while the free plan applies', async () => {
    const world = await createWorld(h, 'Leaving family');
    const sub = `sub_${randomUUID()}`;
    const now = Math.floor(Date.now() / 1000);
    await providerEvent(world, { sub, status: 'active', plan: 'premium', created: now - 20, startedAt: now - 86_400 });
    await providerEvent(world, { sub, status: 'canceled', plan: 'premium', type: 'customer.subscription.deleted', created: now - 10, startedAt: now - 86_400, endedAt: now - 5 });
    const tenant = await tenantOf(world);
    expect(tenant.plan).toBe('free');
    expect(tenant.subscription).toMatchObject({ plan: 'premium', status: 'canceled', payment_provider: 'stripe' });
    expect(Date.parse(tenant.subscription!.end_date!)).toBe((now - 5) * 1000);
    expect(tenant.limits.story_quota).toBe(10);
  });

  it('reports a limit the family set itself over the plan’s default', async () => {
    const world = await createWorld(h, 'Own limits');
    const res = await h.call('PUT', '/api/tenants/policies/story_quota', { token: world.admin.token, json: { value: 4 } });
    expect(res.status, res.text).toBe(200);
    expect((await tenantOf(world)).limits).toMatchObject({ story_quota: 4, max_users: 6 });
  });
});
