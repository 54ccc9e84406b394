/**
 * Email and password: sign-up creates a whole family tenant; sign-in hands
 * out bearer tokens or cookies; failures never say whether an email has an
 * account (same answer, similar time); repeated failures lock the account
 * with an audit trail; rate limits answer 429 with Retry-After; changing the
 * password ends every other session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILES } from '../../shapes/permissions.ts';
import { policyDefaults, startingPolicies } from '../../shapes/policies.ts';
import { INVALID_CREDENTIALS_MESSAGE } from '../../server/auth/password-sign-in-service.ts';
import { createHarness, envelopeOf, PASSWORD, rowCounts, setCookie, uniqueEmail, type Harness } from './identity-harness.ts';

let h: Harness;
let limited: Harness;

beforeAll(async () => {
  h = await createHarness('pw_signin', { AUTH_LOCKOUT_THRESHOLD: '3', AUTH_LOCKOUT_SECONDS: '600' });
  limited = await createHarness('pw_limits', { AUTH_IP_LIMIT: '3', AUTH_IP_WINDOW_SECONDS: '60', AUTH_ACCOUNT_LIMIT: '4', AUTH_ACCOUNT_WINDOW_SECONDS: '900' });
});

afterAll(async () => {
  await h?.close();
  await limited?.close();
});

async function signUp(harness: Harness, email: string, extra: Record<string, unknown> = {}) {
  return harness.call('POST', '/api/auth/signup', { body: { email, password: PASSWORD, displayName: 'Camille Martin', ...extra } });
}

describe('sign-up', () => {
  it('creates a family tenant with the default profiles, policies, a free subscription and the creator as Tenant Admin', async () => {
    const email = uniqueEmail('founder');
    const res = await signUp(h, email, { familyName: 'The Martins' });
    expect(res.status).toBe(201);
    const body = await envelopeOf(res);
    expect(body.status).toBe('success');
    expect(body.data.transport).toBe('bearer');
    expect(body.data.session.kind).toBe('signup');
    const { tenantId, userId, token } = body.data;

    const tenant = await h.admin.query('SELECT name, type FROM tenants WHERE id = $1', [tenantId]);
    expect(tenant.rows).toEqual([{ name: 'The Martins', type: 'family' }]);
    const profiles = await h.admin.query('SELECT name, permissions, is_default FROM profiles WHERE tenant_id = $1 ORDER BY name', [tenantId]);
    expect(profiles.rows.map((p) => p.name).sort()).toEqual(Object.values(DEFAULT_PROFILES).map((p) => p.name).sort());
    expect(profiles.rows.every((p) => p.is_default)).toBe(true);
    const policies = await h.admin.query('SELECT key, value FROM tenant_policies WHERE tenant_id = $1', [tenantId]);
    // Plan limits are not stored, so they follow the plan when it changes.
    expect(Object.fromEntries(policies.rows.map((p) => [p.key, p.value]))).toEqual(startingPolicies('free'));
    const subscription = await h.admin.query('SELECT plan, status, user_id FROM subscriptions WHERE tenant_id = $1', [tenantId]);
    expect(subscription.rows).toEqual([{ plan: 'free', status: 'active', user_id: userId }]);
    const audit = await h.admin.query(`SELECT action, actor_id FROM audit_log WHERE tenant_id = $1`, [tenantId]);
    expect(audit.rows).toEqual([{ action: 'auth.sign_up', actor_id: userId }]);

    const me = await envelopeOf(await h.call('GET', '/api/auth/me', { token }));
    expect(me.data.user).toMatchObject({ id: userId, email, kind: 'adult', displayName: 'Camille Martin' });
    expect(me.data.profile.name).toBe(DEFAULT_PROFILES.tenantAdmin.name);
    expect(me.data.tenant).toEqual({ id: tenantId, name: 'The Martins', type: 'family' });
    expect(me.data.permissions.actions).toContain('users.manage');
    expect(me.data.policies.max_users).toBe(policyDefaults('free').max_users);
  });

  it('sets the HttpOnly SameSite=Lax session cookie instead of returning the token when asked', async () => {
    const res = await signUp(h, uniqueEmail('pwa'), { cookie: true });
    expect(res.status).toBe(201);
    const body = await envelopeOf(res);
    expect(body.data).toMatchObject({ token: null, transport: 'cookie' });
    const cookie = setCookie(res, 'talemo_session');
    expect(cookie?.value).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{32}$/);
    expect(cookie?.attributes).toMatch(/HttpOnly/);
    expect(cookie?.attributes).toMatch(/SameSite=Lax/);
    expect(cookie?.attributes).toMatch(/Path=\//);
    const me = await h.call('GET', '/api/auth/me', { cookie: `talemo_session=${cookie!.value}` });
    expect(me.status).toBe(200);
  });

  it('refuses an email that already has an account, with a field error, and writes nothing', async () => {
    const email = uniqueEmail('taken');
    expect((await signUp(h, email)).status).toBe(201);
    const before = await rowCounts(h.admin, ['tenants', 'users', 'profiles', 'sessions', 'audit_log']);
    const res = await signUp(h, email.toUpperCase());
    expect(res.status).toBe(409);
    const body = await envelopeOf(res);
    expect(body.errors).toEqual({ email: ['is already registered'] });
    expect(await rowCounts(h.admin, ['tenants', 'users', 'profiles', 'sessions', 'audit_log'])).toEqual(before);
  });
});

describe('sign-in with email and password', () => {
  it('returns a working bearer token, and a cookie when the PWA asks', async () => {
    const family = await h.createFamily();
    const res = await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD } });
    expect(res.status).toBe(200);
    const body = await envelopeOf(res);
    expect(body.data).toMatchObject({ transport: 'bearer', userId: family.adminId, tenantId: family.tenantId, session: { kind: 'password' } });
    expect((await h.call('GET', '/api/auth/me', { token: body.data.token })).status).toBe(200);

    const pwa = await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail.toUpperCase(), password: PASSWORD, cookie: true } });
    expect(pwa.status).toBe(200);
    expect((await envelopeOf(pwa)).data.token).toBeNull();
    expect(setCookie(pwa, 'talemo_session')?.value).toMatch(/\./);
  });

  it('answers an unknown email, a wrong password and a locked account identically', async () => {
    const family = await h.createFamily();
    const answers = [];
    answers.push(await h.call('POST', '/api/auth/token', { body: { email: uniqueEmail('nobody'), password: PASSWORD } }));
    answers.push(await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: 'not the password' } }));
    await h.admin.query(`UPDATE user_credentials SET locked_until = now() + interval '10 minutes' WHERE user_id = $1`, [family.adminId]);
    answers.push(await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD } }));

    const bodies = [];
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers.get('retry-after')).toBeNull();
      bodies.push(await envelopeOf(res));
    }
    expect(bodies[0]).toEqual({ status: 'error', data: null, message: INVALID_CREDENTIALS_MESSAGE, errors: null });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  it('takes about as long for an unknown email as for a wrong password (a dummy hash is verified)', async () => {
    const family = await h.createFamily();
    const time = async (email: string) => {
      const started = performance.now();
      const res = await h.call('POST', '/api/auth/token', { body: { email, password: 'wrong wrong wrong' } });
      expect(res.status).toBe(401);
      return performance.now() - started;
    };
    // Interleaved so machine load affects both alike; medians of five.
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 5; i++) {
      unknown.push(await time(uniqueEmail('ghost')));
      known.push(await time(family.adminEmail));
      await h.admin.query('UPDATE user_credentials SET failed_attempts = 0, locked_until = NULL WHERE user_id = $1', [family.adminId]);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
    // Without the dummy hash an unknown email answers in a few milliseconds,
    // against roughly a hundred for an argon2id verification.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  it('locks the account after repeated failures, records the failures and the lockout, and lets it in again after the lock', async () => {
    const family = await h.createFamily();
    for (let i = 0; i < 3; i++) {
      expect((await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: `wrong-${i}-password` } })).status).toBe(401);
    }
    const creds = await h.admin.query('SELECT failed_attempts, locked_until > now() AS locked FROM user_credentials WHERE user_id = $1', [family.adminId]);
    expect(creds.rows[0]).toEqual({ failed_attempts: 0, locked: true });
    const audit = await h.admin.query(`SELECT action, actor_kind, target_id, after FROM audit_log WHERE tenant_id = $1 ORDER BY seq`, [family.tenantId]);
    expect(audit.rows.map((r) => r.action)).toEqual(['auth.sign_in_failed', 'auth.sign_in_failed', 'auth.sign_in_failed', 'auth.lockout']);
    expect(audit.rows.every((r) => r.target_id === family.adminId && r.actor_kind === 'anonymous')).toBe(true);
    expect(audit.rows[3].after.failedAttempts).toBe(3);

    // Locked: the right password is refused too, and the refusal is audited.
    const refused = await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD } });
    expect(refused.status).toBe(401);
    const last = await h.admin.query(`SELECT action, after FROM audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`, [family.tenantId]);
    expect(last.rows[0]).toEqual({ action: 'auth.sign_in_failed', after: { reason: 'locked' } });

    await h.admin.query(`UPDATE user_credentials SET locked_until = now() - interval '1 second' WHERE user_id = $1`, [family.adminId]);
    expect((await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD } })).status).toBe(200);
  });

  it('does not count or lock anything for an unknown email', async () => {
    const before = await rowCounts(h.admin, ['audit_log', 'user_credentials']);
    expect((await h.call('POST', '/api/auth/token', { body: { email: uniqueEmail('unknown'), password: 'whatever it is' } })).status).toBe(401);
    expect(await rowCounts(h.admin, ['audit_log', 'user_credentials'])).toEqual(before);
  });
});

describe('rate limits', () => {
  it('answer 429 with Retry-After once an IP is over its limit, and leave other IPs alone', async () => {
    const ip = '192.0.2.10';
    for (let i = 0; i < 3; i++) {
      expect((await limited.call('POST', '/api/auth/token', { ip, body: { email: uniqueEmail('probe'), password: 'wrong password' } })).status).toBe(401);
    }
    const res = await limited.call('POST', '/api/auth/token', { ip, body: { email: uniqueEmail('probe'), password: 'wrong password' } });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = await envelopeOf(res);
    expect(body.status).toBe('error');
    expect(body.message).toMatch(/Too many/);
    // The same limit covers every sign-in endpoint from that IP.
    expect((await limited.call('POST', '/api/auth/signup', { ip, body: { email: uniqueEmail('x'), password: PASSWORD, displayName: 'X' } })).status).toBe(429);
    expect((await limited.call('POST', '/api/auth/token', { ip: '192.0.2.11', body: { email: uniqueEmail('probe'), password: 'wrong password' } })).status).toBe(401);
  });

  it('answer 429 once one account has had too many attempts, whatever the IP', async () => {
    const family = await limited.createFamily();
    for (let i = 0; i < 4; i++) {
      expect((await limited.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: `nope-nope-${i}` } })).status).toBe(401);
    }
    const res = await limited.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(60);
    // The same holds for an email with no account, so the limit reveals nothing.
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < 4; i++) await limited.call('POST', '/api/auth/token', { body: { email: ghost, password: 'nope-nope-nope' } });
    expect((await limited.call('POST', '/api/auth/token', { body: { email: ghost, password: 'nope-nope-nope' } })).status).toBe(429);
  });
});

describe('changing the password', () => {
  it('ends every session of the user and replaces the current one', async () => {
    const family = await h.createFamily();
    const other = (await envelopeOf(await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD } }))).data.token;
    const res = await h.call('POST', '/api/auth/password', { token: family.adminToken, body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' } });
    expect(res.status).toBe(200);
    const fresh = (await envelopeOf(res)).data.token;
    expect((await h.call('GET', '/api/auth/me', { token: family.adminToken })).status).toBe(401);
    expect((await h.call('GET', '/api/auth/me', { token: other })).status).toBe(401);
    expect((await h.call('GET', '/api/auth/me', { token: fresh })).status).toBe(200);
    expect((await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD } })).status).toBe(401);
    expect((await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: 'a brand new passphrase' } })).status).toBe(200);
  });

  it('refuses a wrong current password with a field error', async () => {
    const family = await h.createFamily();
    const res = await h.call('POST', '/api/auth/password', { token: family.adminToken, body: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' } });
    expect(res.status).toBe(400);
    expect((await envelopeOf(res)).errors).toEqual({ currentPassword: ['is not your current password'] });
    expect((await h.call('GET', '/api/auth/me', { token: family.adminToken })).status).toBe(200);
  });
});
