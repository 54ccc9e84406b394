/**
 * Webhooks both ways, against real HTTP:
 * - outgoing deliveries are signed (Talemo-Signature) and a local receiver
 *   verifies them; failures are retried with backoff and every attempt is
 *   one recorded row; production refuses private destinations (SSRF);
 * - incoming subscription-status events verify Stripe-Signature (forged,
 *   old, tampered and valid), update subscriptions, and ignore repeats.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processWebhookDelivery, recordWebhookEvent, signatureHeader, verifySignatureHeader, webhookDeliveryDeps } from '../../server/webhooks/index.ts';
import { createApiHarness, rowCounts, type ApiHarness } from './support/api-harness.ts';
import { addMember, addWebhook, createWorld, type World } from './support/tenant-world.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

const PAYMENT_SECRET = 'whsec_test_payment_provider_secret_0123456789';

let h: ApiHarness;
let receiver: WebhookReceiver;

beforeAll(async () => {
  h = await createApiHarness('api_webhooks', { PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET, WEBHOOK_MAX_ATTEMPTS: '4' });
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await h?.close();
});

async function register(world: World, events: string[], url = receiver.url) {
  const res = await h.call('POST', '/api/webhooks', { token: world.admin.token, json: { url, events, description: 'test receiver' } });
  expect(res.status, res.text).toBe(201);
  return res.body.data as { id: string; secret: string };
}

async function deliveriesOf(world: World, hookId: string) {
  const res = await h.call('GET', `/api/webhooks/${hookId}/deliveries?limit=100`, { token: world.admin.token });
  expect(res.status).toBe(200);
  return (res.body.data.items as Array<{ attempt: number; status: string; response_status: number | null; event_id: string; event_type: string; next_attempt_at: string | null; error: string | null }>).sort((x, y) => x.attempt - y.attempt);
}

describe('outgoing', () => {
  it('signs each delivery so the receiver can verify it, and a changed body no longer verifies', async () => {
    const world = await createWorld(h, 'Signed');
    const hook = await register(world, ['tenant-policy-update']);
    expect(hook.secret).toMatch(/^whsec_/);
    receiver.received.length = 0;
    receiver.script([200]);
    expect((await h.call('PUT', '/api/tenants/policies/max_volume', { token: world.admin.token, json: { value: 55 } })).status).toBe(200);
    await h.queue.idle();

    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    const header = got.headers['talemo-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignatureHeader(header, got.body, hook.secret, { toleranceSeconds: 300 })).toMatchObject({ ok: true });
    expect(verifySignatureHeader(header, got.body.replace('55', '99'), hook.secret, { toleranceSeconds: 300 })).toMatchObject({ ok: false });
    expect(verifySignatureHeader(header, got.body, 'whsec_someone_else_entirely_0000000000', { toleranceSeconds: 300 })).toMatchObject({ ok: false });

    const payload = JSON.parse(got.body);
    expect(payload).toMatchObject({ type: 'tenant-policy-update', tenant_id: world.tenantId, data: { key: 'max_volume', value: 55 } });
    expect(got.headers['talemo-event-id']).toBe(payload.id);
    const [delivery] = await deliveriesOf(world, hook.id);
    expect(delivery).toMatchObject({ attempt: 1, status: 'succeeded', response_status: 200, event_id: payload.id });
  });

  it('retries a receiver that fails twice, recording every attempt, and the third succeeds', async () => {
    const world = await createWorld(h, 'Retries');
    const hook = await register(world, ['profile-change']);
    receiver.received.length = 0;
    receiver.script([500, 503, 200]);
    const created = await h.call('POST', '/api/profiles', { token: world.admin.token, json: { name: 'Aunts', permissions: { actions: ['stories.read'], limits: { ageRanges: null, languages: null } } } });
    expect(created.status).toBe(201);
    await h.queue.idle();

    expect(receiver.received).toHaveLength(3);
    const eventIds = new Set(receiver.received.map((r) => r.headers['talemo-event-id']));
    expect(eventIds.size).toBe(1);
    expect(receiver.received.map((r) => r.headers['talemo-delivery-attempt'])).toEqual(['1', '2', '3']);
    // Backoff: the second gap is longer than the first (base 20 ms, doubling).
    const [t1, t2, t3] = receiver.received.map((r) => r.at) as [number, number, number];
    expect(t2 - t1).toBeGreaterThanOrEqual(18);
    expect(t3 - t2).toBeGreaterThanOrEqual(38);

    const attempts = await deliveriesOf(world, hook.id);
    expect(attempts.map((d) => [d.attempt, d.status, d.response_status])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 503],
      [3, 'succeeded', 200],
    ]);
    expect(attempts[0]!.next_attempt_at).not.toBeNull();
    expect(attempts[0]!.error).toContain('HTTP 500');
    expect(attempts[2]!.next_attempt_at).toBeNull();
  });

  it('stops after WEBHOOK_MAX_ATTEMPTS, leaving the last attempt failed with nothing scheduled', async () => {
    const world = await createWorld(h, 'Gives up');
    const hook = await register(world, ['tenant-policy-update']);
    receiver.script([500]);
    await h.call('PUT', '/api/tenants/policies/max_volume', { token: world.admin.token, json: { value: 40 } });
    await h.queue.idle();
    const attempts = await deliveriesOf(world, hook.id);
    expect(attempts.map((d) => d.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(attempts[3]!.next_attempt_at).toBeNull();
    receiver.script([200]);
  });

  it('sends audit-event and agent-task-complete events to subscribed endpoints only', async () => {
    const world = await createWorld(h, 'Events');
    const auditHook = await register(world, ['audit-event']);
    const taskHook = await register(world, ['agent-task-complete']);
    receiver.received.length = 0;
    await h.call('PUT', '/api/tenants/policies/story_quota', { token: world.admin.token, json: { value: 3 } });
    // The worker reports a finished task the same way, inside its own transaction.
    const refs = await h.t.db.transaction({ tenantId: world.tenantId, userId: null }, (tx) => recordWebhookEvent(tx, world.tenantId, 'agent-task-complete', { task_id: randomUUID(), status: 'completed' }));
    for (const ref of refs) await h.queue.enqueue(ref);
    await h.queue.idle();
    const types = receiver.received.map((r) => JSON.parse(r.body).type).sort();
    // audit-event for the policy change (and for registering the second endpoint); never tenant-policy-update, which nobody subscribed to.
    expect(types).toContain('agent-task-complete');
    expect(types.filter((t) => t === 'audit-event').length).toBeGreaterThanOrEqual(1);
    expect(types).not.toContain('tenant-policy-update');
    const auditBodies = receiver.received.map((r) => JSON.parse(r.body)).filter((p) => p.type === 'audit-event');
    expect(auditBodies.map((p) => p.data.action)).toContain('policy.update');
    expect((await deliveriesOf(world, taskHook.id)).map((d) => d.event_type)).toEqual(['agent-task-complete']);
    expect((await deliveriesOf(world, auditHook.id)).every((d) => d.event_type === 'audit-event')).toBe(true);
  });

  it('requires audit.read to subscribe to audit-event', async () => {
    const world = await createWorld(h, 'Audit scope');
    const policyAdmin = await addMember(h, world, { actions: ['policies.manage'] });
    const res = await h.call('POST', '/api/webhooks', { token: policyAdmin.token, json: { url: receiver.url, events: ['audit-event'] } });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('audit.read');
  });
});

describe('SSRF', () => {
  let prod: ApiHarness;
  let world: World;

  beforeAll(async () => {
    prod = await createApiHarness('api_webhooks_prod', { NODE_ENV: 'production' });
    world = await createWorld(prod, 'Production');
  });

  afterAll(async () => {
    await prod?.close();
  });

  it.each([
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://10.1.2.3/hook',
    'https://192.168.1.10/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'http://203.0.113.7/hook',
    'https://user:pass@example.com/hook',
  ])('refuses %s in production, and stores nothing', async (url) => {
    const before = await rowCounts(prod.admin);
    const res = await prod.call('POST', '/api/webhooks', { token: world.admin.token, json: { url, events: ['profile-change'] } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty('url');
    expect(await rowCounts(prod.admin)).toEqual(before);
  });

  it('refuses at delivery time too, whatever the stored URL says', async () => {
    const hook = await addWebhook(prod, world, world.admin, receiver.url, ['profile-change']);
    receiver.received.length = 0;
    const [ref] = await prod.t.db.transaction({ tenantId: world.tenantId, userId: null }, (tx) => recordWebhookEvent(tx, world.tenantId, 'profile-change', { change: 'test' }));
    const outcome = await processWebhookDelivery({ ...webhookDeliveryDeps(prod.config, prod.t.db), policy: { maxAttempts: 1, baseMs: 1 } }, ref!);
    expect(outcome.status).toBe('failed');
    expect(receiver.received).toHaveLength(0);
    const { rows } = await prod.admin.query('SELECT status, error FROM webhook_deliveries WHERE webhook_id = $1', [hook.id]);
    expect(rows[0].status).toBe('failed');
    expect(rows[0].error).toMatch(/loopback, private or reserved/);
  });

  it('allows loopback receivers outside production (tests, development)', async () => {
    const w2 = await createWorld(h, 'Loopback ok');
    expect((await h.call('POST', '/api/webhooks', { token: w2.admin.token, json: { url: 'http://127.0.0.1:9/x', events: ['profile-change'] } })).status).toBe(201);
  });
});

describe('incoming subscription-status', () => {
  function event(world: World, overrides: { id?: string; type?: string; created?: number; status?: string; plan?: string; sub?: string } = {}) {
    return JSON.stringify({
      id: overrides.id ?? `evt_${randomUUID()}`,
      object: 'event',
      type: overrides.type ?? 'customer.subscription.updated',
      created: overrides.created ?? Math.floor(Date.now() / 1000),
      livemode: false,
      data: {
        object: {
          id: overrides.sub ?? 'sub_123',
          object: 'subscription',
          status: overrides.status ?? 'active',
          start_date: Math.floor(Date.now() / 1000) - 60,
          metadata: { tenant_id: world.tenantId },
          items: { data: [{ price: { lookup_key: overrides.plan ?? 'premium' } }] },
        },
      },
    });
  }

  const post = (body: string, header: string | undefined) =>
    h.call('POST', '/api/webhooks/subscription-status', { raw: body, headers: header === undefined ? {} : { 'stripe-signature': header } });

  const subscriptions = async (world: World) =>
    (await h.admin.query('SELECT plan, status, provider_subscription_id FROM subscriptions WHERE tenant_id = $1 ORDER BY created_at', [world.tenantId])).rows;

  it('applies a validly signed event: the plan changes, audited as the system', async () => {
    const world = await createWorld(h, 'Payers');
    const body = event(world, { sub: `sub_${randomUUID()}` });
    const res = await post(body, signatureHeader(PAYMENT_SECRET, body));
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toMatchObject({ applied: true });
    expect((await subscriptions(world)).map((s) => s.plan)).toContain('premium');
    expect((await h.call('GET', '/api/tenants', { token: world.admin.token })).body.data.plan).toBe('premium');
    const { rows } = await h.admin.query(`SELECT actor_kind, after FROM audit_log WHERE tenant_id = $1 AND action = 'subscription.update'`, [world.tenantId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_kind: 'system', after: { plan: 'premium', status: 'active', end_date: null } });
    // The free placeholder the tenant started with is superseded.
    expect(rows[0].after.superseded).toHaveLength(1);
    expect((await subscriptions(world)).map((s) => s.status)).toEqual(['canceled', 'active']);
  });

  it.each([
    ['a forged signature', (body: string) => signatureHeader('whsec_not_the_provider_secret_000000000', body)],
    ['an old timestamp', (body: string) => signatureHeader(PAYMENT_SECRET, body, Math.floor(Date.now() / 1000) - 3600)],
    ['a timestamp from the future', (body: string) => signatureHeader(PAYMENT_SECRET, body, Math.floor(Date.now() / 1000) + 3600)],
    ['a signature over another body', (body: string) => signatureHeader(PAYMENT_SECRET, body.replace('premium', 'institution'))],
    ['no signature at all', () => undefined],
    ['a malformed header', () => 'garbage'],
  ])('refuses %s with 400 and changes nothing', async (_label, sign) => {
    const world = await createWorld(h, 'Forgers');
    const body = event(world, { sub: `sub_${randomUUID()}` });
    const before = await rowCounts(h.admin);
    const res = await post(body, sign(body));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('Stripe-Signature');
    expect(await rowCounts(h.admin)).toEqual(before);
  });

  it('ignores a replayed event and an older one arriving late', async () => {
    const world = await createWorld(h, 'Replays');
    const sub = `sub_${randomUUID()}`;
    const now = Math.floor(Date.now() / 1000);
    const first = event(world, { sub, created: now, status: 'past_due' });
    expect((await post(first, signatureHeader(PAYMENT_SECRET, first))).body.data.applied).toBe(true);
    const replay = await post(first, signatureHeader(PAYMENT_SECRET, first));
    expect(replay.status).toBe(200);
    expect(replay.body.data.applied).toBe(false);
    const older = event(world, { sub, created: now - 30, status: 'active' });
    expect((await post(older, signatureHeader(PAYMENT_SECRET, older))).body.data.applied).toBe(false);
    const rows = (await subscriptions(world)).filter((s) => s.provider_subscription_id === sub);
    expect(rows).toEqual([{ plan: 'premium', status: 'past_due', provider_subscription_id: sub }]);

    const deleted = event(world, { sub, created: now + 1, type: 'customer.subscription.deleted', status: 'canceled' });
    expect((await post(deleted, signatureHeader(PAYMENT_SECRET, deleted))).body.data.applied).toBe(true);
    expect((await subscriptions(world)).find((s) => s.provider_subscription_id === sub)!.status).toBe('canceled');
  });

  it('answers 503 when no provider secret is configured', async () => {
    const bare = await createApiHarness('api_webhooks_nosecret');
    try {
      const world = await createWorld(bare, 'Unconfigured');
      const body = event(world);
      const res = await bare.call('POST', '/api/webhooks/subscription-status', { raw: body, headers: { 'stripe-signature': signatureHeader(PAYMENT_SECRET, body) } });
      expect(res.status).toBe(503);
      expect(res.body.message).toContain('PAYMENT_WEBHOOK_SECRET');
    } finally {
      await bare.close();
    }
  });

  it('refuses a signed event for a tenant that does not exist', async () => {
    const ghost = { tenantId: randomUUID() } as World;
    const body = event(ghost, { sub: `sub_${randomUUID()}` });
    const res = await post(body, signatureHeader(PAYMENT_SECRET, body));
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty('data.object.metadata.tenant_id');
  });
});
