/**
 * Google and Apple sign-in against local fake providers that speak real OIDC
 * (tests/support/fake-oidc-provider.ts); openid-client runs unmodified.
 * Covers sign-up, sign-in, linking, invitations, and the refusals: state,
 * browser binding, nonce, PKCE, replayed codes, forged or stale ID tokens,
 * and an identity claimed by a second tenant.
 */
import { createHash } from 'node:crypto';
import { exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILES } from '../../shapes/permissions.ts';
import { startFakeOidcProvider, type BrowserCallback, type FakeOidcProvider, type FakeOidcUser } from '../support/fake-oidc-provider.ts';
import { createHarness, envelopeOf, PASSWORD, rowCounts, setCookie, uniqueEmail, type Family, type Harness } from './identity-harness.ts';

const TEAM_ID = 'TEAMID1234';
const KEY_ID = 'KEYID12345';

let h: Harness;
let bare: Harness;
let google: FakeOidcProvider;
let apple: FakeOidcProvider;

beforeAll(async () => {
  const appleKey = await generateKeyPair('ES256', { extractable: true });
  google = await startFakeOidcProvider({ flavour: 'google', clientId: 'talemo-web.apps.googleusercontent.com', clientSecret: 'google-secret' });
  apple = await startFakeOidcProvider({ flavour: 'apple', clientId: 'com.talemo.web', appleClientKey: { publicKey: appleKey.publicKey, teamId: TEAM_ID, keyId: KEY_ID } });
  h = await createHarness('oidc', {
    GOOGLE_CLIENT_ID: 'talemo-web.apps.googleusercontent.com',
    GOOGLE_CLIENT_SECRET: 'google-secret',
    GOOGLE_ISSUER: google.issuer,
    APPLE_CLIENT_ID: 'com.talemo.web',
    APPLE_TEAM_ID: TEAM_ID,
    APPLE_KEY_ID: KEY_ID,
    APPLE_PRIVATE_KEY: await exportPKCS8(appleKey.privateKey),
    APPLE_ISSUER: apple.issuer,
  });
  bare = await createHarness('oidc_off');
});

afterAll(async () => {
  await h?.close();
  await bare?.close();
  await google?.close();
  await apple?.close();
});

const GOOGLE_BINDING = 'talemo_oauth_google';
const APPLE_BINDING = 'talemo_oauth_apple';

interface Started {
  authorizationUrl: URL;
  binding: string;
}

/** The browser opens /api/auth/<provider>: redirected to the provider, with a binding cookie. */
async function start(provider: 'google' | 'apple', query = '', cookie?: string): Promise<Started> {
  const res = await h.call('GET', `/api/auth/${provider}${query}`, { cookie });
  expect(res.status, await res.clone().text()).toBe(302);
  const binding = setCookie(res, provider === 'google' ? GOOGLE_BINDING : APPLE_BINDING);
  expect(binding?.attributes).toMatch(/HttpOnly/);
  return { authorizationUrl: new URL(res.headers.get('location')!), binding: binding!.value };
}

interface Landing {
  status: number;
  location: URL;
  error: string | null;
  sessionCookie: string | undefined;
}

/** The browser arrives back at our callback from the provider. */
async function land(cb: BrowserCallback, binding: string | undefined, provider: 'google' | 'apple', extra: { cookie?: string; origin?: string } = {}): Promise<Landing> {
  const name = provider === 'google' ? GOOGLE_BINDING : APPLE_BINDING;
  const cookies = [binding !== undefined ? `${name}=${binding}` : undefined, extra.cookie].filter(Boolean).join('; ');
  const url = new URL(cb.url);
  expect(url.origin).toBe(h.publicUrl);
  const res =
    cb.method === 'GET'
      ? await h.call('GET', url.pathname + url.search, { cookie: cookies || undefined })
      : await h.call('POST', url.pathname, {
          cookie: cookies || undefined,
          rawBody: cb.form!.toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: extra.origin ?? 'https://appleid.apple.com' },
        });
  expect(res.status, await res.clone().text()).toBe(303);
  const location = new URL(res.headers.get('location')!);
  return { status: res.status, location, error: location.searchParams.get('auth_error'), sessionCookie: setCookie(res, 'talemo_session')?.value || undefined };
}

async function signIn(provider: 'google' | 'apple', user: FakeOidcUser, query = ''): Promise<Landing> {
  const fake = provider === 'google' ? google : apple;
  const s = await start(provider, query);
  return land(await fake.authorize(s.authorizationUrl.href, user), s.binding, provider);
}

async function me(cookie: string) {
  const res = await h.call('GET', '/api/auth/me', { cookie: `talemo_session=${cookie}` });
  expect(res.status).toBe(200);
  return (await envelopeOf(res)).data;
}

async function identityOwner(issuer: string, sub: string) {
  const { rows } = await h.admin.query('SELECT tenant_id, user_id FROM user_identities WHERE idp_issuer = $1 AND idp_subject = $2', [issuer, sub]);
  return rows;
}

const sub = () => `sub-${Math.random().toString(36).slice(2)}`;

describe('starting a sign-in', () => {
  it('sends the browser to the provider with PKCE (S256), state and nonce, and keeps the secrets server-side', async () => {
    const { authorizationUrl, binding } = await start('google');
    const q = authorizationUrl.searchParams;
    expect(authorizationUrl.origin).toBe(google.issuer);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toBeTruthy();
    expect(q.get('nonce')).toBeTruthy();
    expect(q.get('redirect_uri')).toBe(`${h.publicUrl}/api/auth/google/callback`);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('scope')).toBe('openid email profile');
    expect(binding).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Stored as a hash of the state; the verifier never reached the browser.
    const state = q.get('state')!;
    const flow = await h.admin.query('SELECT code_verifier, to_jsonb(f)::text AS everything FROM oauth_flows f WHERE state_hash = $1', [createHash('sha256').update(state).digest()]);
    expect(flow.rows).toHaveLength(1);
    expect(flow.rows[0].everything).not.toContain(state);
    expect(authorizationUrl.href).not.toContain(flow.rows[0].code_verifier);
  });

  it('asks Apple to answer with form_post', async () => {
    const { authorizationUrl } = await start('apple');
    expect(authorizationUrl.searchParams.get('response_mode')).toBe('form_post');
    expect(authorizationUrl.searchParams.get('scope')).toBe('openid email name');
  });

  it('says which providers are configured, and an unconfigured one answers "not configured"', async () => {
    expect((await envelopeOf(await h.call('GET', '/api/auth/providers'))).data).toEqual({ password: true, google: { configured: true }, apple: { configured: true } });
    expect((await envelopeOf(await bare.call('GET', '/api/auth/providers'))).data).toEqual({ password: true, google: { configured: false }, apple: { configured: false } });
    for (const path of ['/api/auth/google', '/api/auth/apple', '/api/auth/google/callback?code=x&state=y']) {
      const res = await bare.call('GET', path);
      expect(res.status).toBe(404);
      expect((await envelopeOf(res)).message).toMatch(/not configured/);
    }
  });
});

describe('signing in with Google', () => {
  it('signs a new identity up: a family tenant with them as admin, the identity bound to it', async () => {
    const email = uniqueEmail('gina');
    const subject = sub();
    const landing = await signIn('google', { sub: subject, email, name: 'Gina Rossi' }, '?returnTo=/library');
    expect(landing.error).toBeNull();
    expect(landing.location.href).toBe(`${h.publicUrl}/library`);
    const you = await me(landing.sessionCookie!);
    expect(you.user).toMatchObject({ email, displayName: 'Gina Rossi', kind: 'adult' });
    expect(you.profile.name).toBe(DEFAULT_PROFILES.tenantAdmin.name);
    expect(you.tenant).toMatchObject({ name: "Gina Rossi's family", type: 'family' });
    expect(you.session.kind).toBe('oidc');
    expect(await identityOwner(google.issuer, subject)).toEqual([{ tenant_id: you.tenant.id, user_id: you.user.id }]);
    const audit = await h.admin.query(`SELECT after FROM audit_log WHERE tenant_id = $1 AND action = 'auth.sign_up'`, [you.tenant.id]);
    expect(audit.rows[0].after.method).toBe('google');
  });

  it('signs an existing identity in to its own account, creating nothing', async () => {
    const subject = sub();
    const first = await me((await signIn('google', { sub: subject, email: uniqueEmail('g') })).sessionCookie!);
    const before = await rowCounts(h.admin, ['tenants', 'users', 'user_identities']);
    const again = await signIn('google', { sub: subject, email: uniqueEmail('changed') });
    const second = await me(again.sessionCookie!);
    expect(second.user.id).toBe(first.user.id);
    expect(second.tenant.id).toBe(first.tenant.id);
    expect(await rowCounts(h.admin, ['tenants', 'users', 'user_identities'])).toEqual(before);
  });

  it('does not take an email that already has an account, nor an unverified one', async () => {
    const family = await h.createFamily();
    const before = await rowCounts(h.admin, ['tenants', 'users']);
    const taken = await signIn('google', { sub: sub(), email: family.adminEmail });
    expect(taken.error).toBe('email_taken');
    expect(taken.sessionCookie).toBeUndefined();
    expect(await rowCounts(h.admin, ['tenants', 'users'])).toEqual(before);

    const unverified = await signIn('google', { sub: sub(), email: family.adminEmail, emailVerified: false, name: 'Someone' });
    expect(unverified.error).toBeNull();
    expect((await me(unverified.sessionCookie!)).user.email).toBeNull();
  });
});

describe('signing in with Apple (form_post)', () => {
  it('accepts the cross-site POST callback, authenticating to Apple with a signed client secret', async () => {
    const refusedBefore = apple.stats.refused.length;
    const subject = sub();
    const landing = await signIn('apple', { sub: subject, email: uniqueEmail('ann'), name: 'Ann Lee' });
    expect(landing.error).toBeNull();
    expect(apple.stats.refused.length).toBe(refusedBefore);
    const you = await me(landing.sessionCookie!);
    expect(you.user.displayName).toBe('Ann Lee');
    expect(await identityOwner(apple.issuer, subject)).toHaveLength(1);
  });

  it('is exempt from the cookie CSRF check on purpose, and ignores any session cookie there', async () => {
    const family = await h.createFamily();
    const cookie = (await envelopeOf(await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD } }))).data.token;
    const s = await start('apple');
    const cb = await apple.authorize(s.authorizationUrl.href, { sub: sub(), email: uniqueEmail('x') });
    // A session cookie rides along on a cross-site POST: not refused as CSRF, and not used either.
    const landing = await land(cb, s.binding, 'apple', { cookie: `talemo_session=${cookie}`, origin: 'https://appleid.apple.com' });
    expect(landing.error).toBeNull();
    expect((await me(landing.sessionCookie!)).tenant.id).not.toBe(family.tenantId);
    const stillLive = await h.call('GET', '/api/auth/me', { token: cookie });
    expect(stillLive.status).toBe(200);
  });
});

describe('a callback is refused', () => {
  async function tokenCalls<T>(fake: FakeOidcProvider, work: () => Promise<T>): Promise<{ result: T; calls: number }> {
    const before = fake.stats.tokenRequests;
    const result = await work();
    return { result, calls: fake.stats.tokenRequests - before };
  }

  it('when its state was never issued, without ever calling the token endpoint', async () => {
    const s = await start('google');
    const cb = await google.authorize(s.authorizationUrl.href, { sub: sub() });
    const forged = new URL(cb.url);
    forged.searchParams.set('state', 'attacker-chosen-state');
    const { result, calls } = await tokenCalls(google, () => land({ ...cb, url: forged.href }, s.binding, 'google'));
    expect(result.error).toBe('state_invalid');
    expect(result.sessionCookie).toBeUndefined();
    expect(calls).toBe(0);
  });

  it('when it arrives in a browser that did not start the flow (login CSRF)', async () => {
    const s = await start('google');
    const cb = await google.authorize(s.authorizationUrl.href, { sub: sub() });
    const before = await rowCounts(h.admin, ['users', 'sessions']);
    expect((await land(cb, undefined, 'google')).error).toBe('state_invalid');
    // And the flow is spent: the right browser cannot finish it afterwards either.
    expect((await land(cb, s.binding, 'google')).error).toBe('state_invalid');
    const other = await start('google');
    expect((await land(cb, other.binding, 'google')).error).toBe('state_invalid');
    expect(await rowCounts(h.admin, ['users', 'sessions'])).toEqual(before);
  });

  it.each([
    ['carries another nonce', { nonce: 'nonce-from-another-flow' }],
    ['carries no nonce', { nonce: undefined }],
  ])('when the ID token %s', async (_label, claims) => {
    const s = await start('google');
    const cb = await google.authorize(s.authorizationUrl.href, { sub: sub() });
    google.tamperNextIdToken({ claims });
    const landing = await land(cb, s.binding, 'google');
    expect(landing.error).toBe('token_rejected');
    expect(landing.sessionCookie).toBeUndefined();
  });

  it('when the code was issued for another PKCE challenge', async () => {
    const a = await start('google');
    const b = await start('google');
    const codeForA = await google.authorize(a.authorizationUrl.href, { sub: sub() });
    const cb = new URL(codeForA.url);
    cb.searchParams.set('state', b.authorizationUrl.searchParams.get('state')!);
    const refused = google.stats.refused.length;
    const landing = await land({ ...codeForA, url: cb.href }, b.binding, 'google');
    expect(landing.error).toBe('token_rejected');
    expect(google.stats.refused.slice(refused)).toEqual(['PKCE verification failed']);
  });

  it('when a code is replayed, through the same callback or a fresh flow', async () => {
    const s = await start('google');
    const cb = await google.authorize(s.authorizationUrl.href, { sub: sub() });
    expect((await land(cb, s.binding, 'google')).error).toBeNull();

    const same = await tokenCalls(google, () => land(cb, s.binding, 'google'));
    expect(same.result.error).toBe('state_invalid');
    expect(same.calls).toBe(0);

    const fresh = await start('google');
    const replay = new URL(cb.url);
    replay.searchParams.set('state', fresh.authorizationUrl.searchParams.get('state')!);
    const refused = google.stats.refused.length;
    expect((await land({ ...cb, url: replay.href }, fresh.binding, 'google')).error).toBe('token_rejected');
    expect(google.stats.refused.slice(refused)).toEqual(['code already used']);
  });

  it('when the ID token is signed by a key the provider does not publish', async () => {
    const before = await rowCounts(h.admin, ['users', 'sessions']);
    const s = await start('google');
    const cb = await google.authorize(s.authorizationUrl.href, { sub: sub() });
    google.tamperNextIdToken({ rogueKey: true });
    expect((await land(cb, s.binding, 'google')).error).toBe('token_rejected');
    expect(await rowCounts(h.admin, ['users', 'sessions'])).toEqual(before);
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 }],
    ['for another audience', { aud: 'someone-else.apps.googleusercontent.com' }],
    ['from another issuer', { iss: 'https://accounts.example.net' }],
  ])('when the ID token is %s', async (_label, claims) => {
    const s = await start('google');
    const cb = await google.authorize(s.authorizationUrl.href, { sub: sub() });
    google.tamperNextIdToken({ claims });
    expect((await land(cb, s.binding, 'google')).error).toBe('token_rejected');
  });

  it('when the provider reports an error (the person declined)', async () => {
    const s = await start('google');
    const state = s.authorizationUrl.searchParams.get('state')!;
    const landing = await land({ method: 'GET', url: `${h.publicUrl}/api/auth/google/callback?error=access_denied&state=${state}`, params: new URLSearchParams() }, s.binding, 'google');
    expect(landing.error).toBe('provider_error');
  });
});

describe('an identity already bound to one tenant', () => {
  let subject: string;
  let ownerTenant: string;

  beforeAll(async () => {
    subject = sub();
    ownerTenant = (await me((await signIn('google', { sub: subject, email: uniqueEmail('bound') })).sessionCookie!)).tenant.id;
  });

  async function linkAs(family: Family, provider: 'google' | 'apple', user: FakeOidcUser): Promise<Landing> {
    const res = await h.call('POST', `/api/auth/${provider}/link`, { token: family.adminToken, body: { returnTo: '/settings' } });
    expect(res.status).toBe(200);
    const binding = setCookie(res, provider === 'google' ? GOOGLE_BINDING : APPLE_BINDING)!.value;
    const url = (await envelopeOf(res)).data.authorizationUrl;
    return land(await (provider === 'google' ? google : apple).authorize(url, user), binding, provider);
  }

  it('cannot be linked by a user of another tenant', async () => {
    const other = await h.createFamily();
    const landing = await linkAs(other, 'google', { sub: subject });
    expect(landing.error).toBe('identity_taken');
    expect(landing.location.pathname).toBe('/settings');
    expect(await identityOwner(google.issuer, subject)).toEqual([{ tenant_id: ownerTenant, user_id: expect.any(String) }]);
  });

  it('cannot join another tenant through an invitation', async () => {
    const other = await h.createFamily();
    const invite = await envelopeOf(await h.call('POST', '/api/auth/invitations', { token: other.adminToken, body: { profileId: other.profileIds.parentCreator } }));
    const landing = await signIn('google', { sub: subject }, `?invitation=${invite.data.token}`);
    expect(landing.error).toBe('identity_taken');
    expect(await identityOwner(google.issuer, subject)).toEqual([{ tenant_id: ownerTenant, user_id: expect.any(String) }]);
    // The invitation was not spent on the refusal.
    expect((await h.call('GET', `/api/auth/invitations/preview?token=${invite.data.token}`)).status).toBe(200);
  });

  it('cannot be inserted for another tenant even by a direct write: the database refuses', async () => {
    const other = await h.createFamily();
    await expect(
      h.t.db.transaction({ tenantId: other.tenantId, userId: other.adminId }, (tx) =>
        tx.execute('INSERT INTO user_identities (tenant_id, user_id, idp_issuer, idp_subject) VALUES ($1, $2, $3, $4)', [other.tenantId, other.adminId, google.issuer, subject]),
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('is linked to a second provider in the same tenant, and either signs in to the same account', async () => {
    const family = await h.createFamily();
    const g = sub();
    const a = sub();
    const linkedGoogle = await linkAs(family, 'google', { sub: g });
    expect(linkedGoogle.error).toBeNull();
    expect(linkedGoogle.location.href).toBe(`${h.publicUrl}/settings?linked=google`);
    expect(linkedGoogle.sessionCookie).toBeUndefined();
    expect((await linkAs(family, 'apple', { sub: a })).error).toBeNull();

    const ids = await h.admin.query('SELECT idp_issuer FROM user_identities WHERE user_id = $1 ORDER BY idp_issuer', [family.adminId]);
    expect(ids.rows.map((r) => r.idp_issuer).sort()).toEqual([apple.issuer, google.issuer].sort());
    const audit = await h.admin.query(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = 'identity.link'`, [family.tenantId]);
    expect(audit.rows[0].n).toBe(2);

    for (const [provider, subject] of [['google', g], ['apple', a]] as const) {
      const you = await me((await signIn(provider, { sub: subject })).sessionCookie!);
      expect(you.user.id).toBe(family.adminId);
      expect(you.tenant.id).toBe(family.tenantId);
    }
  });

  it('linking needs a signed-in session, and a cookie link request must be same-origin', async () => {
    expect((await h.call('POST', '/api/auth/google/link', { body: {} })).status).toBe(401);
    const family = await h.createFamily();
    const cookie = (await envelopeOf(await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD, cookie: false } }))).data.token;
    expect((await h.call('POST', '/api/auth/google/link', { cookie: `talemo_session=${cookie}`, headers: { origin: 'https://evil.example' }, body: {} })).status).toBe(403);
  });
});

describe('accepting an invitation with Google or Apple', () => {
  it.each(['google', 'apple'] as const)("joins the inviting tenant with the invitation's profile (%s)", async (provider) => {
    const family = await h.createFamily('Inviting');
    const invite = await envelopeOf(await h.call('POST', '/api/auth/invitations', { token: family.adminToken, body: { profileId: family.profileIds.parentCreator } }));
    const subject = sub();
    const landing = await signIn(provider, { sub: subject, email: uniqueEmail('invitee'), name: 'New Parent' }, `?invitation=${invite.data.token}`);
    expect(landing.error).toBeNull();
    const you = await me(landing.sessionCookie!);
    expect(you.tenant.id).toBe(family.tenantId);
    expect(you.profile.name).toBe(DEFAULT_PROFILES.parentCreator.name);
    expect(you.session.kind).toBe('invitation');
    expect(await identityOwner((provider === 'google' ? google : apple).issuer, subject)).toEqual([{ tenant_id: family.tenantId, user_id: you.user.id }]);
    expect((await h.call('GET', `/api/auth/invitations/preview?token=${invite.data.token}`)).status).toBe(404);
  });

  it('refuses to start for a link that is no longer valid', async () => {
    const res = await h.call('GET', `/api/auth/google?invitation=${'b'.repeat(32)}`);
    expect(res.status).toBe(404);
    expect((await envelopeOf(res)).message).toMatch(/not valid any more/);
  });
});
